"""Word lists of the NLP step: countries, known actors, titles, event triggers, PLOVER to ACLED.

The tables are UTF-8 TSV files in ``overhorizon/nlp/data/`` (its README says what each holds).
Nothing is read at import: each loader reads its table on first use, checks every row and keeps
the result. A bad row raises :class:`LexiconError` naming the file and the line.

Name matching (countries, actors, titles) ignores a trailing possessive "'s", dots ("U.S." =
"US"), hyphens and repeated spaces. Text that does not match as written is tried again without a
leading "the" ("the Pentagon"); a name written with "the" needs it ("The Hill", not "Hill"). An
alias written without lower-case letters ("US", "WHO", "RT") matches only in capitals, so "us"
and "who" never match. Other aliases match in any case as long as the text is not all lower case
("TALIBAN" and "Taliban" match, "turkey" does not); an alias written in lower case ("dpa") also
matches itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from types import MappingProxyType
from typing import Final, Generic, TypeVar

DATA_DIR: Final = "overhorizon/nlp/data"

PLOVER_TYPES: Final = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
SECTORS: Final = (
    "military", "government", "police", "rebel", "civilian", "media", "international", "business",
)  # fmt: skip
ACLED_EVENT_TYPES: Final = (
    "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
    "Strategic developments",
)  # fmt: skip
_B, _E, _V = "Battles", "Explosions/Remote violence", "Violence against civilians"
_P, _R, _S = "Protests", "Riots", "Strategic developments"
ACLED_SUB_EVENT_TYPES: Final[Mapping[str, str]] = MappingProxyType({
    "Armed clash": _B, "Government regains territory": _B,
    "Non-state actor overtakes territory": _B,
    "Chemical weapon": _E, "Air/drone strike": _E, "Suicide bomb": _E,
    "Shelling/artillery/missile attack": _E, "Remote explosive/landmine/IED": _E, "Grenade": _E,
    "Sexual violence": _V, "Attack": _V, "Abduction/forced disappearance": _V,
    "Peaceful protest": _P, "Protest with intervention": _P,
    "Excessive force against protesters": _P,
    "Violent demonstration": _R, "Mob violence": _R,
    "Agreement": _S, "Arrests": _S, "Change to group/activity": _S, "Disrupted weapons use": _S,
    "Headquarters or base established": _S, "Looting/property destruction": _S,
    "Non-violent transfer of territory": _S, "Other": _S,
})  # fmt: skip
"""ACLED's 25 sub-event types, each with its event type."""

POS_TAGS: Final = ("VERB", "NOUN")
MODALITY_HINTS: Final = ("offered", "requested", "planned")
ACTOR_KINDS: Final = ("organisation", "group", "outlet", "person")
COUNTRY_KINDS: Final = ("country", "territory", "region_or_bloc")
TITLE_KINDS: Final = ("person", "group")
MODE_ORIGINS: Final = ("PLOVER", "overhorizon")
UN_STATUS: Final = ("member", "observer")
ANY: Final = "*"

ANONYMOUS_SOURCE_NOUNS: Final = frozenset(
    {"official", "source", "diplomat", "officer", "aide", "insider", "person", "people"}
)
"""Lemmas of the role nouns an unnamed source goes by ("a senior official", "two sources",
"people familiar with"): the actor finder's heads of anonymous sources, the attribution
finder's anonymous speakers."""
SPOKESPERSON_NOUNS: Final = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "representative", "envoy"}
)
"""Lemmas of the nouns for someone who speaks for an organisation ("a Pentagon spokesman"):
named or not, the organisation's voice rather than an anonymous source."""


class LexiconError(ValueError):
    """A row of a lexicon table is invalid: ``source`` is the file, ``line`` its 1-based line."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}, line {line}: {message}")
        self.source = source
        self.line = line


# --- entries --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CountryEntry:
    """One ISO 3166-1 country or territory, or one of our bloc rows (user-assigned X codes)."""

    alpha3: str
    alpha2: str
    numeric: str | None  # ISO 3166-1 numeric, three digits; None for Kosovo and the bloc rows
    name: str
    kind: str
    un: str | None
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A known organisation, armed group or outlet; ``country`` is alpha-3 or None."""

    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str | None
    sector: str
    sector_changes: tuple[tuple[str, str], ...] = ()
    notes: str = ""

    def sector_on(self, day: str | None) -> str:
        """Return the sector on ``day`` (ISO ``YYYY-MM-DD``); None gives the table's sector."""
        if day is None:
            return self.sector
        current = self.sector
        for since, sector in self.sector_changes:
            if day[:10] >= since:
                current = sector
        return current


