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
    assert DATE_PRECISIONS == get_args(DatePrecision)
    ranked = sorted(["range", "year", None, "day", "month", "week"], key=precision_rank)
    assert ranked == ["day", "week", "month", "year", "range", None]
    assert precision_rank("fortnight") == len(DATE_PRECISIONS)


def test_no_second_ordering_of_date_precisions() -> None:
    """A literal naming every precision is an ordering of them: only records.py may hold one."""
    copies = literals_holding(set(DATE_PRECISIONS), at_least=len(DATE_PRECISIONS))
    assert copies, "the scan found not even records.py's own ordering"
    assert {c.split(":")[0] for c in copies} == {"records.py"}, copies

