"""Storing extraction records: one row per article and pipeline version, plus queryable rows.

Re-running skips articles already extracted by the same pipeline version; a new version
replaces an article's records in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from overhorizon.records import Article, Extraction
from overhorizon.store.articles import Store
from overhorizon.store.schema import (
    actors,
    articles,
    attributions,
    casualties,
    events,
    extractions,
    places,
)


def articles_to_extract(store: Store, pipeline: str) -> Iterator[Article]:
    """Stored articles with no extraction by ``pipeline``, in publication order."""
    done = select(extractions.c.article_id).where(extractions.c.pipeline == pipeline)
    ids = (
        store.conn.execute(
            select(articles.c.id)
            .where(articles.c.id.not_in(done))
            .order_by(articles.c.published.is_(None), articles.c.published, articles.c.id)
        )
        .scalars()
        .all()
    )
    for article_id in ids:
        article = store.get_article(article_id)
        if article is not None:
            yield article


def save_extraction(store: Store, ex: Extraction, pipeline: str) -> None:
    """Replace the article's records with ``ex`` (within the store's open transaction)."""
    aid = ex.article.id
    conn = store.conn
    for table in (places, attributions, casualties, events, actors, extractions):
        conn.execute(delete(table).where(table.c.article_id == aid))
    data = ex.to_dict()
    data.pop("article")
    conn.execute(
        extractions.insert().values(
            article_id=aid,
            pipeline=pipeline,
            records=data,
            created_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        )
    )
    if ex.actors:
        conn.execute(
            actors.insert(),
            [
                {
                    "article_id": aid,
                    "actor_id": a.id,
                    "name": a.name,
                    "kind": a.kind,
                    "country": a.country,
                    "sector": a.sector,
                    "aliases": a.aliases,
                    "mentions": [{"start": m.start, "end": m.end} for m in a.mentions],
                }
                for a in ex.actors
            ],
        )
    if ex.events:
        conn.execute(events.insert(), [_event_row(aid, e) for e in ex.events])
    if ex.places:
        conn.execute(
            places.insert(),
            [
                {
                    "article_id": aid,
                    "place_id": p.id,
                    "name": p.name,
                    "lat": p.lat,
                    "lon": p.lon,
                    "country": p.country,
                    "admin1": p.admin1,
                    "feature": p.feature,
                    "gazetteer_id": p.gazetteer_id,
                    "precision": p.precision,
                    "near": p.near,
                    "mentions": [{"start": m.start, "end": m.end} for m in p.mentions],
                    "countries": list(p.countries),
                }
                for p in ex.places
            ],
        )
    if ex.attributions:
        conn.execute(
            attributions.insert(),
            [
                {
                    "article_id": aid,
                    "attribution_id": t.id,
                    "speaker": t.speaker,
                    "via": t.via,
                    "cue": t.cue[:40],
                    "cue_lemma": (t.cue_lemma or "")[:40] or None,
                    "stance": t.stance,
                    "anonymous": t.anonymous,
                    "first_report": t.first_report,
                    "direct": t.direct,
                    "quote": t.quote,
                    "speaker_text": t.speaker_text,
                    "claim_start": t.claim.start,
                    "claim_end": t.claim.end,
                    "evidence_start": t.evidence.start,
                    "evidence_end": t.evidence.end,
                }
                for t in ex.attributions
            ],
        )
    if ex.casualties:
        conn.execute(
            casualties.insert(),
            [
                {
                    "article_id": aid,
                    "event_id": c.event,
                    "group": c.group,
                    **_count("killed", c.killed),
                    **_count("injured", c.injured),
                    "part_of": c.part_of,
                    "attribution": c.attribution,
                    "evidence_start": c.evidence.start,
                    "evidence_end": c.evidence.end,
                }
                for c in ex.casualties
            ],
        )


def _event_row(aid: str, e: Any) -> dict[str, Any]:
    return {
        "article_id": aid,
        "event_id": e.id,
        "type": e.type,
        "mode": e.mode,
        "acled_event_type": e.acled_event_type,
        "acled_sub_event_type": e.acled_sub_event_type,
        "disorder_type": e.disorder_type,
        "civilian_targeting": e.civilian_targeting,
        "inter1": e.inter1,
        "inter2": e.inter2,
        "interaction": e.interaction,
        "source_actor": e.source_actor,
        "target_actor": e.target_actor,
        "place": e.place,
        "place_precision": e.place_precision,
        "date_start": e.date.start if e.date else None,
        "date_end": e.date.end if e.date else None,
        "date_precision": e.date.precision if e.date else None,
        "date_text": e.date.text if e.date else None,
        "polarity": e.polarity,
        "modality": e.modality,
        "attribution": e.attribution,
        "trigger": e.trigger,
        "evidence_start": e.evidence.start,
        "evidence_end": e.evidence.end,
    }


def _count(prefix: str, count: Any) -> dict[str, Any]:
    return {
        f"{prefix}_low": count.low if count else None,
        f"{prefix}_best": count.best if count else None,
        f"{prefix}_high": count.high if count else None,
    }


def list_events(
    store: Store, *, plover_type: str | None = None, negated: bool = False, limit: int = 50
) -> list[Any]:
    """Stored events, earliest first, with actor names, deaths (best, all groups that are not
    part of another) and the article's outlet."""
    from sqlalchemy import and_, func
    from sqlalchemy.orm import aliased

    src = aliased(actors)
    tgt = aliased(actors)
    where = aliased(places)
    killed = (
        select(func.sum(casualties.c.killed_best))
        .where(
            casualties.c.article_id == events.c.article_id,
            casualties.c.event_id == events.c.event_id,
            casualties.c.part_of.is_(None),
        )
        .scalar_subquery()
        .label("killed")
    )
    query = (
        select(
            events.c.date_start,
            events.c.type,
            events.c.mode,
            events.c.acled_sub_event_type,
            events.c.polarity,
            events.c.modality,
            src.c.name.label("source"),
            tgt.c.name.label("target"),
            where.c.name.label("place"),
            events.c.place_precision,
            killed,
            articles.c.outlet,
        )
        .join(articles, articles.c.id == events.c.article_id)
        .outerjoin(
            src,
            and_(src.c.article_id == events.c.article_id, src.c.actor_id == events.c.source_actor),
        )
        .outerjoin(
            tgt,
            and_(tgt.c.article_id == events.c.article_id, tgt.c.actor_id == events.c.target_actor),
        )
        .outerjoin(
            where,
            and_(where.c.article_id == events.c.article_id, where.c.place_id == events.c.place),
        )
        .order_by(events.c.date_start.is_(None), events.c.date_start, articles.c.published)
        .limit(limit)
    )
    if plover_type:
        query = query.where(events.c.type == plover_type.upper())
    if not negated:
        query = query.where(events.c.polarity == "positive")
    return list(store.conn.execute(query).all())
