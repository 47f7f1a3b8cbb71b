"""Date expressions resolved against an article's publication date.

``resolve_date`` turns one expression ("August 29th", "last week", "mid-August", "since Sunday")
into a ``DateValue``: ISO start and end dates (both inclusive), a precision and the text as given.
A small regex grammar, no third-party parser. Conventions:

- a month and day without a year ("August 29th") is the latest such day on or before
  ``published``, because news reports the past; a future cue in the expression ("next",
  "coming") or in ``context`` ("will", "planned", "scheduled", "set to", "expected to", "due to
  be", "is to be", "upcoming") makes it the first one on or after ``published``. "would" is not
  a cue: "said troops would leave by August 31" is usually reported after the fact. A month
  alone ("in July") follows the same rule at month precision;
- a weekday ("on Sunday", "Monday night") is the latest such day on or before ``published``:
  news names the day of the week for anything in the past seven days, the publication day
  included (wire style has no "today"); "last Sunday" on a Sunday is the week before; after a
  future cue, the first one after;
- weeks run Monday to Sunday: "last week" is the week before the published week, precision week;
- parts of a month are ranges: early = days 1-10, mid = 11-20, late / the end of = 21-last;
  of a year: early = January-April, mid = May-August, late = September-December; of a week:
  early = Monday-Wednesday, mid = Tuesday-Thursday, late = Thursday-Sunday;
- "since X" is the range from the start of X to ``published``; "the past N days/weeks/months"
  (and "the past week", "the last month", but not "last week") is the range from ``published``
  minus N units to ``published``; "recent days/weeks/months" count as the past 7 days, 4 weeks,
  3 months; "a few" counts as 3 and "several" as 7 in "the past few days";
- "N days ago" is a day, "N weeks ago" the week that holds that day, "N months ago" a month and
  "N years ago" a year; "a few/several days ago" is a range (2-5 and 3-9 units before);
- "the weekend" is the Saturday and Sunday before ``published`` (precision range), or the one
  holding ``published`` when published on a Saturday or Sunday; "this weekend" is that one too,
  or the coming one when published on a weekday;
- two dates joined ("August 26-29", "between August 26 and September 3") are a range; "the 13th"
  is the latest 13th on or before ``published``; a numeric date only when it is unambiguous
  ("08/29/2021"; "03/04/2021" is None);
- durations that are not points in time ("three hours", "20 years", "the day", "daily", "weeks",
  "a decade") and seasons ("last summer") resolve to None;
- without ``published`` only absolute dates resolve (a full date, a month with its year, a year,
  a decade, a part of a month with its year): nothing is ever resolved against today's date.

"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from overhorizon.nlp.numbers import parse_cardinal
from overhorizon.records import DatePrecision, DateValue

_MAX_CHARS = 120  # a date expression is a few words; longer input is not one

Resolved = tuple[dt.date, dt.date, DatePrecision]

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name[1:], start=1):
    MONTHS[_name.lower()] = _number
    MONTHS[_name[:3].lower()] = _number
MONTHS["sept"] = 9
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_M = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
_WD = r"(?:" + "|".join(WEEKDAYS) + r")"
_D = r"(?:[12]\d|3[01]|0?[1-9])"
_Y = r"(?:1\d{3}|2\d{3})"
_UNIT = r"(?:day|week|month|year)s?"
_PARTS = {
    "early": "early",
    "beginning of": "early",
    "start of": "early",
    "mid": "mid",
    "middle of": "mid",
    "late": "late",
    "end of": "late",
}

# Future cues in the expression itself, and in the words around it. "next" in the context is not
# one: "the next day, August 30" is narrative, not a plan.
_FUTURE_WORDS_RE = re.compile(r"\b(?:next|coming|upcoming)\b", re.IGNORECASE)
_FUTURE_CONTEXT_RE = re.compile(
    r"\b(?:will|won't|shall|plans? to|planned|planning to|scheduled|upcoming|set to|expected to"
    r"|due to (?:be|take|meet|hold|start|begin|arrive|visit|leave|vote)|is due|are due"
    r"|is to be|are to be|intends? to)\b|'ll\b",
    re.IGNORECASE,
)


def resolve_date(
    expression: str, published: dt.date | None, *, context: str = ""
) -> DateValue | None:
    """Resolve one date expression against the publication date; None if it is not a date.

    ``context`` is the text around the expression, searched for future cues ("will",
    "scheduled"). Never raises on odd input.
    """
    if not isinstance(expression, str) or not expression.strip():
        return None
    if len(expression) > _MAX_CHARS:
        return None
    try:
        found = _resolve(_normalise(expression), published, _is_future(expression, context))
    except (ValueError, OverflowError):  # a day or year out of range: not a date
        return None
    if found is None:
        return None
    start, end, precision = found
    return DateValue(start.isoformat(), end.isoformat(), precision, expression)


def _is_future(expression: str, context: str) -> bool:
    return bool(_FUTURE_WORDS_RE.search(expression) or _FUTURE_CONTEXT_RE.search(context))


def _normalise(expression: str) -> str:
    s = expression.lower().replace("’", "'").replace("–", "-").replace("—", "-").strip()
    s = re.sub(r"^(?:on )?the (\d{1,2})(?:st|nd|rd|th)$", r"ordinal-day \1", s)
    s = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", s)
    s = re.sub(r"\b(mid|early|late)-", r"\1 ", s)
    s = re.sub(r"(?<=[a-z])\.|[,;:!?]|\.$", " ", s)
    s = " ".join(s.split())
    s = re.sub(r"^(?:on|in|at|during|over|throughout|by|as of|of)\s+", "", s)
    s = re.sub(r"^(?:early|late)\s+(?:on\s+)?(?=" + _WD + r"\b|yesterday|today)", "", s)
    if s not in ("last night", "tonight"):
        s = re.sub(r"\s+(?:night|morning|afternoon|evening|midday|noon)$", "", s)
    return s


# --- calendar helpers ---------------------------------------------------------------------------
def _week(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _add(day: dt.date, n: int, unit: str) -> dt.date:
    unit = unit.rstrip("s")
    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    return _add_months(day, n * (12 if unit == "year" else 1))


def _month_day(
    month: int, day: int, published: dt.date, future: bool, weekday: int | None = None
) -> dt.date | None:
    """The latest ``month``/``day`` on or before ``published`` (the first on or after if
    ``future``); a weekday given with it picks whichever of the two candidates matches it."""
    before = after = None
    for year in range(published.year, published.year - 9, -1):
        if day <= calendar.monthrange(year, month)[1] and dt.date(year, month, day) <= published:
            before = dt.date(year, month, day)
            break
    for year in range(published.year, published.year + 9):
        if day <= calendar.monthrange(year, month)[1] and dt.date(year, month, day) >= published:
            after = dt.date(year, month, day)
            break
    if weekday is not None:
        matching = [c for c in (before, after) if c is not None and c.weekday() == weekday]
        if len(matching) == 1:
            return matching[0]
    return after if future else before


def _day_of_month(day: int, published: dt.date, future: bool) -> dt.date | None:
    """The latest day ``day`` of a month on or before ``published`` (first on or after if
    ``future``): "the 13th"."""
    first = published.replace(day=1)
    for shift in range(13):
        month = _add_months(first, shift if future else -shift)
        if day <= calendar.monthrange(month.year, month.month)[1]:
            candidate = month.replace(day=day)
            if (candidate >= published) if future else (candidate <= published):
                return candidate
    return None


def _weekday(target: int, published: dt.date, mode: str) -> dt.date:
    """The latest ``target`` weekday strictly before ``published`` or, for mode "next", the first
    one strictly after."""
    if mode == "next":
        return published + dt.timedelta(days=(target - published.weekday() - 1) % 7 + 1)
    return published - dt.timedelta(days=(published.weekday() - target - 1) % 7 + 1)


def _count(word: str) -> int | None:
    if word in ("a", "an", "one"):
        return 1
    if word in ("a couple of", "couple of", "a couple", "two"):
        return 2
    value = parse_cardinal(word)
    return value if value is not None and 0 < value < 10_000 else None


# --- the grammar --------------------------------------------------------------------------------
def _resolve(s: str, pub: dt.date | None, future: bool, *, ranges: bool = True) -> Resolved | None:
    if s.startswith("since "):
        inner = _resolve(s[6:], pub, False, ranges=False)
        if inner is None or pub is None or inner[0] > pub:
            return None
        return inner[0], pub, "range"
    found = _absolute(s)
    if found is not None:
        return found
    found = _part(s, pub, future)
    if found is not None:
        return found
    if pub is not None:
        found = _relative(s, pub, future)
        if found is not None:
            return found
    return _range(s, pub, future) if ranges else None


def _absolute(s: str) -> Resolved | None:
    """Dates that need no publication date: full dates, a month of a year, a year, a decade."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return day, day, "day"
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if a > 12 or a == b:
            day = dt.date(year, b, a)
        elif b > 12:
            day = dt.date(year, a, b)
        else:
            return None  # 03/04/2021: April or March? Not guessed.
        return day, day, "day"
    m = re.fullmatch(
        rf"(?:{_WD} )?(?:the )?(?P<d>{_D}) (?:of )?(?P<m>{_M}) (?P<y>{_Y})", s
    ) or re.fullmatch(rf"(?:{_WD} )?(?P<m>{_M}) (?P<d>{_D}) (?P<y>{_Y})", s)
    if m:
        day = dt.date(int(m["y"]), MONTHS[m["m"]], int(m["d"]))
        return day, day, "day"
    m = re.fullmatch(rf"({_M}) (?:of )?({_Y})", s)
    if m:
        return (*_month(int(m[2]), MONTHS[m[1]]), "month")
    m = re.fullmatch(rf"(?:the )?(?:year )?({_Y})", s)
    if m:
        return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31), "year"
    m = re.fullmatch(r"(?:the )?(\d{3}0)'?s", s)
    if m:
        return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]) + 9, 12, 31), "range"
    return None


