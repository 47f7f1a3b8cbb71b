"""Each reader on inputs written for the tests: fields, text, and what it refuses."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from overhorizon.ingest.errors import Reject
from overhorizon.ingest.readers import load_registry
from overhorizon.ingest.readers.html import parse_html
from overhorizon.ingest.readers.text import parse_text
from overhorizon.ingest.sources import Blob, blob_from_bytes
from overhorizon.records import Document, RawPage, Rejection, Skip, SourceRef
from overhorizon.settings import Settings
from tests.ingest.pages import ATOM, BODY, RSS, html_page


def read_all(path: Path, settings: Settings) -> list[Document | Rejection | Skip]:
    raw = path.read_bytes()
    blob = Blob(name=str(path), path=path, gzipped=raw[:2] == b"\x1f\x8b")
    reader = load_registry().choose(blob)
    out: list[Document | Rejection | Skip] = []
    for item in reader.read(blob, settings):
        if isinstance(item, RawPage):  # extraction, as ingest does it (there in a worker)
            try:
                item = parse_html(item.data, item.source, item.charset)
            except Reject as rej:
                item = Rejection(item.source.locator, rej.code, rej.message)
        out.append(item)
    return out


def docs(items: list[Document | Rejection | Skip]) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def test_text_with_headers(tmp_path: Path, settings: Settings) -> None:
    p = tmp_path / "a.txt"
    p.write_text(
        "Title: Kunduz falls\nOutlet: Kabul Ledger (sample)\nPublished: 2021-08-08\n"
        "URL: https://ledger.example/kunduz\nAuthor: One Writer; Two Writer\n\n" + BODY + "\n",
        encoding="utf-8",
    )
    (d,) = docs(read_all(p, settings))
    assert d.title == "Kunduz falls"
    assert d.outlet == "Kabul Ledger (sample)"
    assert d.published == "2021-08-08"
    assert d.url == "https://ledger.example/kunduz"
    assert d.authors == ("One Writer", "Two Writer")
    assert d.text.strip() == BODY
    assert "Title:" not in d.text


def test_text_without_headers_takes_first_line_as_title() -> None:
    d = parse_text("Kunduz falls\n\n" + BODY, SourceRef(kind="file", path="x.txt"))
    assert d.title == "Kunduz falls"
    assert d.outlet is None
    assert d.text.strip() == BODY


def test_text_single_line_is_the_text() -> None:
    d = parse_text("Just one line about Kabul.", SourceRef(kind="file", path="x.txt"))
    assert d.text == "Just one line about Kabul."


def test_header_like_first_line_without_blank_is_body() -> None:
    text = "Title: not really a header\nbecause the next line is prose.\n"
    d = parse_text(text, SourceRef(kind="file", path="x.txt"))
    assert d.title == "Title: not really a header"


def test_html_main_text_and_metadata(tmp_path: Path, settings: Settings) -> None:
    p = tmp_path / "page.html"
    p.write_text(html_page(), encoding="utf-8")
    (d,) = docs(read_all(p, settings))
    assert d.title == "Kunduz falls to the Taliban"
    assert d.outlet == "Meridian Courier (sample)"
    assert d.authors == ("Rana Test",)
    assert d.published == "2021-08-08T16:20:00+04:30"  # the meta tag's time, not just the date
    assert "police headquarters" in d.text
    for boilerplate in ("cookies", "Copyright", "Another story", "World"):
        assert boilerplate not in d.text


def test_html_declared_cp1252(tmp_path: Path, settings: Settings) -> None:
    page = html_page(title="Caf\u00e9 talks \u201cstalled\u201d", charset="windows-1252")
    p = tmp_path / "page.htm"
    p.write_bytes(page.encode("cp1252"))
    (d,) = docs(read_all(p, settings))
    assert d.title == "Caf\u00e9 talks \u201cstalled\u201d"


def test_html_without_text_is_rejected(tmp_path: Path, settings: Settings) -> None:
    p = tmp_path / "s.html"
    p.write_text(
        "<html><head><script>var a=1;</script></head><body><script>x()</script></body></html>"
    )
    (rej,) = read_all(p, settings)
    assert isinstance(rej, Rejection) and rej.reason == "no_main_text"


def test_rss_entries(tmp_path: Path, settings: Settings) -> None:
    p = tmp_path / "f.rss"
    p.write_text(RSS, encoding="utf-8")
    items = read_all(p, settings)
    found = docs(items)
    assert [d.title for d in found] == ["Airport crowds grow", "Summary only"]
    first, second = found
    assert first.outlet == "Frontier Wire (test)"
    assert first.url == "https://frontier.example/1"
    assert first.authors == ("Sam Test",)
    assert first.published is not None and "16 Aug 2021" in first.published
    assert "Thousands of people" in first.text and "Flights were halted" in first.text
    assert "<p>" not in first.text
    assert "evacuation resumed" in second.text
    (rej,) = [i for i in items if isinstance(i, Rejection)]
    assert rej.reason == "missing_text" and rej.source.endswith("#entry=3")


def test_atom_entries(tmp_path: Path, settings: Settings) -> None:
    p = tmp_path / "f.atom"
    p.write_text(ATOM, encoding="utf-8")
    found = docs(read_all(p, settings))
    assert [d.title for d in found] == ["Generals meet in Helsinki", "Summary entry"]
    assert found[0].text.strip() == "The two chiefs of staff met in Helsinki on Wednesday."
    assert found[0].authors == ("Ivo Test",)
    assert found[0].url == "https://steppe.example/helsinki"
    assert found[0].outlet == "Steppe Monitor (test)"
    assert found[1].text.strip() == "Talks on regional security continued."


def test_malformed_feed_keeps_good_entries(tmp_path: Path, settings: Settings) -> None:
    broken = RSS.replace("<item><title>No text at all</title>", "<item><title>Bad & <<broken")
    p = tmp_path / "f.xml"
    p.write_text(broken, encoding="utf-8")
    items = read_all(p, settings)
    assert {d.title for d in docs(items)} >= {"Airport crowds grow", "Summary only"}
    assert any(isinstance(i, Rejection) and i.reason == "malformed_feed" for i in items)


def test_not_a_feed(tmp_path: Path, settings: Settings) -> None:
    p = tmp_path / "config.xml"
    p.write_text('<?xml version="1.0"?><settings><item key="a">1</item></settings>')
    with pytest.raises(Reject) as exc:
        read_all(p, settings)
    assert exc.value.code == "not_a_feed"


def _warc(records: list[tuple[str, str, bytes]], gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, ctype, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), http_headers=headers
        )
        writer.write_record(rec)
        req = writer.create_warc_record(
            url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
        )
        writer.write_record(req)
    return buf.getvalue()


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses(tmp_path: Path, settings: Settings, gz: bool) -> None:
    data = _warc(
        [
            (
                "https://meridian.example/kunduz",
                "text/html; charset=utf-8",
                html_page().encode("utf-8"),
            ),
            ("https://meridian.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\nxxxx"),
            (
                "https://meridian.example/herat",
                "text/html",
                html_page(title="Herat falls", body=BODY.replace("Kunduz", "Herat")).encode(),
            ),
        ],
        gz,
    )
    p = tmp_path / ("a.warc.gz" if gz else "a.warc")
    p.write_bytes(data)
    items = read_all(p, settings)
    found = docs(items)
    assert [d.title for d in found] == ["Kunduz falls to the Taliban", "Herat falls"]
    assert found[0].url == "https://meridian.example/kunduz"
    assert found[0].source.warc_record_id and found[0].source.warc_record_id.startswith("<urn:")
    skipped = sorted(i.what for i in items if isinstance(i, Skip))
    assert skipped == ["warc_non_html", "warc_request", "warc_request", "warc_request"]


def test_truncated_warc_keeps_records_before(tmp_path: Path, settings: Settings) -> None:
    data = _warc(
        [
            (f"https://x.example/{i}", "text/html", html_page(title=f"Story {i}").encode())
            for i in range(3)
        ],
        gz=True,
    )
    p = tmp_path / "cut.warc.gz"
    p.write_bytes(data[: int(len(data) * 0.8)])
    items = read_all(p, settings)
    assert [d.title for d in docs(items)] == ["Story 0", "Story 1"]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert [r.reason for r in rejections] == ["truncated_warc"]


def test_jsonl_lines(tmp_path: Path, settings: Settings) -> None:
    lines = [
        json.dumps(
            {
                "id": "r1",
                "text": BODY,
                "title": "T1",
                "authors": ["A"],
                "published": "2021-08-08",
                "outlet": "Desk",
                "url": "https://d.example/1",
            }
        ),
        "",
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": 42}),
        json.dumps({"text": "Second article about Herat.", "authors": "One Author"}),
    ]
    p = tmp_path / "a.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_all(p, settings)
    found = docs(items)
    assert [d.external_id for d in found] == ["r1", None]
    assert found[0].authors == ("A",) and found[1].authors == ("One Author",)
    assert found[0].source.line == 1 and found[1].source.line == 7
    rej = {(r.source.rsplit(":", 1)[1], r.reason) for r in items if isinstance(r, Rejection)}
    assert rej == {
        ("3", "bad_json_line"),
        ("4", "bad_json_line"),
        ("5", "missing_text"),
        ("6", "bad_field"),
    }


def test_json_array(tmp_path: Path, settings: Settings) -> None:
    p = tmp_path / "a.json"
    p.write_text(json.dumps([{"text": "One about Kabul."}, {"text": "Two about Herat."}, 3]))
    items = read_all(p, settings)
    assert [d.text for d in docs(items)] == ["One about Kabul.", "Two about Herat."]
    assert [r.reason for r in items if isinstance(r, Rejection)] == ["bad_json_line"]


@pytest.mark.parametrize("name", ["a.txt.gz", "a.html.gz", "a.jsonl.gz", "a.rss.gz"])
def test_gzip_of_any_format(tmp_path: Path, settings: Settings, name: str) -> None:
    inner = {
        "a.txt.gz": "Title: Gz\n\n" + BODY,
        "a.html.gz": html_page(),
        "a.jsonl.gz": json.dumps({"text": BODY}) + "\n",
        "a.rss.gz": RSS,
    }[name]
    p = tmp_path / name
    p.write_bytes(gzip.compress(inner.encode("utf-8"), mtime=0))
    assert docs(read_all(p, settings))


def test_sniffing_without_extension(settings: Settings) -> None:
    registry = load_registry()
    cases = {
        "html": html_page().encode(),
        "feed": RSS.encode(),
        "jsonl": b'{"text": "x"}\n',
        "text": BODY.encode(),
    }
    for expected, data in cases.items():
        assert registry.choose(blob_from_bytes(data, name="noext")).name == expected
