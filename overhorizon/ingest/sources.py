"""Input paths to blobs: files, directories (recursive, symlink loops survived), stdin, gzip."""

from __future__ import annotations

import errno
import gzip
import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from overhorizon.ingest.errors import Reject
from overhorizon.records import Rejection, Skip

_READ_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Blob:
    """One input to read: a file on disk or bytes from stdin, possibly gzip-compressed.

    ``name`` is what reports show (the path as found, or ``<stdin>``). ``gzipped`` means the
    bytes are a gzip stream; :meth:`open` then yields the decompressed bytes, except for
    readers that take the raw stream (WARC).
    """

    name: str
    path: Path | None = None
    data: bytes | None = None
    gzipped: bool = False

    def open_raw(self) -> BinaryIO:
        """Open the bytes as stored (compressed if gzipped)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return open(self.path, "rb")

    def open(self) -> BinaryIO:
        """Open the decompressed bytes."""
        raw = self.open_raw()
        if self.gzipped:
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    @property
    def inner_name(self) -> str:
        """The name without a trailing .gz, for choosing a reader by extension."""
        return self.name[:-3] if self.gzipped and self.name.lower().endswith(".gz") else self.name

    def size(self) -> int | None:
        """The stored size in bytes (compressed if gzipped)."""
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def head(self, n: int = 8192) -> bytes:
        """Return the first ``n`` decompressed bytes (fewer for a short or truncated input)."""
        with self.open() as fh:
            try:
                return fh.read(n)
            except (EOFError, OSError, zlib.error):
                return b""

    def read(self, limit: int) -> bytes:
        """Read all decompressed bytes, refusing more than ``limit`` (too_large) and broken gzip."""
        if not self.gzipped:
            size = self.size()
            if size is not None and size > limit:
                raise Reject("too_large", f"{size:,} bytes, limit {limit:,}")
        out = bytearray()
        try:
            with self.open() as fh:
                while True:
                    chunk = fh.read(_READ_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > limit:
                        what = "decompressed, more than" if self.gzipped else "more than"
                        raise Reject("too_large", f"{what} {limit:,} bytes")
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise Reject("truncated_gzip", str(exc) or type(exc).__name__) from None
        return bytes(out)


def shown(name: str) -> str:
    """Return a path as reports show it: bytes of a file name that are not UTF-8 (which Python
    keeps as lone surrogates) become backslash escapes, so the name can be stored and printed."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_gzip(head: bytes) -> bool:
    """True for the gzip magic number."""
    return head[:2] == b"\x1f\x8b"


def _blob_for_file(path: Path, name: str) -> Blob:
    with open(path, "rb") as fh:
        magic = fh.read(2)
    return Blob(name=name, path=path, gzipped=is_gzip(magic))


def blob_from_bytes(data: bytes, name: str = "<stdin>") -> Blob:
    """Wrap bytes (stdin, an upload) as a blob."""
    return Blob(name=name, data=data, gzipped=is_gzip(data))


def iter_blobs(
    paths: list[str],
    *,
    include_hidden: bool,
    stdin: BinaryIO | None = None,
    stdin_limit: int,
    exclude: frozenset[Path] = frozenset(),
) -> Iterator[Blob | Rejection | Skip]:
    """Yield a blob per input file, a Rejection for unreadable paths and symlink loops.

    Directories are walked recursively in sorted order, following symlinks; a directory already
    visited (by device and inode) is not entered twice, so link cycles end.
    """
    for raw in paths:
        if raw == "-":
            fh = stdin if stdin is not None else io.BytesIO()
            data = fh.read(stdin_limit + 1)
            if len(data) > stdin_limit:
                yield Rejection("<stdin>", "too_large", f"more than {stdin_limit:,} bytes")
                continue
            yield blob_from_bytes(data)
            continue
        yield from _walk(Path(raw), shown(raw), include_hidden, set(), exclude)


def _walk(
    path: Path,
    name: str,
    include_hidden: bool,
    seen: set[tuple[int, int]],
    exclude: frozenset[Path],
) -> Iterator[Blob | Rejection | Skip]:
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            yield Rejection(name, "symlink_loop", f"{name} -> {shown(os.readlink(path))}")
        elif path.is_symlink():
            yield Rejection(
                name, "unreadable", f"broken symbolic link to {shown(os.readlink(path))}"
            )
        else:
            yield Rejection(name, "unreadable", exc.strerror or str(exc))
        return
    if path.is_dir():
        key = (st.st_dev, st.st_ino)
        if key in seen:
            yield Rejection(name, "symlink_loop", "directory already visited through a link")
            return
        seen.add(key)
        try:
            children = sorted(os.listdir(path))
        except OSError as exc:
            yield Rejection(name, "unreadable", exc.strerror or str(exc))
            return
        for child in children:
            child_name = os.path.join(name, shown(child))
            if child.startswith(".") and not include_hidden:
                yield Skip(child_name, "hidden")
                continue
            yield from _walk(path / child, child_name, include_hidden, seen, exclude)
        seen.discard(key)
        return
    if not path.is_file():
        yield Skip(name, "not_a_regular_file")
        return
    if exclude and path.absolute() in exclude:
        yield Skip(name, "own_output")
        return
    try:
        yield _blob_for_file(path, name)
    except OSError as exc:
        yield Rejection(name, "unreadable", exc.strerror or str(exc))
