"""The source registry: who we read, where, and who owns them.

Sources come from ``sources.toml`` (the ``sources_file`` setting) and from the store
(``overhorizon sources add``); the two are merged by name, the store's entry winning.

The file holds ``[[source]]`` tables (see ``docs/sources.md``). :func:`read_sources` checks
every entry and raises the first problem as a ``ConfigError`` (code ``bad_source``) that names
the file, the entry and the field; :func:`check_sources` returns every problem instead, for
``overhorizon sources check``. Nothing here touches the network: whether a URL answers is for
``overhorizon watch --once`` to find out.

It sits beside the steps rather than in ``watch/`` because more than watching reads it: fusion
takes :func:`registry_map` to know which outlets share an owner, and ``sources`` edits it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from overhorizon.fusion.independence import Outlet, SourceMap
from overhorizon.nlp import lexicon
from overhorizon.reasons import ConfigError
from overhorizon.records import KINDS, STATE_KINDS, Source
from overhorizon.settings import Settings, shipped_defaults
from overhorizon.store.articles import Store
from overhorizon.store.sources import list_sources

#: The fields of a ``[[source]]`` table.
FIELDS = ("name", "url", "urls", "kind", "country", "language", "owner", "notes", "domains")

_LANGUAGE = re.compile(r"[a-z]{2}")
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def host_of(url: str) -> str | None:
    """The host of ``url``, lower-case and without a leading ``www.``; None when it has none."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    return host.removeprefix("www.") or None


