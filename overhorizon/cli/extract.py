"""``overhorizon extract``: records of documents, without a database."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Iterator
from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from overhorizon.cli.common import ConfigOption, console, err_console, settings_from
from overhorizon.ingest.run import read_paths
from overhorizon.reasons import ConfigError
from overhorizon.records import Article, Extraction, PreparedArticle, Rejection


def extract_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories or - for standard input.", show_default=False, metavar="PATH"
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="Publication date (YYYY-MM-DD) for documents that "
            "give none; relative dates resolve against it.",
            show_default=False,
        ),
    ] = None,
    outlet: Annotated[
        str | None,
        typer.Option("--outlet", help="Outlet for documents that name none.", show_default=False),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object (one document only).")
    ] = False,
    as_jsonl: Annotated[
        bool, typer.Option("--jsonl", help="Print one JSON object per document, in input order.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Extract actors, events and casualties from documents and print them; nothing is stored.

    Reads the same inputs as `ingest`. Each record carries the input's id (JSONL `id`) or
    path in `source`. Exit status: 0 all read, 1 something rejected, 2 usage error.

    Example: overhorizon extract report.txt --published 2021-09-29 --outlet Antiwar.com --json
    """
    if as_json and as_jsonl:
        raise ConfigError("bad_setting", "--json and --jsonl exclude each other")
    if published is not None:
        try:
            date.fromisoformat(published)
        except ValueError:
            raise ConfigError(
                "bad_setting", f"--published {published!r} is not YYYY-MM-DD"
            ) from None
    for p in paths:
        if p != "-" and not os.path.lexists(p):
            raise ConfigError("path_not_found", f"input path {p!r} does not exist")
    settings = settings_from(config)
    from overhorizon.nlp.extract import extract
    from overhorizon.nlp.pipeline import load_pipeline

    rejected: list[Rejection] = []

    def articles() -> Iterator[tuple[Article, str | None]]:
        for item in read_paths(paths, settings, stdin=sys.stdin.buffer):
            if isinstance(item, Rejection):
                rejected.append(item)
                err_console().print(
                    f"rejected {escape(item.source)}: {item.reason}: {escape(item.message)}",
                    highlight=False,
                )
            elif isinstance(item, PreparedArticle):
                a = item.article
                if published and not a.published:
                    a = dataclasses.replace(a, published=published, published_precision="day")
                if outlet and not a.outlet:
                    a = dataclasses.replace(a, outlet=outlet)
                yield a, item.external_id or item.source.locator

    nlp = load_pipeline(gazetteer=settings.gazetteer)
    results = extract(
        articles(),
        nlp,
        batch_size=settings.nlp_batch_size,
        n_process=settings.nlp_processes,
    )
    if as_json:
        found = list(results)
        if len(found) != 1:
            raise ConfigError(
                "bad_setting", f"--json prints one document but {len(found)} were read; use --jsonl"
            )
        typer.echo(json.dumps(_public(found[0]), ensure_ascii=False, indent=2))
    elif as_jsonl:
        for ex in results:
            typer.echo(json.dumps(_public(ex), ensure_ascii=False))
    else:
        for ex in results:
            render(ex)
    raise typer.Exit(1 if rejected else 0)


def _public(ex: Extraction) -> dict[str, object]:
    out = ex.to_dict()
    out["article"].pop("published_text", None)
    return out


def render(ex: Extraction) -> None:
    """Print one document's records as tables."""
    out = console()
    a = ex.article
    out.print(
        f"[bold]{escape(a.title or ex.source or a.id[:12])}[/bold]  "
        f"{escape(a.outlet or '?')}  {a.published or '?'}  [dim]{escape(ex.source or '')}[/dim]"
    )
    names = {x.id: x.name for x in ex.actors}
    t = Table("id", "actor", "kind", "country", "sector", title="actors", title_justify="left")
    for x in ex.actors:
        t.add_row(x.id, escape(x.name), x.kind, x.country or "", x.sector or "")
    out.print(t)
    t = Table(
        "id",
        "type",
        "mode",
        "ACLED",
        "source",
        "target",
        "date",
        "polarity",
        "modality",
        "trigger",
        title="events",
        title_justify="left",
    )
    for e in ex.events:
        t.add_row(
            e.id,
            e.type,
            e.mode or "",
            e.acled_sub_event_type or "",
            escape(names.get(e.source_actor or "", "")),
            escape(names.get(e.target_actor or "", "")),
            f"{e.date.start}..{e.date.end} ({e.date.precision})" if e.date else "",
            e.polarity,
            e.modality,
            escape(e.trigger),
        )
    out.print(t)
    if ex.casualties:
        t = Table(
            "event",
            "group",
            "killed",
            "injured",
            "of",
            "aggregate",
            title="casualties",
            title_justify="left",
        )
        for c in ex.casualties:
            scope = f"{c.scope} beside {c.context_of or '?'}" if c.aggregate else ""
            t.add_row(
                c.event or "", c.group, _fmt(c.killed), _fmt(c.injured), c.part_of or "", scope
            )
        out.print(t)


def _fmt(count: object) -> str:
    if count is None:
        return ""
    low, best, high = (getattr(count, k) for k in ("low", "best", "high"))

    def show(v: object, unknown: str) -> str:
        return unknown if v is None else str(v)

    return f"{show(best, '?')} [{show(low, '')}-{show(high, '')}]"
