"""Raising alerts: each rule against each incident, once per state of the incident.

For a rule and an incident it matches, an alert is raised

- ``new`` the first time;
- ``changed`` when the incident's casualty ranges (low, best, high per victim group) or its
  grade differ from what the rule last alerted on (a fingerprint kept in ``alert_marks``);

and never again for the same state, however often it runs. A rule created after an incident
was last written does not alert on it until it changes (the rule notes its state silently),
unless the rule says ``backfill = true``. Raising stores the alerts; :func:`run_alerts` also
delivers them (:mod:`overhorizon.watch.deliver`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select

from overhorizon.settings import Settings
from overhorizon.store.alerts import (
    WatchedIncident,
    add_alert,
    marks_of,
    observe_incidents,
    set_mark,
    watched_incidents,
)
from overhorizon.store.articles import Store
from overhorizon.store.incidents import IncidentQuery, written_since
from overhorizon.store.schema import incidents
from overhorizon.watch.deliver import Delivery, deliver_pending, links
from overhorizon.watch.rules import Locate, Rule, all_rules, matches

StepHook = Callable[[int, int, str], None]
"""Called as rules are looked at: (rules done, rules in all, the rule just done)."""


@dataclass(frozen=True, slots=True)
class Fired:
    """One alert raised: its id, rule, incident, ``kind`` (new or changed) and reasons."""

    alert_id: int
    rule: str
    incident_id: str
    kind: str
    reasons: tuple[str, ...]
    title: str


@dataclass(slots=True)
class AlertRun:
    """What one run did: rules and incidents looked at, alerts raised, incidents noted
    silently (a rule's baseline), and each delivery attempt."""

    rules: int = 0
    incidents: int = 0
    fired: list[Fired] = field(default_factory=list)
    noted: int = 0
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def failed(self) -> list[Delivery]:
        """The delivery attempts that failed (retried on the next run)."""
        return [d for d in self.deliveries if not d.ok]


def summary_text(incident: WatchedIncident, base_url: str) -> str:
    """An incident in a few plain lines: title, what/where/when, killed, grade, sources."""
    low, best, high = incident.killed_range
    lines = [
        incident.title,
        incident.place_label() + (f" ({incident.country})" if incident.country else ""),
    ]
    if best is not None or low is not None:
        span = f"{low}" if low == high else f"{low}-{high}"
        lines.append(f"Killed: {best} (range {span})")
    lines.append(f"Grade: {incident.grade} ({incident.grade_reason})")
    names = incident.source_names
    if names:
        lines.append(f"Sources ({len(names)}): " + ", ".join(names))
    if incident.contradictions:
        lines.append(f"Contradictions: {incident.contradictions}")
    lines.append(links(base_url, incident.id)["dashboard"])
    return "\n".join(lines)


def raise_alerts(
    store: Store,
    settings: Settings,
    *,
    now: datetime | None = None,
    locate: Locate | None = None,
    rules: list[Rule] | None = None,
    step: StepHook | None = None,
) -> AlertRun:
    """Raise every alert due (idempotent: a re-run raises nothing new) and commit them.

    ``rules`` defaults to :func:`~overhorizon.watch.rules.all_rules` (``rules.toml`` and the
    store); a file's rule seen for the first time counts as created ``now``. ``step`` is
    called before the first rule and after each one (see :data:`StepHook`).
    """
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    observe_incidents(store)
    if rules is None:
        rules = all_rules(store, settings, locate=locate, note=True, now=stamp)
    run = AlertRun(rules=len(rules))
    if step is not None:
        step(0, len(rules), "")
    if not rules:
        store.checkpoint()
        return run
    # Each rule looks only at incidents written since it last looked (a fingerprint changes
    # only when fusion rewrites an incident), unless the rule is new or its fields changed.
    latest = store.conn.execute(select(func.max(incidents.c.updated_at))).scalar()
    through: dict[str, str | None] = {}
    for rule in rules:
        checked = marks_of(store, rule.name).get(CHECKED)
        spec, _, last = (checked or "").partition("@")
        through[rule.name] = last if checked and spec == _spec_hash(rule) else None
    # Each rule's own incident query (its area, grade, type, toll) picks its candidates; each
    # incident is read once for all the rules it is a candidate of.
    candidates = {
        rule.name: written_since(store, rule.query(), through[rule.name]) for rule in rules
    }
    wanted = {iid for ids in candidates.values() for iid in ids}
    by_id = {w.id: w for w in watched_incidents(store, ids=wanted)} if wanted else {}
    starts = list(through.values())
    since = None if None in starts else min(t for t in starts if t is not None)
    run.incidents = len(written_since(store, IncidentQuery(), since))  # what was looked at
    for done, rule in enumerate(rules, start=1):
        marks = marks_of(store, rule.name)
        for iid in candidates[rule.name]:
            incident = by_id[iid]
            why = matches(rule, incident)
            if why is None:
                continue
            before = marks.get(incident.id)
            if before == incident.fingerprint:
                continue
            if before is None and not rule.backfill and _older(incident, rule):
                set_mark(store, rule.name, incident.id, incident.fingerprint, stamp, new=True)
                run.noted += 1
                continue
            kind = "new" if before is None else "changed"
            alert_id = add_alert(
                store,
                rule=rule.name,
                incident_id=incident.id,
                kind=kind,
                print_=incident.fingerprint,
                reasons=why,
                title=incident.title,
                summary=summary_text(incident, settings.base_url),
                now=stamp,
                webhook=bool(rule.webhook),
                email=bool(rule.emails),
            )
            set_mark(store, rule.name, incident.id, incident.fingerprint, stamp, new=before is None)
            run.fired.append(
                Fired(alert_id, rule.name, incident.id, kind, tuple(why), incident.title)
            )
        if latest is not None:  # this rule has now looked at everything written so far
            set_mark(
                store,
                rule.name,
                CHECKED,
                f"{_spec_hash(rule)}@{latest}",
                stamp,
                new=CHECKED not in marks,
            )
        if step is not None:
            step(done, len(rules), rule.name)
    store.checkpoint()
    return run


#: The ``alert_marks`` row of a rule that says how far it has looked: the hash of its fields,
#: ``@``, and the latest ``updated_at`` of the incidents then.
CHECKED = "*checked*"


def _spec_hash(rule: Rule) -> str:
    return hashlib.sha256(json.dumps(rule.spec(), sort_keys=True).encode()).hexdigest()[:16]


def _older(incident: WatchedIncident, rule: Rule) -> bool:
    """The incident was last written before the rule was created."""
    return bool(rule.created_at) and incident.updated_at < str(rule.created_at)


def run_alerts(
    store: Store,
    settings: Settings,
    *,
    now: datetime | None = None,
    locate: Locate | None = None,
    step: StepHook | None = None,
) -> AlertRun:
    """Raise the alerts due, then deliver every alert still pending or failed; ``step`` as
    for :func:`raise_alerts`."""
    now = now or datetime.now(UTC)
    stamp = now.isoformat(timespec="seconds")
    rules = all_rules(store, settings, locate=locate, note=True, now=stamp)
    run = raise_alerts(store, settings, now=now, rules=rules, step=step)
    run.deliveries = deliver_pending(store, settings, {r.name: r for r in rules}, now=now)
    return run
