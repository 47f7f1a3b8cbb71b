"""``overhorizon run``: ingest, then extract what is not extracted yet, in one go."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from overhorizon.cli.common import ConfigOption, DbOption, console, settings_from
from overhorizon.cli.ingest import own_files, render_report
from overhorizon.ingest.run import ingest
from overhorizon.reasons import ConfigError
from overhorizon.store import open_store


def run_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories or - for standard input.", show_default=False, metavar="PATH"
        ),
    ],
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no summary.")] = False,
    config: ConfigOption = None,
) -> None:
    """Ingest documents, extract actors, events and casualties from every new article, and
    fuse all stored events into incidents.

    Re-running skips what is done: articles already stored are not stored again, and articles
    already extracted by this pipeline version are not extracted again. Exit status as for
    `ingest`.

    Example: overhorizon run overhorizon/sample --db demo.db
    """
    import os

    for p in paths:
        if p != "-" and not os.path.lexists(p):
            raise ConfigError("path_not_found", f"input path {p!r} does not exist")
    settings = settings_from(config, db=db)
    from overhorizon.nlp.extract import extract
    from overhorizon.nlp.pipeline import load_pipeline, pipeline_version
    from overhorizon.store.extractions import articles_to_extract, save_extraction

    with open_store(
        settings.db, near_duplicate_threshold=settings.near_duplicate_threshold
    ) as store:
        report = ingest(
            paths,
            store,
            settings,
            stdin=sys.stdin.buffer,
            exclude=own_files(store.database_path(), None),
        )
        version = pipeline_version()
        todo = list(articles_to_extract(store, version))
        counts = dict.fromkeys(
            ("articles", "actors", "events", "negated", "casualties", "reports", "incidents"), 0
        )
        results = (
            extract(
                ((a, None) for a in todo),
                load_pipeline(gazetteer=settings.gazetteer),
                batch_size=settings.nlp_batch_size,
                n_process=settings.nlp_processes,
            )
            if todo
            else iter(())
        )
        for n, ex in enumerate(results, start=1):
            save_extraction(store, ex, version)
            counts["articles"] += 1
            counts["actors"] += len(ex.actors)
            counts["events"] += sum(e.polarity == "positive" for e in ex.events)
            counts["negated"] += sum(e.polarity == "negated" for e in ex.events)
            counts["casualties"] += len(ex.casualties)
            if n % settings.batch_size == 0:
                store.checkpoint()
        store.checkpoint()
        from overhorizon.store.incidents import fuse_stored

        counts["reports"], saved = fuse_stored(store)
        counts["incidents"] = saved.incidents
    if not quiet:
        render_report(report, console())
        t = Table(title="Extraction", show_header=False, title_justify="left")
        t.add_row("articles extracted now", str(counts["articles"]))
        t.add_row("actors", str(counts["actors"]))
        t.add_row("events (positive)", str(counts["events"]))
        t.add_row("events (negated)", str(counts["negated"]))
        t.add_row("casualty figures", str(counts["casualties"]))
        t.add_row("incidents (all events fused)", str(counts["incidents"]))
        console().print(t)
    raise typer.Exit(1 if report.rejected else 0)