def source_from(data: Mapping[str, Any], where: str, *, origin: str = "file") -> Source:
    """Check one ``[[source]]`` table and return it as a :class:`Source`.

    ``where`` names the entry in messages, e.g. ``sources.toml: source 3 ("TASS")``. Raises
    ConfigError (``bad_source``) naming the field at fault."""

    def bad(detail: str) -> ConfigError:
        return ConfigError("bad_source", f"{where}: {detail}")

    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise bad(f"unknown field {unknown[0]!r} (fields: {', '.join(FIELDS)})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise bad("name is missing" if name is None else "name must be a non-empty string")
    if "url" in data and "urls" in data:
        raise bad("give url or urls, not both")
    raw_urls: Any = data.get("urls", data.get("url"))
    if isinstance(raw_urls, str):
        raw_urls = [raw_urls]
    if raw_urls is None or raw_urls == []:
        raise bad("urls is missing: give at least one feed, sitemap or page URL")
    if not isinstance(raw_urls, list) or not all(isinstance(u, str) for u in raw_urls):
        raise bad("urls must be a list of strings")
    urls: list[str] = []
    for url in raw_urls:
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise bad(f"url {url!r} is not an http(s) URL")
        if host_of(url) is None:
            raise bad(f"url {url!r} has no host")
        if url not in urls:
            urls.append(url)
    kind = _text(data, "kind", bad) or "other"
    kind = kind.lower().replace("_", " ")
    if kind not in KINDS:
        raise bad(f"kind {data['kind']!r} is not one of {', '.join(KINDS)}")
    country = _text(data, "country", bad)
    if country is not None:
        country = country.upper()
        if lexicon.country_name(country) is None:
            alpha3 = lexicon.alpha3_of_alpha2(country)
            hint = f" (did you mean {alpha3}?)" if alpha3 else ""
            raise bad(f"country {data['country']!r} is not an ISO 3166-1 alpha-3 code{hint}")
    language = _text(data, "language", bad)
    if language is not None:
        language = language.lower()
        if not _LANGUAGE.fullmatch(language):
            raise bad(f"language {data['language']!r} is not an ISO 639-1 code (e.g. en, ru)")
    domains = _domains(data.get("domains"), bad) if "domains" in data else ()
    if not domains:
        domains = tuple(dict.fromkeys(h for u in urls if (h := host_of(u))))
    return Source(
        name=name.strip(),
        urls=tuple(urls),
        kind=kind,
        country=country,
        language=language,
        owner=_text(data, "owner", bad),
        notes=_text(data, "notes", bad),
        domains=domains,
        origin=origin,
    )


def _text(data: Mapping[str, Any], key: str, bad: Any) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad(f"{key} must be a string")
    return value.strip() or None


def _domains(value: Any, bad: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        raise bad("domains must be a list of host names")
    out: list[str] = []
    for raw in value:
        host = raw.strip().rstrip(".").lower().removeprefix("www.")
        if "/" in host or ":" in host:
            raise bad(f"domain {raw!r} is not a host name (give e.g. example.com, no scheme)")
        labels = host.split(".")
        if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(x) for x in labels):
            raise bad(f"domain {raw!r} is not a host name (e.g. example.com)")
        if host not in out:
            out.append(host)
    return tuple(out)


# --- the registry file --------------------------------------------------------------------------


def _entries(text: str, label: str) -> list[tuple[str, Any]]:
    """The ``[[source]]`` tables of a registry file as (where, table); ConfigError when the file
    as a whole is unreadable."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("bad_source", f"{label}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - {"source"})
    if unknown:
        raise ConfigError(
            "bad_source", f"{label}: unknown table {unknown[0]!r} (write each as [[source]])"
        )
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise ConfigError(
            "bad_source", f"{label}: write each source as [[source]] (an array of tables)"
        )
    out = []
    for n, table in enumerate(tables, start=1):
        name = table.get("name") if isinstance(table, dict) else None
        named = f' ("{name}")' if isinstance(name, str) and name.strip() else ""
        out.append((f"{label}: source {n}{named}", table))
    return out


def _sources(text: str, label: str) -> tuple[list[Source], list[ConfigError]]:
    """Every valid source of a registry file, and every problem (file order)."""
    found: list[Source] = []
    problems: list[ConfigError] = []
    seen: dict[str, str] = {}
    for where, table in _entries(text, label):
        name = table.get("name") if isinstance(table, dict) else None
        if isinstance(name, str) and name.strip():
            first = seen.get(name.strip().lower())
            if first is not None:
                problems.append(
                    ConfigError(
                        "bad_source", f"{where}: name {name.strip()!r} is already used by {first}"
                    )
                )
                continue
            seen[name.strip().lower()] = where.removeprefix(f"{label}: ")
        try:
            if not isinstance(table, dict):
                raise ConfigError("bad_source", f"{where}: not a table")
            found.append(source_from(table, where, origin="file"))
        except ConfigError as exc:
            problems.append(exc)
    return found, problems


def parse_sources(text: str, label: str = "sources.toml") -> list[Source]:
    """The sources of a registry file's text; ``label`` names the file in messages. Raises
    the first problem as ConfigError (``bad_source``)."""
    found, problems = _sources(text, label)
    if problems:
        raise problems[0]
    return found


def read_sources(path: Path, *, required: bool = True) -> list[Source]:
    """The sources of the registry file at ``path``. A missing file is an empty registry when
    not ``required`` (the default path), else a ConfigError (``bad_source``)."""
    text = _read(path, required=required)
    return [] if text is None else parse_sources(text, str(path))


def _read(path: Path, *, required: bool) -> str | None:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        if not required:
            return None
        raise ConfigError("bad_source", f"{path}: the source registry does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("bad_source", f"{path}: cannot be read ({exc})") from None


def registry_file(settings: Settings) -> tuple[Path | None, bool]:
    """The registry file the settings name, and whether it must exist: the shipped default
    (``sources.toml`` in the working directory) may be missing, a path the user set may not.
    An empty setting means no file."""
    if not settings.sources_file.strip():
        return None, False
    default = str(shipped_defaults().get("sources_file", ""))
    return Path(settings.sources_file), settings.sources_file != default


def file_sources(settings: Settings) -> list[Source]:
    """The sources of the registry file the settings name (none when there is no file)."""
    path, required = registry_file(settings)
    return [] if path is None else read_sources(path, required=required)


def merge(file: Iterable[Source], stored: Iterable[Source]) -> list[Source]:
    """File and store sources merged by name (case-blind), the store's entry winning; sorted by
    name."""
    by_name = {s.name.lower(): s for s in file}
    by_name.update({s.name.lower(): s for s in stored})
    return sorted(by_name.values(), key=lambda s: (s.name.lower(), s.name))


# --- checking -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of ``sources check``: ``error`` (the registry cannot be used as it is),
    ``warning`` (it can, but probably not as meant) or ``note`` (as meant, worth knowing)."""

    level: str
    message: str


def check_file(path: Path, *, required: bool) -> tuple[list[Source], list[Problem]]:
    """The valid sources of the registry file at ``path`` and every problem of the others
    (nothing for a missing default file)."""
    try:
        text = _read(path, required=required)
        if text is None:
            return [], []
        found, problems = _sources(text, str(path))
    except ConfigError as exc:
        return [], [Problem("error", exc.detail)]
    return found, [Problem("error", p.detail) for p in problems]


def check_sources(sources: Sequence[Source]) -> list[Problem]:
    """Problems across a merged registry: a host claimed by two sources (an article from it
    would match either), a URL registered twice."""
    out: list[Problem] = []
    hosts: dict[str, str] = {}
    urls: dict[str, str] = {}
    for s in sources:
        for host in s.domains:
            other = hosts.setdefault(host, s.name)
            if other != s.name:
                out.append(
                    Problem(
                        "error",
                        f"domain {host} belongs to both {other!r} and {s.name!r}: "
                        "articles from it cannot be matched to one source",
                    )
                )
        for url in s.urls:
            other = urls.setdefault(url, s.name)
            if other != s.name:
                out.append(
                    Problem("warning", f"{url} is registered by both {other!r} and {s.name!r}")
                )
    return out


def load_registry(store: Store, settings: Settings) -> list[Source]:
    """The registry: the file's sources (``sources_file``) and the store's, merged by name
    (case-blind), the store's entry winning; sorted by name. ConfigError (``bad_source``) when
    the file is invalid, or missing though the settings name it."""
    return merge(file_sources(settings), list_sources(store))


def source_map(registry: list[Source]) -> SourceMap:
    """What fusion knows of each registered outlet: its owner, and the state it speaks for
    (kind ``state media`` or ``government`` with a country)."""
    return SourceMap.of(
        (
            Outlet(
                name=s.name,
                owner=s.owner,
                state=s.country if s.kind in STATE_KINDS else None,
                kind=s.kind,
            ),
            s.domains,
        )
        for s in registry
    )


def registry_map(store: Store, settings: Settings) -> SourceMap:
    """:func:`source_map` of :func:`load_registry`: what ``fuse`` passes to fusion."""
    return source_map(load_registry(store, settings))


def check_registry(store: Store, settings: Settings) -> tuple[list[Source], list[Problem]]:
    """Check the registry file and the stored sources without fetching anything: every problem
    of the file, stored entries that no longer pass the checks, and conflicts across the merged
    registry (a host of two sources). Returns (the usable registry, the problems)."""
    problems: list[Problem] = []
    from_file: list[Source] = []
    path, required = registry_file(settings)
    if path is not None:
        from_file, problems = check_file(path, required=required)
    stored: list[Source] = []
    for s in list_sources(store):
        try:
            stored.append(source_from(s.fields(), f'store: source "{s.name}"', origin="store"))
        except ConfigError as exc:
            problems.append(Problem("error", exc.detail))
    file_names = {s.name.lower(): s for s in from_file}
    for s in stored:
        if s.name.lower() in file_names:
            problems.append(Problem("note", f"store: source {s.name!r} overrides the file's entry"))
    registry = merge(from_file, stored)
    return registry, problems + check_sources(registry)
