"""The database schema (SQLAlchemy Core). Every change here is an Alembic revision too."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(32), nullable=False, comment="UTC ISO-8601"),
    Column("finished_at", String(32), comment="UTC ISO-8601; null while running or if it died"),
    Column("status", String(16), nullable=False, comment="running|finished|interrupted"),
    Column("paths", JSON, nullable=False),
    Column("report", JSON),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(64), primary_key=True, comment="sha256 of the normalised text"),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("authors", JSON, nullable=False),
    Column("published", String(10), comment="YYYY-MM-DD as the source gave it"),
    Column("published_at", String(32), comment="UTC instant when the source gave a time"),
    Column("published_precision", String(8)),
    Column("published_text", Text),
    Column("language", String(8)),
    Column("language_confidence", Float),
    Column("non_english", Boolean, nullable=False),
    Column("text", Text, nullable=False),
    Column("chars", Integer, nullable=False),
    Column(
        "near_duplicate_of",
        String(64),
        ForeignKey("articles.id"),
        comment="the earliest-published copy this one nearly repeats",
    ),
    Column("minhash", LargeBinary, nullable=False),
    Column("first_run_id", Integer, ForeignKey("ingest_runs.id"), nullable=False),
    Column("created_at", String(32), nullable=False),
    Index(None, "near_duplicate_of"),
    Index(None, "published"),
)

article_sources = Table(
    "article_sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "source_key",
        String(64),
        nullable=False,
        unique=True,
        comment="sha256 of locator and article id: one row per place an article was seen",
    ),
    Column("article_id", String(64), ForeignKey("articles.id"), nullable=False),
    Column("run_id", Integer, ForeignKey("ingest_runs.id"), nullable=False),
    Column("kind", String(16), nullable=False, comment="file|stdin|warc|feed|jsonl|json"),
    Column("locator", Text, nullable=False),
    Column("path", Text),
    Column("url", Text),
    Column("warc_record_id", Text),
    Column("feed", Text),
    Column("line", Integer),
    Column("entry", Integer),
    Column("external_id", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("published_at", String(32)),
    Column("authors", JSON, nullable=False),
    Column("created_at", String(32), nullable=False),
    Index(None, "article_id"),
)

article_bands = Table(
    "article_bands",
    metadata,
    Column("band_key", String(48), primary_key=True, comment="LSH band: perms.rows.band:hash"),
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("ingest_runs.id"), nullable=False),
    Column("source", Text, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Index(None, "run_id"),
)

# --- extraction (issue 4): one row per article and pipeline version, plus queryable records ---
extractions = Table(
    "extractions",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("pipeline", String(200), nullable=False, comment="model and component versions"),
    Column("records", JSON, nullable=False, comment="actors, events, casualties as RECORDS.md"),
    Column("created_at", String(32), nullable=False),
)

actors = Table(
    "actors",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("actor_id", String(16), primary_key=True, comment="a1, a2 ... within the article"),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("country", String(8)),
    Column("sector", String(24)),
    Column("aliases", JSON, nullable=False),
    Column("mentions", JSON, nullable=False, comment="[{start, end}] character offsets"),
    Index(None, "name"),
)

events = Table(
    "events",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("event_id", String(16), primary_key=True),
    Column("type", String(16), nullable=False, comment="PLOVER type"),
    Column("mode", String(32)),
    Column("acled_event_type", String(40)),
    Column("acled_sub_event_type", String(60)),
    Column("disorder_type", String(40), comment="ACLED disorder type"),
    Column("civilian_targeting", String(20), comment="'Civilian targeting' or null"),
    Column("inter1", Integer, comment="ACLED actor type code of the source, 1-8"),
    Column("inter2", Integer, comment="ACLED actor type code of the target, 1-8"),
    Column("interaction", Integer, comment="the two codes, lower first (17, 12, 60)"),
    Column("source_actor", String(16)),
    Column("target_actor", String(16)),
    Column("place", String(16)),
    Column("place_precision", Integer, comment="of this event's location reading"),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("date_precision", String(8)),
    Column("date_text", Text),
    Column("polarity", String(10), nullable=False),
    Column("modality", String(16), nullable=False),
    Column("attribution", String(16)),
    Column("trigger", Text, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Index(None, "type"),
    Index(None, "date_start"),
)

casualties = Table(
    "casualties",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(64), ForeignKey("articles.id"), nullable=False),
    Column("event_id", String(16)),
    Column("group", String(16), nullable=False),
    Column("killed_low", Integer),
    Column("killed_best", Integer),
    Column("killed_high", Integer),
    Column("injured_low", Integer),
    Column("injured_best", Integer),
    Column("injured_high", Integer),
    Column("part_of", String(16)),
    Column("attribution", String(16)),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Index(None, "article_id"),
)

attributions = Table(
    "attributions",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("attribution_id", String(16), primary_key=True, comment="t0 is the article's outlet"),
    Column("speaker", String(16), comment="actor id of the article"),
    Column("via", String(16), comment="actor id that relays the claim"),
    Column("cue", String(40), nullable=False),
    Column("cue_lemma", String(40)),
    Column("stance", String(10), nullable=False),
    Column("anonymous", Boolean, nullable=False),
    Column("first_report", Boolean, nullable=False),
    Column("direct", Boolean, nullable=False),
    Column("quote", Text),
    Column("speaker_text", Text),
    Column("claim_start", Integer, nullable=False),
    Column("claim_end", Integer, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
)

places = Table(
    "places",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("place_id", String(16), primary_key=True, comment="p1, p2 ... within the article"),
    Column("name", Text, nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("feature", String(16), nullable=False),
    Column("gazetteer_id", String(32), nullable=False),
    Column("precision", Integer, nullable=False, comment="1 town, 2 district or near, 3 province"),
    Column("near", Boolean, nullable=False),
    Column("mentions", JSON, nullable=False),
    Column("countries", JSON, comment="a region's or sea's member countries (alpha-3)"),
    Index(None, "gazetteer_id"),
)

# --- incidents (issue 7): reports of one happening fused across articles ---
incidents = Table(
    "incidents",
    metadata,
    Column("id", String(24), primary_key=True, comment="i- + sha256 of its first report key"),
    Column("type", String(16), nullable=False, comment="PLOVER type"),
    Column("mode", String(32)),
    Column("acled_event_type", String(40)),
    Column("acled_sub_event_type", String(60)),
    Column("disorder_type", String(40), comment="ACLED disorder type"),
    Column("civilian_targeting", String(20), comment="'Civilian targeting' or null"),
    Column("inter1", Integer, comment="ACLED actor type code of the source, 1-8"),
    Column("inter2", Integer, comment="ACLED actor type code of the target, 1-8"),
    Column("interaction", Integer, comment="the two codes, lower first (17, 12, 60)"),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("date_precision", String(8)),
    Column("place", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(8)),
    Column("place_precision", Integer),
    Column("reports", Integer, nullable=False, comment="events of articles fused here"),
    Column("articles", Integer, nullable=False),
    Column("sources", Integer, nullable=False, comment="independent sources"),
    Column("grade", String(12), nullable=False, comment="confirmed|fair|weak|contested|discounted"),
    Column("grade_reason", Text, nullable=False),
    Column("contradictions", Integer, nullable=False),
    Column("deaths", Integer, comment="killed, best figure summed over victim groups"),
    Column(
        "summary",
        JSON,
        nullable=False,
        comment="claims, contradictions, casualties, sources, links",
    ),
    Column("updated_at", String(32), nullable=False),
    Column("search_text", Text, comment="place, titles, sentences, names: searched"),
    Index(None, "date_start"),
    Index(None, "type"),
    # The list's order (0008), carrying date_end for ranges (0012); ranges from the other end.
    Index("ix_incidents_date_order", "date_start", "id", "date_end"),
    Index("ix_incidents_date_end", "date_end", "date_start"),
    Index("ix_incidents_deaths", "deaths", "id"),
    Index("ix_incidents_grade", "grade", "date_start"),
    Index("ix_incidents_lat_lon", "lat", "lon"),  # map boxes (0012)
    Index("ix_incidents_articles", "articles", "id"),  # the list's other orders (0012)
    Index("ix_incidents_sources", "sources", "id"),
    # Full-text search over search_text (0012), outside this metadata: an FTS5 table kept in
    # step by triggers on SQLite, a GIN tsvector index on PostgreSQL. See store/search.py.
)

incident_reports = Table(
    "incident_reports",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("event_id", String(16), primary_key=True),
    Column("incident_id", String(24), ForeignKey("incidents.id"), nullable=False),
    Column("role", String(8), nullable=False, comment="report (a happening) or claim (a denial)"),
    Index(None, "incident_id"),
)

article_stories = Table(
    "article_stories",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("story", String(64), nullable=False, comment="the story's first article"),
    Column("main_event", String(16), comment="the article's main happening (an event id)"),
)

incident_decisions = Table(
    "incident_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_a", String(90), nullable=False, comment="article_id/event_id"),
    Column("report_b", String(90), nullable=False),
    Column("kind", String(8), nullable=False, comment="together|apart"),
    Column("note", Text),
    Column("created_at", String(32), nullable=False),
)

# --- watch: the source registry (migration 0009) --------------------------------------------
sources = Table(
    "sources",
    metadata,
    Column("name", String(200), primary_key=True, comment="unique regardless of case"),
    Column("urls", JSON, nullable=False, comment="feeds, sitemaps or pages, http(s)"),
    Column("kind", String(16), nullable=False, comment="wire|newspaper|...|other (KINDS)"),
    Column("country", String(3), comment="ISO 3166-1 alpha-3"),
    Column("language", String(8), comment="ISO 639-1"),
    Column("owner", Text, comment="outlets of one owner are one source to fusion"),
    Column("notes", Text),
    Column("domains", JSON, nullable=False, comment="hosts it publishes under, without www."),
    Column("created_at", String(32), nullable=False, comment="UTC ISO-8601"),
    Column("updated_at", String(32), nullable=False, comment="UTC ISO-8601"),
)

# --- watch: what was fetched, with its validators (migration 0010) --------------------------
fetch_state = Table(
    "fetch_state",
    metadata,
    Column("url", Text, primary_key=True, comment="as registered or as a listing gave it"),
    Column("source", Text, nullable=False, comment="name of the registered source"),
    Column("role", String(8), nullable=False, comment="source, sitemap (of an index) or entry"),
    Column("kind", String(16), comment="rss|atom|jsonfeed|sitemap|sitemapindex|page"),
    Column("etag", Text),
    Column("last_modified", String(64), comment="as the server sent it"),
    Column("last_status", Integer, comment="HTTP status of the last answer"),
    Column("last_fetched_at", String(32), comment="UTC ISO-8601"),
    Column("failures", Integer, nullable=False, comment="failed fetches in a row"),
    Column("last_reason", String(32), comment="reason code of the last failure or rejection"),
    Column("last_detail", Text),
    Column("article_id", String(64), ForeignKey("articles.id"), comment="what the page gave"),
    Index(None, "source"),
)

# --- watch: rules and the alerts they raised (migration 0011) --------------------------------
rules = Table(
    "rules",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("origin", String(8), nullable=False, comment="store (rules add) or file (rules.toml)"),
    Column("spec", JSON, nullable=False, comment="the rule's fields as rules.toml has them"),
    Column("created_at", String(32), nullable=False, comment="UTC ISO-8601; for file: first seen"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule", String(100), nullable=False),
    Column("incident_id", String(24), nullable=False, comment="no foreign key: fusion rewrites"),
    Column("kind", String(8), nullable=False, comment="new|changed"),
    Column("fingerprint", String(64), nullable=False, comment="casualty ranges and grade"),
    Column("reasons", JSON, nullable=False, comment="why the rule matched, in words"),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False, comment="the incident in a few lines, as sent"),
    Column("created_at", String(32), nullable=False),
    Column("webhook", String(8), nullable=False, comment="none|pending|sent|failed"),
    Column("webhook_at", String(32), comment="when it was sent"),
    Column("email", String(8), nullable=False, comment="none|pending|sent|failed"),
    Column("email_at", String(32)),
    Column("attempts", Integer, nullable=False, comment="delivery runs that tried it"),
    Column("last_error", Text, comment="delivery_failed: the latest failure's detail"),
    Index(None, "rule", "created_at"),
    Index(None, "incident_id"),
    Index(None, "created_at"),
)

alert_marks = Table(
    "alert_marks",
    metadata,
    Column("rule", String(100), primary_key=True),
    Column("incident_id", String(24), primary_key=True),
    Column("fingerprint", String(64), nullable=False, comment="as of the last alert or baseline"),
    Column("updated_at", String(32), nullable=False),
)

incident_seen = Table(
    "incident_seen",
    metadata,
    Column("incident_id", String(24), primary_key=True),
    Column("first_seen", String(32), nullable=False, comment="UTC ISO-8601: first written"),
    Index(None, "first_seen"),
)
