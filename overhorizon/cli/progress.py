"""Progress bars on stderr for the phases of the flow: one bar per phase (ingest, extract,
fuse, alerts) with counts, rate and time left, drawn from the app layer's
:class:`~overhorizon.app.ProgressEvent` values. Nothing is drawn with ``--quiet`` or when
stderr is not a terminal (a pipe, a log file, cron)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as Bars
from rich.text import Text

from overhorizon.app import Phase, Progress, ProgressEvent

#: What each phase counts, as the rate column names it.
UNITS: dict[Phase, str] = {
    "ingest": "files",
    "extract": "articles",
    "fuse": "steps",
    "alerts": "rules",
}
_REFRESH_SECONDS = 0.1  # redraw at most this often, and whenever a phase starts or ends


class RateColumn(ProgressColumn):
    """Units a second, e.g. ``12.5 articles/s``; blank until Rich has measured a speed."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None:
            return Text("")
        return Text(f"{speed:.1f} {task.fields.get('unit', '')}/s", style="progress.data.speed")


def _nothing(_event: ProgressEvent) -> None:
    """The callback when no bars are drawn."""


@contextmanager
def progress_bars(err: Console, *, quiet: bool = False) -> Iterator[Progress]:
    """A progress callback drawing a bar per phase on ``err`` while the block runs; the bars
    are cleared when it ends, so that the summary printed after stands alone. With ``quiet``,
    or when ``err`` is not a terminal, the callback draws nothing."""
    if quiet or not err.is_terminal:
        yield _nothing
        return
    bars = Bars(
        TextColumn("[bold]{task.fields[phase]:<7}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", style="dim"),
        console=err,
        transient=True,
        auto_refresh=False,  # no refresh thread: ingest and extraction fork their workers
    )
    tasks: dict[Phase, TaskID] = {}
    last = 0.0

    def show(event: ProgressEvent) -> None:
        nonlocal last
        label = escape(event.item[-60:])
        task = tasks.get(event.phase)
        if task is None:
            task = tasks[event.phase] = bars.add_task(
                label, total=event.total, phase=event.phase, unit=UNITS[event.phase]
            )
        elif event.done < bars.tasks[task].completed:  # the phase again (the next watch cycle)
            bars.reset(task, total=event.total, completed=event.done, description=label)
        bars.update(task, completed=event.done, total=event.total, description=label)
        now = time.monotonic()
        if event.done == 0 or event.done == event.total or now - last >= _REFRESH_SECONDS:
            bars.refresh()
            last = now

    with bars:
        yield show
