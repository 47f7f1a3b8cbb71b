"""``overhorizon sources list|add|remove|check``: the source registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from overhorizon.cli.common import ConfigOption, DbOption, console, settings_from
from overhorizon.records import KINDS
from overhorizon.store import open_store

sources_app = typer.Typer(
    help="The source registry: outlets watch polls and fusion reads for ownership "
    "(sources.toml and the store; see docs/sources.md).\n\n"
    "Example: overhorizon sources list --db demo.db",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)

FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file",
        help="Registry file (TOML) instead of the sources_file setting (default: "
        "./sources.toml if present); it must exist.",
        show_default=False,
        dir_okay=False,
    ),
]


def _file(path: Path | None) -> dict[str, Any]:
    return {"sources_file": str(path)} if path is not None else {}


@sources_app.command("list")
def list_command(
    db: DbOption = None,
    file: FileOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
    config: ConfigOption = None,
) -> None:
    """List the registered sources, file and store merged by name (the store's entry wins):
    name, kind, country, language, owner, where it is registered, URLs.

    Example: overhorizon sources list --db demo.db --json
    """
    from overhorizon.registry import load_registry

    settings = settings_from(config, db=db, **_file(file))
    with open_store(settings.db) as store:
        registry = load_registry(store, settings)
    out = console()
    if as_json:
        for s in registry:
            line = json.dumps({**s.fields(), "origin": s.origin}, ensure_ascii=False)
            out.print(line, markup=False, highlight=False, soft_wrap=True)
        return
    table = Table(title=f"{len(registry)} sources", title_justify="left")
    for column in ("name", "kind", "country", "lang", "owner", "from", "urls"):
        table.add_column(column)
    for s in registry:
        table.add_row(
            *(
                Text(v or "")
                for v in (
                    s.name,
                    s.kind,
                    s.country,
                    s.language,
                    s.owner,
                    s.origin,
                    "\n".join(s.urls),
                )
            )
        )
    out.print(table)


@sources_app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="The outlet's name, as articles give it.")],
    urls: Annotated[
        list[str], typer.Argument(help="Its feeds, sitemaps or pages (http or https).")
    ],
    kind: Annotated[str, typer.Option(help="One of: " + ", ".join(KINDS) + ".")] = "other",
    country: Annotated[
        str | None, typer.Option(help="ISO 3166-1 alpha-3 code, e.g. RUS.", show_default=False)
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="ISO 639-1 code, e.g. ru.", show_default=False)
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            help="Who owns it; outlets of one owner count as one source (e.g. government:RUS).",
            show_default=False,
        ),
    ] = None,
    notes: Annotated[str | None, typer.Option(help="Free text.", show_default=False)] = None,
    domains: Annotated[
        list[str] | None,
        typer.Option(
            "--domain",
            help="A host it publishes under (repeat for more; default: the hosts of its URLs).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Add a source to the store, or replace the stored one of that name; it overrides a
    source of that name in the registry file.

    Example: overhorizon sources add TASS https://tass.com/rss/v2.xml --kind "state media"
    --country RUS --language ru --owner government:RUS --db demo.db
    """
    from overhorizon.registry import source_from
    from overhorizon.store.sources import add_source

    data: dict[str, Any] = {"name": name, "urls": urls, "kind": kind}
    for key, value in (
        ("country", country),
        ("language", language),
        ("owner", owner),
        ("notes", notes),
        ("domains", domains),
    ):
        if value:
            data[key] = value
    source = source_from(data, f'source "{name}"', origin="store")
    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        new = add_source(store, source)
    console().print(
        Text(f"{'added' if new else 'replaced'} {source.name}: {', '.join(source.urls)}")
    )


@sources_app.command("remove")
def remove_command(
    name: Annotated[str, typer.Argument(help="The stored source's name (case-blind).")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Remove a source from the store (a source of the registry file stays until it is taken
    out of the file).

    Example: overhorizon sources remove TASS --db demo.db
    """
    from overhorizon.store.sources import remove_source

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        remove_source(store, name)
    console().print(Text(f"removed {name}"))


@sources_app.command("check")
def check_command(
    db: DbOption = None,
    file: FileOption = None,
    config: ConfigOption = None,
) -> None:
    """Check the registry file and the stored sources, offline, and print every problem: bad
    fields, duplicate names, URLs that are not http(s), a host claimed by two sources. Exit
    status 2 when there are errors. Whether each URL answers is not checked here: run
    `overhorizon watch --once` for that live check.

    Example: overhorizon sources check --file docs/examples/sources.toml
    """
    from overhorizon.registry import check_registry

    settings = settings_from(config, db=db, **_file(file))
    with open_store(settings.db) as store:
        registry, problems = check_registry(store, settings)
    out = console()
    for p in problems:
        out.print(Text(f"{p.level}: {p.message}"))
    errors = sum(p.level == "error" for p in problems)
    origins = {o: sum(s.origin == o for s in registry) for o in ("file", "store")}
    out.print(
        f"{len(registry)} sources ({origins['file']} from the file, {origins['store']} from "
        f"the store): {errors} errors, {sum(p.level == 'warning' for p in problems)} warnings"
    )
    if errors:
        raise typer.Exit(2)
