"""Storing incidents: the reports fusion reads, the clusters it writes, and manual decisions.

:func:`load_reports` turns stored events into :class:`~overhorizon.fusion.reports.Report`
values; :func:`save_incidents` replaces the incidents with a new fusion result in one
transaction (an incident's id is derived from its first report's key, so an unchanged incident
keeps its id); :func:`add_decision` records a manual merge or split, which every later fusion
respects.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import aliased

from overhorizon.fusion.claims import BEST_RULE, ArticleInput, IncidentClaims, assess
from overhorizon.fusion.cluster import Cluster
from overhorizon.fusion.independence import SourceMap
from overhorizon.fusion.reports import LEAD_CHARS, Report, distinctive_words, lead_words, window
from overhorizon.records import precision_rank
from overhorizon.store.articles import Store
from overhorizon.store.schema import (
    actors,
    articles,
    casualties,
    events,
    extractions,
    incident_decisions,
    incident_reports,
    incidents,
    places,
)
from overhorizon.store.search import matching, search_text


def incident_id(first_key: str) -> str:
    """A new incident's id: ``i-`` and 16 hex digits of the sha256 of its first report's key."""
    return "i-" + hashlib.sha256(first_key.encode()).hexdigest()[:16]


def carry_ids(
    clusters: Sequence[Sequence[str]],
    before: Mapping[str, str],
    reserved: Iterable[str] = (),
) -> list[str]:
    """Ids for ``clusters`` (each a list of report keys, first key first) that an incident
    keeps across fusions: each cluster takes the id of the stored incident it shares most
    reports with (``before``: report key -> incident id), each old id going to one cluster
    only, the largest overlap first; a cluster sharing none gets :func:`incident_id` of its
    first key, never one of ``reserved`` (the ids of incidents left as they are). So a
    bookmark, an alert or an export row keeps pointing at the same happening when later
    reports join it, and a split leaves the old id with the larger part."""
    overlaps = []
    for i, keys in enumerate(clusters):
        shared = Counter(before[k] for k in keys if k in before)
        overlaps += [(-n, old, keys[0] if keys else "", i) for old, n in shared.items()]
    ids: list[str | None] = [None] * len(clusters)
    taken: set[str] = set(reserved)
    for _n, old, _first, i in sorted(overlaps):
        if ids[i] is None and old not in taken:
            ids[i] = old
            taken.add(old)
    out = []
    for i, keys in enumerate(clusters):
        iid = ids[i]
        if iid is None:
            iid, n = incident_id(keys[0]), 1
            while iid in taken:  # the id of an old incident another cluster carries on
                n += 1
                iid = incident_id(f"{keys[0]}#{n}")
            taken.add(iid)
        out.append(iid)
    return out


def load_reports(store: Store) -> list[Report]:
    """Every stored event as a fusion report."""
    conn = store.conn
    actor_keys: dict[tuple[str, str], set[str]] = {}
    for row in conn.execute(
        select(
            actors.c.article_id,
            actors.c.actor_id,
            actors.c.name,
            actors.c.country,
            actors.c.sector,
            actors.c.kind,
        )
    ):
        keys = {row.name.lower()}
        if row.country and row.sector:
            keys.add(f"{row.country}:{row.sector}".lower())
        actor_keys[(row.article_id, row.actor_id)] = keys
    killed: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for crow in conn.execute(
        select(
            casualties.c.article_id,
            casualties.c.event_id,
            casualties.c.group,
            casualties.c.killed_best,
        ).where(casualties.c.part_of.is_(None), casualties.c.killed_best.is_not(None))
    ):
        if crow.event_id:
            got = killed[(crow.article_id, crow.event_id)]
            got[crow.group] = max(got.get(crow.group, 0), int(crow.killed_best))
    query = (
        select(
            events,
            articles.c.published,
            articles.c.outlet,
            articles.c.near_duplicate_of,
            articles.c.title,
            func.substr(articles.c.text, 1, LEAD_CHARS).label("lead"),
            func.substr(
                articles.c.text,
                events.c.evidence_start + 1,
                events.c.evidence_end - events.c.evidence_start,
            ).label("sentence"),
            places.c.lat,
            places.c.lon,
            places.c.country,
        )
        .join(articles, articles.c.id == events.c.article_id)
        .outerjoin(
            places,
            and_(places.c.article_id == events.c.article_id, places.c.place_id == events.c.place),
        )
        .order_by(events.c.article_id, events.c.event_id)
    )
    out: list[Report] = []
    for row in conn.execute(query):
        start, end, exact = window(row.date_start, row.date_end, row.published)
        who: set[str] = set()
        for actor in (row.source_actor, row.target_actor):
            if actor:
                who |= actor_keys.get((row.article_id, actor), set())
        canonical = row.near_duplicate_of or row.article_id
        out.append(
            Report(
                key=f"{row.article_id}/{row.event_id}",
                article_id=row.article_id,
                type=row.type,
                mode=row.mode,
                start=start,
                end=end,
                exact=exact and row.date_precision == "day",
                dated=exact,
                lat=row.lat,
                lon=row.lon,
                precision=row.place_precision,
                country=row.country,
                actors=frozenset(who),
                killed=tuple(sorted(killed.get((row.article_id, row.event_id), {}).items())),
                words=distinctive_words(row.sentence or ""),
                source=canonical,
                published=row.published,
                polarity=row.polarity,
                modality=row.modality,
                lead=lead_words(row.title, row.lead or ""),
            )
        )
    return out


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


@dataclass(frozen=True, slots=True)
class Saved:
    """What a fusion stored: incidents in all, how many were (re)written, how many removed;
    the others were unchanged and kept their rows."""

    incidents: int
    written: int
    removed: int


def save_incidents(
    store: Store,
    clusters: Sequence[Cluster],
    reports: Iterable[Report],
    registry: SourceMap | None = None,
    *,
    scope: set[str] | None = None,
) -> Saved:
    """Store ``clusters`` as the incidents, each assessed (claims, contradictions, casualty
    ranges, sources, grade), writing only those that changed. ``registry`` (the source
    registry's outlets, :func:`overhorizon.watch.registry.registry_map`) decides which sources
    are independent; without it each outlet is. ``scope``: the ids of the stored incidents
    that ``clusters`` replace (an incremental fusion); None: all of them."""
    by_key = {r.key: r for r in reports}
    conn = store.conn
    inputs = _article_inputs(store, {by_key[k].article_id for c in clusters for k in _all(c)})
    rows, links = [], []
    now = _now()
    clusters = [c for c in clusters if any(k in by_key for k in c.keys)]
    before = {
        f"{r.article_id}/{r.event_id}": r.incident_id
        for r in conn.execute(select(incident_reports).where(incident_reports.c.role == "report"))
    }
    reserved: set[str] = set()
    if scope is not None:  # the incidents left as they are keep their ids to themselves
        reserved = {r.id for r in conn.execute(select(incidents.c.id))} - scope
        before = {k: v for k, v in before.items() if v in scope}
    ids = carry_ids([c.keys for c in clusters], before, reserved)
    for cluster, iid in zip(clusters, ids, strict=True):
        members = [by_key[k] for k in cluster.keys if k in by_key]
        events_of: dict[str, list[str]] = defaultdict(list)
        for key in _all(cluster):
            article_id, event_id = key.split("/", 1)
            events_of[article_id].append(event_id)
        arts = [
            replace(inputs[a], events=tuple(sorted(evs)))
            for a, evs in sorted(events_of.items())
            if a in inputs
        ]
        rows.append(_incident_row(iid, members, cluster, assess(arts, registry), now, conn))
        for role, keys in (("report", cluster.keys), ("claim", cluster.attached)):
            links += [
                {
                    "incident_id": iid,
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


def _all(cluster: Cluster) -> list[str]:
    return [*cluster.keys, *cluster.attached]


def _article_inputs(store: Store, ids: set[str]) -> dict[str, ArticleInput]:
    """Article fields and extraction records of ``ids``, with the canonical copy's outlet."""
    out: dict[str, ArticleInput] = {}
    id_list = sorted(ids)
    canon = aliased(articles)
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        query = (
            select(
                articles.c.id,
                articles.c.outlet,
                articles.c.published,
                articles.c.near_duplicate_of,
                articles.c.url,
                canon.c.outlet.label("canonical_outlet"),
                canon.c.url.label("canonical_url"),
                extractions.c.records,
            )
            .join(extractions, extractions.c.article_id == articles.c.id)
            .outerjoin(canon, canon.c.id == articles.c.near_duplicate_of)
            .where(articles.c.id.in_(chunk))
        )
        for row in store.conn.execute(query):
            out[row.id] = ArticleInput(
                id=row.id,
                outlet=row.outlet,
                published=row.published,
                canonical=row.near_duplicate_of or row.id,
                canonical_outlet=row.canonical_outlet or row.outlet,
                records=row.records or {},
                events=(),
                url=row.canonical_url if row.near_duplicate_of else row.url,
            )
    return out


def _incident_row(
    iid: str,
    members: list[Report],
    cluster: Cluster,
    found: IncidentClaims,
    now: str,
    conn: Any,
) -> dict[str, Any]:
    keys = [(m.article_id, m.key.split("/", 1)[1]) for m in members]
    detail = {
        (r.article_id, r.event_id): r
        for r in conn.execute(
            select(
                events,
                places.c.name.label("place_name"),
                articles.c.title.label("article_title"),
                func.substr(
                    articles.c.text,
                    events.c.evidence_start + 1,
                    events.c.evidence_end - events.c.evidence_start,
                ).label("sentence"),
            )
            .join(articles, articles.c.id == events.c.article_id)
            .outerjoin(
                places,
                and_(
                    places.c.article_id == events.c.article_id,
                    places.c.place_id == events.c.place,
                ),
            )
            .where(events.c.article_id.in_({a for a, _ in keys}))
        )
    }
    rows = [detail[k] for k in keys if k in detail]
    vote = Counter((r.acled_event_type, r.acled_sub_event_type, r.mode) for r in rows)
    (acled_type, acled_sub, mode), _n = max(
        vote.items(), key=lambda kv: (kv[1], kv[0][2] is not None, str(kv[0]))
    )
    dated = [r for r in rows if r.date_start]
    if dated:
        best = min(precision_rank(r.date_precision or "range") for r in dated)
        sharp = [r for r in dated if precision_rank(r.date_precision or "range") == best]
        date_start = min(r.date_start for r in sharp)
        date_end = max(r.date_end or r.date_start for r in sharp)
        precision = sharp[0].date_precision
    else:
        published = sorted(m.published for m in members if m.published)
        date_start = date_end = published[0] if published else None
        precision = "week" if published else None  # reported by then, within the week before
    placed = [(r, m) for r, m in zip(rows, members, strict=False) if m.lat is not None]
    place = lat = lon = country = None
    place_precision = None
    if placed:
        names = Counter(r.place_name for r, _ in placed)
        r, m = min(
            placed, key=lambda rm: (rm[1].precision or 3, -names[rm[0].place_name], rm[1].key)
        )
        place, lat, lon, country = r.place_name, m.lat, m.lon, m.country
        place_precision = m.precision
    return {
        "id": iid,
        "type": members[0].type,
        "mode": mode,
        "acled_event_type": acled_type,
        "acled_sub_event_type": acled_sub,
        "date_start": date_start,
        "date_end": date_end,
        "date_precision": precision,
        "place": place,
        "lat": lat,
        "lon": lon,
        "country": country,
        "place_precision": place_precision,
        "reports": len(members),
        "articles": len({m.article_id for m in members}),
        "sources": len(found.independent),
        "grade": found.grade,
        "grade_reason": found.grade_reason,
        "contradictions": len(found.contradictions),
        "deaths": sum(c.killed.best or 0 for c in found.casualties) if found.casualties else None,
        "summary": {
            "reports": [m.key for m in members],
            "claims_attached": list(cluster.attached),
            "sources": found.sources,
            "claims": [asdict(c) for c in found.claims],
            "contradictions": [asdict(c) for c in found.contradictions],
            "casualties": [asdict(c) for c in found.casualties],
            "casualty_rule": BEST_RULE,
            # present when the source registry joined sources: which, and why
            **(
                {"independence": [asdict(g) for g in found.independent if g.why]}
                if any(g.why for g in found.independent)
                else {}
            ),
            "links": [
                {"a": a, "b": b, "score": round(s, 3), "reasons": why}
                for a, b, s, why in cluster.links
            ],
        },
        "updated_at": now,
        "search_text": search_text(
            [
                place,
                *(r.article_title for r in rows),
                *(r.sentence for r in rows),
                *(n for c in found.claims for n in (c.speaker, c.via, c.outlet, c.perpetrator)),
                mode,
                acled_type,
                acled_sub,
            ]
        ),
    }


def list_incidents(
    store: Store,
    *,
    since: str | None = None,
    min_articles: int = 1,
    near: tuple[float, float] | None = None,
    km: float = 50.0,
    grade: str | None = None,
    limit: int = 50,
) -> list[Any]:
    """Stored incidents in date order; ``near`` (lat, lon) keeps those within ``km``."""
    from overhorizon.geo.gazetteer import haversine_km

    query = select(incidents).where(incidents.c.articles >= min_articles)
    if since:
        query = query.where(incidents.c.date_end >= since)
    if grade:
        query = query.where(incidents.c.grade == grade)
    if near is not None:
        dlat = km / 111.0 + 0.01
        query = query.where(incidents.c.lat.between(near[0] - dlat, near[0] + dlat))
    query = query.order_by(incidents.c.date_start.is_(None), incidents.c.date_start, incidents.c.id)
    rows = []
    for row in store.conn.execute(query):
        if near is not None and haversine_km(near[0], near[1], row.lat, row.lon) > km:
            continue
        rows.append(row)
        if len(rows) >= limit:
            break
    return rows


def get_incident(store: Store, iid: str) -> tuple[Any, dict[str, str]] | None:
    """An incident and the sentence behind each of its claims (claim id -> text)."""
    row = store.conn.execute(select(incidents).where(incidents.c.id == iid)).first()
    if row is None:
        return None
    texts: dict[str, str] = {}
    wanted = {c["article"] for c in row.summary.get("claims", [])}
    if wanted:
        for art in store.conn.execute(
            select(articles.c.id, articles.c.text).where(articles.c.id.in_(wanted))
        ):
            texts[art.id] = art.text
    sentences = {}
    for c in row.summary.get("claims", []):
        ev = c.get("evidence") or {}
        text = texts.get(c["article"], "")
        if text and ev.get("end"):
            sentences[c["id"]] = " ".join(text[ev["start"] : ev["end"]].split())
    return row, sentences


def _members(store: Store, iid: str) -> list[str]:
    rows = store.conn.execute(
        select(incident_reports.c.article_id, incident_reports.c.event_id).where(
            incident_reports.c.incident_id == iid, incident_reports.c.role == "report"
        )
    )
    return sorted(f"{r.article_id}/{r.event_id}" for r in rows)


def _incident_of(store: Store, key: str) -> str | None:
    article_id, _, event_id = key.partition("/")
    return store.conn.execute(
        select(incident_reports.c.incident_id).where(
            incident_reports.c.article_id == article_id, incident_reports.c.event_id == event_id
        )
    ).scalar()


def merge_incidents(
    store: Store,
    first: str,
    second: str,
    note: str | None = None,
    registry: SourceMap | None = None,
) -> str:
    """Record that two incidents are one, re-fuse (with ``registry``, as :func:`fuse_stored`),
    and return the merged incident's id."""
    from overhorizon.reasons import ConfigError

    a, b = _members(store, first), _members(store, second)
    for iid, members in ((first, a), (second, b)):
        if not members:
            raise ConfigError("incident_not_found", f"no incident {iid!r}")
    # a merge by hand undoes earlier splits by hand between the two (the later decision wins)
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
    add_decision(store, a[0], b[0], "together", note)
    fuse_stored(store, registry)
    return _incident_of(store, a[0]) or first


def split_incident(
    store: Store,
    iid: str,
    keys: Sequence[str],
    note: str | None = None,
    registry: SourceMap | None = None,
) -> list[str]:
    """Take reports out of an incident into one of their own: they stay together, apart from
    the rest, in every later fusion (re-fused with ``registry``, as :func:`fuse_stored`).
    Return the ids of the incidents they are in now."""
    from overhorizon.reasons import ConfigError

    members = _members(store, iid)
    if not members:
        raise ConfigError("incident_not_found", f"no incident {iid!r}")
    out = sorted(set(keys))
    missing = [k for k in out if k not in members]
    if missing:
        raise ConfigError("incident_not_found", f"{missing[0]!r} is not a report of {iid}")
    rest = [k for k in members if k not in out]
    for k in out:
        for other in rest:
            add_decision(store, k, other, "apart", note)
    for k in out[1:]:
        add_decision(store, out[0], k, "together", note)
    fuse_stored(store, registry)
    return sorted({i for k in (out[0], *rest[:1]) if (i := _incident_of(store, k))})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fuse_stored(
    store: Store, registry: SourceMap | None = None, *, incremental: bool = False
) -> tuple[int, Saved]:
    """Fuse every stored event into incidents, respecting manual decisions, and store what
    changed; return (reports read, what was saved). ``registry`` (the source registry's
    outlets, :func:`overhorizon.watch.registry.registry_map`) decides which sources are
    independent; without it each outlet is.

    ``incremental``: fuse again only the reports that the events not yet in an incident reach
    (:func:`overhorizon.fusion.incremental.affected`) and the incidents they touch; the result
    is the same as fusing everything, and far cheaper when few articles are new (what
    ``watch`` and ``run`` do). It falls back to everything when most reports are reached, and
    when the registry changes independence (the grades of untouched incidents would not be
    re-assessed), call it without."""
    from overhorizon.fusion.cluster import fuse
    from overhorizon.fusion.incremental import affected

    reports = load_reports(store)
    together, apart = decisions(store)
    if incremental:
        incident_keys: dict[str, list[str]] = defaultdict(list)
        for r in store.conn.execute(select(incident_reports)):
            incident_keys[r.incident_id].append(f"{r.article_id}/{r.event_id}")
        placed = {k for keys in incident_keys.values() for k in keys}
        if placed:
            current = {r.key for r in reports}
            new = sorted(current - placed)
            # incidents holding events that are gone (an article extracted again) are redone
            stale = {i for i, keys in incident_keys.items() if not current.issuperset(keys)}
            new += [k for i in sorted(stale) for k in incident_keys[i] if k in current]
            again = affected(reports, new, together=together, incidents=incident_keys.values())
            if len(again) < len(reports) // 2:
                touched = {i for i, keys in incident_keys.items() if again.intersection(keys)}
                scope = stale | touched
                clusters = fuse(
                    [r for r in reports if r.key in again], together=together, apart=apart
                )
                return len(reports), save_incidents(store, clusters, reports, registry, scope=scope)
    clusters = fuse(reports, together=together, apart=apart)
    return len(reports), save_incidents(store, clusters, reports, registry)


@dataclass(frozen=True, slots=True)
class IncidentQuery:
    """Filters of the incident list (API, exports). Dates are ISO ``YYYY-MM-DD``; ``bbox`` is
    (west, south, east, north) in WGS84 degrees; ``text`` and ``actor`` match case-blind within
    the incident's place, claims and sources; ``sort`` one of SORTS."""

    since: str | None = None
    until: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    type: str | None = None
    acled_event_type: str | None = None
    grade: str | None = None
    actor: str | None = None
    text: str | None = None
    min_articles: int = 1


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


def cursor_after(row: Any, sort: str) -> str:
    """The keyset cursor after ``row`` in ``sort``: pass it as ``after`` for the next page,
    which then costs the same however deep it is (an offset makes the database skip rows)."""
    column, _ = ORDERS[sort]
    raw = json.dumps([sort, getattr(row, column), row.id], separators=(",", ":"))
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
    store: Store,
    q: IncidentQuery,
    *,
    sort: str = "date",
    offset: int = 0,
    limit: int = 50,
    after: str | None = None,
) -> tuple[int, list[Any]]:
    """(how many match, the page of them); rows carry every column but ``summary`` and
    ``search_text``. ``after`` (from :func:`cursor_after`) starts the page after that row and
    takes the place of ``offset``. Raises ValueError on an unknown sort or a foreign cursor."""
    from sqlalchemy import tuple_

    where = [incidents.c.articles >= q.min_articles] if q.min_articles > 1 else []
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
    for column, value in (
        (incidents.c.type, q.type),
        (incidents.c.acled_event_type, q.acled_event_type),
        (incidents.c.grade, q.grade),
    ):
        if value:
            where.append(column == value)
    for needle in (q.actor, q.text):
        if needle and (found := matching(store.engine.dialect.name, needle)) is not None:
            where.append(found)
    if sort not in ORDERS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    name, desc = ORDERS[sort]
    col, iid = incidents.c[name], incidents.c.id
    total = store.conn.execute(select(func.count()).select_from(incidents).where(*where)).scalar()
    listed = [c for c in incidents.c if c.name not in ("summary", "search_text")]
    valued, empty = [*where, col.is_not(None)], [*where, col.is_(None)]
    if after is not None:
        value, last = _decode_cursor(after, sort)
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
    return int(total or 0), page
