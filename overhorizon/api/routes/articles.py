"""``GET /api/articles``, ``GET /api/articles/{id}`` (the text and what rests on it) and
``POST /api/articles`` (ingest, with the write token)."""

from __future__ import annotations

import hmac
import io
import json
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from sqlalchemy import func, select

from overhorizon.api.deps import StoreDep
from overhorizon.api.schemas import (
    Article,
    ArticleDetail,
    ArticlePage,
    Error,
    Highlight,
    IngestResult,
)
from overhorizon.records import incident_label
from overhorizon.settings import Settings
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
        label = incident_label(e.type, e.mode)
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


@router.post(
    "/articles",
    operation_id="ingestArticles",
    response_model=IngestResult,
    responses={401: {"model": Error}, 403: {"model": Error}, 413: {"model": Error}},
)
async def ingest_articles(request: Request, store: StoreDep) -> IngestResult:
    """Ingest one article or a list of them (JSON objects with the JSONL reader's fields:
    text, title, outlet, published, url, authors). Needs ``Authorization: Bearer <api_token>``.
    Extraction and fusion are left to ``overhorizon run``; nothing given is fetched."""
    settings: Settings = request.app.state.settings
    _authorised(request, settings)
    limit = settings.max_container_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, {"code": "too_large", "message": f"more than {limit} bytes"})
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, {"code": "too_large", "message": f"more than {limit} bytes"})
    try:
        data = json.loads(body or b"null")
    except ValueError:
        raise HTTPException(422, {"code": "bad_json", "message": "the body is not JSON"}) from None
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) for i in items):
        raise HTTPException(
            422, {"code": "bad_request", "message": "send an object or a list of objects"}
        )
    lines = b"".join(json.dumps(i, ensure_ascii=False).encode() + b"\n" for i in items)
    from overhorizon.app import ingest_paths

    report = ingest_paths(["-"], store, settings.replace(workers=1), stdin=io.BytesIO(lines))
    return IngestResult(**report.to_dict())


def _authorised(request: Request, settings: Settings) -> None:
    if not settings.api_token:
        raise HTTPException(
            403,
            {"code": "writes_disabled", "message": "set api_token to allow writing"},
        )
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.encode(), settings.api_token.encode()
    ):
        raise HTTPException(401, {"code": "unauthorised", "message": "a valid bearer token"})
