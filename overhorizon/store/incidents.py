"""Storing incidents: the articles fusion reads, the incidents it writes, manual decisions, and
the one incident query.

:func:`load_inputs` reads every extracted article as a typed
:class:`~overhorizon.records.ArticleInput` (the article, its records, its canonical copy);
:func:`save_incidents` writes a fusion result in one transaction, rewriting only the incidents
that changed; :func:`add_decision` records a manual merge or split, which every later fusion
respects; :func:`query_incidents` answers an :class:`IncidentQuery` (the CLI, the API and the
exports ask through it) with typed :class:`~overhorizon.records.Incident` records, and
:func:`get_incident` gives one incident with its trail.
"""

from __future__ import annotations

import base64
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, tuple_
from sqlalchemy.orm import aliased

from overhorizon.codec import decode_records, decode_trail, encode_trail
from overhorizon.records import GRADES, ArticleInput, Incident
from overhorizon.store.articles import Store, article_of
from overhorizon.store.schema import (
    articles,
    extractions,
    incident_decisions,
    incident_reports,
    incidents,
)
from overhorizon.store.search import matching, search_text

#: The columns of ``incidents`` that are fields of :class:`~overhorizon.records.Incident`.
_FIELDS = tuple(f.name for f in fields(Incident) if f.name != "summary")


class FusedIncident(Protocol):
    """What :func:`save_incidents` stores: an incident (with its trail) and the texts
    full-text search reads for it (:class:`overhorizon.fusion.incidents.Fused`)."""

    @property
    def incident(self) -> Incident: ...

    @property
    def texts(self) -> list[str]: ...


def load_inputs(store: Store, ids: Iterable[str] | None = None) -> dict[str, ArticleInput]:
    """Extracted articles (all, or those of ``ids``) as fusion reads them, by article id: the
    article and its records, and the outlet and address of its canonical copy."""
    out: dict[str, ArticleInput] = {}
    canon = aliased(articles)
    query = (
        select(
            articles,
            canon.c.outlet.label("canonical_outlet"),
            canon.c.url.label("canonical_url"),
            extractions.c.records,
        )
        .join(extractions, extractions.c.article_id == articles.c.id)
        .outerjoin(canon, canon.c.id == articles.c.near_duplicate_of)
        .order_by(articles.c.id)
    )
    chunks: Iterable[Sequence[str] | None] = [None]
    if ids is not None:
        id_list = sorted(set(ids))
        chunks = [id_list[i : i + 500] for i in range(0, len(id_list), 500)]
    for chunk in chunks:
        stmt = query if chunk is None else query.where(articles.c.id.in_(chunk))
        for row in store.conn.execute(stmt):
            article = article_of(row)
            out[row.id] = ArticleInput(
                extraction=decode_records(row.records or {}, article),
                canonical=row.near_duplicate_of or row.id,
                canonical_outlet=row.canonical_outlet or row.outlet,
                url=row.canonical_url if row.near_duplicate_of else row.url,
            )
    return out


def incident_keys(store: Store) -> dict[str, list[str]]:
    """Every stored incident's report and claim keys (``article_id/event_id``), by id."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in store.conn.execute(select(incident_reports)):
        out[r.incident_id].append(f"{r.article_id}/{r.event_id}")
    return dict(out)


def current_ids(store: Store, scope: set[str] | None = None) -> tuple[dict[str, str], set[str]]:
    """What new incidents' ids are carried from: (report key -> id of the stored incident it
    is a report of, limited to ``scope`` when given; the ids of stored incidents outside
    ``scope``, which stay as they are and keep their ids to themselves)."""
    conn = store.conn
    before = {
        f"{r.article_id}/{r.event_id}": r.incident_id
        for r in conn.execute(select(incident_reports).where(incident_reports.c.role == "report"))
    }
    reserved: set[str] = set()
    if scope is not None:
        reserved = {r.id for r in conn.execute(select(incidents.c.id))} - scope
        before = {k: v for k, v in before.items() if v in scope}
    return before, reserved


def decisions(store: Store) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Manual decisions: (together pairs, apart pairs) of report keys, in the order made."""
    together: list[tuple[str, str]] = []
    apart: list[tuple[str, str]] = []
    for row in store.conn.execute(select(incident_decisions).order_by(incident_decisions.c.id)):
        (together if row.kind == "together" else apart).append((row.report_a, row.report_b))
    return together, apart


