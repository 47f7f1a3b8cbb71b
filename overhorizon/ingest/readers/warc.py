"""WARC and WARC.gz archives with warcio: HTML responses go through the HTML reader.

Other records (requests, warcinfo, metadata, images, scripts) are skipped and counted. A record
cut off mid-way is reported as truncated_warc; the records before it are kept.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from overhorizon.ingest.errors import Reject
from overhorizon.ingest.sources import Blob
from overhorizon.records import Item, RawPage, Rejection, Skip, SourceRef
from overhorizon.settings import Settings

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_READ_CHUNK = 1 << 16


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _read_capped(stream: Any, limit: int) -> bytes:
    out = bytearray()
    while True:
        chunk = stream.read(_READ_CHUNK)
        if not chunk:
            return bytes(out)
        out += chunk
        if len(out) > limit:
            raise Reject("too_large", f"record payload over {limit:,} bytes")


def read_warc(blob: Blob, settings: Settings) -> Iterator[Item]:
    """Yield a Document per HTML response, Skip per other record, Rejections for bad ones."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    head = blob.head(64).lstrip(b"\r\n")
    if not head.startswith((b"WARC/", b"filedesc://")):
        raise Reject("malformed_warc", "does not start with a WARC or ARC header")
    kept = 0
    with blob.open_raw() as raw:
        records = ArchiveIterator(raw, arc2warc=True)
        index = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError) as exc:
                code = "truncated_warc" if index else "malformed_warc"
                yield Rejection(
                    f"{blob.name}#record={index + 1}",
                    code,
                    f"{type(exc).__name__}: {str(exc)[:160]}; kept {kept} records before it",
                )
                return
            index += 1
            rec_id = record.rec_headers.get_header("WARC-Record-ID") or f"record={index}"
            where = f"{blob.name}#{rec_id}"
            if record.rec_type != "response":
                yield Skip(where, f"warc_{record.rec_type}")
                continue
            ctype = ""
            if record.http_headers is not None:
                ctype = record.http_headers.get_header("Content-Type") or ""
                status = record.http_headers.get_statuscode()
                if status and not str(status).startswith("2"):
                    yield Skip(where, "warc_non_200")
                    continue
            if not ctype.lower().startswith(_HTML_TYPES):
                yield Skip(where, "warc_non_html")
                continue
            source = SourceRef(
                kind="warc",
                path=blob.name,
                url=record.rec_headers.get_header("WARC-Target-URI"),
                warc_record_id=rec_id,
            )
            try:
                payload = _read_capped(record.content_stream(), settings.max_document_bytes)
                truncated = getattr(record.raw_stream, "limit", 0) > 0
            except Reject as rej:
                yield Rejection(source.locator, rej.code, rej.message)
                continue
            except (EOFError, zlib.error, OSError, ValueError) as exc:
                yield Rejection(
                    source.locator,
                    "truncated_warc",
                    f"{type(exc).__name__}: {str(exc)[:160]}; kept {kept} records",
                )
                return
            if truncated:
                yield Rejection(
                    source.locator,
                    "truncated_warc",
                    f"record ends early; kept {kept} records before it",
                )
                return
            kept += 1
            yield RawPage(payload, source, charset=_charset(ctype))


@dataclass(frozen=True)
class WarcReader:
    """Reader for .warc and .warc.gz files."""

    name: str = "warc"
    extensions: tuple[str, ...] = (".warc", ".arc")

    def sniff(self, head: bytes) -> int:
        return 95 if head.startswith(b"WARC/") else 0

    def read(self, blob: Blob, settings: Settings) -> Iterator[Item]:
        yield from read_warc(blob, settings)


READER = WarcReader()
