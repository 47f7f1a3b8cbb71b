"""``overhorizon fuse``, ``incidents [merge|split]`` and ``show``: reports of one happening."""

from __future__ import annotations

import json
from itertools import islice
from typing import Annotated

import typer
from rich.markup import escape

from overhorizon.cli.common import (
    ConfigOption,
    DbOption,
    QuietOption,
    console,
    err_console,
    fit,
    iso_date,
    settings_from,
)
from overhorizon.cli.progress import progress_bars
from overhorizon.reasons import ConfigError
from overhorizon.records import CasualtyRange, Count, IncidentTrail
from overhorizon.store import open_store


def fuse_command(
    db: DbOption = None,
    quiet: QuietOption = False,
    config: ConfigOption = None,
) -> None:
    """Fuse the stored events into incidents (reports of one happening across articles).

    The result depends only on what is stored, on manual decisions and on the source registry
    (outlets of one owner count as one source), never on the order articles arrived in; each
    incident keeps the reasons its reports were joined.

    Example: overhorizon fuse --db demo.db
    """
    from overhorizon.app import fuse_stored
    from overhorizon.registry import registry_map

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store, progress_bars(err_console(), quiet=quiet) as progress:
        reports, saved = fuse_stored(store, registry_map(store, settings), progress=progress)
    if quiet:
        return
    console().print(
        f"{reports} event reports fused into {saved.incidents} incidents "
        f"({saved.written} new or changed, {saved.removed} gone, the rest unchanged)"
    )


incidents_app = typer.Typer(no_args_is_help=False)  # help: the callback's docstring


@incidents_app.callback(invoke_without_command=True)
def incidents_command(
    ctx: typer.Context,
    db: DbOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Only incidents ending on or after this date (YYYY-MM-DD).", callback=iso_date
        ),
    ] = None,
    near: Annotated[
        str | None,
        typer.Option(help="Only incidents within --km of this place (a gazetteer name)."),
    ] = None,
    km: Annotated[float, typer.Option(min=0, help="Distance for --near, in km.")] = 50.0,
    grade: Annotated[
        str | None,
        typer.Option(
            help="Only incidents of this grade: confirmed, fair, weak, contested, discounted."
        ),
    ] = None,
    min_articles: Annotated[
        int, typer.Option(min=1, help="Only incidents reported by at least this many articles.")
    ] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many incidents.")] = 50,
    config: ConfigOption = None,
) -> None:
    """List incidents, earliest first: date, type, place, articles, sources, deaths, grade;
    merge or split them by hand (see the commands below).

    Example: overhorizon incidents --db demo.db --since 2021-08-20 --near Kabul
    """
    if ctx.invoked_subcommand is not None:
        return
    from overhorizon.codec import encode_incident
    from overhorizon.store.incidents import IncidentQuery, iter_incidents

    settings = settings_from(config, db=db)
    point = _place_point(near, settings.gazetteer) if near else None
    try:
        query = IncidentQuery(
            since=since, near=point, km=km, grade=grade, min_articles=min_articles
        )
    except ValueError as exc:
        raise ConfigError("bad_setting", str(exc)) from None
    with open_store(settings.db) as store:
        rows = list(islice(iter_incidents(store, query), limit))
    out = console()
    if as_json:
        for r, _ in rows:
            line = json.dumps(encode_incident(r), ensure_ascii=False)
            out.print(line, markup=False, highlight=False, soft_wrap=True)
        return
    out.print(f"[bold]{len(rows)} incidents[/bold]")
    head = f"{'id':18} {'date':10} {'type':18} {'place':10} {'art/src':>7} grade"
    out.print(fit(head, max(40, out.width)), style="bold", markup=False, highlight=False)
    for r, _ in rows:
        label = r.label
        line = (
            f"{r.id:18} {r.date_start or '?':10} {fit(label, 18):18} {fit(r.place or '?', 10):10} "
            f"{f'{r.articles}/{r.sources}':>7} {r.grade}"
        )
        out.print(fit(line, max(40, out.width)), markup=False, highlight=False)
        killed = _killed(r.summary.casualties if r.summary else [])
        if killed:
            out.print(
                fit(f"{'':18} killed: {killed}", max(40, out.width)), markup=False, highlight=False
            )


def _killed(ranges: list[CasualtyRange]) -> str:
    parts = []
    for c in ranges:
        k = c.killed
        span = f"{k.low}" if k.low == k.high else f"{k.low}-{k.high}"
        parts.append(f"{c.group} {k.best} ({span})")
    return ", ".join(parts)


