"""Typed records shared by every step of the flow (see ../shared/RECORDS.md for the contract).

Field names here are the contract's: add fields freely, rename none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Final, Literal, Protocol

SourceKind = Literal["file", "stdin", "warc", "feed", "jsonl", "json", "web"]
DatePrecision = Literal["day", "week", "month", "year", "range"]

DATE_PRECISIONS: Final[tuple[DatePrecision, ...]] = ("day", "week", "month", "year", "range")
"""The date precisions, sharpest first. ``range`` comes last: its width is whatever its start and
end say (a weekend or a decade), so a range is never promised to be sharper than a year."""


def precision_rank(precision: str | None) -> int:
    """The place of ``precision`` in :data:`DATE_PRECISIONS` (0 = known to the day); an unknown
    precision or None ranks after ``range``."""
    try:
        return DATE_PRECISIONS.index(precision)
    except ValueError:
        return len(DATE_PRECISIONS)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a document came from: a file, a line of a JSONL file, a feed entry, a WARC record."""

    kind: SourceKind
    path: str | None = None
    url: str | None = None
    warc_record_id: str | None = None
    feed: str | None = None
    line: int | None = None
    entry: int | None = None

    @property
    def locator(self) -> str:
        """A human-readable, stable name for the source, used in reports and as a key."""
        base = self.path or "<stdin>"
        if self.line is not None:
            return f"{base}:{self.line}"
        if self.entry is not None:
            return f"{base}#entry={self.entry}"
        if self.warc_record_id is not None:
            return f"{base}#{self.warc_record_id}"
        return base


@dataclass(frozen=True, slots=True)
class Document:
    """One document as a reader parsed it, before normalisation and keying."""

    text: str
    source: SourceRef
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    language: str | None = None
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that was not stored, with a reason code from ``overhorizon.reasons``."""

    source: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that is deliberately not a document (a WARC request record, an image), counted."""

    source: str
    what: str


@dataclass(frozen=True, slots=True)
class RawPage:
    """An HTML page read but not yet extracted; extraction may run in a worker process.

    ``charset`` is what an HTTP header declared, if anything.
    """

    data: bytes
    source: SourceRef
    charset: str | None = None


Item = Document | RawPage | Rejection | Skip


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """MinHash signature of an article's text and the LSH band keys derived from it."""

    signature: bytes
    bands: tuple[str, ...]


@dataclass(slots=True)
class Article:
    """A normalised, keyed article: the unit the store keeps once.

    ``id`` is the sha256 of the whitespace-normalised text. ``published`` is the publication date
    as the source gave it (``YYYY-MM-DD``, its own time zone); ``published_at`` the UTC instant when
    the source gave a time. ``language`` is an ISO 639-1 code from the detector.
    """

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    published_at: str | None = None
    published_precision: DatePrecision | None = None
    published_text: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    non_english: bool = False
    duplicate_of: str | None = None
    near_duplicate_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the article as the JSON shape of RECORDS.md."""
        return asdict(self)


@dataclass(slots=True)
class PreparedArticle:
    """An article ready for the store: the record, where it came from, and its fingerprint."""

    article: Article
    source: SourceRef
    fingerprint: Fingerprint
    external_id: str | None = None


AddStatus = Literal["stored", "duplicate", "unchanged"]


@dataclass(frozen=True, slots=True)
class AddOutcome:
    """What the store did with one prepared article.

    ``stored``: a new article; ``duplicate``: the same text was already stored from another
    source; ``unchanged``: this very source was already ingested (a re-run).
    """

    status: AddStatus
    article_id: str
    near_duplicate_of: str | None = None


class ArticleSink(Protocol):
    """Where ingest puts what it reads; the store implements it, ingest never imports the store."""

    def begin_run(self, paths: list[str]) -> int: ...

    def add(self, item: PreparedArticle, run_id: int) -> AddOutcome: ...

    def reject(self, rejection: Rejection, run_id: int) -> None: ...

    def checkpoint(self) -> None: ...

    def near_duplicates_in_run(self, run_id: int) -> int: ...

    def finish_run(self, run_id: int, report: dict[str, Any]) -> None: ...


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did. ``accepted`` counts documents read (stored or duplicate);
    ``near_duplicates`` counts the run's new articles that point to an earlier near-copy at
    the end of the run."""

    run_id: int | None = None
    accepted: int = 0
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0
    near_duplicates: int = 0
    non_english: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "run_id": self.run_id,
            "accepted": self.accepted,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "near_duplicates": self.near_duplicates,
            "non_english": self.non_english,
            "rejected": [asdict(r) for r in self.rejected],
            "skipped": dict(sorted(self.skipped.items())),
        }