def add_decision(store: Store, a: str, b: str, kind: str, note: str | None = None) -> None:
    """Record that reports ``a`` and ``b`` belong ``together`` or ``apart``."""
    if kind not in ("together", "apart"):
        raise ValueError(f"kind must be together or apart, not {kind!r}")
    store.conn.execute(
        incident_decisions.insert().values(
            report_a=a, report_b=b, kind=kind, note=note, created_at=_now()
        )
    )


def undo_splits(store: Store, a: Iterable[str], b: Iterable[str]) -> None:
    """Remove the manual "apart" decisions between reports of ``a`` and reports of ``b``
    (a merge by hand undoes earlier splits by hand between the two: the later decision
    wins)."""
    a_set, b_set = set(a), set(b)
    store.conn.execute(
        delete(incident_decisions).where(
            incident_decisions.c.kind == "apart",
            or_(
                and_(
                    incident_decisions.c.report_a.in_(a_set),
                    incident_decisions.c.report_b.in_(b_set),
                ),
                and_(
                    incident_decisions.c.report_a.in_(b_set),
                    incident_decisions.c.report_b.in_(a_set),
                ),
            ),
        )
    )


def members_of(store: Store, iid: str) -> list[str]:
    """The report keys of incident ``iid``, sorted (empty when there is no such incident)."""
    rows = store.conn.execute(
        select(incident_reports.c.article_id, incident_reports.c.event_id).where(
            incident_reports.c.incident_id == iid, incident_reports.c.role == "report"
        )
    )
    return sorted(f"{r.article_id}/{r.event_id}" for r in rows)


def incident_of(store: Store, key: str) -> str | None:
    """The id of the incident report ``key`` is in, if any."""
    article_id, _, event_id = key.partition("/")
    return store.conn.execute(
        select(incident_reports.c.incident_id).where(
            incident_reports.c.article_id == article_id, incident_reports.c.event_id == event_id
        )
    ).scalar()


@dataclass(frozen=True, slots=True)
class Saved:
    """What a fusion stored: incidents in all, how many were (re)written, how many removed;
    the others were unchanged and kept their rows."""

    incidents: int
    written: int
    removed: int


def save_incidents(
    store: Store, fused: Sequence[FusedIncident], *, scope: set[str] | None = None
) -> Saved:
    """Store ``fused`` as the incidents, writing only those that changed. ``scope``: the ids
    of the stored incidents that ``fused`` replaces (an incremental fusion); None: all of
    them."""
    now = _now()
    rows, links = [], []
    for f in fused:
        inc = f.incident
        trail = inc.summary
        if trail is None:
            raise ValueError(f"incident {inc.id} has no trail to store")
        row = {name: getattr(inc, name) for name in _FIELDS}
        row["summary"] = encode_trail(trail)
        row["updated_at"] = now
        row["search_text"] = search_text(f.texts)
        rows.append(row)
        for role, keys in (("report", trail.reports), ("claim", trail.claims_attached)):
            links += [
                {
                    "incident_id": inc.id,
                    "article_id": k.split("/", 1)[0],
                    "event_id": k.split("/", 1)[1],
                    "role": role,
                }
                for k in keys
            ]
    written, removed = _write_changes(store, rows, links, scope)
    total = len(rows)
    if scope is not None:
        stored = store.conn.execute(select(func.count()).select_from(incidents)).scalar()
        total = int(stored or 0)
    return Saved(total, written, removed)