def _part(s: str, pub: dt.date | None, future: bool) -> Resolved | None:
    """Early/mid/late parts of a month, a year or a week: "mid-August", "late last month"."""
    m = re.fullmatch(
        r"(?:the )?(early|mid|late|beginning of|start of|middle of|end of) (?:the )?(.+)", s
    )
    if not m:
        return None
    part = _PARTS[m[1]]
    rest = {"month": "this month", "year": "this year", "week": "this week"}.get(m[2], m[2])
    if rest.startswith("month of "):
        rest = rest[9:]
    whole = _absolute(rest) or (_relative(rest, pub, future) if pub is not None else None)
    if whole is None:
        return None
    start, end, precision = whole
    if precision == "month":
        first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day)}[part]
        return start.replace(day=first), start.replace(day=last), "range"
    if precision == "year":
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        return _month(start.year, months[0])[0], _month(start.year, months[1])[1], "range"
    if precision == "week":
        days = {"early": (0, 2), "mid": (1, 3), "late": (3, 6)}[part]
        return start + dt.timedelta(days=days[0]), start + dt.timedelta(days=days[1]), "range"
    return None


def _relative(s: str, pub: dt.date, future: bool) -> Resolved | None:
    """Expressions that need the publication date."""
    simple = {
        "today": 0,
        "tonight": 0,
        "earlier today": 0,
        "later today": 0,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "earlier in the day": 0,
        "yesterday": -1,
        "last night": -1,
        "the day before yesterday": -2,
        "tomorrow": 1,
        "the day after tomorrow": 2,
    }
    if s in simple:
        day = pub + dt.timedelta(days=simple[s])
        return day, day, "day"
    if s == "overnight":
        return pub - dt.timedelta(days=1), pub, "range"
    m = re.fullmatch(rf"(?:({_WD}) )?(?:the )?({_D}) (?:of )?({_M})|(?:({_WD}) )?({_M}) ({_D})", s)
    if m:
        wd = m[1] or m[4]
        month, day_ = (MONTHS[m[3]], int(m[2])) if m[2] else (MONTHS[m[5]], int(m[6]))
        found = _month_day(month, day_, pub, future, WEEKDAYS[wd] if wd else None)
        return (found, found, "day") if found else None
    m = re.fullmatch(rf"(last|this|next|this past|past|this coming|coming) ({_M})|({_M})", s)
    if m:
        month = MONTHS[m[2] or m[3]]
        mode = m[1] or ("next" if future else "last")
        year = pub.year
        if mode in ("last", "this past", "past"):
            year -= month > pub.month or (month == pub.month and m[1] is not None)
        elif mode in ("next", "this coming", "coming"):
            year += month < pub.month or (month == pub.month and m[1] is not None)
        return (*_month(year, month), "month")
    m = re.fullmatch(r"ordinal-day (\d{1,2})", s)
    if m:
        found = _day_of_month(int(m[1]), pub, future)
        return (found, found, "day") if found else None
    m = re.fullmatch(rf"(?:(last|this|next|this past|past|this coming|coming) )?({_WD})", s)
    if m:
        ahead = m[1] in ("next", "this coming", "coming") or (m[1] in (None, "this") and future)
        target = WEEKDAYS[m[2]]
        if not ahead and m[1] in (None, "this") and pub.weekday() == target:
            return pub, pub, "day"  # "on Thursday" in Thursday's paper
        day = _weekday(target, pub, "next" if ahead else "last")
        return day, day, "day"
    m = re.fullmatch(r"(?:(the|this|last|next|this past|past|this coming|coming) )?weekend", s)
    if m:
        mode = m[1] or "the"
        if mode in ("this", "the") and pub.weekday() >= 5:
            saturday = pub - dt.timedelta(days=pub.weekday() - 5)
        elif mode in ("next", "this coming", "coming", "this") or (mode == "the" and future):
            saturday = _weekday(5, pub, "next")
        else:
            saturday = _weekday(5, pub, "last")
        return saturday, saturday + dt.timedelta(days=1), "range"
    m = re.fullmatch(r"(this|last|previous|the previous|next|the following) (week|month|year)", s)
    if m:
        shift = {"this": 0, "next": 1, "the following": 1}.get(m[1], -1)
        if m[2] == "week":
            return (*_week(pub + dt.timedelta(weeks=shift)), "week")
        if m[2] == "month":
            shifted = _add_months(pub.replace(day=1), shift)
            return (*_month(shifted.year, shifted.month), "month")
        year = pub.year + shift
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    m = re.fullmatch(r"(earlier|later) (?:this|in the) (week|month|year)", s)
    if m:
        unit_start, unit_end = {
            "week": _week(pub),
            "month": _month(pub.year, pub.month),
            "year": (dt.date(pub.year, 1, 1), dt.date(pub.year, 12, 31)),
        }[m[2]]
        return (unit_start, pub, "range") if m[1] == "earlier" else (pub, unit_end, "range")
    m = re.fullmatch(rf"(?:the )?(past|last|previous|next|coming) (?:(.+?) )?({_UNIT})", s)
    if m and (m[2] or m[1] != "last" or s.startswith("the ")):
        n = {"few": 3, "several": 7}.get(m[2] or "") or _count(m[2] or "one")
        if n is None or (m[2] is None and m[3].endswith("s")):
            return None
        if m[1] in ("next", "coming"):
            return pub, _add(pub, n, m[3]), "range"
        return _add(pub, -n, m[3]), pub, "range"
    m = re.fullmatch(r"(?:in )?recent (days|weeks|months)", s)
    if m:
        n = {"days": 7, "weeks": 4, "months": 3}[m[1]]
        return _add(pub, -n, m[1]), pub, "range"
    m = re.fullmatch(rf"(.+?) ({_UNIT}) ago", s)
    if m:
        return _ago(m[1], m[2], pub)
    return None


