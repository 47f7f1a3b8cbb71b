"""An article's toll: how many its records say were killed and injured, each victim once.

One article tells one happening many times over: the headline ("Man shot dead"), the lead ("A
29-year-old man was shot and killed"), the police account ("the victim died at the hospital"),
the name ("Jane Doe, 34, was killed"). Adding those figures counts one victim four times, so:

- figures of one sentence describe different victims, except that a figure of people whose
  kind we do not know ("a man", "Jane Doe") may be one of a named group beside it ("a woman"):
  a sentence's killed are the larger of its ``unknown`` figures and its other groups' sum;
- the article's killed are the largest sentence's, or the number of different victims named
  killed (a name and its surname alone are one person) when that is larger;
- anyone hurt is counted by the sentence that names most people hurt (killed plus injured),
  and the article's injured are those of them not killed: "Two people were shot; the
  19-year-old victim died" is one killed and one injured;
- aggregate figures (a war's or a year's toll) and parts of a group ("including seven
  children") never count, nor figures linked to no event.

Counts are best figures ("at least 60" is 60; a floor alone counts as its floor).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from overhorizon.records import Casualty, Count

# The end of a sentence: a stop and a capital after it, or a line break.
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[A-Z\"“])|\n")


@dataclass(frozen=True, slots=True)
class ArticleToll:
    """Killed and injured in an article, each victim once; None where no figure says."""

    killed: int | None
    injured: int | None


def _best(count: Count | None) -> int | None:
    if count is None:
        return None
    for value in (count.best, count.low, count.high):
        if value is not None:
            return value
    return None


def _person(name: str) -> str:
    """One key per person: "Grant Watkins" and "Watkins" are one victim."""
    return name.split()[-1].lower().strip(".,")


def article_toll(text: str, casualties: Iterable[Casualty]) -> ArticleToll:
    """The toll of the article ``text`` whose casualty records are ``casualties``."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    killed: dict[int, dict[bool, int]] = defaultdict(lambda: defaultdict(int))
    injured: dict[int, dict[bool, int]] = defaultdict(lambda: defaultdict(int))
    named_killed: set[str] = set()
    named_injured: set[str] = set()
    said_killed = said_injured = False
    for c in casualties:
        if c.aggregate or c.part_of is not None or c.event is None:
            continue
        sentence = sum(1 for e in ends if e <= c.evidence.start)
        unknown = c.group == "unknown"
        k, j = _best(c.killed), _best(c.injured)
        if k is not None:
            said_killed = True
            killed[sentence][unknown] += k
            if c.victim and k:
                named_killed.add(_person(c.victim))
        if j is not None:
            said_injured = True
            injured[sentence][unknown] += j
            if c.victim and j:
                named_injured.add(_person(c.victim))

    def total(by_kind: dict[bool, int]) -> int:
        return max(by_kind.get(True, 0), by_kind.get(False, 0))

    dead = max([*(total(v) for v in killed.values()), len(named_killed)], default=0)
    sentences = killed.keys() | injured.keys()
    hurt = max(
        [
            *(total(killed.get(s, {})) + total(injured.get(s, {})) for s in sentences),
            len(named_killed | named_injured),
        ],
        default=0,
    )
    return ArticleToll(
        killed=dead if said_killed else None,
        injured=max(hurt - dead, 0) if said_injured else (0 if said_killed else None),
    )