def _write_changes(
    store: Store,
    rows: list[dict[str, Any]],
    links: list[dict[str, Any]],
    scope: set[str] | None = None,
) -> tuple[int, int]:
    """Write only what changed: incidents whose row or reports differ are replaced, those no
    longer found are removed, the rest keep their rows (and ``updated_at``). ``scope``: the
    stored incidents ``rows`` replace (None: all). Returns (written, removed)."""
    conn = store.conn

    def stored(table: Any, column: Any) -> Iterable[Any]:
        if scope is None:
            yield from conn.execute(select(table))
            return
        ids = sorted(scope)
        for start in range(0, len(ids), 500):
            yield from conn.execute(select(table).where(column.in_(ids[start : start + 500])))

    old_links: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for r in stored(incident_reports, incident_reports.c.incident_id):
        old_links[r.incident_id].add((r.article_id, r.event_id, r.role))
    new_links: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for link in links:
        new_links[link["incident_id"]].add((link["article_id"], link["event_id"], link["role"]))
    old_rows = {r.id: dict(r._mapping) for r in stored(incidents, incidents.c.id)}
    changed = []
    for row in rows:
        old = old_rows.get(row["id"])
        same = (
            old is not None
            and old_links.get(row["id"]) == new_links[row["id"]]
            and {k: v for k, v in old.items() if k != "updated_at"}
            == {k: v for k, v in row.items() if k != "updated_at"}
        )
        if not same:
            changed.append(row)
    keep = {row["id"] for row in rows}
    gone = [iid for iid in old_rows if iid not in keep]
    stale = [row["id"] for row in changed if row["id"] in old_rows] + gone
    for start in range(0, len(stale), 500):
        chunk = stale[start : start + 500]
        conn.execute(delete(incident_reports).where(incident_reports.c.incident_id.in_(chunk)))
        conn.execute(delete(incidents).where(incidents.c.id.in_(chunk)))
    if changed:
        ids = {row["id"] for row in changed}
        conn.execute(incidents.insert(), changed)
        conn.execute(incident_reports.insert(), [x for x in links if x["incident_id"] in ids])
    return len(changed), len(gone)


def incident_from(row: Any, *, trail: bool = False) -> Incident:
    """An ``incidents`` row as a record, with its trail (``summary``) decoded when ``trail``."""
    values = {name: getattr(row, name) for name in _FIELDS}
    return Incident(**values, summary=decode_trail(row.summary) if trail else None)


def get_incident(store: Store, iid: str) -> tuple[Incident, dict[str, str]] | None:
    """An incident with its trail, and the sentence behind each of its claims (claim id ->
    text)."""
    row = store.conn.execute(select(incidents).where(incidents.c.id == iid)).first()
    if row is None:
        return None
    incident = incident_from(row, trail=True)
    claims = incident.summary.claims if incident.summary else []
    texts: dict[str, str] = {}
    wanted = {c.article for c in claims}
    if wanted:
        for art in store.conn.execute(
            select(articles.c.id, articles.c.text).where(articles.c.id.in_(wanted))
        ):
            texts[art.id] = art.text
    sentences = {}
    for c in claims:
        text = texts.get(c.article, "")
        if text and c.evidence.end:
            sentences[c.id] = " ".join(text[c.evidence.start : c.evidence.end].split())
    return incident, sentences


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- the one incident query ---------------------------------------------------------------

#: Orders of the incident list, by name: (column, descending); ties go by id the same way, and
#: incidents without a value (undated, no toll) come last in every order.
ORDERS: dict[str, tuple[str, bool]] = {
    "date": ("date_start", False),
    "-date": ("date_start", True),
    "-articles": ("articles", True),
    "-sources": ("sources", True),
    "-deaths": ("deaths", True),
}
SORTS = tuple(ORDERS)

#: Kilometres in a degree of latitude (and of longitude at the equator).
_KM_PER_DEGREE = 111.195


