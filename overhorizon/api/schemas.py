"""Response models: what each route returns, typed (and described in /openapi.json)."""

from __future__ import annotations

import dataclasses
from typing import Any, get_type_hints

from pydantic import BaseModel, Field, create_model

from overhorizon import records

#: A date parameter: ISO ``YYYY-MM-DD``.
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


class Error(BaseModel):
    """Every error: a stable code and a message for people."""

    code: str
    message: str


class Health(BaseModel):
    status: str
    version: str
    articles: int
    incidents: int


def model_of(
    record: type[Any],
    name: str,
    *,
    exclude: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
    base: type[BaseModel] = BaseModel,
) -> type[BaseModel]:
    """A response model whose fields are those of ``record`` (a dataclass of
    :mod:`overhorizon.records`), less ``exclude``, plus ``extra`` (name -> (type, default)):
    the records are the one field list, the API adds only what it shows beside them."""
    hints = get_type_hints(record)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        if f.name in exclude:
            continue
        if f.default is not dataclasses.MISSING:
            default: Any = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = Field(default_factory=f.default_factory)
        else:
            default = ...
        fields[f.name] = (hints[f.name], default)
    fields.update(extra or {})
    model: type[BaseModel] = create_model(
        name, __base__=base, __doc__=record.__doc__, __module__=__name__, **fields
    )
    return model


#: What one source says: one attribution of one article (records.Claim), with its sentence.
Claim = model_of(records.Claim, "Claim", extra={"sentence": (str | None, None)})

#: One happening fused from many reports (a list item: records.Incident without its trail).
Incident = model_of(records.Incident, "Incident", exclude=("summary", "updated_at"))

#: An incident with its trail: claims in time order, sources (spelt as the articles spell
#: them), contradictions, casualty ranges with the claims behind each bound, the groups of
#: sources the registry joined, and why its reports were joined.
IncidentDetail = model_of(
    records.Incident,
    "IncidentDetail",
    exclude=("summary", "updated_at"),
    extra={
        "claims": (list[Claim], ...),  # type: ignore[valid-type]
        "source_names": (list[str], ...),
        "contradiction_list": (list[records.Contradiction], ...),
        "casualties": (list[records.CasualtyRange], ...),
        "casualty_rule": (str, ...),
        "independence": (list[records.SourceGroup], Field(default_factory=list)),
        "links": (list[records.Link], ...),
    },
)


class IncidentPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[Incident]  # type: ignore[valid-type]
    next: str | None = Field(
        None,
        description="Cursor of the next page: pass it as `after` (cheaper than a deep offset); "
        "null on the last page.",
    )


class Event(BaseModel):
    date_start: str | None
    type: str
    mode: str | None
    acled_sub_event_type: str | None
    polarity: str
    modality: str
    source: str | None
    target: str | None
    place: str | None
    place_precision: int | None
    killed: int | None
    outlet: str | None


class Article(BaseModel):
    id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None
    language: str | None
    near_duplicate_of: str | None


class Highlight(BaseModel):
    """A span of the article's text that a record rests on."""

    start: int
    end: int
    kind: str  # event, casualty, claim
    label: str


class ArticleDetail(Article):
    text: str
    authors: list[str]
    highlights: list[Highlight]


class ArticlePage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[Article]


class Rejected(BaseModel):
    source: str
    reason: str
    message: str


class IngestResult(BaseModel):
    """What an ingest did: as ``overhorizon ingest --report`` writes it."""

    run_id: int | None
    accepted: int
    stored: int
    duplicates: int
    unchanged: int
    near_duplicates: int
    non_english: int
    rejected: list[Rejected]
    skipped: dict[str, int]


class ActorItem(BaseModel):
    name: str
    kind: str
    country: str | None
    sector: str | None
    articles: int


class PlaceItem(BaseModel):
    gazetteer_id: str
    name: str
    lat: float
    lon: float
    country: str | None
    feature: str
    articles: int


class Alert(BaseModel):
    """An alert a watch rule raised: ``kind`` new or changed; each channel's delivery state
    none (no such channel), pending, sent or failed; ``last_error`` the latest failure."""

    id: int
    rule: str
    incident_id: str
    kind: str
    reasons: list[str]
    title: str
    summary: str
    created_at: str
    webhook: str
    webhook_at: str | None
    email: str
    email_at: str | None
    attempts: int
    last_error: str | None


class AlertPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[Alert]


class Rule(BaseModel):
    """A watch rule as rules.toml writes it (docs/alerts.md); every condition given must hold.
    ``origin`` file or store; ``created_at`` UTC ISO-8601, null for a file's rule not yet
    seen by an alert run."""

    name: str
    country: str | None = None
    admin1: str | None = None
    bbox: list[float] | None = None
    near: str | None = None
    lat: float | None = None
    lon: float | None = None
    km: float | None = None
    actors: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    acled_types: list[str] = Field(default_factory=list)
    min_killed: int | None = None
    grade: str | None = None
    keywords: list[str] = Field(default_factory=list)
    webhook: str | None = None
    emails: list[str] = Field(default_factory=list)
    backfill: bool = False
    origin: str = "store"
    created_at: str | None = None
