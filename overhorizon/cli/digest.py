"""``overhorizon digest``: incidents new or changed in a window, as Markdown or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from overhorizon.cli.common import ConfigOption, DbOption, console, settings_from
from overhorizon.reasons import ConfigError
from overhorizon.settings import parse_duration
from overhorizon.store import open_store


def digest_command(
    since: Annotated[
        str, typer.Option(help="The window before now: a number and s, m, h, d or w.")
    ] = "24h",
    format: Annotated[
        str, typer.Option("--format", help="markdown or html (one self-contained page).")
    ] = "markdown",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the digest: incidents new or changed in the window, grouped by country and
    first-level area, each with dates, killed, grade and its reason, sources and
    contradictions.

    Example: overhorizon digest --since 24h --format html -o digest.html --db demo.db
    """
    from overhorizon.watch.digest import build_digest, render_html, render_markdown

    if format not in ("markdown", "html"):
        raise typer.BadParameter(f"--format {format!r}: markdown or html")
    try:
        window = parse_duration(since)
    except ValueError as exc:
        raise ConfigError("bad_setting", f"--since {exc}") from None
    settings = settings_from(config, db=db)
    with open_store(settings.db) as store:
        digest = build_digest(store, window=window)
    render = render_html if format == "html" else render_markdown
    text = render(digest, settings.base_url)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        console().print(
            f"{len(digest.new)} new, {len(digest.changed)} changed incidents: {output}",
            markup=False,
        )
    else:
        typer.echo(text, nl=False)
