"""Bytes to text: BOMs, declared charsets, detection with charset-normalizer, binary refusal."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from overhorizon.ingest.errors import Reject

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of common binary formats that are never news text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"RIFF", "RIFF media file"),
    (b"OggS", "Ogg media file"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
)

_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_SAMPLE = 64 * 1024


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """Return the encoding a byte-order mark names and the mark's length, or None."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


def binary_kind(data: bytes) -> str | None:
    """Say what binary format ``data`` is, or None when it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if bom_encoding(data) is not None:
        return None
    head = data[:_SAMPLE]
    if not head:
        return None
    nuls = head.count(0)
    if nuls:
        if _looks_utf16(head):
            return None
        if nuls * 100 > len(head):
            return f"data with {nuls} NUL bytes in the first {len(head)}"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls * 20 > len(head):  # random bytes have about 10 %; text almost none
        return f"data with {controls} control bytes in the first {len(head)}"
    return None


def _looks_utf16(head: bytes) -> bool:
    """True when NULs sit at every other byte and nowhere else, as in UTF-16 without a BOM."""
    even = head[0::2]
    odd = head[1::2]
    n = max(1, min(len(even), len(odd)))
    e, o = even.count(0) / n, odd.count(0) / n
    return (o > 0.7 and e < 0.1) or (e > 0.7 and o < 0.1)


def declared_charset(data: bytes) -> str | None:
    """Return the charset an HTML/XML head declares, if it names a known codec."""
    m = _CHARSET_RE.search(data[:4096])
    if not m:
        m = re.search(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""", data[:512])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` to text, or raise Reject (empty, binary, undecodable).

    Order: a BOM wins; then binary refusal; then the declared charset if it decodes cleanly;
    then strict UTF-8; then charset-normalizer's best guess.
    """
    if not data:
        raise Reject("empty", "0 bytes")
    bom = bom_encoding(data)
    if bom is not None:
        enc, n = bom
        try:
            return data[n:].decode(enc)
        except UnicodeDecodeError as exc:
            raise Reject("undecodable", f"byte-order mark says {enc}, but {exc.reason}") from None
    what = binary_kind(data)
    if what is not None:
        raise Reject("binary", what)
    if data.count(0) and _looks_utf16(data[:_SAMPLE]):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _printable_share(text) > 0.9:
                return text
    for enc in (declared or "", "utf-8"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data[: 4 * _SAMPLE]).best()
    if best is None or best.encoding is None:
        raise Reject("undecodable", "no plausible encoding found")
    try:
        text = data.decode(best.encoding, errors="replace")
    except LookupError:
        raise Reject("undecodable", f"detected encoding {best.encoding} is unknown") from None
    if _printable_share(text[:_SAMPLE]) < 0.85:
        raise Reject("binary", f"decodes as {best.encoding} only to unprintable characters")
    return text


def _printable_share(text: str) -> float:
    if not text:
        return 1.0
    good = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    return good / len(text)
