"""The dashboard page (``/``): a map, a timeline and each incident's source trail.

The page is static HTML that loads Leaflet and topojson-client (vendored under
``static/vendor/``) and our own ES modules from ``static/dashboard/``; everything it shows
comes from the JSON API. No inline script or style, no request to another origin: the basemap
is the world-atlas TopoJSON the geocoder already ships (``BASEMAP_FILE``), served by the app.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import overhorizon.geo

#: Country outlines (world-atlas 2.0.2, Natural Earth 1:50m, TopoJSON) drawn as the basemap.
BASEMAP_FILE = Path(overhorizon.geo.__file__).resolve().parent / "data" / "countries-50m.json"

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{static}/vendor/leaflet/dist/leaflet.css">
<link rel="stylesheet" href="{static}/dashboard/dashboard.css">
</head>
<body data-basemap-url="{basemap}">
<header class="top">
  <h1>{title}</h1>
  <form id="filters" role="search">
    <label>Type <select name="type"><option value="">all</option></select></label>
    <label>Grade <select name="grade"><option value="">all</option></select></label>
    <label>Text <input name="q" type="search" placeholder="place, claim or source"></label>
    <label>Actor <input name="actor" type="search" placeholder="who is named"></label>
    <button type="submit">Apply</button>
    <button type="button" id="clear-brush">All dates</button>
  </form>
  <p id="status" role="status">Loading…</p>
  <a class="api-link" href="/docs">API</a>
</header>
<main class="layout">
  <section id="map" aria-label="Map of incidents"></section>
  <aside class="side">
    <section id="trail" class="panel" aria-live="polite" hidden></section>
    <section class="panel" id="alerts-panel" hidden>
      <h2>Alerts <span id="alert-count"></span></h2>
      <ol id="alert-list" class="rows"></ol>
    </section>
    <section class="panel">
      <h2>Incidents <span id="incident-count"></span></h2>
      <ol id="incident-list" class="rows"></ol>
    </section>
    <section class="panel">
      <h2>Articles <span id="article-count"></span></h2>
      <ol id="article-list" class="rows"></ol>
    </section>
  </aside>
  <section class="timeline" aria-label="Incidents per day">
    <h2>Incidents per day <span id="brush-label"></span></h2>
    <svg id="timeline" role="img"
      aria-label="Bar chart of incidents per day; drag to select dates"></svg>
  </section>
</main>
<script src="{static}/vendor/leaflet/dist/leaflet.js"></script>
<script src="{static}/vendor/topojson-client/dist/topojson-client.min.js"></script>
<script type="module" src="{static}/dashboard/main.js"></script>
</body>
</html>
"""


def dashboard_page(
    title: str = "overhorizon",
    static_url: str = "/static",
    basemap_url: str = "/basemap/countries-50m.json",
) -> str:
    """The HTML of the dashboard; ``static_url`` is where ``STATIC_DIR`` is mounted and
    ``basemap_url`` where the app serves ``BASEMAP_FILE``."""
    return _PAGE.format(
        title=escape(title),
        static=escape(static_url.rstrip("/"), quote=True),
        basemap=escape(basemap_url, quote=True),
    )
