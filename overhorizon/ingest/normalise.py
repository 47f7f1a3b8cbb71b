"""Text normalisation, the article key, and publication dates."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

# C0/C1 controls except tab and newline, and other characters no text store should hold.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS_RE = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """Return the text as stored: NFC, Unix newlines, no control characters, tidy whitespace.

    Paragraph breaks survive as one blank line; runs of spaces become one space.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _CONTROL_RE.sub("", text)
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS_RE.sub("\n\n", "\n".join(lines)).strip()


def article_key(text: str) -> str:
    """Return the article id: sha256 of the text with all whitespace runs folded to one space."""
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def clean_field(value: object) -> str | None:
    """Return a one-line metadata value, or None when empty."""
    if value is None:
        return None
    s = " ".join(normalise_text(str(value)).split())
    return s or None


@dataclass(frozen=True, slots=True)
class Published:
    """A publication date: the local date, the UTC instant if a time was given, the raw text."""

    date: str
    at: str | None
    text: str


def parse_published(raw: str | None) -> Published | None:
    """Parse ISO 8601, RFC 822 or free-form dates; None when nothing plausible is found."""
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    dt: datetime | None = None
    day: date | None = None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            dt = _dateparser(text)
    if dt is None:
        return None
    day = dt.date()
    if not (1900 <= day.year <= 2100):
        return None
    has_time = len(text) > 10 and (dt.hour or dt.minute or dt.second or "T" in text or ":" in text)
    at: str | None = None
    if has_time:
        aware = dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
        at = aware.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return Published(date=day.isoformat(), at=at, text=text[:200])


def _dateparser(text: str) -> datetime | None:
    if len(text) > 100:
        return None
    import dateparser  # slow to import; only needed for free-form dates

    parsed: datetime | None = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed
