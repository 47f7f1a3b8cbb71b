"""The source registry: sources.toml checked field by field, the store's sources, the merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from overhorizon.reasons import ConfigError
from overhorizon.records import KINDS, Source
from overhorizon.registry import (
    check_registry,
    load_registry,
    parse_sources,
    read_sources,
    registry_file,
    source_from,
    source_map,
)
from overhorizon.settings import Settings
from overhorizon.store import open_store
from overhorizon.store.sources import add_source, list_sources, remove_source

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "docs" / "examples" / "sources.toml"

TASS = """
[[source]]
name = "TASS"
urls = ["https://tass.com/rss/v2.xml", "https://tass.ru/rss/v2.xml"]
kind = "state media"
country = "rus"
language = "EN"
owner = "government:RUS"
notes = "state news agency"
"""


def bad(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse_sources(text, "sources.toml")
    assert info.value.reason.code == "bad_source"
    return info.value.detail


def test_a_source_with_every_field() -> None:
    (tass,) = parse_sources(TASS)
    assert tass == Source(
        name="TASS",
        urls=("https://tass.com/rss/v2.xml", "https://tass.ru/rss/v2.xml"),
        kind="state media",
        country="RUS",
        language="en",
        owner="government:RUS",
        notes="state news agency",
        domains=("tass.com", "tass.ru"),
        origin="file",
    )


def test_url_string_underscore_kind_and_explicit_domains() -> None:
    (ria,) = parse_sources(
        '[[source]]\nname = "RIA"\nurl = "https://www.ria.ru/export/rss2/index.xml"\n'
        'kind = "state_media"\ndomains = ["WWW.RIA.RU", "riafan.ru"]\n'
    )
    assert ria.urls == ("https://www.ria.ru/export/rss2/index.xml",)
    assert ria.kind == "state media"
    assert ria.domains == ("ria.ru", "riafan.ru")
    (plain,) = parse_sources('[[source]]\nname = "X"\nurl = "http://www.x.org/feed"\n')
    assert (plain.kind, plain.domains, plain.country) == ("other", ("x.org",), None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'source = [ "not closed"',
            "sources.toml: not valid TOML",
        ),
        (
            TASS + '\n[[source]]\nname = "Blog"\nurl = "https://b.example/feed"\nkind = "blog"\n',
            "sources.toml: source 2 (\"Blog\"): kind 'blog' is not one of " + ", ".join(KINDS),
        ),
        (
            '[[source]]\nname = "X"\nurl = "https://x.example/"\ncountry = "RU"\n',
            "sources.toml: source 1 (\"X\"): country 'RU' is not an ISO 3166-1 alpha-3 code "
            "(did you mean RUS?)",
        ),
        (
            '[[source]]\nname = "X"\nurl = "https://x.example/"\ncountry = "XYZ"\n',
            "sources.toml: source 1 (\"X\"): country 'XYZ' is not an ISO 3166-1 alpha-3 code",
        ),
        (
            TASS + '\n[[source]]\nname = "tass"\nurl = "https://tass.com/other"\n',
            'sources.toml: source 2 ("tass"): name \'tass\' is already used by source 1 ("TASS")',
        ),
        (
            '[[source]]\nname = "X"\nurls = ["https://x.example/", "ftp://x.example/feed"]\n',
            "sources.toml: source 1 (\"X\"): url 'ftp://x.example/feed' is not an http(s) URL",
        ),
        (
            '[[source]]\nname = "X"\nurl = "x.example/feed"\n',
            "sources.toml: source 1 (\"X\"): url 'x.example/feed' is not an http(s) URL",
        ),
        (
            '[[source]]\nname = "X"\nurl = "https:///feed"\n',
            "sources.toml: source 1 (\"X\"): url 'https:///feed' has no host",
        ),
        (
            '[[source]]\nname = "X"\n',
            'sources.toml: source 1 ("X"): urls is missing',
        ),
        (
            '[[source]]\nurl = "https://x.example/"\n',
            "sources.toml: source 1: name is missing",
        ),
        (
            '[[source]]\nname = "X"\nurl = "https://x.example/"\nlanguage = "eng"\n',
            "sources.toml: source 1 (\"X\"): language 'eng' is not an ISO 639-1 code",
        ),
        (
            '[[source]]\nname = "X"\nurl = "https://x.example/"\nfeed = "https://x.example/"\n',
            "sources.toml: source 1 (\"X\"): unknown field 'feed'",
        ),
        (
            '[[source]]\nname = "X"\nurl = "https://x.example/"\ndomains = ["https://x.example"]\n',
            "sources.toml: source 1 (\"X\"): domain 'https://x.example' is not a host name",
        ),
        (
            '[[source]]\nname = "X"\nurl = "https://a.example/"\nurls = ["https://b.example/"]\n',
            'sources.toml: source 1 ("X"): give url or urls, not both',
        ),
        (
            '[[source]]\nname = "X"\nurl = "https://x.example/"\nowner = 3\n',
            'sources.toml: source 1 ("X"): owner must be a string',
        ),
        (
            '[source]\nname = "X"\nurl = "https://x.example/"\n',
            "sources.toml: write each source as [[source]]",
        ),
        (
            '[[sources]]\nname = "X"\n',
            "sources.toml: unknown table 'sources'",
        ),
    ],
)
def test_bad_entries_are_named_with_file_entry_and_field(text: str, message: str) -> None:
    assert bad(text).startswith(message)


def test_missing_file_is_empty_at_the_default_path_and_an_error_when_named(
    tmp_path: Path, settings: Settings
) -> None:
    assert registry_file(settings) == (Path("sources.toml"), False)
    assert read_sources(tmp_path / "sources.toml", required=False) == []
    named = settings.replace(sources_file=str(tmp_path / "mine.toml"))
    assert registry_file(named) == (tmp_path / "mine.toml", True)
    with open_store(settings.db) as store:
        with pytest.raises(ConfigError, match=r"mine\.toml: the source registry does not exist"):
            load_registry(store, named)
        assert load_registry(store, settings.replace(sources_file="")) == []


def test_the_example_registry_loads(settings: Settings) -> None:
    found = read_sources(EXAMPLE)
    assert len(found) >= 5
    by_name = {s.name: s for s in found}
    assert by_name["RIA Novosti"].kind == "state media"
    assert by_name["TASS"].owner == by_name["RIA Novosti"].owner == "government:RUS"
    assert by_name["BBC News"].domains == ("bbc.co.uk", "bbc.com")
    with open_store(settings.db) as store:
        registry, problems = check_registry(store, settings.replace(sources_file=str(EXAMPLE)))
    assert problems == []
    assert [s.name for s in registry] == sorted((s.name for s in found), key=str.lower)


def test_store_add_list_remove_and_merge_with_the_file(
    tmp_path: Path, settings: Settings, db_url: str
) -> None:
    file = tmp_path / "sources.toml"
    file.write_text(
        TASS + '\n[[source]]\nname = "Reuters"\nurl = "https://www.reuters.com/world/"\n'
        'kind = "wire"\n'
    )
    here = settings.replace(db=db_url, sources_file=str(file))
    mine = source_from(
        {"name": "tass", "urls": ["https://tass.com/en"], "kind": "state_media", "country": "RUS"},
        'source "tass"',
        origin="store",
    )
    with open_store(db_url) as store:
        assert add_source(store, mine) is True
        assert add_source(store, mine) is False  # an upsert: once, by name
        ria = Source("RIA Novosti", ("https://ria.ru/export/rss2/index.xml",), domains=("ria.ru",))
        add_source(store, ria)
        store.checkpoint()
        assert [s.name for s in list_sources(store)] == ["RIA Novosti", "tass"]
        registry = load_registry(store, here)
        assert [(s.name, s.origin) for s in registry] == [
            ("Reuters", "file"),
            ("RIA Novosti", "store"),
            ("tass", "store"),  # the store's entry wins over the file's TASS
        ]
        assert registry[2].owner is None and registry[2].urls == ("https://tass.com/en",)
        remove_source(store, "TASS")
        with pytest.raises(ConfigError) as info:
            remove_source(store, "TASS")
        assert info.value.reason.code == "source_not_found"
        assert [s.origin for s in load_registry(store, here) if s.name == "TASS"] == ["file"]


def test_check_reports_every_problem_of_file_and_store(tmp_path: Path, settings: Settings) -> None:
    file = tmp_path / "sources.toml"
    file.write_text(
        '[[source]]\nname = "A"\nurl = "https://a.example/feed"\nkind = "blog"\n'
        '[[source]]\nname = "B"\nurl = "https://news.example/b"\n'
        '[[source]]\nname = "C"\nurl = "gopher://c.example/"\n'
    )
    with open_store(settings.db) as store:
        add_source(store, Source("D", ("https://news.example/d",), domains=("news.example",)))
        _registry, problems = check_registry(store, settings.replace(sources_file=str(file)))
    messages = [(p.level, p.message) for p in problems]
    assert ("error", f"{file}: source 1 (\"A\"): kind 'blog' is not one of {', '.join(KINDS)}") in (
        messages
    )
    assert (
        "error",
        f"{file}: source 3 (\"C\"): url 'gopher://c.example/' is not an http(s) URL",
    ) in (messages)
    assert (
        "error",
        "domain news.example belongs to both 'B' and 'D': articles from it cannot be matched "
        "to one source",
    ) in messages
    assert len([m for m in messages if m[0] == "error"]) == 3


def test_source_map_joins_owners_and_marks_state_outlets() -> None:
    found = parse_sources(EXAMPLE.read_text("utf-8"))
    sm = source_map(found)
    tass = sm.find("tass")
    assert tass is not None and (tass.owner, tass.state) == ("government:RUS", "RUS")
    bbc = sm.find(None, "https://www.bbc.co.uk/news/world-123")
    assert bbc is not None and bbc.name == "BBC News" and bbc.state is None
    assert sm.find("Unknown Gazette", "https://gazette.example/a") is None
    assert sm.find(None, "https://news.bbc.com/x") == bbc  # a sub-domain of a domain
