"""The API reference page (``/docs``): Swagger UI from our own static files, no inline code.

FastAPI's ``get_swagger_ui_html`` starts Swagger UI from an inline ``<script>``, which a
``script-src 'self'`` policy refuses; this page loads ``docs-init.js`` instead, which reads the
OpenAPI address from the ``data-openapi-url`` attribute of the ``#swagger-ui`` element.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

#: Folder served at ``/static``: our scripts, and vendored assets under ``vendor/``.
STATIC_DIR = Path(__file__).resolve().parent / "static"

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{static}/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="{static}/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="{static}/docs-init.js"></script>
</body>
</html>
"""


def docs_page(title: str, openapi_url: str = "/openapi.json", static_url: str = "/static") -> str:
    """The HTML of the Swagger UI page for the OpenAPI document at ``openapi_url``.

    ``static_url`` is where ``STATIC_DIR`` is mounted. The favicon is an empty ``data:`` URL,
    so the browser does not ask for ``/favicon.ico``.
    """
    return _PAGE.format(
        title=escape(title),
        openapi_url=escape(openapi_url, quote=True),
        static=escape(static_url.rstrip("/"), quote=True),
    )
