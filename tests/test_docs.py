"""The docs are held to the code: generated reference pages, settings, reason codes, README."""

from __future__ import annotations

from pathlib import Path

from overhorizon import reasons
from overhorizon.cli.reference import command_paths, render_cli, stale_pages
from overhorizon.settings import DECLARED, shipped_defaults

REPO = Path(__file__).resolve().parent.parent


def test_reference_pages_are_up_to_date() -> None:
    assert stale_pages() == [], "run make docs"


def test_every_command_is_in_the_cli_reference() -> None:
    page = render_cli()
    for words in command_paths():
        assert f"## `{' '.join(['overhorizon', *words])}`" in page


def test_settings_declared_once_with_a_default() -> None:
    assert [s.name for s in DECLARED] == list(shipped_defaults())
    for s in DECLARED:
        assert s.help.endswith(".")


def test_readme_opens_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make demo" in head and "make test" in head


def test_every_reason_code_is_unique_and_explained() -> None:
    codes = [r.code for r in reasons._ALL]
    assert len(codes) == len(set(codes))
    for r in reasons._ALL:
        assert r.message and r.hint and r.code.islower()


def test_the_records_page_has_every_record() -> None:
    from overhorizon.cli.reference import record_types

    page = (REPO / "docs" / "records.md").read_text(encoding="utf-8")
    headings = [line[4:-1] for line in page.splitlines() if line.startswith("## `")]
    assert headings == [cls.__name__ for cls in record_types()]
    assert {"Incident", "IncidentTrail", "Claim", "Extraction", "Event"} <= set(headings)