def _place_point(name: str, gazetteer_path: str) -> tuple[float, float]:
    from overhorizon.geo.gazetteer import ENV_PATH, open_gazetteer

    gaz = open_gazetteer(env={ENV_PATH: gazetteer_path}) if gazetteer_path else open_gazetteer()
    with gaz:
        found = gaz.candidates(name, limit=1)
    if not found:
        raise ConfigError("place_not_found", f"no place called {name!r} in the gazetteer")
    return found[0].lat, found[0].lon


@incidents_app.command("merge")
def merge_command(
    first: Annotated[str, typer.Argument(help="An incident id (i-...).")],
    second: Annotated[str, typer.Argument(help="Another incident id.")],
    note: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Merge two incidents by hand; every later fusion keeps them together.

    Example: overhorizon incidents merge i-7f7817a272f615a1 i-a7ae772e14dcf745 --db demo.db
    """
    from overhorizon.app import merge_incidents
    from overhorizon.registry import registry_map

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store, progress_bars(err_console()) as progress:
        merged = merge_incidents(
            store,
            first,
            second,
            note=note,
            registry=registry_map(store, settings),
            progress=progress,
        )
    console().print(f"merged into {merged}")


@incidents_app.command("split")
def split_command(
    incident: Annotated[str, typer.Argument(help="An incident id (i-...).")],
    reports: Annotated[
        list[str],
        typer.Argument(help="Reports (article_id/event_id) to take out, as `show` lists them."),
    ],
    note: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Split reports out of an incident into one of their own; later fusions keep them apart.

    Example: overhorizon incidents split i-08da30cd98ee1374 ab12.../e3 --db demo.db
    """
    from overhorizon.app import split_incident
    from overhorizon.registry import registry_map

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store, progress_bars(err_console()) as progress:
        ids = split_incident(
            store,
            incident,
            reports,
            note=note,
            registry=registry_map(store, settings),
            progress=progress,
        )
    console().print("now: " + ", ".join(ids))


def show_command(
    incident: Annotated[str, typer.Argument(help="An incident id (i-...).")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the incident as JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Show one incident: its claims in time order, sources, contradictions, casualty ranges,
    grade, and the sentence behind each claim.

    Example: overhorizon show i-08da30cd98ee1374 --db demo.db
    """
    from overhorizon.codec import encode_incident
    from overhorizon.store.incidents import get_incident

    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        found = get_incident(store, incident)
    if found is None:
        raise ConfigError("incident_not_found", f"no incident {incident!r} in {settings.db}")
    row, sentences = found
    trail = row.summary or IncidentTrail()
    out = console()
    if as_json:
        data = encode_incident(row)
        data["evidence"] = sentences
        out.print(json.dumps(data, ensure_ascii=False), markup=False, soft_wrap=True)
        return
    out.print(
        f"[bold]{row.id}[/bold]  {row.label}  {escape(row.place or '?')} "
        f"(precision {row.place_precision or '?'})  {row.date_start or '?'}"
        + (f" to {row.date_end}" if row.date_end and row.date_end != row.date_start else "")
    )
    out.print(f"ACLED: {row.acled_event_type or '?'} / {row.acled_sub_event_type or '?'}")
    out.print(f"grade: [bold]{row.grade}[/bold] ({escape(row.grade_reason)})")
    out.print(
        f"{row.reports} reports in {row.articles} articles from {row.sources} independent "
        "sources: " + escape(", ".join(trail.source_names))
    )
    for c in trail.casualties:
        k = c.killed
        out.print(
            f"killed, {c.group}: best {k.best}, low {k.low}, high {k.high} "
            f"({escape(c.best_reason)})"
        )
    out.print("[bold]claims[/bold]")
    for claim in trail.claims:
        figures = "; ".join(f"{f.group} {_count(f.killed)}" for f in claim.figures if f.killed)
        who = claim.speaker or ("anonymous" if claim.anonymous else claim.outlet)
        via = f" via {claim.via}" if claim.via else ""
        out.print(
            f"  {claim.published or '?'}  {escape(claim.outlet or '?')}: {escape(str(who))}"
            f"{escape(via)} {claim.stance}" + (f"  [{figures}]" if figures else ""),
            highlight=False,
        )
        sentence = sentences.get(claim.id)
        if sentence:
            out.print(f"      “{escape(fit(sentence, 160))}”", style="dim", highlight=False)
    if trail.contradictions:
        out.print("[bold]contradictions[/bold]")
        for x in trail.contradictions:
            out.print(f"  {x.kind}: {escape(x.why)}", highlight=False)


def _count(k: Count) -> str:
    if k.low is not None and k.high is None:
        return f"at least {k.low}"
    return str(k.best if k.best is not None else k.low)
