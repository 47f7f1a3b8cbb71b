"""Parts of the alert tests: a few sample articles through the real pipeline into a store, a
real webhook receiver on loopback and a real SMTP server (aiosmtpd) on loopback. Test modules
import the fixtures they use from here."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from overhorizon.app import fuse_stored
from overhorizon.ingest.run import ingest
from overhorizon.nlp.extract import extract
from overhorizon.nlp.pipeline import pipeline_version
from overhorizon.settings import Settings, load_settings
from overhorizon.store.articles import Store
from overhorizon.store.extractions import articles_to_extract, save_extraction
from tests.conftest import _free_port

TEXT = Path(__file__).resolve().parents[2] / "overhorizon" / "sample" / "text"
FIRST = ("08-abbey-gate-blast-first.txt", "09-airport-toll-sixty.txt")
LATER = "11-airport-toll-170.txt"  # a later, higher toll of the airport bombing


def add_articles(store: Store, settings: Settings, nlp: Any, paths: list[Path]) -> None:
    """Ingest, extract and fuse: the steps `overhorizon run` takes."""
    ingest([str(p) for p in paths], store, settings.replace(workers=1))
    version = pipeline_version()
    for ex in extract(((a, None) for a in articles_to_extract(store, version)), nlp):
        save_extraction(store, ex, version)
    fuse_stored(store)
    store.checkpoint()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: answers each POST with the next of ``statuses``
    (200 when they run out) and keeps what it was sent."""

    url: str
    statuses: list[int] = field(default_factory=list)
    got: list[Received] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)

    def json(self) -> list[dict[str, Any]]:
        return [json.loads(r.body) for r in self.got]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            box.got.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
            status = box.statuses.pop(0) if box.statuses else 200
            box.answered.append(status)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 keeping every message it accepts."""
    from aiosmtpd.controller import Controller

    box = Mailbox("127.0.0.1", _free_port())

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            box.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    controller = Controller(Handler(), hostname=box.host, port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def watch_settings(tmp_path: Path) -> Settings:
    """Defaults, a SQLite file, no rules file, loopback allowed, a webhook secret."""
    return load_settings(
        env={},
        cwd=tmp_path,
        overrides={
            "db": str(tmp_path / "w.db"),
            "rules_file": "",
            "allow_private_addresses": True,
            "webhook_secret": "s3cret",
            "base_url": "https://watch.example",
            "fetch_timeout": 5.0,
            "workers": 1,
        },
    )
