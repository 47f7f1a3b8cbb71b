"""JSON Lines (one article per line) and JSON (an object or an array of objects).

Fields: ``text`` (required), ``id``, ``title``, ``url``, ``outlet``, ``published``, ``authors``
(a list of strings, or one string), ``language``. A bad line is rejected on its own with its line
number; the other lines are kept.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from overhorizon.ingest.decoding import binary_kind, decode
from overhorizon.ingest.errors import Reject
from overhorizon.ingest.sources import Blob
from overhorizon.records import Document, Item, Rejection, SourceRef
from overhorizon.settings import Settings

_STRING_FIELDS = ("id", "title", "url", "outlet", "published", "language")


def document_from_object(obj: Any, source: SourceRef, what: str) -> Document:
    """Build a Document from one JSON object; raise Reject naming the bad field."""
    if not isinstance(obj, dict):
        raise Reject("bad_json_line", f"{what} is a JSON {type(obj).__name__}, not an object")
    text = obj.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        raise Reject("missing_text", f"{what} has no 'text'")
    if not isinstance(text, str):
        raise Reject("bad_field", f"{what}: 'text' is a {type(text).__name__}, not a string")
    for key in _STRING_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, (str, int)):
            raise Reject("bad_field", f"{what}: '{key}' is a {type(value).__name__}")
    authors = obj.get("authors")
    if authors is None:
        authors = []
    elif isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise Reject("bad_field", f"{what}: 'authors' must be a list of strings")

    def opt(key: str) -> str | None:
        value = obj.get(key)
        return str(value) if value is not None and str(value).strip() else None

    return Document(
        text=text,
        source=source,
        title=opt("title"),
        outlet=opt("outlet"),
        url=opt("url"),
        authors=tuple(a for a in authors if a.strip()),
        published=opt("published"),
        language=opt("language"),
        external_id=opt("id"),
    )


def read_jsonl(blob: Blob, settings: Settings) -> Iterator[Item]:
    """Stream a JSONL file line by line; a line over the document limit is rejected alone."""
    limit = settings.max_document_bytes
    what = binary_kind(blob.head())
    if what is not None:  # one rejection for the file, not one per "line" of binary data
        raise Reject("binary", what)
    seen_any = False
    with blob.open() as fh:
        lineno = 0
        while True:
            try:
                raw = fh.readline(limit + 1)
            except (EOFError, zlib.error, OSError) as exc:
                yield Rejection(
                    f"{blob.name}:{lineno + 1}",
                    "truncated_gzip",
                    f"{type(exc).__name__}: {exc}; kept the lines before it",
                )
                return
            if not raw:
                break
            lineno += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                    raw = fh.readline(limit + 1)
                yield Rejection(
                    f"{blob.name}:{lineno}", "too_large", f"line {lineno} is over {limit:,} bytes"
                )
                continue
            if not raw.strip():
                continue
            seen_any = True
            source = SourceRef(kind="jsonl", path=blob.name, line=lineno)
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
                obj = json.loads(line)
                yield document_from_object(obj, source, f"line {lineno}")
            except UnicodeDecodeError as exc:
                yield Rejection(
                    source.locator, "bad_json_line", f"line {lineno} is not UTF-8 ({exc.reason})"
                )
            except json.JSONDecodeError as exc:
                yield Rejection(
                    source.locator,
                    "bad_json_line",
                    f"line {lineno}: {exc.msg} (column {exc.colno})",
                )
            except RecursionError:
                yield Rejection(source.locator, "bad_json_line", f"line {lineno} nests too deeply")
            except Reject as rej:
                yield Rejection(source.locator, rej.code, rej.message)
    if not seen_any:
        raise Reject("whitespace_only" if lineno else "empty", "no JSON lines")


def read_json(blob: Blob, settings: Settings) -> Iterator[Item]:
    """Read a whole JSON file: one article object, or an array of them."""
    data = blob.read(settings.max_container_bytes)
    text = decode(data)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Reject("bad_json", f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise Reject("bad_json", "nests too deeply") from None
    items = obj if isinstance(obj, list) else [obj]
    for i, one in enumerate(items, start=1):
        source = SourceRef(kind="json", path=blob.name, entry=i)
        try:
            yield document_from_object(one, source, f"item {i}")
        except Reject as rej:
            yield Rejection(source.locator, rej.code, rej.message)


@dataclass(frozen=True)
class JsonlReader:
    """Reader for .jsonl/.ndjson files."""

    name: str = "jsonl"
    extensions: tuple[str, ...] = (".jsonl", ".ndjson", ".jsonlines")

    def sniff(self, head: bytes) -> int:
        return 60 if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else 0

    def read(self, blob: Blob, settings: Settings) -> Iterator[Item]:
        yield from read_jsonl(blob, settings)


@dataclass(frozen=True)
class JsonReader:
    """Reader for .json files."""

    name: str = "json"
    extensions: tuple[str, ...] = (".json",)

    def sniff(self, head: bytes) -> int:
        return 50 if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[") else 0

    def read(self, blob: Blob, settings: Settings) -> Iterator[Item]:
        yield from read_json(blob, settings)


READER = JsonlReader()
JSON_READER = JsonReader()