@dataclass(frozen=True, slots=True)
class IncidentQuery:
    """Which incidents, in which order: what the CLI, the API, the exports and the dashboard
    ask for, with one meaning per filter (every filter given must hold).

    - ``since``/``until``: ISO dates ``YYYY-MM-DD``; an incident is kept when it ends on or
      after ``since`` and starts on or before ``until`` (an undated one fails both);
    - ``near``: (lat, lon) in WGS84 degrees, with ``km``: incidents placed within ``km`` of
      it (an equirectangular distance, within 1% of the great circle at these ranges);
    - ``bbox``: (west, south, east, north) in WGS84 degrees, across the antimeridian when
      west > east;
    - ``country``: placed in this country (ISO 3166-1 alpha-3);
    - ``type``: a PLOVER type; ``acled_event_type``: an ACLED event type;
    - ``grade``: exactly this grade; ``min_grade``: this grade or a better one, in the order
      of :data:`~overhorizon.records.GRADES` ("fair" keeps confirmed and fair);
    - ``actor`` and ``text``: every word found (as a word or the start of one) in the
      incident's place, titles, sentences and the names in its claims;
    - ``min_articles``: reported by at least this many articles; ``min_deaths``: at least this
      many killed (the best figure summed over victim groups);
    - ``sort``: one of :data:`SORTS`; ``after``: the ``next`` cursor of the previous page.
    """

    since: str | None = None
    until: str | None = None
    near: tuple[float, float] | None = None
    km: float = 50.0
    bbox: tuple[float, float, float, float] | None = None
    country: str | None = None
    type: str | None = None
    acled_event_type: str | None = None
    grade: str | None = None
    min_grade: str | None = None
    actor: str | None = None
    text: str | None = None
    min_articles: int = 1
    min_deaths: int | None = None
    sort: str = "date"
    after: str | None = None

    def __post_init__(self) -> None:
        if self.sort not in ORDERS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        for name in ("grade", "min_grade"):
            value = getattr(self, name)
            if value is not None and value not in GRADES:
                raise ValueError(f"{name} must be one of {', '.join(GRADES)}, not {value!r}")
        if self.km < 0 or not math.isfinite(self.km):
            raise ValueError("km must be a distance of 0 or more")


@dataclass(frozen=True, slots=True)
class IncidentPage:
    """One page of an incident query: how many match in all, the incidents of the page (no
    trail), and the cursor of the next page (None on the last)."""

    total: int
    items: list[Incident]
    next: str | None


def filters(store: Store, q: IncidentQuery) -> list[ColumnElement[bool]]:
    """The WHERE clauses of ``q`` (its sort and cursor aside)."""
    where: list[ColumnElement[bool]] = []
    if q.min_articles > 1:
        where.append(incidents.c.articles >= q.min_articles)
    if q.min_deaths is not None:
        where.append(incidents.c.deaths >= q.min_deaths)
    if q.since:
        where.append(incidents.c.date_end >= q.since)
    if q.until:
        where.append(incidents.c.date_start <= q.until)
    if q.bbox:
        west, south, east, north = q.bbox
        where.append(incidents.c.lat.between(south, north))
        if west <= east:
            where.append(incidents.c.lon.between(west, east))
        else:  # across the antimeridian
            where.append(or_(incidents.c.lon >= west, incidents.c.lon <= east))
    if q.near is not None:
        lat, lon = q.near
        dlat = q.km / _KM_PER_DEGREE
        stretch = max(math.cos(math.radians(lat)), 1e-6)
        where.append(incidents.c.lat.between(lat - dlat, lat + dlat))  # an index range first
        dy = incidents.c.lat - lat
        dx = (incidents.c.lon - lon) * stretch
        where.append(dy * dy + dx * dx <= dlat * dlat)
    for column, value in (
        (incidents.c.country, q.country),
        (incidents.c.type, q.type),
        (incidents.c.acled_event_type, q.acled_event_type),
        (incidents.c.grade, q.grade),
    ):
        if value:
            where.append(column == value)
    if q.min_grade:
        where.append(incidents.c.grade.in_(GRADES[: GRADES.index(q.min_grade) + 1]))
    for needle in (q.actor, q.text):
        if needle and (found := matching(store.engine.dialect.name, needle)) is not None:
            where.append(found)
    return where