def _ago(amount: str, unit: str, pub: dt.date) -> Resolved | None:
    """ "two days ago", "a week ago", "a few days ago"."""
    if amount in ("a few", "few", "several"):
        near, far = (2, 5) if amount != "several" else (3, 9)
        return _add(pub, -far, unit), _add(pub, -near, unit), "range"
    n = _count(amount)
    if n is None:
        return None
    day = _add(pub, -n, unit)
    unit = unit.rstrip("s")
    if unit == "day":
        return day, day, "day"
    if unit == "week":
        return (*_week(day), "week")
    if unit == "month":
        return (*_month(day.year, day.month), "month")
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year"


def _range(s: str, pub: dt.date | None, future: bool) -> Resolved | None:
    """Two dates joined: "August 26 to 29", "26-29 August 2021", "between May 1 and May 3"."""
    m = re.fullmatch(rf"({_D}) ?(?:-|to|until|through|and) ?({_D}) ({_M})(?: ({_Y}))?", s)
    if m:
        tail = f" {m[3]}" + (f" {m[4]}" if m[4] else "")
        return _join(f"{m[1]}{tail}", f"{m[2]}{tail}", pub, future)
    m = re.fullmatch(rf"({_M}) ({_D}) ?(?:-|to|until|through|and) ?({_D})(?: ({_Y}))?", s)
    if m:
        year = f" {m[4]}" if m[4] else ""
        return _join(f"{m[1]} {m[2]}{year}", f"{m[1]} {m[3]}{year}", pub, future)
    separators = r" (?:to|until|till|through) | ?- ?"
    m = re.fullmatch(r"(?:between|from) (.+)", s)
    if m:
        s, separators = m[1], separators + r"| and "
    for sep in re.finditer(separators, s):
        found = _join(s[: sep.start()], s[sep.end() :], pub, future)
        if found is not None:
            return found
    return None


def _join(left: str, right: str, pub: dt.date | None, future: bool) -> Resolved | None:
    end = _resolve(right, pub, future, ranges=False)
    if end is None:
        return None
    year = re.search(rf"\b{_Y}$", right)
    if year and not re.search(rf"\b{_Y}$", left):
        left = f"{left} {year[0]}"  # "August 26 to 29 2021": the year is shared
    start = _resolve(left, pub, future, ranges=False)
    if start is None or start[0] > end[1]:
        return None
    return start[0], end[1], "range"
