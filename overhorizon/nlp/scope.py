"""Aggregate casualty figures: counts over a war, a period or a place, not one happening's toll.

"The war has killed more than 300,000 people since 2011" gives a figure about the whole war;
"bringing the number killed in the province this year to 480" one about a year. Such a figure is
context for a happening, never its toll. The cues that make a figure aggregate are rows of
``nlp/data/aggregate_cues.tsv`` (its README says how a cue is written); this module reads the
table on first use and finds, for each casualty figure of a sentence, the cue that scopes it.

A cue scopes a figure of the same clause: a sentence splits into clauses at ``;``, ``:``,
dashes, brackets and the words that start a new clause ("bringing the toll to", "while",
"but", "when": "no strikes since August 29th, when a drone killed 10" keeps the 10 a toll).
Each cue row says which figure of its clause it reaches: the figure right ``after`` it ("the
war has killed ..."), the one right ``before`` it ("... have died in the war"), or the nearest
one in the ``clause`` ("since 2011"). A cue with ``requires`` words counts only when one
of them is in the clause; one with ``unless`` words not when one of them is ("so far in the
attack" is a happening's toll as it stands). A superlative just before a cue undoes it ("the
deadliest attack since 2015"), and so do "earlier" and "later" before "this year" (a date).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Final, Literal, get_args

from overhorizon.nlp.lexicon import DATA_DIR, LexiconError, parse_tsv
from overhorizon.nlp.numbers import UNITS, Token, parse_cardinal

Scope = Literal["conflict", "period", "total", "place"]
"""What an aggregate figure counts over: a whole war, a period, a sum of many happenings or
groups, or a whole place."""
Attach = Literal["after", "before", "clause"]
SCOPES: Final = get_args(Scope)
ATTACH: Final = get_args(Attach)
CUE_COLUMNS: Final = ("cue", "scope", "attach", "requires", "unless", "notes")
TABLE: Final = "aggregate_cues.tsv"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Word classes a cue may name in angle brackets.
_MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_CLASSES: Final[dict[str, frozenset[str]]] = {
    "war": _words(
        "war wars conflict conflicts uprising uprisings revolution revolt insurgency crisis "
        "turmoil civil-war"
    ),
    "toll-verb": _words("killed claimed left caused cost taken"),
    "month": _MONTHS,
    "long-period": _words("week weeks month months year years decade decades"),
}
_DYNAMIC = frozenset({"year", "n", "n-year"})  # classes read by rule, not by word list
_N_YEAR = re.compile(r"^([a-z]+|\d+)-(year|month|week|day)(?:-old|-long)?$")
_BOUNDARIES = frozenset({";", ":", "—", "–", "(", ")", ".", "?", "!"})
_CLAUSE_STARTS = frozenset(
    {"bringing", "raising", "taking", "pushing", "lifting", "while", "whereas", "but", "when"}
)
_SUPERLATIVES = frozenset(
    {"deadliest", "worst", "bloodiest", "biggest", "largest", "heaviest", "first", "highest"}
)
_DATE_BEFORE = frozenset({"earlier", "later", "late", "early"})
_GAP = {"*": 4, "**": 12}
# Nouns of one happening: a gap does not skip them ("the war, where a car bomb has killed 12"
# is the bomb's toll, not the war's).
_HAPPENINGS = _words(
    "attack attacks strike strikes airstrike airstrikes bomb bombs bombing bombings blast "
    "explosion raid raids shelling assault massacre ambush incident shooting"
)
_REACH = 6  # tokens between a figure and an "after" or "before" cue


@dataclass(frozen=True, slots=True)
class _Item:
    """One position of a cue: any of ``words``, or a class, or a gap of up to ``gap`` tokens."""

    words: frozenset[str] = frozenset()
    classes: tuple[str, ...] = ()
    optional: bool = False
    gap: int = 0


@dataclass(frozen=True, slots=True)
class AggregateCue:
    """One row of the cue table: its items, the scope it gives and the figure it reaches."""

    cue: str
    items: tuple[_Item, ...]
    scope: Scope
    attach: Attach
    requires: frozenset[str]
    unless: frozenset[str]
    line: int


@dataclass(frozen=True, slots=True)
class ScopeCue:
    """The scope of one aggregate figure and the words that made it so (``start``/``end``
    character offsets into the sentence as tokenized)."""

    scope: Scope
    start: int
    end: int


def _parse_item(word: str, source: str, line: int) -> _Item:
    if word in _GAP:
        return _Item(gap=_GAP[word])
    optional = word.endswith("?")
    word = word.rstrip("?")
    words: set[str] = set()
    classes: list[str] = []
    for part in word.split("|"):
        if part.startswith("<") and part.endswith(">"):
            name = part[1:-1]
            if name not in _CLASSES and name not in _DYNAMIC:
                raise LexiconError(source, line, f"unknown word class {part!r}")
            classes.append(name)
        elif part and part == part.lower():
            words.add(part)
        else:
            raise LexiconError(source, line, f"cue word {part!r} must be lower case")
    return _Item(frozenset(words), tuple(classes), optional)


def parse_cues(text: str, source: str) -> tuple[AggregateCue, ...]:
    """Read the cue table's text, checking every row; a bad row raises LexiconError."""
    out = []
    for line, row in parse_tsv(text, source, CUE_COLUMNS):
        if not row["cue"]:
            raise LexiconError(source, line, "cue is empty")
        if row["scope"] not in SCOPES:
            raise LexiconError(source, line, f"unknown scope {row['scope']!r}; one of {SCOPES}")
        if row["attach"] not in ATTACH:
            raise LexiconError(source, line, f"unknown attach {row['attach']!r}; one of {ATTACH}")
        items = tuple(_parse_item(w, source, line) for w in row["cue"].split())
        if items[0].gap or items[0].optional or items[-1].gap:
            raise LexiconError(source, line, "a cue starts and ends with a word")
        out.append(
            AggregateCue(
                cue=row["cue"],
                items=items,
                scope=row["scope"],  # type: ignore[arg-type]
                attach=row["attach"],  # type: ignore[arg-type]
                requires=frozenset(w for w in row["requires"].split(";") if w),
                unless=frozenset(w for w in row["unless"].split(";") if w),
                line=line,
            )
        )
    return tuple(out)


