"""Full-text search over incidents: what is searched, and the query each database runs.

``incidents.search_text`` holds an incident's place, its articles' titles, the sentences its
events rest on and the names in its claims. SQLite indexes it with FTS5 (an external-content
table kept in step by triggers, migration 0012); PostgreSQL with a GIN index over
``to_tsvector('simple', ...)``. A query is split into words; every word must occur, as a word or
the start of one ("strike" finds "strikes"), case- and accent-blind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, func, literal_column, select, text
from sqlalchemy.sql.elements import ColumnElement

from overhorizon.store.schema import incidents

#: Tables and indexes of the search that live outside the SQLAlchemy metadata.
OUTSIDE_METADATA = ("incidents_fts", "ix_incidents_search")

_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_WORDS = 12


def words(query: str) -> list[str]:
    """The words of a search, lower-cased, at most twelve; punctuation and operators dropped."""
    return [w.lower() for w in _WORD.findall(query)][:_MAX_WORDS]


def search_text(parts: Iterable[str | None]) -> str:
    """One searchable text from ``parts``, each once, in order."""
    seen: dict[str, None] = {}
    for part in parts:
        if part and part.strip():
            seen.setdefault(" ".join(part.split()), None)
    return "\n".join(seen)


def matching(dialect: str, query: str) -> ColumnElement[bool] | None:
    """A WHERE clause keeping incidents whose search text has every word of ``query``
    (None when the query has no words)."""
    found = words(query)
    if not found:
        return None
    if dialect == "sqlite":
        # Each word quoted (so FTS5 reads no operators), with a prefix star.
        expression = " ".join('"' + w.replace('"', "") + '"*' for w in found)
        hits: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(text("incidents_fts"))
            .where(text("incidents_fts MATCH :fts").bindparams(fts=expression))
        )
        return literal_column("incidents.rowid").in_(hits)
    tsquery = " & ".join(w + ":*" for w in found)  # words are \w+ only: nothing to escape
    vector: Any = func.to_tsvector(
        literal_column("'simple'::regconfig"), func.coalesce(incidents.c.search_text, "")
    )
    found_: ColumnElement[bool] = vector.op("@@")(
        func.to_tsquery(literal_column("'simple'::regconfig"), tsquery)
    )
    return found_