@dataclass(frozen=True, slots=True)
class TitleEntry:
    """A title or role word; ``sector`` None means the organisation decides."""

    title: str
    sector: str | None
    kind: str | None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ModeEntry:
    """One mode of one PLOVER type, from PLOVER itself or added by us (``origin``)."""

    plover_type: str
    mode: str
    origin: str
    aliases: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """A word or phrase (lower-case lemma) that signals a PLOVER event of ``type``."""

    lemma: str
    pos: str
    type: str
    mode: str | None
    modality_hint: str | None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class MappingRule:
    """One row of plover_acled.tsv; a sector set of None means any sector."""

    plover_type: str
    mode: str
    source_sectors: frozenset[str] | None
    target_sectors: frozenset[str] | None
    acled: tuple[str, str] | None
    notes: str
    line: int

    @property
    def specificity(self) -> tuple[int, int, int]:
        """Rank used to pick among matching rows: exact mode, then source, then target."""
        return (
            self.mode != ANY,
            self.source_sectors is not None,
            self.target_sectors is not None,
        )


@dataclass(frozen=True, slots=True)
class TriggerTable:
    """All triggers, iterable in file order, looked up by lemma and part of speech."""

    entries: tuple[TriggerEntry, ...]
    index: Mapping[tuple[str, str], TriggerEntry] = field(repr=False, compare=False)

    def __iter__(self) -> Iterator[TriggerEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, lemma: str, pos: str) -> TriggerEntry | None:
        """Return the trigger for ``lemma`` (one or more words) as ``pos``, or None."""
        return self.index.get((" ".join(lemma.lower().split()), pos.upper()))

    def multiword(self) -> tuple[TriggerEntry, ...]:
        """Return the triggers of more than one word, longest first."""
        many = [t for t in self.entries if " " in t.lemma]
        return tuple(sorted(many, key=lambda t: -len(t.lemma.split())))


# --- reading --------------------------------------------------------------------------------
def _source(name: str) -> str:
    return f"{DATA_DIR}/{name}"


def _text(name: str) -> str:
    return resources.files("overhorizon.nlp").joinpath("data", name).read_text(encoding="utf-8")


def parse_tsv(text: str, source: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Split a TSV table with the given header into (line number, row) pairs."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or tuple(lines[0].split("\t")) != columns:
        found = lines[0].split("\t") if lines else []
        raise LexiconError(source, 1, f"header is {found}, expected {list(columns)}")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise LexiconError(source, number, f"{len(cells)} cells, expected {len(columns)}")
        for column, cell in zip(columns, cells, strict=True):
            if cell != cell.strip():
                raise LexiconError(source, number, f"stray space around {column} {cell!r}")
        rows.append((number, dict(zip(columns, cells, strict=True))))
    return rows


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part for part in cell.split(";") if part)


def _one_of(value: str, allowed: Iterable[str], what: str, source: str, line: int) -> str:
    options = tuple(allowed)
    if value not in options:
        raise LexiconError(source, line, f"unknown {what} {value!r}; expected one of {options}")
    return value


def _required(row: dict[str, str], column: str, source: str, line: int) -> str:
    if not row[column]:
        raise LexiconError(source, line, f"{column} is empty")
    return row[column]


# --- name keys and indexes --------------------------------------------------------------------
_POSSESSIVE = re.compile(r"['’]s$")
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_DASHES = re.compile(r"[-‐‑–—]")


def name_key(text: str) -> str:
    """Normalise a name for matching: no possessive, no dots or hyphens, single spaces."""
    key = _POSSESSIVE.sub("", text.strip())
    key = _DASHES.sub(" ", key.replace(".", "").replace("’", "'"))
    return " ".join(key.split())


