"""Storing watch rules and the alerts they raise, and reading incidents as rules see them.

- ``rules``: rules added with ``overhorizon rules add`` or ``POST /api/rules`` (origin
  ``store``), and the first-seen time of each rule of ``rules.toml`` (origin ``file``), which
  stands for its creation time.
- ``alert_marks``: per rule and incident, the fingerprint (casualty ranges and grade) the rule
  last alerted on, or silently noted as its baseline; an alert is raised only when it changes.
- ``alerts``: what was raised, with its delivery state per channel (``none`` when the rule has
  no such channel, ``pending``, ``sent``, ``failed``) and the latest failure.
- ``incident_seen``: when each incident id was first written (the incidents table keeps only
  its latest write), so that a digest can tell new incidents from changed ones.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import delete, func, select, update

from overhorizon.records import LEAD_CHARS, CasualtyRange, Incident, IncidentTrail
from overhorizon.store.articles import Store
from overhorizon.store.incidents import incident_from
from overhorizon.store.schema import (
    actors,
    alert_marks,
    alerts,
    articles,
    events,
    incident_reports,
    incident_seen,
    incidents,
    places,
    rules,
)

#: Delivery states of one channel of an alert.
DELIVERY_STATES = ("none", "pending", "sent", "failed")
CHANNELS = ("webhook", "email")


@dataclass(slots=True)
class WatchedIncident(Incident):
    """An incident (with its trail in ``summary``) as watch rules, alerts and the digest see
    it: the record, and what rules match on beside it.

    ``title`` is the headline of the earliest article reporting it in its lead (else of the
    earliest reporting it at all); ``admin1`` the first-level area of its place (the GeoNames
    name); ``actors`` every name (and alias) its reports and claims give for perpetrators,
    targets, speakers and relays; ``texts`` the titles of its articles and the sentences
    behind its claims; ``first_seen`` when its id was first written (UTC ISO-8601).
    """

    updated_at: str = ""
    title: str = ""
    admin1: str | None = None
    actors: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    first_seen: str | None = None

    @property
    def trail(self) -> IncidentTrail:
        return self.summary or IncidentTrail()

    @property
    def killed(self) -> list[CasualtyRange]:
        """Killed per victim group: the incident's ranges."""
        return self.trail.casualties

    @property
    def killed_range(self) -> tuple[int | None, int | None, int | None]:
        """(low, best, high) killed summed over victim groups; None when nobody gave one."""
        total = self.trail.killed()
        return (None, None, None) if total is None else (total.low, total.best, total.high)

    @property
    def source_names(self) -> list[str]:
        """Its independent sources' names, spelt as its articles spell them."""
        return self.trail.source_names

    @property
    def fingerprint(self) -> str:
        """What an alert is raised again for (:func:`fingerprint`)."""
        return fingerprint(self.trail, self.grade)

    def place_label(self) -> str:
        """Type and mode, place and date in a few words: "ASSAULT/drone in Kabul, 2021-08-29"."""
        where = f" in {self.place}" if self.place else ""
        when = f", {self.date_start}" if self.date_start else ""
        return self.label + where + when


