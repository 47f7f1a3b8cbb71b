"""``GET /api/articles`` and ``GET /api/articles/{id}`` (the text and what rests on it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import func, select

from overhorizon.api.deps import StoreDep
from overhorizon.api.schemas import Article, ArticleDetail, ArticlePage, Error, Highlight
from overhorizon.store.schema import articles, attributions, casualties, events

router = APIRouter(tags=["articles"])
_FIELDS = tuple(Article.model_fields)


@router.get("/articles", operation_id="listArticles", response_model=ArticlePage)
def list_articles(
    store: StoreDep,
    q: Annotated[str | None, Query(description="Text in the title or outlet.")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> ArticlePage:
    """Stored articles, latest first."""
    where = []
    if q:
        pattern = "%" + q.replace("%", "").replace("_", "") + "%"
        where.append(articles.c.title.ilike(pattern) | articles.c.outlet.ilike(pattern))
    conn = store.conn
    total = conn.execute(select(func.count()).select_from(articles).where(*where)).scalar()
    rows = conn.execute(
        select(*(articles.c[f] for f in _FIELDS))
        .where(*where)
        .order_by(articles.c.published.desc(), articles.c.id)
        .offset(offset)
        .limit(limit)
    ).all()
    items = [Article(**dict(r._mapping)) for r in rows]
    return ArticlePage(total=int(total or 0), offset=offset, limit=limit, items=items)


@router.get(
    "/articles/{article_id}",
    operation_id="getArticle",
    response_model=ArticleDetail,
    responses={404: {"model": Error}},
)
def get_article(article_id: str, store: StoreDep) -> ArticleDetail:
    """An article's text with the spans its events, casualty figures and claims rest on."""
    conn = store.conn
    row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
    if row is None:
        raise HTTPException(
            404, {"code": "article_not_found", "message": f"no article {article_id}"}
        )
    marks: list[Highlight] = []
    for e in conn.execute(select(events).where(events.c.article_id == article_id)):
        label = e.type + (f"/{e.mode}" if e.mode else "")
        marks.append(
            Highlight(
                start=e.evidence_start,
                end=e.evidence_end,
                kind="event",
                label=label if e.polarity == "positive" else f"not {label}",
            )
        )
    for c in conn.execute(select(casualties).where(casualties.c.article_id == article_id)):
        marks.append(
            Highlight(
                start=c.evidence_start,
                end=c.evidence_end,
                kind="casualty",
                label=f"{c.group}: killed {c.killed_best}",
            )
        )
    for t in conn.execute(select(attributions).where(attributions.c.article_id == article_id)):
        if t.attribution_id != "t0":
            marks.append(
                Highlight(
                    start=t.claim_start,
                    end=t.claim_end,
                    kind="claim",
                    label=f"{t.speaker_text or 'someone'} {t.stance}",
                )
            )
    marks.sort(key=lambda m: (m.start, m.end, m.kind))
    return ArticleDetail(
        **{f: getattr(row, f) for f in _FIELDS},
        text=row.text,
        authors=list(row.authors or []),
        highlights=marks,
    )