# --- extraction records (RECORDS.md: actors, places, events, casualties, attributions) ----------
ActorKind = Literal["person", "organisation", "country", "group", "outlet", "anonymous"]
Polarity = Literal["positive", "negated"]
Modality = Literal["asserted", "reported", "planned", "hypothetical", "offered", "requested"]


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets into an article's ``text``; ``end`` is exclusive."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Count:
    """A count as a range: ``low`` <= ``best`` <= ``high``; a bound nobody gave is None."""

    low: int | None
    best: int | None
    high: int | None


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date or date range (ISO ``YYYY-MM-DD``), its precision and the text it came from."""

    start: str | None
    end: str | None
    precision: DatePrecision
    text: str


@dataclass(slots=True)
class Actor:
    """A person, organisation, country, armed group, outlet or anonymous source of one article.

    ``country`` is ISO 3166-1 alpha-3; ``sector`` one of military, government, police, rebel,
    civilian, media, international, business, or None when unknown.
    """

    id: str
    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    mentions: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Place:
    """A place the article names, resolved in the offline gazetteer.

    ``country`` is ISO alpha-3; ``precision`` 1 the exact town, 2 a district or near a town,
    3 a province, country, region or sea; ``near`` when the text hedges ("near Kabul").
    ``feature``: city, admin2, admin1, country, region or sea.
    """

    id: str
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    feature: str
    gazetteer_id: str
    precision: int
    mentions: list[Span] = field(default_factory=list)
    near: bool = False
    #: A region or sea ("Central Asia", "the Gulf"): its member or shore countries (alpha-3);
    #: ``country`` is then None unless the region lies in one country. Empty for other places.
    countries: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    """Who did what to whom, where and when, typed in PLOVER with an ACLED-style type."""

    id: str
    type: str
    evidence: Span
    trigger: str
    mode: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    source_actor: str | None = None
    target_actor: str | None = None
    place: str | None = None
    date: DateValue | None = None
    polarity: Polarity = "positive"
    modality: Modality = "asserted"
    attribution: str | None = None
    trigger_span: Span | None = None
    place_precision: int | None = None
    #: ACLED's columns, named as ACLED names them: ``disorder_type`` ("Political violence",
    #: "Demonstrations", "Strategic developments" or "Political violence; Demonstrations"),
    #: ``civilian_targeting`` ("Civilian targeting" or null), the actor types ``inter1`` (source)
    #: and ``inter2`` (target) as ACLED's codes 1-8, and ``interaction``, the two codes lower
    #: first (17: state forces on civilians; 60: protesters alone). Null when not known.
    disorder_type: str | None = None
    civilian_targeting: str | None = None
    inter1: int | None = None
    inter2: int | None = None
    interaction: int | None = None


@dataclass(slots=True)
class Casualty:
    """Killed and injured in one victim group, from one sentence, linked to its event.

    An aggregate figure counts over more than one happening: a whole war ("the war has
    killed 300,000"), a period ("since 2011", "this year"), a sum of many happenings or groups
    ("in total") or a whole place ("across the province"). It is kept with ``aggregate`` True,
    ``scope`` one of conflict, period, total, place, ``scope_text`` the words that made it so,
    and ``event`` None (it is no event's toll); ``context_of`` names the event it was read
    beside, for which it is context. ``victim`` is the name of a named victim counted one
    ("Jane Doe, 34, was killed"): the same name again in the article is the same person.
    """

    event: str | None
    group: str
    killed: Count | None
    injured: Count | None
    evidence: Span
    attribution: str | None = None
    part_of: str | None = None
    aggregate: bool = False
    scope: str | None = None
    scope_text: str | None = None
    context_of: str | None = None
    victim: str | None = None


@dataclass(slots=True)
class Attribution:
    """Who says a claim, through whom, with which cue and stance.

    ``speaker`` and ``via`` are actor ids of the article; ``via`` is whoever relays the claim
    (the outlet an official told, the report a claim comes from). ``quote`` holds the quoted
    words when the claim is, or contains, a direct quote. ``stance`` is one of asserts,
    denies, confirms, admits, retracts, disputes.
    """

    id: str
    claim: Span
    speaker: str | None
    cue: str
    stance: str
    evidence: Span
    anonymous: bool = False
    via: str | None = None
    first_report: bool = False
    quote: str | None = None
    cue_lemma: str | None = None
    speaker_text: str | None = None
    direct: bool = False
    sentence: Span | None = None


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one article: the JSON shape of RECORDS.md."""

    article: Article
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    casualties: list[Casualty] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the records as JSON-ready data."""
        return asdict(self)


# --- incidents (issue 7): reports of one happening fused across articles -----------------------
@dataclass(frozen=True, slots=True)
class ClaimFigure:
    """Casualty figures a claim gives for one victim group."""

    group: str
    killed: Count | None
    injured: Count | None = None


@dataclass(slots=True)
class Claim:
    """What one source says about an incident: one attribution of one article.

    ``id`` is ``article_id/attribution_id``; ``speaker_party`` and ``perpetrator_party`` name
    who speaks and who is blamed, by party where the party table knows one (all names of one
    side are one party: "usa-state" for the Pentagon and the US military, "syr-state" for
    Syrian, regime and government forces; see ``overhorizon.nlp.parties``), else by name;
    ``speaker_side`` and ``perpetrator_side`` are the side of that party (None when the name is
    no known party: a witness, an outlet, an unknown organisation), what grading compares;
    ``source`` is the independent source it counts as ("outlet:<name>": the canonical copy's
    outlet, or the outlet it only relays); ``responds_to`` lists the earlier claims this one
    contradicts or corrects.
    """

    id: str
    article: str
    outlet: str | None
    published: str | None
    speaker: str | None
    stance: str
    source: str
    events: list[str] = field(default_factory=list)
    speaker_sector: str | None = None
    speaker_party: str | None = None
    anonymous: bool = False
    via: str | None = None
    first_report: bool = False
    negated: bool = False
    perpetrator: str | None = None
    perpetrator_party: str | None = None
    #: Whom its events were done to, by name (the first event's target that has one).
    target: str | None = None
    figures: list[ClaimFigure] = field(default_factory=list)
    evidence: Span = field(default_factory=lambda: Span(0, 0))
    responds_to: list[str] = field(default_factory=list)
    speaker_side: str | None = None
    perpetrator_side: str | None = None
    #: The side of ``target`` (as for the perpetrator): fighting each other is no contest.
    target_side: str | None = None
    #: The reporting word of its attribution as written ("acknowledged"), None for none.
    cue: str | None = None
    #: The claim's own words (its clause, at most 200 characters), kept for claims that admit,
    #: confirm, deny or dispute, or take responsibility: what a grade's reason quotes.
    words: str | None = None
    #: The words by which someone takes responsibility in its sentence ("claimed
    #: responsibility", "he was fully responsible"), prefixed by who when not the speaker
    #: ("Islamic State: claimed responsibility"); ``responsible_side`` is that one's side.
    responsibility: str | None = None
    responsible_side: str | None = None
    #: True when its events include harm a party can be responsible for (ASSAULT, COERCE).
    harm: bool = False


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Two claims (``a`` earlier, ``b`` later) that cannot both be right: ``kind`` one of
    casualties, denial, admission, perpetrator; ``why`` in words."""

    a: str
    b: str
    kind: str
    why: str


@dataclass(frozen=True, slots=True)
class CasualtyRange:
    """Killed in one victim group across an incident's claims, with the claims behind each
    bound; ``best_reason`` says which rule chose ``best`` (docs/incidents.md).

    ``overlaps`` names a more specific group whose figure is as large or larger ("100 people"
    beside "100 civilians", "10 civilians" beside "10 children"): these are likely the same
    dead, so this range is shown and not added to the incident's toll."""

    group: str
    killed: Count
    low_claims: list[str]
    best_claims: list[str]
    high_claims: list[str]
    best_reason: str
    overlaps: str | None = None


@dataclass(frozen=True, slots=True)
class AggregateClaim:
    """A count over more than one happening that an article gives beside an incident's event
    ("the war has killed more than 300,000 since 2011"): context for the incident, never part
    of its toll. ``claim`` is the claim id (``article_id/attribution_id``), ``event`` the report
    key of the event it was read beside; ``scope`` is conflict, period, total or place, and
    ``scope_text`` the words that made it so."""

    claim: str
    article: str
    outlet: str | None
    published: str | None
    event: str
    group: str
    killed: Count | None
    injured: Count | None
    scope: str
    scope_text: str | None
    evidence: Span


#: Grade suggestions (docs/incidents.md), best first: "at least fair" keeps confirmed and fair.
GRADES = ("confirmed", "fair", "weak", "contested", "discounted")

#: Characters of an article's text that make its lead (after the title): what the whole
#: article is about, which fusion compares and from which alert titles are chosen.
LEAD_CHARS = 400


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One article with reports in an incident, as fusion assesses it: its extraction (the
    article and its records), its events in the incident (event ids), and its canonical copy:
    ``canonical`` the id of the copy it near-duplicates (or its own), ``canonical_outlet`` and
    ``url`` that copy's outlet and address (which match it to the source registry)."""

    extraction: Extraction
    canonical: str
    canonical_outlet: str | None
    events: tuple[str, ...] = ()
    url: str | None = None

    @property
    def id(self) -> str:
        return self.extraction.article.id

    @property
    def outlet(self) -> str | None:
        return self.extraction.article.outlet

    @property
    def published(self) -> str | None:
        return self.extraction.article.published


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """Claim sources that count as one independent source; ``why`` says in words what joined
    them (None for a source on its own)."""

    sources: tuple[str, ...]
    why: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """Why fusion joined two reports (``a``, ``b``: report keys ``article_id/event_id``):
    the score of their comparison and its reasons in words ("same mode (drone)")."""

    a: str
    b: str
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class IncidentTrail:
    """The source trail of an incident: everything behind its headline fields.

    ``reports`` and ``claims_attached`` are report keys (``article_id/event_id``): the reports
    of the happening, and reports that are only claims about it (a denial); ``sources`` the
    distinct claim sources (``outlet:<name>`` lower-cased, or ``article:<id>``);
    ``independence`` the groups of sources that count as one, when the source registry joined
    some; ``casualty_rule`` the rule that chose each ``best`` figure; ``context`` the aggregate
    figures its articles give beside it (a war's or a year's toll), shown and never summed.
    """

    reports: list[str] = field(default_factory=list)
    claims_attached: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    casualties: list[CasualtyRange] = field(default_factory=list)
    casualty_rule: str = ""
    independence: list[SourceGroup] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    context: list[AggregateClaim] = field(default_factory=list)

    @property
    def source_names(self) -> list[str]:
        """The sources as outlet names, spelt as the articles spell them when known ("The New
        York Times", not "the new york times")."""
        spelt: dict[str, str] = {}
        for c in self.claims:
            if c.outlet:
                spelt.setdefault("outlet:" + c.outlet.lower(), c.outlet)
            if c.via:
                spelt.setdefault("outlet:" + c.via.lower(), c.via)
        return [spelt.get(s, s.removeprefix("outlet:")) for s in self.sources]

    def killed(self) -> Count | None:
        """Killed summed over victim groups (``low``, ``best``, ``high``; a bound no group
        gave counts as that group's ``best``), a group that ``overlaps`` a more specific one
        left out; None when no group has a figure. Aggregate figures (``context``) are never
        part of it."""
        return sum_counts(c.killed for c in self.casualties if c.overlaps is None)


def sum_counts(counts: Iterable[Count | None]) -> Count | None:
    """Counts added bound by bound: a missing ``low`` or ``high`` counts as the count's
    ``best`` (a missing ``best`` as its ``low``, else ``high``); None when none has a figure."""
    low = best = high = 0
    seen = False
    for c in counts:
        if c is None:
            continue
        b = c.best if c.best is not None else c.low if c.low is not None else c.high
        if b is None:
            continue
        seen = True
        low += c.low if c.low is not None else b
        best += b
        high += c.high if c.high is not None else b
    return Count(min(low, best), best, max(high, best)) if seen else None


@dataclass(slots=True)
class Incident:
    """One real happening fused from the reports of many articles (docs/incidents.md).

    Dates are ISO ``YYYY-MM-DD`` with a precision; ``place`` the name of its most precise
    place, ``country`` ISO 3166-1 alpha-3, ``place_precision`` 1 the town to 3 a province or
    country; ``reports``, ``articles``, ``sources`` and ``contradictions`` are counts (the
    lists are in ``trail``); ``deaths`` the best figure of the killed summed over victim
    groups (:meth:`IncidentTrail.killed`: overlapping groups once, aggregate figures never;
    ACLED's ``disorder_type``, ``civilian_targeting``, ``inter1``, ``inter2`` and
    ``interaction`` are those of its events of the winning ACLED type, as on :class:`Event`;
    None when nobody gave one); ``grade`` an Airwars-style suggestion
    (confirmed, fair, weak, contested, discounted) with its reason; ``updated_at`` when the
    store last wrote it (UTC ISO-8601). ``summary`` is its source trail (the name of the
    store's column and of the JSON key that holds it), loaded with the incident's detail and
    its exports (None in lists).
    """

    id: str
    type: str
    mode: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    disorder_type: str | None = None
    civilian_targeting: str | None = None
    inter1: int | None = None
    inter2: int | None = None
    interaction: int | None = None
    date_start: str | None = None
    date_end: str | None = None
    date_precision: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    place_precision: int | None = None
    reports: int = 0
    articles: int = 0
    sources: int = 0
    contradictions: int = 0
    deaths: int | None = None
    grade: str = "weak"
    grade_reason: str = ""
    updated_at: str | None = None
    summary: IncidentTrail | None = None

    @property
    def label(self) -> str:
        """Its type and mode in one word: "ASSAULT/drone", or "ASSAULT" with no mode."""
        return incident_label(self.type, self.mode)


def incident_label(type_: str, mode: str | None) -> str:
    """An incident's (or an event's) type and mode as one word: "ASSAULT/drone", or "ASSAULT"."""
    return type_ + (f"/{mode}" if mode else "")


# --- the source registry (watch) -----------------------------------------------------------

KINDS = (
    "wire",
    "newspaper",
    "broadcaster",
    "state media",
    "ngo",
    "government",
    "social",
    "other",
)

#: Kinds whose outlet speaks for the state of its country (see docs/sources.md).
STATE_KINDS = frozenset({"state media", "government"})

#: Where a source was registered: the registry file or the store (``sources add``).
ORIGINS = ("file", "store")


@dataclass(frozen=True, slots=True)
class Source:
    """One registered source. ``urls`` are feeds (RSS, Atom, JSON Feed), sitemaps or pages;
    ``country`` is ISO 3166-1 alpha-3; ``language`` ISO 639-1; ``owner`` groups outlets that
    are not independent of each other (same owner; a state outlet names its state, e.g.
    ``government:RUS``); ``domains`` are the hosts the outlet publishes under (lower-case,
    without ``www.``), by which an article's URL is matched to it; ``origin`` says where it
    was registered, ``file`` or ``store``."""

    name: str
    urls: tuple[str, ...]
    kind: str = "other"
    country: str | None = None
    language: str | None = None
    owner: str | None = None
    notes: str | None = None
    domains: tuple[str, ...] = ()
    origin: str = "file"

    def fields(self) -> dict[str, Any]:
        """The source as a ``[[source]]`` table has it (``origin`` aside), for the store and
        JSON."""
        return {
            "name": self.name,
            "urls": list(self.urls),
            "kind": self.kind,
            "country": self.country,
            "language": self.language,
            "owner": self.owner,
            "notes": self.notes,
            "domains": list(self.domains),
        }