@functools.cache
def cues() -> tuple[AggregateCue, ...]:
    """The shipped cue table, read and checked on first use."""
    text = resources.files("overhorizon.nlp").joinpath("data", TABLE).read_text(encoding="utf-8")
    return parse_cues(text, f"{DATA_DIR}/{TABLE}")


def _norm(word: str) -> str:
    """A token as cues read it: lower case, without a possessive ("Syria's" is "syria")."""
    for ending in ("'s", "’s"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


def _in_class(name: str, word: str) -> bool:
    if name == "year":
        return word.isdigit() and len(word) == 4 and 1900 <= int(word) <= 2100
    if name == "n":
        return word in UNITS or parse_cardinal(word) is not None
    if name == "n-year":
        m = _N_YEAR.match(word)
        return bool(m and (m.group(1).isdigit() or parse_cardinal(m.group(1)) is not None))
    return word in _CLASSES[name]


def _matches(item: _Item, word: str) -> bool:
    return word in item.words or any(_in_class(c, word) for c in item.classes)


def _match(items: tuple[_Item, ...], words: list[str], i: int, stop: int) -> int | None:
    """The end of ``items`` matched at ``words[i:]`` (before ``stop``), else None."""
    if not items:
        return i
    item, rest = items[0], items[1:]
    if item.gap:
        for k in range(item.gap + 1):
            if i + k > stop or (k and words[i + k - 1] in _HAPPENINGS):
                break
            end = _match(rest, words, i + k, stop)
            if end is not None:
                return end
        return None
    if i < stop and _matches(item, words[i]):
        end = _match(rest, words, i + 1, stop)
        if end is not None:
            return end
    return _match(rest, words, i, stop) if item.optional else None


def clauses(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token ranges of the clauses of a sentence (see the module docstring)."""
    out, start = [], 0
    for k, t in enumerate(tokens):
        if t.lower in _BOUNDARIES:
            out.append((start, k))
            start = k + 1
        elif t.lower in _CLAUSE_STARTS and k > start:
            out.append((start, k))
            start = k
    out.append((start, len(tokens)))
    return [(a, b) for a, b in out if b > a]


def _undone(cue: AggregateCue, words: list[str], start: int, clause_start: int) -> bool:
    before = words[max(clause_start, start - 4) : start]
    if _SUPERLATIVES & set(before):
        return True  # "the deadliest attack since 2015"
    return "this" in cue.items[0].words and bool(before) and before[-1] in _DATE_BEFORE


def aggregate_scopes(tokens: list[Token], figures: list[tuple[int, int]]) -> list[ScopeCue | None]:
    """For each figure (a token range of ``tokens``), the cue that makes it aggregate, else
    None; a figure two cues reach takes the one of the earlier table row."""
    words = [_norm(t.lower) for t in tokens]
    found: list[ScopeCue | None] = [None] * len(figures)
    for a, b in clauses(tokens):
        inside = [n for n, (s, e) in enumerate(figures) if a <= s < b]
        if not inside:
            continue
        present = set(words[a:b])
        for cue in cues():
            if cue.requires and not cue.requires & present:
                continue
            if cue.unless & present:
                continue
            for i in range(a, b):
                end = _match(cue.items, words, i, b)
                if end is None or end == i or _undone(cue, words, i, a):
                    continue
                n = _reached(cue.attach, [(m, *figures[m]) for m in inside], i, end)
                if n is not None and found[n] is None:  # rows in table order: earlier wins
                    found[n] = ScopeCue(cue.scope, tokens[i].start, tokens[end - 1].end)
    return found


def _reached(
    attach: Attach, figures: list[tuple[int, int, int]], start: int, end: int
) -> int | None:
    """The figure (index, start, end) a cue at ``start``..``end`` reaches, if any."""
    if attach == "after":  # a verb-first figure starts with the cue's verb: "has killed 10"
        after = [(s - end, n) for n, s, _e in figures if start < s <= end + _REACH]
        return min(after)[1] if after else None
    if attach == "before":
        before = [(start - e, n) for n, s, e in figures if s < start and start - e <= _REACH]
        return min(before)[1] if before else None

    def distance(f: tuple[int, int, int]) -> tuple[int, int]:
        _n, s, e = f
        return (max(s - end, start - e, 0), 0 if e <= start else 1)

    return min(figures, key=distance)[0]