def _query_keys(text: str) -> list[str]:
    """Keys to try for a piece of text: as written, then without a leading "the"."""
    key = name_key(text)
    bare = _THE.sub("", key)
    return [k for k in dict.fromkeys((key, bare)) if k]


def _is_capitals(key: str) -> bool:
    return any(c.isalpha() for c in key) and not any(c.islower() for c in key)


T = TypeVar("T")


class _NameIndex(Generic[T]):
    """Exact keys for every alias, case-folded keys for aliases that are not in capitals."""

    def __init__(self, source: str, label: str) -> None:
        self.source, self.label = source, label
        self.exact: dict[str, tuple[T, str]] = {}
        self.folded: dict[str, tuple[T, str]] = {}

    def add(self, alias: str, value: T, owner: str, line: int) -> None:
        key = name_key(alias)
        if not key:
            raise LexiconError(self.source, line, f"{alias!r} is empty once normalised")
        places = [(self.exact, key)]
        if not _is_capitals(key):
            places.append((self.folded, key.casefold()))
        for index, k in places:
            seen = index.get(k)
            if seen is not None and seen[1] != owner:
                raise LexiconError(
                    self.source, line, f"{alias!r} already names {self.label} {seen[1]!r}"
                )
            index[k] = (value, owner)

    def get(self, text: str) -> T | None:
        for key in _query_keys(text):
            hit = self.exact.get(key)
            if hit is None and any(c.isupper() for c in key):
                hit = self.folded.get(key.casefold())
            if hit is not None:
                return hit[0]
        return None


# --- countries ------------------------------------------------------------------------------
COUNTRY_COLUMNS: Final = (
    "alpha3", "alpha2", "numeric", "name", "kind", "un", "aliases", "demonyms", "notes",
)  # fmt: skip


def parse_countries(text: str, source: str) -> dict[str, CountryEntry]:
    """Read countries.tsv text into entries by alpha-3 code."""
    out: dict[str, CountryEntry] = {}
    alpha2: set[str] = set()
    numeric: set[str] = set()
    for line, row in parse_tsv(text, source, COUNTRY_COLUMNS):
        code, two, number = row["alpha3"], row["alpha2"], row["numeric"]
        if not re.fullmatch(r"[A-Z]{3}", code) or not re.fullmatch(r"[A-Z]{2}", two):
            raise LexiconError(source, line, f"codes {code!r}/{two!r} are not alpha-3/alpha-2")
        if number and not re.fullmatch(r"[0-9]{3}", number):
            raise LexiconError(source, line, f"numeric code {number!r} is not three digits")
        if code in out or two in alpha2 or (number and number in numeric):
            raise LexiconError(source, line, f"code {code}, {two} or {number} appears twice")
        kind = _one_of(row["kind"], COUNTRY_KINDS, "kind", source, line)
        if kind == "region_or_bloc" and not code.startswith("X"):
            raise LexiconError(source, line, "bloc rows take a user-assigned X.. code")
        un = _one_of(row["un"], ("", *UN_STATUS), "un status", source, line) or None
        out[code] = CountryEntry(
            code, two, number or None, _required(row, "name", source, line), kind, un,
            _split(row["aliases"]), _split(row["demonyms"]), row["notes"],
        )  # fmt: skip
        alpha2.add(two)
        numeric.add(number)  # "" (no code) is never looked up
    return out


@functools.cache
def _countries_with_lines() -> tuple[Mapping[str, CountryEntry], _NameIndex[str]]:
    source = _source("countries.tsv")
    table = parse_countries(_text("countries.tsv"), source)
    index: _NameIndex[str] = _NameIndex(source, "country")
    lines = {code: n for n, code in enumerate(table, start=2)}
    for code, entry in table.items():
        for name in (entry.name, *entry.aliases, *entry.demonyms):
            index.add(name, code, code, lines[code])
    return MappingProxyType(table), index


def countries() -> Mapping[str, CountryEntry]:
    """Return every country, territory and bloc row, by alpha-3 code."""
    return _countries_with_lines()[0]


