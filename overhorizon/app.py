"""The flow over a store, as library functions: ingest, extract what is pending, fuse what is
affected, raise alerts; :func:`run` takes all four in turn.

Every entry point that moves data along the flow calls these: ``overhorizon run``,
``ingest``, ``fuse``, ``incidents merge|split``, ``watch`` (through
:func:`overhorizon.watch.cycle.run_cycle`, which polls first), ``POST /api/articles``, and a
batch runner. The steps themselves live where they belong (``ingest/``, ``nlp/``,
``fusion/``, ``watch/alerts``); ``store/`` only reads and writes. This module decides the
order, when to commit, and what to tell a :data:`Progress` callback while it works; it
renders nothing (the CLI draws the bars, ``overhorizon.cli.progress``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from overhorizon.records import IngestReport
from overhorizon.settings import Settings
from overhorizon.store import Store

if TYPE_CHECKING:  # the steps are imported when used: ``overhorizon --help`` stays quick
    from overhorizon.fusion.independence import SourceMap
    from overhorizon.store.incidents import Saved
    from overhorizon.watch.alerts import AlertRun

Phase = Literal["ingest", "extract", "fuse", "alerts"]
#: The phases of :func:`run`, in the order it takes them.
PHASES: tuple[Phase, ...] = ("ingest", "extract", "fuse", "alerts")


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """Where one phase has got to: ``done`` of ``total`` units (input files for ingest,
    articles for extract, steps for fuse, rules for alerts); ``total`` is None while unknown.
    ``item`` names what was just done or is being done (a file, an article, a step), for
    display only. Within a phase ``done`` never decreases, and the last event of a phase has
    ``done == total``."""

    phase: Phase
    done: int
    total: int | None
    item: str = ""


Progress = Callable[[ProgressEvent], None]
"""Called with each :class:`ProgressEvent`; it must be quick and must not raise."""


def _hook(progress: Progress | None, phase: Phase) -> Callable[[int, int | None, str], None]:
    """A (done, total, item) hook that forwards to ``progress`` as ``phase`` (or does nothing)."""

    def hook(done: int, total: int | None, item: str) -> None:
        if progress is not None:
            progress(ProgressEvent(phase, done, total, item))

    return hook


# --- ingest -----------------------------------------------------------------------------------


def ingest_paths(
    paths: list[str],
    store: Store,
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    exclude: frozenset[Path] = frozenset(),
    progress: Progress | None = None,
) -> IngestReport:
    """Read every input under ``paths`` (``-``: ``stdin``) into ``store``; progress counts
    input files (a WARC or a feed is one file however many articles it holds)."""
    from overhorizon.ingest.run import ingest

    return ingest(
        paths,
        store,
        settings,
        stdin=stdin,
        exclude=exclude,
        progress=_hook(progress, "ingest"),
    )


# --- extract ----------------------------------------------------------------------------------


@dataclass(slots=True)
class ExtractionCounts:
    """What one extraction pass stored: articles extracted now and the records they gave."""

    articles: int = 0
    actors: int = 0
    events: int = 0
    negated: int = 0
    casualties: int = 0


def pipeline_loader(settings: Settings) -> Callable[[], Any]:
    """A loader of the extraction pipeline that loads it on its first call only (a process
    that extracts again and again, as ``watch`` does, keeps one pipeline)."""
    from overhorizon.nlp.pipeline import load_pipeline

    return functools.cache(lambda: load_pipeline(gazetteer=settings.gazetteer))


def extract_pending(
    store: Store,
    settings: Settings,
    *,
    load: Callable[[], Any] | None = None,
    progress: Progress | None = None,
) -> ExtractionCounts:
    """Extract every stored article that this pipeline version has not extracted yet, and
    store the records, committing every ``batch_size`` articles. ``load`` returns the spaCy
    pipeline (called only when there is work; default: :func:`pipeline_loader`). Progress
    counts articles, the total known from the start."""
    from overhorizon.nlp.extract import extract
    from overhorizon.nlp.pipeline import pipeline_version
    from overhorizon.store.extractions import articles_to_extract, save_extraction

    step = _hook(progress, "extract")
    version = pipeline_version()
    todo = list(articles_to_extract(store, version))
    counts = ExtractionCounts()
    if not todo:
        step(0, 0, "")
        return counts
    step(0, len(todo), "loading the pipeline")
    nlp = (load or pipeline_loader(settings))()
    results = extract(
        ((a, None) for a in todo),
        nlp,
        batch_size=settings.nlp_batch_size,
        n_process=settings.nlp_processes,
    )
    for n, ex in enumerate(results, start=1):
        save_extraction(store, ex, version)
        counts.articles += 1
        counts.actors += len(ex.actors)
        counts.events += sum(e.polarity == "positive" for e in ex.events)
        counts.negated += sum(e.polarity == "negated" for e in ex.events)
        counts.casualties += len(ex.casualties)
        if n % settings.batch_size == 0:
            store.checkpoint()
        step(n, len(todo), ex.article.title or ex.article.id)
    store.checkpoint()
    return counts


# --- fuse -------------------------------------------------------------------------------------

#: The steps fusion reports: loading the reports, clustering them, assessing and saving the
#: incidents.
FUSE_STEPS = 3


def fuse_stored(
    store: Store,
    registry: SourceMap | None = None,
    *,
    incremental: bool = False,
    progress: Progress | None = None,
) -> tuple[int, Saved]:
    """Fuse every stored event into incidents, respecting manual decisions, and store what
    changed; return (reports read, what was saved). ``registry`` (the source registry's
    outlets, :func:`overhorizon.registry.registry_map`) decides which sources are
    independent; without it each outlet is.

    ``incremental``: fuse again only the reports that the events not yet in an incident reach
    (:func:`overhorizon.fusion.incremental.affected`) and the incidents they touch; the result
    is the same as fusing everything, and far cheaper when few articles are new (what
    ``watch`` and ``run`` do). It falls back to everything when most reports are reached, and
    when the registry changes independence (the grades of untouched incidents would not be
    re-assessed), call it without. Progress counts :data:`FUSE_STEPS` steps."""
    from overhorizon.fusion.cluster import fuse
    from overhorizon.fusion.incidents import assemble, carry_ids, reports_of
    from overhorizon.fusion.incremental import affected
    from overhorizon.store.incidents import (
        current_ids,
        decisions,
        incident_keys,
        load_inputs,
        save_incidents,
    )

    step = _hook(progress, "fuse")
    step(0, FUSE_STEPS, "loading reports")
    inputs = load_inputs(store)
    reports = reports_of(inputs.values())
    by_key = {r.key: r for r in reports}
    together, apart = decisions(store)
    todo, scope = reports, None
    if incremental:
        stored = incident_keys(store)
        placed = {k for keys in stored.values() for k in keys}
        if placed:
            new = sorted(set(by_key) - placed)
            # incidents holding events that are gone (an article extracted again) are redone
            stale = {i for i, keys in stored.items() if not set(by_key).issuperset(keys)}
            new += [k for i in sorted(stale) for k in stored[i] if k in by_key]
            again = affected(reports, new, together=together, incidents=stored.values())
            if len(again) < len(reports) // 2:
                scope = stale | {i for i, keys in stored.items() if again.intersection(keys)}
                todo = [r for r in reports if r.key in again]
    step(1, FUSE_STEPS, f"clustering {len(todo)} of {len(reports)} reports")
    clusters = [c for c in fuse(todo, together=together, apart=apart) if c.keys]
    step(2, FUSE_STEPS, f"assessing and saving {len(clusters)} incidents")
    before, reserved = current_ids(store, scope)
    ids = carry_ids([c.keys for c in clusters], before, reserved)
    fused = [assemble(i, c, by_key, inputs, registry) for c, i in zip(clusters, ids, strict=True)]
    saved = save_incidents(store, fused, scope=scope)
    step(3, FUSE_STEPS, f"{saved.incidents} incidents, {saved.written} written")
    return len(reports), saved


def merge_incidents(
    store: Store,
    first: str,
    second: str,
    note: str | None = None,
    registry: SourceMap | None = None,
    *,
    progress: Progress | None = None,
) -> str:
    """Record that two incidents are one, re-fuse (with ``registry``, as :func:`fuse_stored`),
    and return the merged incident's id. ConfigError (``incident_not_found``) when either is
    not stored."""
    from overhorizon.reasons import ConfigError
    from overhorizon.store.incidents import add_decision, incident_of, members_of, undo_splits

    a, b = members_of(store, first), members_of(store, second)
    for iid, members in ((first, a), (second, b)):
        if not members:
            raise ConfigError("incident_not_found", f"no incident {iid!r}")
    undo_splits(store, a, b)
    add_decision(store, a[0], b[0], "together", note)
    fuse_stored(store, registry, progress=progress)
    return incident_of(store, a[0]) or first


def split_incident(
    store: Store,
    iid: str,
    keys: Sequence[str],
    note: str | None = None,
    registry: SourceMap | None = None,
    *,
    progress: Progress | None = None,
) -> list[str]:
    """Take reports out of an incident into one of their own: they stay together, apart from
    the rest, in every later fusion (re-fused with ``registry``, as :func:`fuse_stored`).
    Return the ids of the incidents they are in now. ConfigError (``incident_not_found``)
    when the incident or one of ``keys`` in it is not stored."""
    from overhorizon.reasons import ConfigError
    from overhorizon.store.incidents import add_decision, incident_of, members_of

    members = members_of(store, iid)
    if not members:
        raise ConfigError("incident_not_found", f"no incident {iid!r}")
    out = sorted(set(keys))
    missing = [k for k in out if k not in members]
    if missing:
        raise ConfigError("incident_not_found", f"{missing[0]!r} is not a report of {iid}")
    rest = [k for k in members if k not in out]
    for k in out:
        for other in rest:
            add_decision(store, k, other, "apart", note)
    for k in out[1:]:
        add_decision(store, out[0], k, "together", note)
    fuse_stored(store, registry, progress=progress)
    return sorted({i for k in (out[0], *rest[:1]) if (i := incident_of(store, k))})


# --- alerts -----------------------------------------------------------------------------------


def run_alerts(store: Store, settings: Settings, *, progress: Progress | None = None) -> AlertRun:
    """Raise the alerts the watch rules call for, then deliver every alert still pending or
    failed (:func:`overhorizon.watch.alerts.run_alerts`); progress counts rules."""
    from overhorizon.watch.alerts import run_alerts as raise_and_deliver

    step = _hook(progress, "alerts")
    run = raise_and_deliver(store, settings, step=step)
    step(run.rules, run.rules, f"{len(run.fired)} raised, {len(run.deliveries)} delivered")
    return run


# --- all of it --------------------------------------------------------------------------------


@dataclass(slots=True)
class RunReport:
    """What :func:`run` did, phase by phase: the ingest report, the extraction counts, the
    reports fusion read and what it saved, and the alert run."""

    ingest: IngestReport
    extraction: ExtractionCounts
    reports: int
    saved: Saved
    alerts: AlertRun


def run(
    paths: list[str],
    store: Store,
    settings: Settings,
    *,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
    exclude: frozenset[Path] = frozenset(),
    load: Callable[[], Any] | None = None,
) -> RunReport:
    """Ingest ``paths``, extract every article not extracted by this pipeline version, fuse
    what that affects (incrementally, with the source registry), then raise and deliver the
    alerts due. The registry is read first, so a bad one fails before any work. Re-running
    skips what is done. ``load`` as for :func:`extract_pending`."""
    from overhorizon.registry import registry_map

    registry = registry_map(store, settings)
    report = ingest_paths(paths, store, settings, stdin=stdin, exclude=exclude, progress=progress)
    extraction = extract_pending(store, settings, load=load, progress=progress)
    store.checkpoint()
    reports, saved = fuse_stored(store, registry, incremental=True, progress=progress)
    store.checkpoint()
    alerts = run_alerts(store, settings, progress=progress)
    return RunReport(report, extraction, reports, saved, alerts)
