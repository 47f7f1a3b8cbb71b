"""A real HTTP server on 127.0.0.1 for the watch tests: routes the test writes and changes
between polls, and a log of every request it answered (time, path, headers, status)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What one path answers. ``body`` may be a function giving chunks (sent as they come,
    without a Content-Length); ``delay`` seconds pass before the answer starts."""

    body: bytes | Callable[[], Iterator[bytes]] = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Hit:
    at: float
    path: str
    headers: dict[str, str]
    status: int


class Site:
    """The server: ``routes`` by path (query included), ``hits`` in the order answered."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.sent: dict[str, int] = {}
        self.arrived: list[str] = []  # paths as requests arrive, before any delay
        self.finished = threading.Event()
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site._answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits_of(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _log(self, handler: BaseHTTPRequestHandler, at: float, status: int) -> None:
        with self._lock:
            self.hits.append(Hit(at, handler.path, dict(handler.headers.items()), status))

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        at = time.monotonic()
        with self._lock:
            self.arrived.append(h.path)
        route = self.routes.get(h.path)
        if route is None:
            self._log(h, at, 404)
            h.send_response(404)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        if route.delay:
            time.sleep(route.delay)
        fresh = (route.etag and h.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and h.headers.get("If-Modified-Since") == route.last_modified
        )
        status = 304 if fresh else route.status
        self._log(h, at, status)
        h.send_response(status)
        for name, value in route.headers.items():
            h.send_header(name, value)
        if route.etag:
            h.send_header("ETag", route.etag)
        if route.last_modified:
            h.send_header("Last-Modified", route.last_modified)
        if status == 304:
            h.end_headers()
            return
        h.send_header("Content-Type", route.content_type)
        if isinstance(route.body, bytes):
            h.send_header("Content-Length", str(len(route.body)))
            h.end_headers()
            # the client may stop reading (too large): what it is tested for
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                h.wfile.write(route.body)
            return
        h.end_headers()  # HTTP/1.0 without a length: the body ends when the server closes
        sent = 0
        try:
            for chunk in route.body():
                h.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self._lock:
                self.sent[h.path] = sent
            self.finished.set()


def rss(items: list[tuple[str, str]], *, content: dict[str, str] | None = None) -> bytes:
    """An RSS 2.0 feed of (title, link) items, newest first; ``content`` gives an item's
    full text (content:encoded) by link."""
    content = content or {}
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        "<channel><title>Test wire</title><link>http://example.org/</link>",
    ]
    for title, link in items:
        parts.append(f"<item><title>{title}</title><link>{link}</link>")
        parts.append("<pubDate>Mon, 30 Aug 2021 10:00:00 GMT</pubDate>")
        if link in content:
            parts.append(f"<content:encoded><![CDATA[{content[link]}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()