def country_for(text: str) -> str | None:
    """Return the alpha-3 code named by a country name, alias, metonym or demonym, or None."""
    return _countries_with_lines()[1].get(text)


def country_name(code: str | None) -> str | None:
    """Return the English short name of an alpha-3 code (any case), or None if it is unknown."""
    entry = countries().get(code.upper()) if code else None
    return None if entry is None else entry.name


@functools.cache
def _alpha3_by(column: str) -> Mapping[str, str]:
    table = {getattr(e, column): e.alpha3 for e in countries().values() if getattr(e, column)}
    return MappingProxyType(table)


def alpha3_of_alpha2(code: str) -> str | None:
    """Return the alpha-3 code of an ISO 3166-1 alpha-2 code (any case), or None."""
    return _alpha3_by("alpha2").get(code.upper())


def alpha3_of_numeric(code: str | int) -> str | None:
    """Return the alpha-3 code of an ISO 3166-1 numeric code ("004" or 4), or None."""
    text = f"{code:03d}" if isinstance(code, int) else code.zfill(3)
    return _alpha3_by("numeric").get(text)


# --- actors ---------------------------------------------------------------------------------
ACTOR_COLUMNS: Final = ("name", "aliases", "kind", "country", "sector", "sector_changes", "notes")


def _sector_changes(cell: str, source: str, line: int) -> tuple[tuple[str, str], ...]:
    changes = []
    for part in _split(cell):
        day, _, sector = part.partition("=")
        try:
            date.fromisoformat(day)
        except ValueError:
            raise LexiconError(source, line, f"{part!r} is not YYYY-MM-DD=sector") from None
        changes.append((day, _one_of(sector, SECTORS, "sector", source, line)))
    if changes != sorted(changes):
        raise LexiconError(source, line, "sector changes are not in date order")
    return tuple(changes)


def parse_actors(text: str, source: str, codes: Iterable[str]) -> list[tuple[int, ActorEntry]]:
    """Read actors.tsv text; ``codes`` are the country codes an actor may name."""
    known = set(codes)
    out = []
    for line, row in parse_tsv(text, source, ACTOR_COLUMNS):
        country = row["country"] or None
        if country is not None and country not in known:
            raise LexiconError(source, line, f"country {country!r} is not in countries.tsv")
        entry = ActorEntry(
            _required(row, "name", source, line),
            _split(row["aliases"]),
            _one_of(row["kind"], ACTOR_KINDS, "kind", source, line),
            country,
            _one_of(row["sector"], SECTORS, "sector", source, line),
            _sector_changes(row["sector_changes"], source, line),
            row["notes"],
        )
        out.append((line, entry))
    return out


@functools.cache
def _actors_with_index() -> tuple[tuple[ActorEntry, ...], _NameIndex[ActorEntry]]:
    source = _source("actors.tsv")
    rows = parse_actors(_text("actors.tsv"), source, countries())
    index: _NameIndex[ActorEntry] = _NameIndex(source, "actor")
    for line, entry in rows:
        for name in (entry.name, *entry.aliases):
            index.add(name, entry, entry.name, line)
            code = country_for(name)
            if code is not None and code != entry.country:
                raise LexiconError(source, line, f"{name!r} also names country {code}")
    return tuple(entry for _, entry in rows), index


def known_actors() -> tuple[ActorEntry, ...]:
    """Return every known organisation, armed group and outlet, in file order."""
    return _actors_with_index()[0]


def actor_for(name: str) -> ActorEntry | None:
    """Return the known actor a name or alias refers to ("the Journal" is the WSJ), or None."""
    return _actors_with_index()[1].get(name)


# --- titles ---------------------------------------------------------------------------------
TITLE_COLUMNS: Final = ("title", "sector", "kind", "notes")


