"""The package keeps its shape: incidents are read as typed records, never as summary JSON.

Parsed with ``ast`` so that the rule holds for code, not for comments or strings. Each rule is
tried on a snippet that breaks it, so a rule that can no longer see a breach fails too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "overhorizon"
#: The one module that turns an incident's stored JSON into records and back.
CODEC = PACKAGE / "codec.py"


def _named_summary(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "summary") or (
        isinstance(node, ast.Attribute) and node.attr == "summary"
    )


def summary_reads(source: str) -> list[int]:
    """Lines that read an incident's summary by string keys: ``x.summary["claims"]``,
    ``summary.get("claims")``, ``row["summary"]`` (read, not written)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            key = node.slice
            by_key = isinstance(key, ast.Constant) and isinstance(key.value, str)
            of_summary = by_key and _named_summary(node.value)
            the_column = isinstance(key, ast.Constant) and key.value == "summary"
            if of_summary or the_column:
                found.append(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and _named_summary(node.func.value)
        ):
            found.append(node.lineno)
    return found


def test_the_rule_sees_each_kind_of_read() -> None:
    assert summary_reads('row.summary["claims"]') == [1]
    assert summary_reads('x = summary.get("casualties", [])') == [1]
    assert summary_reads('data = row["summary"]') == [1]
    assert summary_reads('row["summary"] = encode_trail(t)') == []  # the store writes it
    assert summary_reads("incident.summary.claims") == []  # typed: fine


def test_no_reader_indexes_an_incident_summary_by_string_keys() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == CODEC or "migrations" in path.parts:
            continue
        for line in summary_reads(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    assert offenders == [], "read incidents through overhorizon.codec and records: " + ", ".join(
        offenders
    )
