"""The web UI: pages served by the API and the static files they load.

Every file a page needs ships in ``static/`` (our own scripts, and third-party assets vendored
under ``static/vendor/`` with their licences and checksums), so a browser pointed at overhorizon
makes no request to another origin, and nothing needs an inline script or style: the pages
work under the API's strict Content-Security-Policy.
"""

from __future__ import annotations

from overhorizon.web.dashboard import BASEMAP_FILE, dashboard_page
from overhorizon.web.docs import STATIC_DIR, docs_page

__all__ = ["BASEMAP_FILE", "STATIC_DIR", "dashboard_page", "docs_page"]