@functools.cache
def _titles() -> tuple[tuple[TitleEntry, ...], Mapping[str, TitleEntry]]:
    source = _source("titles.tsv")
    entries: list[TitleEntry] = []
    index: dict[str, TitleEntry] = {}
    for line, row in parse_tsv(_text("titles.tsv"), source, TITLE_COLUMNS):
        title = _required(row, "title", source, line)
        entry = TitleEntry(
            title,
            _one_of(row["sector"], ("", *SECTORS), "sector", source, line) or None,
            _one_of(row["kind"], ("", *TITLE_KINDS), "kind", source, line) or None,
            row["notes"],
        )
        key = name_key(title)
        key = key if _is_capitals(key) else key.casefold()
        if key in index:
            raise LexiconError(source, line, f"title {title!r} appears twice")
        index[key] = entry
        entries.append(entry)
    return tuple(entries), MappingProxyType(index)


def titles() -> tuple[TitleEntry, ...]:
    """Return every title and role word, in file order."""
    return _titles()[0]


def title_for(word: str) -> TitleEntry | None:
    """Return the entry for a title or role word ("Gen.", "police chief", "CEO"), or None.

    A title written in capitals matches only in capitals; one written with a capital first
    letter ("General", "Private") only when the word has one too.
    """
    index = _titles()[1]
    for key in _query_keys(word):
        entry = index.get(key) if _is_capitals(key) else None
        if entry is None:
            entry = index.get(key.casefold())
        if entry is not None and not (entry.title[0].isupper() and not key[0].isupper()):
            return entry
    return None


def title_sector(word: str) -> str | None:
    """Return the sector a title implies, or None (unknown word, or the organisation decides)."""
    entry = title_for(word)
    return None if entry is None else entry.sector


# --- modes and triggers ---------------------------------------------------------------------
MODE_COLUMNS: Final = ("plover_type", "mode", "origin", "aliases", "description")


def _mode_key(text: str) -> str:
    return " ".join(re.sub(r"[-_]", " ", text.casefold()).split())


@functools.cache
def _modes() -> tuple[tuple[ModeEntry, ...], Mapping[tuple[str, str], str]]:
    source = _source("modes.tsv")
    entries: list[ModeEntry] = []
    index: dict[tuple[str, str], str] = {}
    for line, row in parse_tsv(_text("modes.tsv"), source, MODE_COLUMNS):
        typ = _one_of(row["plover_type"], PLOVER_TYPES, "PLOVER type", source, line)
        mode = _required(row, "mode", source, line)
        if mode != mode.lower() or " " in mode or mode == ANY:
            raise LexiconError(source, line, f"mode {mode!r} must be one lower-case word")
        entry = ModeEntry(
            typ, mode, _one_of(row["origin"], MODE_ORIGINS, "origin", source, line),
            _split(row["aliases"]), _required(row, "description", source, line),
        )  # fmt: skip
        for name in (mode, *entry.aliases):
            key = (typ, _mode_key(name))
            if key in index and index[key] != mode:
                raise LexiconError(source, line, f"{name!r} already names {typ}/{index[key]}")
            index[key] = mode
        entries.append(entry)
    return tuple(entries), MappingProxyType(index)


def modes() -> tuple[ModeEntry, ...]:
    """Return the mode vocabulary: PLOVER's modes we use and the few we add."""
    return _modes()[0]


def canonical_mode(plover_type: str, mode: str | None) -> str | None:
    """Return the vocabulary name of ``mode`` or of one of its aliases ("small arms" is
    "firearms"); None or "" gives None. Raise ValueError for a mode the type does not have."""
    if not mode:
        return None
    found = _modes()[1].get((plover_type, _mode_key(mode)))
    if found is None:
        known = sorted(m.mode for m in modes() if m.plover_type == plover_type)
        raise ValueError(f"unknown mode {mode!r} for {plover_type}; known: {known}")
    return found


TRIGGER_COLUMNS: Final = ("lemma", "pos", "type", "mode", "modality_hint", "notes")


