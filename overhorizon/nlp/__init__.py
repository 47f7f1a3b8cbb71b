"""Natural-language steps: from an article's text to an annotated Doc and typed records."""
