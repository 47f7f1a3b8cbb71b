"""Who may run which step: the commands and the watch cycle reach extraction and fusion only
through the app layer (``overhorizon/app.py``), so that the flow has one owner. The imports
are read from the source with ``ast``, those inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "overhorizon"

#: Modules that run extraction or fusion (or store their results), which only the app layer
#: calls. Reading tables (``fusion.reports``, ``fusion.independence``, ``nlp.lexicon``) is
#: not running a step and stays open to everyone.
STEPS = (
    "overhorizon.nlp.extract",
    "overhorizon.nlp.pipeline",
    "overhorizon.store.extractions",
    "overhorizon.fusion.cluster",
    "overhorizon.fusion.incremental",
    "overhorizon.fusion.claims",
    "overhorizon.fusion.incidents",
    "overhorizon.fusion.stories",
)
#: Names of ``store.incidents`` that are fusion's input and output rather than queries.
FUSION_IO = {
    "load_inputs",
    "save_incidents",
    "decisions",
    "add_decision",
    "undo_splits",
    "current_ids",
    "incident_keys",
}

#: The app layer's functions that run steps, which come from nowhere else.
FLOW = {"extract_pending", "fuse_stored", "merge_incidents", "split_incident"}

#: The modules held to the rule, by path under overhorizon/.
THROUGH_APP = [
    "cli/run.py",
    "cli/incidents.py",
    "cli/ingest.py",
    "cli/watch.py",
    *sorted(str(p.relative_to(PACKAGE)) for p in (PACKAGE / "watch").glob("*.py")),
]


def imports(path: Path) -> list[tuple[int, str, set[str]]]:
    """(line, module, names imported from it) of every import in ``path``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module, {alias.name for alias in node.names}))
    return sorted(out, key=lambda x: x[0])


def _is_step(module: str) -> bool:
    return any(module == s or module.startswith(s + ".") for s in STEPS)


def violations(path: Path) -> list[str]:
    """Each import in ``path`` of a step that only the app layer may call, as file:line."""
    found = []
    for line, module, names in imports(path):
        where = f"{path.name}:{line}"
        if _is_step(module):
            found.append(f"{where} imports {module}")
        elif stepped := sorted(n for n in names if _is_step(f"{module}.{n}")):
            found.append(f"{where} imports {module}.{stepped[0]}")  # from fusion import cluster
        elif module == "overhorizon.store.incidents" and names & FUSION_IO:
            found.append(f"{where} imports {sorted(names & FUSION_IO)} from {module}")
        elif module != "overhorizon.app" and names & FLOW:
            found.append(f"{where} imports {sorted(names & FLOW)} from {module}")
    return found


def test_the_commands_and_watch_run_steps_only_through_the_app_layer() -> None:
    assert len(THROUGH_APP) > 8  # the watch modules were found
    found = [v for relative in THROUGH_APP for v in violations(PACKAGE / relative)]
    assert found == [], "call overhorizon.app instead:\n" + "\n".join(found)


def test_the_rule_catches_a_step_imported_inside_a_function(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        (PACKAGE / "cli" / "run.py").read_text(encoding="utf-8")
        + "\n\ndef later() -> None:\n"
        + "    from overhorizon.fusion import cluster  # noqa: F401\n"
        + "    from overhorizon.store.incidents import query_incidents, save_incidents\n"
        + "    import overhorizon.nlp.pipeline\n"
        + "    from overhorizon.watch.cycle import extract_pending\n",
        encoding="utf-8",
    )
    found = [v.split(" imports ", 1)[1] for v in violations(sneaky)]
    assert found == [
        "overhorizon.fusion.cluster",
        "['save_incidents'] from overhorizon.store.incidents",
        "overhorizon.nlp.pipeline",
        "['extract_pending'] from overhorizon.watch.cycle",
    ]


def test_the_store_imports_nothing_from_fusion() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{line} imports {module}"
        for path in sorted((PACKAGE / "store").rglob("*.py"))
        for line, module, names in imports(path)
        if module.startswith("overhorizon.fusion")
        or (module == "overhorizon" and "fusion" in names)
    ]
    assert found == [], "store/ only reads and writes:\n" + "\n".join(found)


def environment_reads(tree: ast.AST) -> list[int]:
    """Lines that read the process environment: ``os.environ`` (any use), ``os.getenv``,
    ``os.environb``, or those names imported from ``os``."""
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in {"environ", "environb", "getenv"}) or (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and {a.name for a in node.names} & {"environ", "environb", "getenv"}
        ):
            found.append(node.lineno)
    return found


def test_settings_is_the_only_reader_of_the_environment() -> None:
    """Every setting comes from ``overhorizon.settings`` (its layers: defaults, file,
    ``OVERHORIZON_*``), the gazetteer's path and cache directory included; no other module of
    the package looks at the environment itself."""
    readers = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := environment_reads(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert set(readers) == {"settings.py"}, readers


def test_the_environment_rule_catches_a_read() -> None:
    assert environment_reads(ast.parse("import os\nx = os.environ.get('HOME')\n")) == [2]
    assert environment_reads(ast.parse("from os import getenv\n")) == [1]
    assert environment_reads(ast.parse("import os\nos.getpid()\n")) == []
