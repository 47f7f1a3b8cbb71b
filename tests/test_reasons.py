"""Every reason code of the catalogue is produced by a real input that calls for it."""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from overhorizon import reasons
from overhorizon.ingest.readers import Registry, load_registry
from overhorizon.ingest.run import ingest
from overhorizon.ingest.sources import Blob
from overhorizon.records import Item
from overhorizon.settings import Settings
from overhorizon.store import Store
from tests.conftest import run_cli
from tests.ingest.pages import BODY, RSS, html_page


def _warc_bytes(n: int) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i in range(n):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://x.example/{i}",
                "response",
                payload=io.BytesIO(html_page(title=f"Story {i}").encode()),
                http_headers=headers,
            )
        )
    return buf.getvalue()


def _symlink_loop(d: Path) -> Path:
    (d / "loop").symlink_to("loop")
    return d / "loop"


def _broken_link(d: Path) -> Path:
    (d / "gone").symlink_to(d / "missing-target")
    return d / "gone"


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(d: Path) -> Path:
        (d / name).write_bytes(data)
        return d / name

    return make


MAKERS: dict[str, Callable[[Path], Path]] = {
    "empty": _write("empty.txt", b""),
    "whitespace_only": _write("blank.txt", b"  \n\t\n   \r\n"),
    "binary": _write("photo.txt", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8),
    "undecodable": _write("bad-bom.txt", b"\xef\xbb\xbfTitle\n\n\xff\xfe\xfa broken"),
    "too_large": _write("big.txt", b"Kabul airport. " * 700_000),
    "no_main_text": _write("s.html", b"<html><body><script>var x = 1;</script></body></html>"),
    "html_unparseable": _write(
        "deep.html",
        b"<html><body>"
        + b"<div>" * 50_000
        + b"<p>"
        + BODY.encode()
        + b"</p>"
        + b"</div>" * 50_000
        + b"</body></html>",
    ),
    "malformed_feed": _write(
        "f.rss",
        RSS.replace(
            "<item><title>No text at all</title><link>https://frontier.example/3</link></item>",
            "<junk a=1 & <<",
        ).encode(),
    ),
    "empty_feed": _write(
        "e.atom",
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>',
    ),
    "not_a_feed": _write("c.xml", b'<?xml version="1.0"?><config><a>1</a></config>'),
    "truncated_warc": lambda d: _write("t.warc.gz", _warc_bytes(3)[:-400])(d),
    "malformed_warc": _write("m.warc", b"this is not a WARC file at all\r\n\r\n"),
    "truncated_gzip": _write(
        "t.txt.gz", gzip.compress(("Title: x\n\n" + BODY * 20).encode())[:300]
    ),
    "bad_json_line": _write("b.jsonl", b'{"text": "good line about Kabul"}\n{broken\n'),
    "bad_json": _write("b.json", b'{"text": "unterminated'),
    "missing_text": _write("m.jsonl", json.dumps({"title": "no text"}).encode() + b"\n"),
    "bad_field": _write("f.jsonl", json.dumps({"text": "ok", "authors": [1, 2]}).encode()),
    "unreadable": _broken_link,
    "symlink_loop": _symlink_loop,
}


@dataclass(frozen=True)
class ExplodingReader:
    """A reader plugin with a bug: it yields one document, then fails."""

    name: str = "exploding"
    extensions: tuple[str, ...] = (".boom",)

    def sniff(self, head: bytes) -> int:
        return 0

    def read(self, blob: Blob, settings: Settings) -> Iterator[Item]:
        yield from load_registry().by_name("text").read(blob, settings)
        raise ZeroDivisionError("plugin bug")


def test_every_input_code_has_a_maker() -> None:
    inputs = {r.code for r in reasons._ALL if r.kind == "input"}
    assert inputs == set(MAKERS) | {"reader_error"}


def test_every_fetch_and_delivery_code_is_asserted_by_the_watch_tests() -> None:
    """The watch tests provoke fetch failures against a local server (and a failing webhook);
    each code of those kinds must appear in an assertion there."""
    watch_tests = Path(__file__).parent / "watch"
    text = "\n".join(p.read_text("utf-8") for p in sorted(watch_tests.glob("test_*.py")))
    for r in reasons._ALL:
        if r.kind in ("fetch", "delivery"):
            assert f'"{r.code}"' in text, r.code


@pytest.mark.parametrize("code", sorted(MAKERS))
def test_input_gives_its_reason(
    code: str, tmp_path: Path, settings: Settings, store: Store
) -> None:
    d = tmp_path / "in"
    d.mkdir()
    path = MAKERS[code](d)
    report = ingest([str(path)], store, settings)
    got = {r.reason for r in report.rejected}
    assert got == {code}, report.rejected
    for r in report.rejected:
        assert r.message and os.path.basename(str(path)) in r.source


def test_reader_error_keeps_what_the_reader_gave(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    p = tmp_path / "a.boom"
    p.write_text("Title: t\n\n" + BODY)
    registry = Registry((*load_registry().readers, ExplodingReader()))
    report = ingest([str(p)], store, settings, registry=registry)
    assert report.stored == 1
    assert [(r.reason, "ZeroDivisionError" in r.message) for r in report.rejected] == [
        ("reader_error", True)
    ]


@pytest.mark.parametrize(
    ("code", "args"),
    [
        ("path_not_found", ["ingest", "nope.txt"]),
        ("db_unavailable", ["ingest", "a.txt", "--db", "missing-dir/x.db"]),
        ("bad_setting", ["ingest", "a.txt", "--config", "bad.toml"]),
        ("incident_not_found", ["show", "i-0000000000000000", "--db", "x.db"]),
        ("place_not_found", ["incidents", "--near", "Xyzzyville", "--db", "x.db"]),
        ("unsafe_bind", ["serve", "--host", "0.0.0.0", "--db", "x.db"]),
    ],
)
def test_config_codes(tmp_path: Path, code: str, args: list[str]) -> None:
    (tmp_path / "a.txt").write_text("Title: t\n\n" + BODY)
    (tmp_path / "bad.toml").write_text("batch_size = 'many'\n")
    res = run_cli(*args, cwd=tmp_path)
    assert res.code == 2
    assert reasons.get(code).hint in res.stderr