@functools.cache
def triggers() -> TriggerTable:
    """Return the event triggers (single and multi-word), by lemma and part of speech."""
    source = _source("triggers.tsv")
    entries: list[TriggerEntry] = []
    index: dict[tuple[str, str], TriggerEntry] = {}
    for line, row in parse_tsv(_text("triggers.tsv"), source, TRIGGER_COLUMNS):
        lemma = _required(row, "lemma", source, line)
        if lemma != " ".join(lemma.lower().split()):
            raise LexiconError(source, line, f"lemma {lemma!r} must be lower case, single-spaced")
        typ = _one_of(row["type"], PLOVER_TYPES, "PLOVER type", source, line)
        mode = row["mode"] or None
        if mode is not None:
            vocabulary = [m.mode for m in modes() if m.plover_type == typ]
            _one_of(mode, vocabulary, f"mode for {typ}", source, line)
        entry = TriggerEntry(
            lemma, _one_of(row["pos"], POS_TAGS, "part of speech", source, line), typ, mode,
            _one_of(row["modality_hint"], ("", *MODALITY_HINTS), "hint", source, line) or None,
            row["notes"],
        )  # fmt: skip
        if (lemma, entry.pos) in index:
            raise LexiconError(source, line, f"{lemma!r} as {entry.pos} appears twice")
        index[(lemma, entry.pos)] = entry
        entries.append(entry)
    return TriggerTable(tuple(entries), MappingProxyType(index))


# --- PLOVER to ACLED ------------------------------------------------------------------------
MAPPING_COLUMNS: Final = (
    "plover_type", "mode", "source_sector", "target_sector", "acled_event_type",
    "acled_sub_event_type", "notes",
)  # fmt: skip


def _sector_set(cell: str, source: str, line: int) -> frozenset[str] | None:
    if not cell:
        return None
    return frozenset(_one_of(s, SECTORS, "sector", source, line) for s in _split(cell))


def parse_mapping(text: str, source: str) -> tuple[MappingRule, ...]:
    """Read plover_acled.tsv text into rules, checking types, modes, ACLED pairs and overlaps."""
    rules: list[MappingRule] = []
    for line, row in parse_tsv(text, source, MAPPING_COLUMNS):
        typ = _one_of(row["plover_type"], PLOVER_TYPES, "PLOVER type", source, line)
        mode = _required(row, "mode", source, line)
        if mode != ANY:
            vocabulary = [m.mode for m in modes() if m.plover_type == typ]
            _one_of(mode, vocabulary, f"mode for {typ}", source, line)
        event, sub = row["acled_event_type"], row["acled_sub_event_type"]
        acled = None
        if event or sub:
            if ACLED_SUB_EVENT_TYPES.get(sub) != event:
                raise LexiconError(source, line, f"{event!r} / {sub!r} is not an ACLED pair")
            acled = (event, sub)
        rule = MappingRule(
            typ, mode, _sector_set(row["source_sector"], source, line),
            _sector_set(row["target_sector"], source, line), acled, row["notes"], line,
        )  # fmt: skip
        for other in rules:
            if _overlaps(rule, other):
                raise LexiconError(source, line, f"ties with line {other.line}: same rank, overlap")
        rules.append(rule)
    for typ in PLOVER_TYPES:
        if not any(r.plover_type == typ and r.specificity == (False, False, False) for r in rules):
            raise LexiconError(source, len(rules) + 1, f"no default row ({typ}, *, any, any)")
    return tuple(rules)


def _overlaps(a: MappingRule, b: MappingRule) -> bool:
    def meet(x: frozenset[str] | None, y: frozenset[str] | None) -> bool:
        return x is None or y is None or bool(x & y)

    return (
        a.plover_type == b.plover_type
        and a.mode == b.mode
        and a.specificity == b.specificity
        and meet(a.source_sectors, b.source_sectors)
        and meet(a.target_sectors, b.target_sectors)
    )


@functools.cache
def mapping_rules() -> tuple[MappingRule, ...]:
    """Return the rows of plover_acled.tsv, in file order."""
    return parse_mapping(_text("plover_acled.tsv"), _source("plover_acled.tsv"))


def _check_sector(sector: str | None, what: str) -> None:
    if sector is not None and sector not in SECTORS:
        raise ValueError(f"unknown {what} sector {sector!r}; expected one of {SECTORS}")


