"""Numbers as news writes them: "1,200", "twenty-three", "a dozen", "at least 60", "dozens of".

Text is read as a list of ``Token`` (``tokenize``); ``read_quantity`` reads one quantity phrase at a
token index and returns it as a ``Count`` range (``low`` <= ``best`` <= ``high``, None where the
text gives no bound). Conventions, shared by every step that counts:

- a plain number is exact: "60" → low 60, best 60, high 60; "a dozen" is 12, "half a dozen" 6;
- "at least 60", "more than 60", "over 60", "no fewer than 60" → low 60, best 60, high None
  (the stated figure is the floor and the best guess, as ACLED codes "more than 50" as 50);
- "up to 20", "as many as 20", "no more than 20", "fewer than 20", "at most 20" → high 20 only;
- "nearly 170", "almost 170", "close to 170" → best 170, high 170 (low None);
- "about/around/some/roughly/approximately/an estimated 170" → best 170 only;
- "between 10 and 15", "10 to 15", "10-15", "two or three" → low 10, high 15, best None;
- vague quantities give a floor only (low, best None, high None): "a few" 2, "a handful" 2,
  "several" 3, "dozens" 24, "scores" 40, "hundreds" 200, "thousands" 2000, "tens of thousands"
  20000; "several dozen" 36, "a few hundred" 200. "many" and "some" alone are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from overhorizon.records import Count

_TOKEN_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d])|\d+\.\d+|[^\W_]+(?:[-'’][^\W_]+)*|\S")

UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
MULTIPLIERS: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# Vague plural quantities: the floor they imply (see the module docstring).
_VAGUE_PLURALS: dict[str, int] = {
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
}
_LIMIT = 10**9  # larger "counts" are not counts of people; refuse them

Bound = Literal["exact", "floor", "ceiling", "near", "approx"]

# Modifier phrases before a number, longest first, and the bound each one gives.
_MODIFIERS: tuple[tuple[tuple[str, ...], Bound], ...] = (
    (("no", "fewer", "than"), "floor"),
    (("no", "less", "than"), "floor"),
    (("in", "excess", "of"), "floor"),
    (("no", "more", "than"), "ceiling"),
    (("as", "many", "as"), "ceiling"),
    (("at", "least"), "floor"),
    (("more", "than"), "floor"),
    (("upwards", "of"), "floor"),
    (("just", "over"), "floor"),
    (("up", "to"), "ceiling"),
    (("at", "most"), "ceiling"),
    (("fewer", "than"), "ceiling"),
    (("less", "than"), "ceiling"),
    (("close", "to"), "near"),
    (("just", "under"), "near"),
    (("an", "estimated"), "approx"),
    (("over",), "floor"),
    (("nearly",), "near"),
    (("almost",), "near"),
    (("about",), "approx"),
    (("around",), "approx"),
    (("some",), "approx"),
    (("approximately",), "approx"),
    (("roughly",), "approx"),
    (("estimated",), "approx"),
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word, number or punctuation mark; ``start``/``end`` are character offsets."""

    text: str
    lower: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity phrase read at tokens ``start``..``end`` (exclusive).

    ``singular`` is True for "a"/"an"/"one" (the caller must find a singular noun after it);
    ``plain`` for a bare number with no modifier and no number words (a year-like "2021" is plain).
    """

    count: Count
    start: int
    end: int
    singular: bool = False
    plain: bool = False


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens: "1,200", "twenty-three" and "10-year-old" are one token each."""
    return [
        Token(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)
    ]


def parse_cardinal(text: str) -> int | None:
    """Return the value of a number written in digits or words ("1,200", "twenty-three",
    "two hundred and five", "a dozen"), or None if ``text`` is not exactly one number."""
    tokens = tokenize(text)
    if not tokens:
        return None
    read = _read_number(tokens, 0)
    if read is None or read[1] != len(tokens):
        return None
    return read[0]


def _word_value(word: str) -> int | None:
    """The value of one number word: "seven", "twenty", "twenty-three"."""
    if word in UNITS:
        return UNITS[word]
    if word in TENS:
        return TENS[word]
    head, sep, tail = word.partition("-")
    if sep and head in TENS and tail in UNITS and 0 < UNITS[tail] < 10:
        return TENS[head] + UNITS[tail]
    return None


def _digits(word: str) -> float | None:
    if len(word) > 15:
        return None  # no count of people has that many digits
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", word):
        return float(word.replace(",", ""))
    if re.fullmatch(r"\d+\.\d+", word):
        return float(word)
    return None


