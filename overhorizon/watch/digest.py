"""The digest: incidents new or changed in a window, grouped by country and first-level area,
each with its dates, killed, grade and reason, sources and contradictions; Markdown or a
self-contained HTML page (its style inline, nothing loaded from elsewhere, every text escaped).

"New" means the incident id was first written in the window, "changed" that it existed before
and was rewritten in the window (new reports, claims, figures or grade). The store keeps when
each incident id was first written (``incident_seen``), noted by every alert run and digest.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from overhorizon.records import GRADES
from overhorizon.store.alerts import WatchedIncident, observe_incidents, watched_incidents
from overhorizon.store.articles import Store
from overhorizon.watch.deliver import links


@dataclass(frozen=True, slots=True)
class Digest:
    """Incidents first written (``new``) or rewritten (``changed``) from ``since`` to
    ``until`` (UTC ISO-8601), each list in date order."""

    since: str
    until: str
    new: list[WatchedIncident]
    changed: list[WatchedIncident]

    def areas(self) -> list[tuple[str, list[tuple[str, WatchedIncident]]]]:
        """(area heading, [(new|changed, incident)]): areas by country then first-level area,
        those without a known place last; in each, the deadliest first, then by grade and
        date."""
        groups: dict[tuple[str, str], list[tuple[str, WatchedIncident]]] = defaultdict(list)
        for kind, items in (("new", self.new), ("changed", self.changed)):
            for i in items:
                groups[(i.country or "", i.admin1 or "")].append((kind, i))

        def area_order(key: tuple[str, str]) -> tuple[bool, str, bool, str]:
            country, admin1 = key
            return (not country, country, not admin1, admin1)

        def incident_order(ki: tuple[str, WatchedIncident]) -> tuple[int, int, str, str]:
            i = ki[1]
            rank = GRADES.index(i.grade) if i.grade in GRADES else len(GRADES)
            return (-(i.deaths or 0), rank, i.date_start or "9999", i.id)

        out = []
        for key in sorted(groups, key=area_order):
            country, admin1 = key
            heading = (
                f"{country}, {admin1}"
                if country and admin1
                else f"{country}, area unknown"
                if country
                else "place unknown"
            )
            out.append((heading, sorted(groups[key], key=incident_order)))
        return out


def build_digest(store: Store, *, window: timedelta, now: datetime | None = None) -> Digest:
    """The digest of the ``window`` up to ``now``."""
    now = now or datetime.now(UTC)
    observe_incidents(store)
    store.checkpoint()
    since = (now - window).isoformat(timespec="seconds")
    until = now.isoformat(timespec="seconds")
    found = [i for i in watched_incidents(store, since=since) if i.updated_at <= until]
    new = [i for i in found if (i.first_seen or i.updated_at) >= since]
    changed = [i for i in found if (i.first_seen or i.updated_at) < since]
    return Digest(since, until, new, changed)


def _what(i: WatchedIncident) -> str:
    return i.label + (f" in {i.place}" if i.place else "")


def _dates(i: WatchedIncident) -> str:
    if not i.date_start:
        return "date unknown"
    span = i.date_start if i.date_end in (None, i.date_start) else f"{i.date_start} to {i.date_end}"
    return span + (f" ({i.date_precision})" if i.date_precision else "")


def _killed(i: WatchedIncident) -> str:
    low, best, high = i.killed_range
    if best is None and low is None:
        return "no figure"
    return f"{best}" + ("" if low == high else f" (range {low}-{high})")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>~])")


def _md(text: str) -> str:
    """Text safe in Markdown: one line, its markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(digest: Digest, base_url: str) -> str:
    """The digest as Markdown."""
    lines = [
        f"# overhorizon digest: {digest.since} to {digest.until}",
        "",
        f"{len(digest.new)} new and {len(digest.changed)} changed incidents.",
    ]
    for heading, items in digest.areas():
        lines += ["", f"## {_md(heading)} ({len(items)})"]
        for kind, i in items:
            url = links(base_url, i.id)["dashboard"]
            lines += [
                "",
                f"### [{_md(i.title)}]({url}) ({kind})",
                "",
                f"- {_md(_what(i))}; {_md(_dates(i))}",
                f"- killed: {_killed(i)}",
                f"- grade: {i.grade} ({_md(i.grade_reason)})",
                "- sources: " + (", ".join(_md(s) for s in i.source_names) or "none"),
            ]
            for c in i.trail.contradictions:
                lines.append(f"- contradiction ({_md(c.kind)}): {_md(c.why)}")
    return "\n".join(lines) + "\n"


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;"
    "color:#222}h1{font-size:1.4rem}h2{font-size:1.15rem;border-bottom:1px solid #ccc}"
    "h3{font-size:1rem;margin-bottom:.3rem}.kind{font-size:.8rem;color:#555}"
    "ul{margin-top:.2rem}a{color:#0645ad}"
)


def render_html(digest: Digest, base_url: str) -> str:
    """The digest as one self-contained HTML page; every text from the news is escaped."""
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>overhorizon digest {e(digest.since)} to {e(digest.until)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>overhorizon digest: {e(digest.since)} to {e(digest.until)}</h1>",
        f"<p>{len(digest.new)} new and {len(digest.changed)} changed incidents.</p>",
    ]
    for heading, items in digest.areas():
        parts.append(f"<h2>{e(heading)} ({len(items)})</h2>")
        for kind, i in items:
            url = links(base_url, i.id)["dashboard"]
            parts.append(
                f'<h3><a href="{e(url)}">{e(i.title)}</a> <span class="kind">{kind}</span></h3>'
            )
            rows = [
                f"{e(_what(i))}; {e(_dates(i))}",
                f"killed: {e(_killed(i))}",
                f"grade: {e(i.grade)} ({e(i.grade_reason)})",
                "sources: " + (e(", ".join(i.source_names)) or "none"),
                *(f"contradiction ({e(c.kind)}): {e(c.why)}" for c in i.trail.contradictions),
            ]
            parts.append("<ul>" + "".join(f"<li>{r}</li>" for r in rows) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