def acled_rule(
    plover_type: str,
    mode: str | None,
    target_sector: str | None = None,
    source_sector: str | None = None,
) -> MappingRule | None:
    """Return the most specific row that matches, or None when no row does."""
    if plover_type not in PLOVER_TYPES:
        raise ValueError(f"unknown PLOVER type {plover_type!r}")
    _check_sector(target_sector, "target")
    _check_sector(source_sector, "source")
    canon = canonical_mode(plover_type, mode)
    matches = [
        r
        for r in mapping_rules()
        if r.plover_type == plover_type
        and r.mode in (ANY, canon)
        and (r.source_sectors is None or source_sector in r.source_sectors)
        and (r.target_sectors is None or target_sector in r.target_sectors)
    ]
    return max(matches, key=lambda r: r.specificity, default=None)


def acled_for(
    plover_type: str,
    mode: str | None,
    target_sector: str | None = None,
    source_sector: str | None = None,
) -> tuple[str, str] | None:
    """Return ACLED's (event type, sub-event type) for a PLOVER event, or None if it has none.

    The most specific matching row of plover_acled.tsv wins: a row naming the mode beats ``*``;
    then one naming the source sector beats any source; then the same for the target.
    """
    rule = acled_rule(plover_type, mode, target_sector, source_sector)
    return None if rule is None else rule.acled