def fingerprint(trail: IncidentTrail, grade: str) -> str:
    """What an alert is raised again for: the casualty ranges (low, best, high per victim
    group) and the grade, as 16 hex digits of a sha256."""
    ranges = sorted((c.group, c.killed.low, c.killed.best, c.killed.high) for c in trail.casualties)
    body = json.dumps({"casualties": ranges, "grade": grade}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


# --- incidents as rules see them ------------------------------------------------------------


def observe_incidents(store: Store) -> None:
    """Note when each incident id was first written (its ``updated_at`` the first time it is
    seen here); incidents seen before keep their first time."""
    conn = store.conn
    known = set(conn.execute(select(incident_seen.c.incident_id)).scalars())
    fresh = [
        {"incident_id": r.id, "first_seen": r.updated_at}
        for r in conn.execute(select(incidents.c.id, incidents.c.updated_at))
        if r.id not in known
    ]
    for start in range(0, len(fresh), 500):
        conn.execute(incident_seen.insert(), fresh[start : start + 500])


def watched_incidents(
    store: Store, *, ids: Iterable[str] | None = None, since: str | None = None
) -> list[WatchedIncident]:
    """Stored incidents (all, those of ``ids``, or those written at or after ``since``) with
    everything rules match on, in date order."""
    conn = store.conn
    query = select(incidents, incident_seen.c.first_seen).outerjoin(
        incident_seen, incident_seen.c.incident_id == incidents.c.id
    )
    if ids is not None:
        query = query.where(incidents.c.id.in_(sorted(set(ids))))
    if since is not None:
        query = query.where(incidents.c.updated_at >= since)
    rows = list(conn.execute(query.order_by(incidents.c.date_start, incidents.c.id)))
    if not rows:
        return []
    wanted = [r.id for r in rows]
    members: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for start in range(0, len(wanted), 500):
        for m in conn.execute(
            select(incident_reports).where(
                incident_reports.c.incident_id.in_(wanted[start : start + 500])
            )
        ):
            members[m.incident_id].append((m.article_id, m.event_id, m.role))
    article_ids = sorted({a for ms in members.values() for a, _, _ in ms})
    info: dict[str, Any] = {}
    event_rows: dict[tuple[str, str], Any] = {}
    actor_names: dict[tuple[str, str], list[str]] = {}
    place_rows: dict[tuple[str, str], Any] = {}
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start : start + 500]
        for a in conn.execute(
            select(articles.c.id, articles.c.title, articles.c.published, articles.c.text).where(
                articles.c.id.in_(chunk)
            )
        ):
            info[a.id] = a
        for e in conn.execute(
            select(
                events.c.article_id,
                events.c.event_id,
                events.c.source_actor,
                events.c.target_actor,
                events.c.place,
                events.c.evidence_start,
            ).where(events.c.article_id.in_(chunk))
        ):
            event_rows[(e.article_id, e.event_id)] = e
        for a in conn.execute(
            select(actors.c.article_id, actors.c.actor_id, actors.c.name, actors.c.aliases).where(
                actors.c.article_id.in_(chunk)
            )
        ):
            actor_names[(a.article_id, a.actor_id)] = [a.name, *(a.aliases or [])]
        for p in conn.execute(
            select(
                places.c.article_id, places.c.place_id, places.c.name, places.c.country,
                places.c.admin1,
            ).where(places.c.article_id.in_(chunk))
        ):  # fmt: skip
            place_rows[(p.article_id, p.place_id)] = p
    out = []
    for row in rows:
        out.append(_watched(row, members[row.id], info, event_rows, actor_names, place_rows))
    return out


def _watched(
    row: Any,
    members: Sequence[tuple[str, str, str]],
    info: Mapping[str, Any],
    event_rows: Mapping[tuple[str, str], Any],
    actor_names: Mapping[tuple[str, str], list[str]],
    place_rows: Mapping[tuple[str, str], Any],
) -> WatchedIncident:
    incident = incident_from(row, trail=True)
    trail = incident.summary or IncidentTrail()
    names: list[str] = []
    admin1s: Counter[str] = Counter()
    exact: str | None = None
    for article_id, event_id, role in sorted(members):
        e = event_rows.get((article_id, event_id))
        if e is None:
            continue
        for actor_id in (e.source_actor, e.target_actor):
            if actor_id:
                names += actor_names.get((article_id, actor_id), [])
        p = place_rows.get((article_id, e.place)) if e.place else None
        if role == "report" and p is not None and p.admin1 and p.country == incident.country:
            admin1s[p.admin1] += 1
            if exact is None and p.name == incident.place:
                exact = p.admin1
    for claim in trail.claims:
        names += [v for v in (claim.speaker, claim.perpetrator, claim.via) if v]
    report_articles = sorted(
        {a for a, _, role in members if role == "report" and a in info},
        key=lambda a: (info[a].published or "9999", a),
    )
    all_articles = sorted({a for a, _, _ in members if a in info})
    titles = [info[a].title for a in all_articles if info[a].title]
    sentences = []
    for claim in trail.claims:
        art = info.get(claim.article)
        if art is not None and claim.evidence.end:
            sentences.append(" ".join(art.text[claim.evidence.start : claim.evidence.end].split()))
    # The headline of the earliest article whose lead reports it: an article that only
    # mentions the happening further down is about something else.
    leading = [
        a
        for a in report_articles
        if any(
            (ev := event_rows.get((art, eid))) is not None and (ev.evidence_start or 0) < LEAD_CHARS
            for art, eid, role in members
            if art == a and role == "report"
        )
    ]
    chosen = (leading or report_articles)[:1]
    first = info[chosen[0]] if chosen else None
    where = f" in {incident.place}" if incident.place else ""
    values = {f.name: getattr(incident, f.name) for f in fields(Incident)}
    return WatchedIncident(
        **values,
        title=(first.title if first is not None and first.title else None)
        or incident.label + where,
        admin1=exact or (admin1s.most_common(1)[0][0] if admin1s else None),
        actors=tuple(dict.fromkeys(n for n in names if n)),
        texts=tuple(dict.fromkeys([*titles, *sentences])),
        first_seen=row.first_seen,
    )


# --- rules ----------------------------------------------------------------------------------


def stored_rules(store: Store, origin: str | None = None) -> list[Any]:
    """Rows of the rules table (name, origin, spec, created_at), by name."""
    query = select(rules).order_by(rules.c.name)
    if origin is not None:
        query = query.where(rules.c.origin == origin)
    return list(store.conn.execute(query))


