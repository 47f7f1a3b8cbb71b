"""Page furniture: the parts of an article's text that are not the report.

Tag lists ("Tags Aleppo Syria"), lists of links to other stories ("Related: ..."), share boxes
("Get short URL"), bylines, image credits ("(AFP Photo)"), copyright lines and "Last updated"
stamps are found by the patterns of ``data/boilerplate.tsv``; datelines ("KABUL —", "MOSCOW
(Sputnik)", "BEIRUT Air strikes ...") are found too and kept apart, since a dateline names the
place of the report. The stored text is never changed: :func:`find_furniture` returns character
spans into it, and the extraction keeps actors, attributions and events out of them
(``overhorizon_furniture``), so that evidence offsets still index the article's text.

A pattern's ``extent`` says how far the furniture runs: ``match``, the match itself; ``list``,
the list of names after the match: to the end of its line when the line is short, else (text
without line breaks) until a sentence starts: a full stop, a capitalised function word ("The",
"At"), a number, or a lower-case function word, before which the sentence's first capitalised
word starts it ("... Assad war Government air raids in a town ..." ends before "Government"). A
heading alone on its line ("Related stories") takes the short lines after it as its list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from overhorizon.nlp import lexicon
from overhorizon.nlp.lexicon import LexiconError

BOILERPLATE_COLUMNS: Final = ("kind", "extent", "pattern", "notes")
KINDS: Final = frozenset(
    {"tags", "related", "short-url", "share", "byline", "credit", "copyright", "updated",
     "dateline"}
)  # fmt: skip
_EXTENTS: Final = frozenset({"match", "list"})
#: Longest line that a list runs to the end of; longer lines are text without line breaks.
_SHORT_LINE: Final = 300
#: A link line after a heading alone on its line: shorter than this, no final full stop.
_LINK_LINE: Final = 160
_MAX_LIST_WORDS: Final = 40
# Words that start a sentence rather than continue a list of names.
_OPENERS: Final = frozenset({
    "The", "A", "An", "At", "In", "On", "Some", "More", "Many", "Several", "Dozens", "Hundreds",
    "Thousands", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "It",
    "He", "She", "They", "We", "This", "That", "These", "Those", "There", "According",
})  # fmt: skip
_FUNCTION: Final = frozenset({
    "in", "of", "on", "at", "to", "for", "from", "by", "with", "the", "a", "an", "was", "were",
    "is", "are", "has", "have", "had", "that", "who", "which", "said", "says", "will", "would",
    "could", "after", "before", "during", "as",
})  # fmt: skip
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Furniture:
    """One piece of page furniture: ``kind`` from ``data/boilerplate.tsv``, ``start`` and
    ``end`` character offsets into the text."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Pattern:
    kind: str
    extent: str
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> tuple[_Pattern, ...]:
    """The shipped patterns, read and compiled on first use."""
    source = lexicon._source("boilerplate.tsv")
    out = []
    rows = lexicon.parse_tsv(lexicon._text("boilerplate.tsv"), source, BOILERPLATE_COLUMNS)
    for line, row in rows:
        if row["kind"] not in KINDS:
            raise LexiconError(source, line, f"unknown kind {row['kind']!r}")
        if row["extent"] not in _EXTENTS:
            raise LexiconError(source, line, f"unknown extent {row['extent']!r}")
        try:
            regex = re.compile(row["pattern"], re.MULTILINE)
        except re.error as err:
            raise LexiconError(source, line, f"pattern does not compile: {err}") from err
        out.append(_Pattern(row["kind"], row["extent"], regex))
    return tuple(out)


def find_furniture(text: str) -> list[Furniture]:
    """The page furniture of ``text``, in text order, overlapping pieces of one kind merged."""
    found: list[Furniture] = []
    for p in patterns():
        for m in p.regex.finditer(text):
            if m.end() == m.start():
                continue
            if p.kind == "dateline" and _is_actor_name(m.group().strip(" \t—–-")):
                continue  # "ISIS", "SOHR": a known name in capitals, not a town
            end = _list_end(text, m.start(), m.end()) if p.extent == "list" else m.end()
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            found.append(Furniture(p.kind, start, end))
    found.sort(key=lambda f: (f.start, -f.end))
    merged: list[Furniture] = []
    for f in found:
        last = merged[-1] if merged else None
        if last is not None and last.kind == f.kind and f.start <= last.end:
            merged[-1] = Furniture(f.kind, last.start, max(last.end, f.end))
        elif last is None or f.end > last.end or f.kind != last.kind:
            merged.append(f)
    return merged


def _is_actor_name(word: str) -> bool:
    from overhorizon.nlp.parties import party_of

    return bool(word) and (lexicon.actor_for(word) is not None or party_of(word) is not None)


def _list_end(text: str, start: int, at: int) -> int:
    """Where the list of names whose heading runs from ``start`` to ``at`` ends (see the
    module docstring)."""
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    line_start = text.rfind("\n", 0, start) + 1
    rest = text[at:line_end]
    own_line = not text[line_start:start].strip() and line_end - line_start <= _SHORT_LINE
    heading = own_line and len(rest.split()) <= 2 and not re.search(r"[.!?:,|]", rest)
    if heading and line_end < len(text):  # "Related stories" alone: the short lines after it
        end = line_end
        while end < len(text):
            nxt = text.find("\n", end + 1)
            nxt = len(text) if nxt < 0 else nxt
            line = text[end + 1 : nxt].strip()
            if not line or len(line) > _LINK_LINE or line[-1] in '.!?"”':
                break
            end = nxt
        return end
    if own_line:
        return line_end
    words = list(_WORD.finditer(rest))[:_MAX_LIST_WORDS]
    for n, w in enumerate(words):
        word = w.group()
        if n and (word in _OPENERS or word[0].isdigit()):
            return at + w.start()
        if word.strip(",;:").lower() in _FUNCTION and n:
            back = n - 1  # back to the first capitalised word of the sentence's subject
            while back > 0 and not words[back].group()[0].isupper():
                back -= 1
            return at + words[back].start() if back > 0 else at + w.start()
        if word.endswith((".", "!", "?")) and not word[:-1].isupper():
            return at + w.end()
    return at + words[-1].end() if words else at
