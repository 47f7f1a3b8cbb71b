"""One module per resource: health, incidents, events, articles."""