def save_rule(store: Store, name: str, spec: Mapping[str, Any], created_at: str) -> bool:
    """Add a rule of the store; False when a rule of that name is stored already."""
    found = store.conn.execute(select(rules.c.origin).where(rules.c.name == name)).scalar()
    if found == "store":
        return False
    if found == "file":  # the file's rule was removed and the name is taken over
        store.conn.execute(delete(rules).where(rules.c.name == name))
    store.conn.execute(
        rules.insert().values(name=name, origin="store", spec=dict(spec), created_at=created_at)
    )
    return True


def note_file_rule(store: Store, name: str, spec: Mapping[str, Any], now: str) -> str:
    """The creation time of a rule of ``rules.toml``: when it was first seen here."""
    found = store.conn.execute(
        select(rules.c.created_at, rules.c.origin).where(rules.c.name == name)
    ).first()
    if found is not None:
        if found.origin == "file":
            store.conn.execute(update(rules).where(rules.c.name == name).values(spec=dict(spec)))
        return str(found.created_at)
    store.conn.execute(
        rules.insert().values(name=name, origin="file", spec=dict(spec), created_at=now)
    )
    return now


def remove_rule(store: Store, name: str) -> bool:
    """Remove a rule of the store and its marks; False when there is none of that name.
    Its alerts stay, as a record of what was sent."""
    gone = store.conn.execute(delete(rules).where(rules.c.name == name, rules.c.origin == "store"))
    if not gone.rowcount:
        return False
    store.conn.execute(delete(alert_marks).where(alert_marks.c.rule == name))
    return True


# --- marks and alerts -----------------------------------------------------------------------


def marks_of(store: Store, rule: str) -> dict[str, str]:
    """The fingerprint each incident had when ``rule`` last alerted on it (or noted it)."""
    return {
        r.incident_id: r.fingerprint
        for r in store.conn.execute(select(alert_marks).where(alert_marks.c.rule == rule))
    }


def set_mark(
    store: Store, rule: str, incident_id: str, print_: str, now: str, *, new: bool
) -> None:
    """Record the fingerprint ``rule`` has now seen for ``incident_id``."""
    if new:
        store.conn.execute(
            alert_marks.insert().values(
                rule=rule, incident_id=incident_id, fingerprint=print_, updated_at=now
            )
        )
    else:
        store.conn.execute(
            update(alert_marks)
            .where(alert_marks.c.rule == rule, alert_marks.c.incident_id == incident_id)
            .values(fingerprint=print_, updated_at=now)
        )


def add_alert(
    store: Store,
    *,
    rule: str,
    incident_id: str,
    kind: str,
    print_: str,
    reasons: Sequence[str],
    title: str,
    summary: str,
    now: str,
    webhook: bool,
    email: bool,
) -> int:
    """Store a raised alert, its channels pending; return its id."""
    result = store.conn.execute(
        alerts.insert().values(
            rule=rule,
            incident_id=incident_id,
            kind=kind,
            fingerprint=print_,
            reasons=list(reasons),
            title=title,
            summary=summary,
            created_at=now,
            webhook="pending" if webhook else "none",
            email="pending" if email else "none",
            attempts=0,
        )
    )
    key = result.inserted_primary_key
    return int(key[0]) if key else 0


def undelivered(store: Store) -> list[Any]:
    """Alerts with a channel pending or failed, oldest first."""
    where = (alerts.c.webhook.in_(("pending", "failed"))) | (
        alerts.c.email.in_(("pending", "failed"))
    )
    return list(store.conn.execute(select(alerts).where(where).order_by(alerts.c.id)))


def record_delivery(
    store: Store, alert_id: int, states: Mapping[str, str], error: str | None, now: str
) -> None:
    """Record one delivery run of an alert: each channel's new state, the failure if any."""
    values: dict[str, Any] = {"attempts": alerts.c.attempts + 1, "last_error": error}
    for channel, state in states.items():
        if channel not in CHANNELS or state not in DELIVERY_STATES:
            raise ValueError(f"bad delivery state {channel}={state}")
        values[channel] = state
        if state == "sent":
            values[f"{channel}_at"] = now
    store.conn.execute(update(alerts).where(alerts.c.id == alert_id).values(**values))


def list_alerts(
    store: Store,
    *,
    rule: str | None = None,
    since: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[Any]]:
    """(how many match, a page of them), latest first; ``since`` an ISO date or instant."""
    where = []
    if rule:
        where.append(alerts.c.rule == rule)
    if since:
        where.append(alerts.c.created_at >= since)
    conn = store.conn
    total = conn.execute(select(func.count()).select_from(alerts).where(*where)).scalar()
    page = conn.execute(
        select(alerts)
        .where(*where)
        .order_by(alerts.c.created_at.desc(), alerts.c.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return int(total or 0), list(page)