# --- the documentation page -----------------------------------------------------------------
_INTRO = """\
# From PLOVER to ACLED

<!-- Generated from overhorizon/nlp/data/plover_acled.tsv and modes.tsv by
overhorizon.nlp.lexicon.render_mapping_markdown(); do not edit by hand. Regenerate with
`.venv/bin/python -m overhorizon.nlp.lexicon > docs/plover-acled.md`. -->

Every event carries a PLOVER type (one of 16) and, where one applies, a mode. This page lists how
a type and mode, with the sectors of the source and the target actors, become an ACLED-style
`acled_event_type` and `acled_sub_event_type`. The table lives in the package as data
(`overhorizon/nlp/data/plover_acled.tsv`); `overhorizon.nlp.lexicon.acled_for()` applies it.

## How a row is chosen

1. Only rows of the event's PLOVER type are considered.
2. A row matches when its mode is the event's mode or `*`, and each of its sector columns is
   empty (any sector) or lists the actor's sector. An actor whose sector is unknown matches only
   empty sector columns.
3. Among matching rows the most specific wins: a named mode beats `*`; then a named source
   sector beats any source; then a named target sector beats any target. The loader refuses two
   rows of the same rank that could both match, so the winner is always unique.
4. A winning row with empty ACLED columns means: no ACLED counterpart. `acled_for()` returns
   None, and so it does when no row matches.

Every type has a default row (`*`, any source, any target), so every type appears below.

## The choices

- **Remote violence keeps its type whoever is hit.** Air and drone strikes, shelling, bombs,
  grenades and suicide attacks map to *Explosions/Remote violence* even when the victims are
  civilians; ACLED records civilian targeting in a separate column.
- **Direct violence depends on the target.** With no weapon mode of its own (firearms, knives,
  an unspecified attack or killing), an ASSAULT on civilians, journalists, business people or
  unarmed officials is *Violence against civilians / Attack*; on soldiers, police or rebels it is
  *Battles / Armed clash*. The target is the known actor hit, else the common noun there
  ("terrorists", "a military patrol", "worshippers", "a hospital": `party_nouns.tsv`), else the
  casualties' group, else the other party the sentence names (armed first).
- **A weapon named in the sentence is the mode.** "Warplanes pounded the town, killing six" is an
  air strike although "killing" names no weapon (`weapons.tsv`, the strongest weapon named:
  chemical, suicide, grenade, drone, aircraft, explosives, heavy weapons, then sexual violence
  and mobs). It replaces no mode, a direct one (firearms, beating, arson, edged weapons,
  assassination) and a weaker remote one; fighting, abduction and territory keep theirs.
- **No mode, no known target: an attack on civilians.** ACLED counts as civilians the victims of
  organised violence who are not shown to be armed, so a careful coder files "gunmen attacked
  the village" under *Violence against civilians / Attack*; "beat back terrorists" is a battle
  because the terrorists are armed. A sentence naming a natural or industrial disaster
  (`hazards.tsv`) with no armed party gives no ACLED type: "a tsunami killed 43" is no conflict.
- **Protests by their sentence.** A protest with stones, arson or clashes is a *Violent
  demonstration*; one broken up with tear gas, water cannon or arrests a *Protest with
  intervention* (`protest_cues.tsv`); shooting at protesters is *Excessive force against
  protesters*; protesters attacking are rioters.
- **Captives are civilians.** Abduction, torture and execution are violence against civilians
  whoever the victim was.
- **Territory depends on the taker.** ASSAULT `territory` (capture, seize control, fall of a city)
  is *Non-state actor overtakes territory* when the source is a rebel group and *Government
  regains territory* when it is the state. A place handed over without fighting is RETREAT
  `withdraw`, *Non-violent transfer of territory*.
- **ACLED's Agreement also covers deeds.** Signed deals (AGREE `sign`), prisoner releases,
  ceasefires in force and surrenders (RETREAT) all map to *Strategic developments / Agreement*.
- **Verbal types have no ACLED counterpart**, and neither do sanctions, aid or cooperation.
- **Modes marked "overhorizon"** in the vocabulary below are ours, added where ACLED draws a
  line that PLOVER's modes do not (aircraft and drones, grenades, chemical weapons, two-sided
  clashes, territory, mobs, force against protesters, bases, weapons seizures, agreements).
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or " "


def _sectors(value: frozenset[str] | None) -> str:
    return "any" if value is None else ", ".join(s for s in SECTORS if s in value)


def render_mapping_markdown() -> str:
    """Return docs/plover-acled.md: the mapping table and the mode vocabulary, as Markdown."""
    out = [_INTRO, "## The table\n"]
    silent = []
    for typ in PLOVER_TYPES:
        rules = sorted(
            (r for r in mapping_rules() if r.plover_type == typ),
            key=lambda r: (r.specificity, r.line),
        )
        if all(r.acled is None for r in rules):
            silent.append(f"| {typ} | " + "; ".join(r.notes for r in rules) + " |")
            continue
        out.append(f"### {typ}\n")
        out.append("| mode | source | target | ACLED event type | ACLED sub-event type | notes |")
        out.append("|---|---|---|---|---|---|")
        for r in rules:
            event, sub = r.acled or ("—", "—")
            cells = [
                f"`{r.mode}`", _sectors(r.source_sectors), _sectors(r.target_sectors),
                event, sub, r.notes,
            ]  # fmt: skip
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        out.append("")
    out.append("### Types with no ACLED counterpart\n")
    out.append("Every mode of these types maps to nothing: `acled_for()` returns None.\n")
    out.extend(["| type | why |", "|---|---|", *silent, ""])
    from overhorizon.nlp import acled  # acled reads this module's tables

    out.append("## ACLED's other columns\n")
    out.append(
        "Every typed event also carries ACLED's `disorder_type` (by sub-event type, from "
        '`acled_disorder.tsv`), `civilian_targeting` ("Civilian targeting" when the target is '
        "unarmed people or the type is violence against civilians), the actor types `inter1` "
        "(source) and `inter2` (target) from the actors' sectors (`acled_inter.tsv`; a state's "
        "forces in another country than the event's are 8; protesters are 6 and rioters 5 "
        "whatever their sector; a victim of violence against civilians is 7) and `interaction`, "
        "the two codes lower first (17, 12), or a lone protest's or riot's code and 0 (60). An "
        "unknown actor type is null, and so is the interaction then.\n"
    )
    out.append("| sector | inter | ACLED actor type |")
    out.append("|---|---|---|")
    for sector, code in acled.inter_codes().items():
        out.append(f"| {sector} | {code} | {acled.INTER_NAMES[code]} |")
    out.append("")
    out.append("| ACLED sub-event type | disorder_type |")
    out.append("|---|---|")
    for sub, disorder in acled.disorder_types().items():
        out.append(f"| {sub} | {disorder} |")
    out.append("")
    out.append("## Mode vocabulary\n")
    out.append("| type | mode | origin | also accepted | meaning |")
    out.append("|---|---|---|---|---|")
    for m in modes():
        aliases = ", ".join(m.aliases)
        cells = [m.plover_type, f"`{m.mode}`", m.origin, aliases, m.description]
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render_mapping_markdown(), end="")
