"""Readers: one module per input format, all yielding Document, Rejection or Skip items.

Readers plug in through the ``overhorizon.readers`` entry-point group; the built-in ones register
there too (see pyproject.toml), so a third-party package adds a format the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Protocol

from overhorizon.ingest.sources import Blob
from overhorizon.records import Item
from overhorizon.settings import Settings

ENTRY_POINT_GROUP = "overhorizon.readers"


class Reader(Protocol):
    """A reader for one input format."""

    name: str
    extensions: tuple[str, ...]

    def sniff(self, head: bytes) -> int:
        """Return how sure the reader is that ``head`` (the first bytes) is its format, 0-100."""
        ...

    def read(self, blob: Blob, settings: Settings) -> Iterator[Item]:
        """Yield the documents of ``blob``; raise Reject for a whole-input failure."""
        ...


@dataclass(frozen=True, slots=True)
class Registry:
    """The readers available to this process, by name."""

    readers: tuple[Reader, ...]

    def by_name(self, name: str) -> Reader:
        for r in self.readers:
            if r.name == name:
                return r
        raise KeyError(name)

    def choose(self, blob: Blob) -> Reader:
        """Pick a reader by extension, else by sniffing the first bytes; text is the fallback."""
        lower = blob.inner_name.lower()
        by_ext = [
            (len(ext), r) for r in self.readers for ext in r.extensions if lower.endswith(ext)
        ]
        if by_ext:
            return max(by_ext, key=lambda pair: pair[0])[1]
        head = blob.head()
        scored = sorted(
            ((r.sniff(head), i, r) for i, r in enumerate(self.readers)), key=lambda t: (-t[0], t[1])
        )
        best_score, _, best = scored[0]
        return best if best_score > 0 else self.by_name("text")


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """Load every reader registered under the entry-point group, once per process."""
    found: list[Reader] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        found.append(ep.load())
    if not any(r.name == "text" for r in found):
        raise RuntimeError(
            "overhorizon's built-in readers are not registered: install the package "
            "(pip install -e .) so its entry points exist"
        )
    return Registry(tuple(found))