def _read_number(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """Read one exact number at ``i``: digits (with "million" etc.) or number words.

    Return (value, end index) or None.
    """
    n = len(tokens)
    if i >= n:
        return None
    word = tokens[i].lower
    digits = _digits(word)
    if digits is not None:
        value, j = digits, i + 1
        if j < n and tokens[j].lower in MULTIPLIERS:
            value *= MULTIPLIERS[tokens[j].lower]
            j += 1
        if value != int(value) or value > _LIMIT:
            return None
        return int(value), j
    if (
        word in ("a", "an")
        and i + 1 < n
        and tokens[i + 1].lower in ("dozen", "hundred", "thousand")
    ):
        base = 12 if tokens[i + 1].lower == "dozen" else MULTIPLIERS[tokens[i + 1].lower]
        return base, i + 2
    if word == "half" and [t.lower for t in tokens[i + 1 : i + 3]] == ["a", "dozen"]:
        return 6, i + 3
    return _read_words(tokens, i)


def _read_words(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """Read number words: "seven", "twenty-three", "one hundred and sixty-nine", "two dozen"."""
    n = len(tokens)
    total = current = 0
    j = i
    seen = False
    while j < n:
        word = tokens[j].lower
        value = _word_value(word)
        if value is not None:
            last = current % 100
            if seen and not (last == 0 or (last >= 20 and last % 10 == 0 and value < 10)):
                break  # "two three" is two numbers
            current += value
            seen = True
            j += 1
            continue
        if seen and word == "dozen":
            current *= 12
            j += 1
            continue
        if seen and word in MULTIPLIERS:
            current = max(current, 1) * MULTIPLIERS[word]
            if MULTIPLIERS[word] > 100:
                total += current
                current = 0
            j += 1
            continue
        after_round = seen and current % 100 == 0 and (current or total)
        if after_round and word == "and" and j + 1 < n and _word_value(tokens[j + 1].lower):
            j += 1  # "two hundred and five"
            continue
        break
    if not seen:
        return None
    return total + current, j


def _read_core(tokens: list[Token], i: int) -> tuple[Count, int, bool, bool] | None:
    """Read the number or vague quantity at ``i``, before any modifier is applied.

    Return (count, end, singular, vague) with an exact count as low=best=high.
    """
    n = len(tokens)
    if i >= n:
        return None
    word = tokens[i].lower
    nxt = tokens[i + 1].lower if i + 1 < n else ""
    # Vague plurals, possibly "tens of thousands", "dozens of".
    if word == "tens" and nxt == "of" and i + 2 < n and tokens[i + 2].lower == "thousands":
        return _vague(tokens, i + 3, 20000)
    if word in _VAGUE_PLURALS:
        return _vague(tokens, i + 1, _VAGUE_PLURALS[word])
    if word in ("several", "few") or (word == "a" and nxt in ("few", "handful")):
        step = 1 if word in ("several", "few") else 2
        if word == "few":
            return None  # "few were hurt" means almost none: not a count
        floor = 3 if word == "several" else 2
        after = tokens[i + step].lower if i + step < n else ""
        if after == "dozen":
            return _vague(tokens, i + step + 1, floor * 12)
        if after in ("hundred", "thousand"):
            return _vague(tokens, i + step + 1, floor * MULTIPLIERS[after])
        return _vague(tokens, i + step, floor)
    if re.fullmatch(r"\d{1,9}-\d{1,9}", word):
        low, _, high = word.partition("-")
        if int(low) < int(high) <= _LIMIT:
            return Count(int(low), None, int(high)), i + 1, False, False
        return None
    read = _read_number(tokens, i)
    if read is not None:
        value, j = read
        return Count(value, value, value), j, False, False
    if word in ("a", "an"):
        return Count(1, 1, 1), i + 1, True, False
    return None


def _vague(tokens: list[Token], j: int, floor: int) -> tuple[Count, int, bool, bool]:
    if j < len(tokens) and tokens[j].lower == "of":
        j += 1
    return Count(floor, None, None), j, False, True


def _apply(count: Count, bound: Bound) -> Count:
    """Apply a modifier's bound to an exact count (vague counts and ranges stay as they are)."""
    value = count.best
    if value is None or bound == "exact":
        return count
    if bound == "floor":
        return Count(value, value, None)
    if bound == "ceiling":
        return Count(None, None, value)
    if bound == "near":
        return Count(None, value, value)
    return Count(None, value, None)


def read_quantity(tokens: list[Token], i: int) -> Quantity | None:
    """Read a quantity phrase starting at token ``i``, or return None.

    Covers an optional modifier ("at least", "nearly", "up to", "between"), the number itself, and
    a range ("10 to 15", "two or three", "between 10 and 15").
    """
    n = len(tokens)
    if i >= n:
        return None
    bound: Bound = "exact"
    j = i
    words = [t.lower for t in tokens[i : i + 3]]
    if words[:1] == ["between"]:
        return _read_between(tokens, i)
    for phrase, phrase_bound in _MODIFIERS:
        if tuple(words[: len(phrase)]) == phrase:
            bound, j = phrase_bound, i + len(phrase)
            break
    core = _read_core(tokens, j)
    if core is None:
        return None
    count, end, singular, vague = core
    if bound != "exact" and singular:
        return None  # "about a" is not a quantity
    plain = bound == "exact" and not singular and not vague and _digits(tokens[j].lower) is not None
    exact = bound == "exact" and not vague and not singular and count.best is not None
    after = [t.lower for t in tokens[end : end + 2]]
    if exact and after == ["or", "more"]:
        return Quantity(_apply(count, "floor"), i, end + 2)
    if exact and after == ["or", "so"]:
        return Quantity(_apply(count, "approx"), i, end + 2)
    # A range: "10 to 15", "two or three"; not "from 10 to 15", which is a change.
    from_ = i > 0 and tokens[i - 1].lower == "from"
    if exact and not from_ and after[:1] in (["to"], ["or"]) and count.best is not None:
        upper = _read_number(tokens, end + 1)
        if upper is not None and upper[0] > count.best:
            return Quantity(Count(count.best, None, upper[0]), i, upper[1])
    return Quantity(_apply(count, bound), i, end, singular=singular, plain=plain)


def _read_between(tokens: list[Token], i: int) -> Quantity | None:
    """Read "between 10 and 15" (low 10, high 15)."""
    low = _read_number(tokens, i + 1)
    if low is None or low[1] >= len(tokens) or tokens[low[1]].lower != "and":
        return None
    high = _read_number(tokens, low[1] + 1)
    if high is None or high[0] <= low[0]:
        return None
    return Quantity(Count(low[0], None, high[0]), i, high[1])
