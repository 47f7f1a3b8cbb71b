"""The docs are held to the code: generated reference pages, settings, reason codes, README."""

from __future__ import annotations

import re
from pathlib import Path

from overhorizon import reasons
from overhorizon.settings import DECLARED, shipped_defaults
from scripts.docs import DOCS, command_paths, stale_pages

REPO = Path(__file__).resolve().parent.parent


def test_reference_pages_are_up_to_date() -> None:
    assert stale_pages() == [], "run make docs"


def test_every_command_is_in_the_cli_reference() -> None:
    """The committed docs/cli.md has a section for each command of the CLI, in order, and no
    other; each section shows that command's example (a page rendered now would always pass:
    the committed one is what readers get)."""
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    titles = re.findall(r"^## `(overhorizon[^`]*)`$", page, flags=re.M)
    assert titles == [" ".join(["overhorizon", *words]) for words in command_paths()]
    sections = re.split(r"^## `overhorizon[^`]*`$", page, flags=re.M)[1:]
    for words, section in zip(command_paths(), sections, strict=True):
        if words and words != ["db"]:
            assert "Example: overhorizon " + " ".join(words) in section, words


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
    from scripts.docs import record_types

    page = (REPO / "docs" / "records.md").read_text(encoding="utf-8")
    headings = [line[4:-1] for line in page.splitlines() if line.startswith("## `")]
    assert headings == [cls.__name__ for cls in record_types()]
    assert {"Incident", "IncidentTrail", "Claim", "Extraction", "Event"} <= set(headings)
