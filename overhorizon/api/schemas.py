"""Response models: what each route returns, typed (and described in /openapi.json)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

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


class Count(BaseModel):
    """A count as a range; a bound nobody gave is null."""

    low: int | None = None
    best: int | None = None
    high: int | None = None


class Casualties(BaseModel):
    """Killed in one victim group across the incident's claims, with the claims behind it."""

    group: str
    killed: Count
    low_claims: list[str]
    best_claims: list[str]
    high_claims: list[str]
    best_reason: str


class ClaimFigure(BaseModel):
    group: str
    killed: Count | None = None
    injured: Count | None = None


class Claim(BaseModel):
    """What one source says: one attribution of one article, with its sentence."""

    id: str
    article: str
    outlet: str | None
    published: str | None
    speaker: str | None
    stance: str
    source: str
    via: str | None = None
    anonymous: bool = False
    negated: bool = False
    perpetrator: str | None = None
    figures: list[ClaimFigure] = Field(default_factory=list)
    responds_to: list[str] = Field(default_factory=list)
    evidence: dict[str, int] = Field(default_factory=dict)
    sentence: str | None = None


class Contradiction(BaseModel):
    a: str
    b: str
    kind: str
    why: str


class Incident(BaseModel):
    """One happening fused from many reports (a list item)."""

    id: str
    type: str
    mode: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    place: str | None
    lat: float | None
    lon: float | None
    country: str | None
    place_precision: int | None
    reports: int
    articles: int
    sources: int
    contradictions: int
    deaths: int | None
    grade: str
    grade_reason: str


class IncidentDetail(Incident):
    """An incident with its trail: claims in time order, sources, contradictions, casualties,
    and why its reports were joined."""

    claims: list[Claim]
    source_names: list[str]
    contradiction_list: list[Contradiction]
    casualties: list[Casualties]
    casualty_rule: str
    links: list[dict[str, Any]]


class IncidentPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[Incident]
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
