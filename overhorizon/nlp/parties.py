"""Parties: which side of a conflict an actor's name stands for (``data/parties.tsv``).

All the names of one side are one party: "Syrian forces", "regime forces", "government forces"
and "the Syrian army" are the Syrian government side; "the Pentagon", "US Central Command" and
"the US military" the US side. Fusion compares claims by party, so that two names of one side
never make an incident contested.

A name is looked up, first rule that holds:

1. among the ``names`` of a party (anywhere);
2. among the ``local_names`` of a party whose country is where the happening is ("government
   forces" in Syria is the Syrian government side, in Afghanistan the Republic's forces);
3. by the actor's country and sector: a state's organs (a sector in the party's ``sectors``)
   are the state's party, and so is the country itself; a state without a row is
   ``<alpha-3>-state``.

What no rule finds is no party (:func:`party_of` returns None). ``side`` groups parties that
never contest each other: the US-led coalition is on the US side, ISIS-K on the Islamic State's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from overhorizon.nlp import lexicon
from overhorizon.nlp.lexicon import LexiconError

PARTY_COLUMNS: Final = (
    "party", "name", "side", "country", "sectors", "names", "local_names", "notes",
)  # fmt: skip
_STATE_SECTORS: Final = frozenset({"government", "military", "police"})


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a conflict: ``id`` as in the table (``syr-state``), ``name`` for readers,
    ``side`` the id of the side it is on (its own id unless it fights on another's), ``country``
    alpha-3 or None."""

    id: str
    name: str
    side: str
    country: str | None = None
    sectors: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PartyTable:
    """The parsed table: parties by id, and name keys (case-folded) to party ids."""

    parties: Mapping[str, Party]
    names: Mapping[str, str]
    local_names: Mapping[tuple[str, str], str]  # (country, key) -> party id


def _key(name: str) -> str:
    """A name's key: case-folded, without a leading "the"; a name in capitals ("IS", "US")
    matches only as written."""
    key = lexicon.name_key(name)
    key = key[4:] if key[:4].casefold() == "the " else key
    if any(c.isalpha() for c in key) and not any(c.islower() for c in key):
        return "=" + key
    return key.casefold()


_DATE_WORDS: Final = re.compile(
    r"^(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|\d+)\s+", re.I
)


def _keys(name: str) -> list[str]:
    """The keys a found name may match: as a name in capitals and case-folded; a date run
    into the name by a page ("Jul 2016 Opposition forces") is left out."""
    key = lexicon.name_key(name)
    while _DATE_WORDS.match(key):
        key = _DATE_WORDS.sub("", key, count=1)
    key = key[4:] if key[:4].casefold() == "the " else key
    folded = key.casefold()
    other = folded[:-1] if folded.endswith("s") else folded + "s"  # "Syrian rebel"
    return list(dict.fromkeys(["=" + key, folded, *([other] if len(folded) > 4 else [])]))


def parse_parties(text: str, source: str, codes: Iterable[str]) -> PartyTable:
    """Read parties.tsv text; stops at a wrong row with the file and line."""
    known = set(codes)
    parties: dict[str, Party] = {}
    names: dict[str, str] = {}
    local: dict[tuple[str, str], str] = {}
    rows = lexicon.parse_tsv(text, source, PARTY_COLUMNS)
    for line, row in rows:
        pid, country = row["party"], row["country"] or None
        if not pid or pid != pid.lower() or pid in parties:
            raise LexiconError(source, line, f"party id {pid!r} is empty, not lower case or twice")
        if country is not None and country not in known:
            raise LexiconError(source, line, f"unknown country {country!r}")
        sectors = frozenset(s for s in row["sectors"].split(";") if s)
        if not sectors <= _STATE_SECTORS:
            raise LexiconError(source, line, f"sectors {sorted(sectors)} are not state sectors")
        parties[pid] = Party(pid, row["name"], row["side"] or pid, country, sectors)
        for alias in (a for a in row["names"].split(";") if a):
            seen = names.setdefault(_key(alias), pid)
            if seen != pid:
                raise LexiconError(source, line, f"{alias!r} already names party {seen!r}")
        for alias in (a for a in row["local_names"].split(";") if a):
            if country is None:
                raise LexiconError(source, line, "local names need the party's country")
            seen = local.setdefault((country, _key(alias)), pid)
            if seen != pid:
                raise LexiconError(source, line, f"{alias!r} already names party {seen!r} here")
    for line, row in rows:
        if row["side"] and row["side"] not in parties:
            raise LexiconError(source, line, f"side {row['side']!r} is no party of the table")
    return PartyTable(parties, names, local)


@lru_cache(maxsize=1)
def party_table() -> PartyTable:
    """The shipped table, read on first use."""
    text = lexicon._text("parties.tsv")
    return parse_parties(text, lexicon._source("parties.tsv"), lexicon.countries())


def _state(country: str) -> Party:
    """The party of a state's organs: the table's row for it, else ``<alpha-3>-state``."""
    for p in party_table().parties.values():
        if p.country == country and "government" in p.sectors:
            return p
    pid = f"{country.lower()}-state"
    name = lexicon.country_name(country) or country
    return Party(pid, f"the {name} state", pid, country, _STATE_SECTORS)


def party_of(
    name: str | None,
    *,
    aliases: Iterable[str] = (),
    kind: str | None = None,
    country: str | None = None,
    sector: str | None = None,
    where: str | Iterable[str] | None = None,
) -> Party | None:
    """The party an actor stands for: by its name or an alias, by a local name where the
    happening is (``where``: alpha-3, or the countries it may be in, likeliest first; a local
    name of one country only needs none), or as a state's organ by ``country`` and
    ``sector``; None when no rule finds one (a witness, an outlet, an unknown name)."""
    table = party_table()
    keys = [k for n in (name, *aliases) if n for k in _keys(n)]
    for k in keys:
        if k in table.names:
            return table.parties[table.names[k]]
    places = [where] if isinstance(where, str) else list(where or ())
    for place in [*places, country]:
        for k in keys:
            if place and (place, k) in table.local_names:
                return table.parties[table.local_names[(place, k)]]
    for k in keys:  # "regime forces" is local to one country only
        owners = {pid for (_c, key), pid in table.local_names.items() if key == k}
        if len(owners) == 1:
            return table.parties[owners.pop()]
    if country and (sector in _STATE_SECTORS or kind == "country"):
        return _state(country)
    return None


def party_named(pid: str | None) -> str | None:
    """A party's name for readers ("the Syrian government side"), None for no party."""
    if pid is None:
        return None
    p = party_table().parties.get(pid)
    if p is not None:
        return p.name
    if pid.endswith("-state") and len(pid) == 9:
        return _state(pid[:3].upper()).name
    return pid
