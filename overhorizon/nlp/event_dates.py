"""Events' dates from their sentences and from their article (``overhorizon_events``).

An event takes, in this order:

1. **its sentence's date** (``basis`` "text"): a DATE or TIME entity of the parse, resolved by
   :func:`overhorizon.nlp.dates.resolve_date` (the events component picks the entity tied to
   the trigger, else the nearest one of the sentence). A date that points back ("the same
   day", "that day", "the next day") takes the nearest earlier day-date of the text within
   ``ANAPHORA_SENTENCES`` sentences. A publication stamp at the head of the page ("Wed 05 Apr
   2017", "Published April 2 2017") is not a date of the sentence it runs into. A happening
   reported as real (asserted or reported) is never dated after publication: a future cue
   elsewhere in its sentence ("will") does not move "on Friday" into next week for it;
2. **its article's date** (``basis`` "article", :func:`date_from_article`): an event of the
   article's first ``CARRY_SENTENCES`` sentences with no date of its own, in an article whose
   lead is dated to the day (the first event of its first ``LEAD_SENTENCES`` sentences with a
   day of its own, at most ``LEAD_MAX_DAYS`` before publication), continues that happening
   and takes its day, unless its sentence recalls something older ("earlier", "last month",
   "ago", "since", "previous"). With no dated lead, an article with a wire dateline
   ("DAMASCUS, Sept 24 (Reuters) -", "Aleppo SANA-") gives its lead sentence the dateline's
   day (the publication day when the dateline has none);
3. **its article's publication date** (``basis`` "published"): the week before publication
   (precision ``range``), which says only "reported by then"; never counted as dated to the
   day.

Only positive happenings (asserted or reported) take an article's or a publication date: a
plan, a hypothesis or a negated event keeps what its own sentence says, or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Span

from overhorizon.nlp.dates import anaphoric_shift, resolve_date
from overhorizon.records import DateValue, Event

#: Sentences from the start of the text whose events may continue the lead's happening.
CARRY_SENTENCES = 6
#: Sentences from the start of the text read for the lead's date.
LEAD_SENTENCES = 3
#: A lead date further back than this from publication is history, not the news (days).
LEAD_MAX_DAYS = 10
#: Sentences back that "the same day" may point at.
ANAPHORA_SENTENCES = 3
#: Days before publication that a publication-only date covers (fusion's undated window).
PUBLISHED_WINDOW_DAYS = 7
#: Characters at the start of a page where a publication stamp stands.
STAMP_CHARS = 150

HAPPENING = frozenset({"asserted", "reported"})
_STAMP_CUE = re.compile(r"(?:published|updated|publication|posted)\W*$", re.IGNORECASE)
_HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
# Words of a sentence that recalls something older than the lead's happening.
_RECALL = re.compile(
    r"\b(?:earlier|previous(?:ly)?|last (?:week|month|year)|ago|since|former(?:ly)?|"
    r"in the past|history|historic|anniversary|years?|months?|weeks?)\b",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"(?:^|[.!?\s])[A-Z][A-Za-z'-]+,?(?: (?P<date>(?:[A-Z][a-z]{2,8}\.?) \d{1,2}))? ?"
    r"(?:\((?:Reuters|AFP|AP|SANA|Xinhua|Anadolu|Sputnik|IANS|UPI|dpa)\)|SANA) ?[-–—]"
)
_DATELINE_CHARS = 400


def is_stamp(ent: Span, published: dt.date | None) -> bool:
    """Whether a date entity is the page's publication stamp ("Wed 05 Apr 2017" at its head,
    "Published April 2 2017"): a full date within a day of ``published``."""
    if published is None or not _HAS_YEAR.search(ent.text):
        return False
    doc = ent.doc
    before = doc.text[max(0, ent.start_char - 30) : ent.start_char]
    if ent.start_char >= STAMP_CHARS and not _STAMP_CUE.search(before):
        return False
    value = resolve_date(_plain(ent.text), None)
    if value is None or value.precision != "day" or value.start is None:
        return False
    return abs((dt.date.fromisoformat(value.start) - published).days) <= 1


def date_of_entity(
    ent: Span, published: dt.date | None, modality: str = "asserted"
) -> DateValue | None:
    """The date a DATE or TIME entity gives an event of its sentence (basis "text"), or
    None; a happening (asserted or reported) is never dated after ``published``."""
    doc = ent.doc
    shift = anaphoric_shift(ent.text)
    if shift is not None:
        return _pointed_at(ent, shift, published)
    before = doc[ent.start - 1].text if ent.start > 0 else ""
    text = _plain(ent.text)
    value = resolve_date(text, published, context=ent.sent.text, before=before)
    if (
        value is not None
        and published is not None
        and modality in HAPPENING
        and value.start is not None
        and value.start > published.isoformat()
    ):
        # "will" elsewhere in the sentence; the happening itself is reported as past
        value = resolve_date(text, published, before=before)
        if value is not None and value.start is not None and value.start > published.isoformat():
            return None  # "next Wednesday" for something reported as done: a misreading
    return value


def _plain(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") and anaphoric_shift(text) is None else text


def _pointed_at(ent: Span, shift: int, published: dt.date | None) -> DateValue | None:
    """ "the same day": the nearest earlier day-date of the text, shifted by ``shift`` days."""
    doc = ent.doc
    first_sent = ent.sent.start
    sents = list(doc.sents)
    index = next((n for n, s in enumerate(sents) if s.start == first_sent), 0)
    floor = sents[max(0, index - ANAPHORA_SENTENCES)].start
    earlier = [
        e
        for e in doc.ents
        if e.label_ in {"DATE", "TIME"} and floor <= e.start and e.end <= ent.start
    ]
    for other in reversed(earlier):
        if anaphoric_shift(other.text) is not None or is_stamp(other, published):
            continue
        before = doc[other.start - 1].text if other.start > 0 else ""
        value = resolve_date(_plain(other.text), published, context=other.sent.text, before=before)
        if value is None or value.precision != "day" or value.start is None:
            continue
        day = dt.date.fromisoformat(value.start) + dt.timedelta(days=shift)
        if published is not None and day > published:
            return None
        return DateValue(day.isoformat(), day.isoformat(), "day", ent.text)
    return None


def date_from_article(doc: Doc, events: Iterable[Event], published: dt.date | None) -> None:
    """Give the events with no date of their own the article's date (basis "article") when
    they continue its lead's happening, else the publication date (basis "published"); see
    the module's docstring. Changes ``events`` in place."""
    events = list(events)
    if published is None:
        return
    sents = list(doc.sents)
    starts = [s.start_char for s in sents]

    def sentence_of(e: Event) -> int:
        index = 0
        for n, start in enumerate(starts):
            if start <= e.evidence.start:
                index = n
        return index

    lead = (
        _lead_date(events, sentence_of, published)
        or _lead_sentence_date(sents, published)
        or _dateline_date(doc, published)
    )
    today = published.isoformat()
    for e in events:
        if e.modality in HAPPENING and e.date is not None and (e.date.start or "") > today:
            e.date = None  # a merged mention's plan ("will meet on Friday"): not this one's day
        if e.date is not None or e.polarity != "positive" or e.modality not in HAPPENING:
            continue
        n = sentence_of(e)
        if lead is not None and n < CARRY_SENTENCES and not _RECALL.search(sents[n].text):
            value, reach = lead
            if n < reach:
                e.date = DateValue(value.start, value.end, value.precision, value.text, "article")
                continue
        start = published - dt.timedelta(days=PUBLISHED_WINDOW_DAYS)
        e.date = DateValue(
            start.isoformat(), published.isoformat(), "range", published.isoformat(), "published"
        )


