"""Draw records for a reader to judge, from a database that ``overhorizon run`` filled (the
real-news-syria set: no gold; the reading is the check).

    python bench/read_real_news.py --db FILE [--seed N] [--events 40] [--incidents 30]

Prints, with a seeded random generator: ``--events`` positive events (type, mode, ACLED type,
date with its precision, place, deaths, and the sentence), and ``--incidents`` incidents: the
10 with most reports, the 10 deadliest, and random ones for the rest (no incident twice), each
with its grade and reason, its toll's rule, and every report's sentence with its article's
date and outlet. The reader marks each as right or wrong; the shares go in the notes.
"""

from __future__ import annotations

import argparse
import random
import sys
from typing import Any

from overhorizon.store import open_store
from overhorizon.store.incidents import IncidentQuery, iter_incidents, load_inputs


def sentence(text: str, start: int, end: int, width: int = 240) -> str:
    """The evidence span, on one line, cut to ``width`` characters."""
    found = " ".join(text[start:end].split())
    return found if len(found) <= width else found[: width - 1] + "…"


def show_event(n: int, art: Any, e: Any, places: dict[str, Any]) -> None:
    when = f"{e.date.start}..{e.date.end} ({e.date.precision})" if e.date else "undated"
    place = places.get(e.place or "")
    where = f"{place.name}, {place.country} (p{e.place_precision})" if place else "no place"
    acled = e.acled_sub_event_type or e.acled_event_type or "no ACLED type"
    print(f"[E{n}] {e.type}/{e.mode or '-'} | {acled} | {when} | {where}")
    print(f"      article {art.published} {art.outlet}: {art.title}")
    print(f"      “{sentence(art.text, e.evidence.start, e.evidence.end)}”")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--incidents", type=int, default=30)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with open_store(args.db, migrate=False) as store:
        inputs = load_inputs(store)
        found = [i for i, _ in iter_incidents(store, IncidentQuery())]
    events = [
        (art.extraction, e)
        for _, art in sorted(inputs.items())
        for e in art.extraction.events
        if e.polarity == "positive"
    ]
    print(f"# {len(events)} positive events; {args.events} drawn with seed {args.seed}\n")
    for n, (ex, e) in enumerate(rng.sample(events, min(args.events, len(events))), start=1):
        show_event(n, ex.article, e, {p.id: p for p in ex.places})
    largest = sorted(found, key=lambda i: (-i.reports, i.id))[:10]
    deadliest = sorted(
        (i for i in found if i not in largest), key=lambda i: (-(i.deaths or 0), i.id)
    )[:10]
    rest = [i for i in found if i not in largest and i not in deadliest]
    drawn = rng.sample(rest, min(max(args.incidents - 20, 0), len(rest)))
    print(f"\n# {len(found)} incidents: 10 largest, 10 deadliest, {len(drawn)} random\n")
    for kind, group in (("largest", largest), ("deadliest", deadliest), ("random", drawn)):
        for inc in group:
            trail = inc.summary
            assert trail is not None
            print(
                f"[I {kind}] {inc.id} {inc.label} {inc.date_start}..{inc.date_end} "
                f"{inc.place or 'no place'} {inc.country or ''} | reports {inc.reports}, "
                f"articles {inc.articles} | deaths {inc.deaths} | {inc.grade}: {inc.grade_reason}"
            )
            for key in trail.reports[:8]:
                aid, eid = key.split("/", 1)
                ex = inputs[aid].extraction
                e = next(x for x in ex.events if x.id == eid)
                art = ex.article
                text = sentence(art.text, e.evidence.start, e.evidence.end, 200)
                print(f"      {art.published} {art.outlet}: “{text}”")
            if len(trail.reports) > 8:
                print(f"      … {len(trail.reports) - 8} more reports")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
