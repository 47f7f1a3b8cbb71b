"""The command line: one thin module per command family; ``main`` is the entry point."""

from __future__ import annotations

import sys

import typer

# Typer 0.29 vendors click as typer._click (pinned in pyproject.toml); its usage errors live there.
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from overhorizon import __version__, reasons
from overhorizon.cli.alerts import alerts_app
from overhorizon.cli.articles import articles_command
from overhorizon.cli.db import db_app
from overhorizon.cli.digest import digest_command
from overhorizon.cli.events import events_command
from overhorizon.cli.export import export_command
from overhorizon.cli.extract import extract_command
from overhorizon.cli.geocode import geocode_command
from overhorizon.cli.incidents import fuse_command, incidents_app, show_command
from overhorizon.cli.ingest import ingest_command
from overhorizon.cli.rules import rules_app
from overhorizon.cli.run import run_command
from overhorizon.cli.serve import serve_command
from overhorizon.cli.sources import sources_app
from overhorizon.cli.watch import watch_command
from overhorizon.geo.build import GazetteerError
from overhorizon.reasons import ConfigError

app = typer.Typer(
    name="overhorizon",
    help="Watch a conflict region through the news: ingest, extract, fuse, serve.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
app.command("ingest")(ingest_command)
app.command("articles")(articles_command)
app.command("extract")(extract_command)
app.command("run")(run_command)
app.command("events")(events_command)
app.command("geocode")(geocode_command)
app.command("fuse")(fuse_command)
app.add_typer(incidents_app, name="incidents")
app.command("show")(show_command)
app.command("serve")(serve_command)
app.command("export")(export_command)
app.add_typer(db_app, name="db")
app.command("watch")(watch_command)
app.add_typer(sources_app, name="sources")
app.add_typer(rules_app, name="rules")
app.add_typer(alerts_app, name="alerts")
app.command("digest")(digest_command)


@app.command("version")
def version_command() -> None:
    """Print the version.

    Example: overhorizon version
    """
    typer.echo(__version__)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; usage and configuration errors print one line and exit with status 2."""
    command = typer.main.get_command(app)
    try:
        rc = command.main(args=argv, prog_name="overhorizon", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
        sys.exit(2)
    except UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "overhorizon"
        typer.echo(f"error: {exc.format_message()} (see '{where} --help')", err=True)
        sys.exit(2)
    except ConfigError as exc:
        typer.echo(f"error: {exc.detail}: {exc.reason.hint}", err=True)
        sys.exit(2)
    except GazetteerError as exc:
        typer.echo(f"error: {exc.detail}: {reasons.get(exc.code).hint}", err=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("aborted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(141)
    sys.exit(rc if isinstance(rc, int) else 0)