def _lead_date(
    events: list[Event], sentence_of: Callable[[Event], int], published: dt.date
) -> tuple[DateValue, int] | None:
    """The day of the lead's happening and how many sentences it reaches, or None."""
    for e in sorted(events, key=lambda e: e.evidence.start):
        if sentence_of(e) >= LEAD_SENTENCES:
            return None
        d = e.date
        if (
            d is None
            or d.basis != "text"
            or d.precision != "day"
            or d.start is None
            or e.polarity != "positive"
            or e.modality not in HAPPENING
        ):
            continue
        age = (published - dt.date.fromisoformat(d.start)).days
        if 0 <= age <= LEAD_MAX_DAYS:
            return d, CARRY_SENTENCES
    return None


def _lead_sentence_date(sents: list[Span], published: dt.date) -> tuple[DateValue, int] | None:
    """The first day-date of the lead's sentences that no event holds ("a monitor said
    Thursday"): the day the lead reports, at most ``LEAD_MAX_DAYS`` before publication."""
    for sent in sents[:LEAD_SENTENCES]:
        for ent in sent.ents:
            if ent.label_ != "DATE" or is_stamp(ent, published):
                continue
            value = date_of_entity(ent, published)
            if value is None or value.precision != "day" or value.start is None:
                continue
            if 0 <= (published - dt.date.fromisoformat(value.start)).days <= LEAD_MAX_DAYS:
                return value, CARRY_SENTENCES
    return None


def _dateline_date(doc: Doc, published: dt.date) -> tuple[DateValue, int] | None:
    """The day of a wire dateline near the top ("DAMASCUS, Sept 24 (Reuters) -", "Aleppo
    SANA-"), reaching its own sentence only; the publication day when it names none."""
    m = _DATELINE.search(doc.text[:_DATELINE_CHARS])
    if m is None:
        return None
    if m["date"]:
        value = resolve_date(m["date"], published)
        if value is None or value.precision != "day":
            return None
        value = DateValue(value.start, value.end, "day", m.group().strip(" .-–—"))
    else:
        day = published.isoformat()
        value = DateValue(day, day, "day", m.group().strip(" .-–—"))
    sents = list(doc.sents)
    reach = next((n + 1 for n, s in enumerate(sents) if s.end_char > m.end()), 1)
    return value, reach
