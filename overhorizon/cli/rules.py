"""``overhorizon rules add|list|remove``: watch rules kept in the store (and rules.toml's)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape

from overhorizon.cli.common import ConfigOption, DbOption, console, settings_from
from overhorizon.reasons import ConfigError
from overhorizon.store import open_store

rules_app = typer.Typer(
    help="Watch rules: which incidents raise alerts, and where they go (docs/alerts.md).\n\n"
    "Example: overhorizon rules add kabul --country AFG --min-killed 5 --db demo.db",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@rules_app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="The rule's name (letters, digits, _ . -).")],
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-3, e.g. AFG.")] = None,
    admin1: Annotated[str | None, typer.Option(help="A first-level area, e.g. Kabul.")] = None,
    bbox: Annotated[
        str | None, typer.Option(help="west,south,east,north in WGS84 degrees.")
    ] = None,
    near: Annotated[str | None, typer.Option(help="A place name (gazetteer); with --km.")] = None,
    km: Annotated[float | None, typer.Option(help="Radius around --near, in km.")] = None,
    actor: Annotated[
        list[str] | None, typer.Option(help="An actor's name (repeat for any of several).")
    ] = None,
    type: Annotated[
        list[str] | None, typer.Option(help="A PLOVER type, e.g. ASSAULT (repeatable).")
    ] = None,
    acled_type: Annotated[
        list[str] | None, typer.Option(help="An ACLED event or sub-event type (repeatable).")
    ] = None,
    min_killed: Annotated[
        int | None, typer.Option(min=0, help="At least this many killed (best figure).")
    ] = None,
    grade: Annotated[
        str | None, typer.Option(help="At least this grade: confirmed, fair, weak, ...")
    ] = None,
    keyword: Annotated[
        list[str] | None, typer.Option(help="A word in its titles or claims (repeatable).")
    ] = None,
    webhook: Annotated[str | None, typer.Option(help="POST alerts to this URL.")] = None,
    email: Annotated[
        list[str] | None, typer.Option(help="E-mail alerts to this address (repeatable).")
    ] = None,
    backfill: Annotated[
        bool, typer.Option(help="Also alert on incidents there before the rule, unchanged.")
    ] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Add a watch rule to the store: every condition given must hold, any item of a
    repeated option will do.

    Example: overhorizon rules add kabul-deaths --near Kabul --km 30 --min-killed 5
    --webhook https://example.org/hook --db demo.db
    """
    from overhorizon.watch.rules import add_rule

    data: dict[str, Any] = {"name": name}
    if bbox is not None:
        try:
            data["bbox"] = [float(v) for v in bbox.split(",")]
        except ValueError:
            raise typer.BadParameter(f"--bbox {bbox!r}: four numbers W,S,E,N") from None
    for key, value in (
        ("country", country),
        ("admin1", admin1),
        ("near", near),
        ("km", km),
        ("actors", actor),
        ("types", type),
        ("acled_types", acled_type),
        ("min_killed", min_killed),
        ("grade", grade),
        ("keywords", keyword),
        ("webhook", webhook),
        ("emails", email),
    ):
        if value:
            data[key] = value
    if min_killed == 0:
        data["min_killed"] = 0
    if backfill:
        data["backfill"] = True
    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        rule = add_rule(store, settings, data)
    console().print(f"added rule {escape(rule.name)}: {escape(json.dumps(rule.spec()))}")


@rules_app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """List the watch rules of rules.toml and of the store, by name.

    Example: overhorizon rules list --db demo.db
    """
    from overhorizon.watch.rules import all_rules

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        found = all_rules(store, settings)
    out = console()
    for rule in found:
        spec = rule.spec()
        if as_json:
            row = {**spec, "origin": rule.origin, "created_at": rule.created_at}
            out.print(json.dumps(row, ensure_ascii=False), markup=False, soft_wrap=True)
            continue
        spec.pop("name")
        fields = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in spec.items())
        out.print(f"{rule.name} ({rule.origin}): {fields}", markup=False, highlight=False)
    if not as_json:
        out.print(f"{len(found)} rules", markup=False)


@rules_app.command("remove")
def remove_command(
    name: Annotated[str, typer.Argument(help="The rule's name.")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Remove a rule of the store (its alerts stay on record); a rule of rules.toml is
    removed by editing the file.

    Example: overhorizon rules remove kabul-deaths --db demo.db
    """
    from overhorizon.store.alerts import remove_rule

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        if not remove_rule(store, name):
            raise ConfigError("rule_not_found", f"no rule {name!r} in the store")
    console().print(f"removed rule {escape(name)}")
