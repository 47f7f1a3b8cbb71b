"""``overhorizon geocode``: the gazetteer's ranked candidates for a place name."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from overhorizon.cli.common import ConfigOption, console, settings_from


def geocode_command(
    name: Annotated[str, typer.Argument(help="A place name, e.g. Kabul or Mazar-e Sharif.")],
    context: Annotated[
        str | None,
        typer.Option(
            help="Text around the name: the countries and places it names rank "
            "candidates, as they do in an article."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many candidates.")] = 10,
    config: ConfigOption = None,
) -> None:
    """Show the ranked gazetteer candidates for a place name, the chosen one first.

    The gazetteer (GeoNames, CC BY 4.0) is built on first use. Exit status 1 when nothing
    matches.

    Example: overhorizon geocode Madaya --context "Rif Dimashq"
    """
    from overhorizon.geo.gazetteer import ENV_PATH, open_gazetteer
    from overhorizon.geo.resolver import PRECISION, Resolver, Toponym

    settings = settings_from(config)
    if settings.gazetteer:
        gazetteer = open_gazetteer(env={ENV_PATH: settings.gazetteer})
    else:
        gazetteer = open_gazetteer()
    toponyms = [Toponym(name, 0, len(name))]
    if context:
        from overhorizon.nlp.doc_records import doc_records
        from overhorizon.nlp.pipeline import load_pipeline

        doc = load_pipeline(gazetteer=settings.gazetteer)(context)
        toponyms += [
            Toponym(p.name, m.start, m.end) for p in doc_records(doc).places for m in p.mentions[:1]
        ]
        # a bare area name as the context ("Rif Dimashq"), which the model may not tag
        parts = [part.strip() for part in context.split(",")]
        toponyms += [
            Toponym(part, 0, len(part))
            for part in parts
            if part and part not in {t.text for t in toponyms} and gazetteer.contains(part)
        ]
    (first, *_) = Resolver(gazetteer).resolve(toponyms)
    ranked = ([first.candidate] if first.candidate is not None else []) + first.alternatives
    table = Table(title=f"{escape(name)}: {len(ranked)} candidates", title_justify="left")
    for col in ("", "name", "kind", "country", "admin1", "lat", "lon", "population", "id"):
        table.add_column(col)
    for n, c in enumerate(ranked[:limit]):
        mark = "→" if n == 0 and first.candidate is not None else ""
        table.add_row(
            mark,
            escape(c.name),
            f"{c.kind} (precision {PRECISION.get(c.kind, 3)})",
            c.country or "",
            escape(c.admin1 or ""),
            f"{c.lat:.4f}",
            f"{c.lon:.4f}",
            f"{c.population:,}",
            c.gazetteer_id,
        )
    console().print(table)
    if first.candidate is None:
        console().print("no place fits: nothing is resolved rather than a wrong guess")
    raise typer.Exit(0 if ranked else 1)