def cursor_after(incident: Incident, sort: str) -> str:
    """The keyset cursor after ``incident`` in ``sort``: pass it as ``after`` for the next page,
    which then costs the same however deep it is (an offset makes the database skip rows)."""
    column, _ = ORDERS[sort]
    raw = json.dumps([sort, getattr(incident, column), incident.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(after: str, sort: str) -> tuple[Any, str]:
    try:
        raw = base64.urlsafe_b64decode(after + "=" * (-len(after) % 4))
        given, value, iid = json.loads(raw)
    except (ValueError, TypeError):
        raise ValueError("after: not a cursor this list gave") from None
    if given != sort or not isinstance(iid, str) or isinstance(value, (list, dict)):
        raise ValueError(f"after: a cursor of another order ({given!r}), not {sort!r}")
    return value, iid


def query_incidents(
    store: Store, q: IncidentQuery, *, offset: int = 0, limit: int = 50
) -> IncidentPage:
    """The page of incidents ``q`` asks for (without trails). ``q.after`` starts the page after
    that cursor and takes the place of ``offset``. Raises ValueError on a foreign cursor."""
    where = filters(store, q)
    name, desc = ORDERS[q.sort]
    col, iid = incidents.c[name], incidents.c.id
    total = store.conn.execute(select(func.count()).select_from(incidents).where(*where)).scalar()
    listed = [incidents.c[n] for n in _FIELDS]
    valued, empty = [*where, col.is_not(None)], [*where, col.is_(None)]
    if q.after is not None:
        value, last = _decode_cursor(q.after, q.sort)
        offset = 0
        if value is None:  # the cursor is among those without a value: go on by id
            valued = []
            empty.append(iid < last if desc else iid > last)
        else:
            key = tuple_(col, iid)
            valued.append(key < tuple_(value, last) if desc else key > tuple_(value, last))
    # Two index walks, so that no order needs a sort of every match: those with a value by
    # (column, id), then those without by id.
    page: list[Any] = []
    if valued:
        by = [col.desc(), iid.desc()] if desc else [col, iid]
        page = list(
            store.conn.execute(
                select(*listed).where(*valued).order_by(*by).offset(offset).limit(limit)
            )
        )
    if len(page) < limit:
        skip = 0
        if not page and offset and valued:  # the offset may reach past those with a value
            n_valued = store.conn.execute(
                select(func.count()).select_from(incidents).where(*valued)
            ).scalar()
            skip = max(0, offset - int(n_valued or 0))
        elif not valued:
            skip = offset
        page += store.conn.execute(
            select(*listed)
            .where(*empty)
            .order_by(iid.desc() if desc else iid)
            .offset(skip)
            .limit(limit - len(page))
        ).all()
    items = [incident_from(r) for r in page]
    more = len(items) == limit and limit > 0
    return IncidentPage(int(total or 0), items, cursor_after(items[-1], q.sort) if more else None)


def written_since(store: Store, q: IncidentQuery, since: str | None = None) -> list[str]:
    """The ids of the incidents ``q`` keeps that were written at or after ``since`` (UTC
    ISO-8601; None: all), in ``q.sort`` order."""
    name, desc = ORDERS[q.sort]
    col, iid = incidents.c[name], incidents.c.id
    where = filters(store, q)
    if since is not None:
        where.append(incidents.c.updated_at >= since)
    order = [col.is_(None), col.desc() if desc else col, iid.desc() if desc else iid]
    return list(store.conn.execute(select(iid).where(*where).order_by(*order)).scalars())


def iter_incidents(
    store: Store, q: IncidentQuery, *, columns: Sequence[Any] = (), batch: int = 1000
) -> Iterator[tuple[Incident, Mapping[str, Any]]]:
    """Every incident ``q`` keeps, with its trail, in ``q.sort`` order (ties and incidents
    without a value as in :func:`query_incidents`), and the values of ``columns`` (labelled
    SQL expressions correlated to ``incidents``, e.g. the admin1 of its place) by label.
    Rows are fetched ``batch`` at a time, never all at once (a server-side cursor on
    PostgreSQL)."""
    name, desc = ORDERS[q.sort]
    col, iid = incidents.c[name], incidents.c.id
    order = [col.is_(None), col.desc() if desc else col, iid.desc() if desc else iid]
    stmt = (
        select(incidents, *columns)
        .where(*filters(store, q))
        .order_by(*order)
        .execution_options(yield_per=batch)
    )
    labels = [c.name for c in columns]
    for row in store.conn.execute(stmt):
        yield incident_from(row, trail=True), {n: getattr(row, n) for n in labels}
