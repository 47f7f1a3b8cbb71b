"""One watch cycle: poll the sources, extract the new articles, fuse, then what follows fusion
(alerts, given as a callback). The extraction step is the one ``overhorizon run`` performs."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from overhorizon.records import Source
from overhorizon.settings import Settings
from overhorizon.store import Store
from overhorizon.watch.fetch import Fetcher
from overhorizon.watch.poll import PollReport, poll

AfterFusion = Callable[[Store], object]
"""Called with the store once incidents are fused (the place where alerts are raised)."""


@dataclass(slots=True)
class ExtractionCounts:
    """What one extraction pass stored: articles extracted now and the records they gave."""

    articles: int = 0
    actors: int = 0
    events: int = 0
    negated: int = 0
    casualties: int = 0


def extract_pending(
    store: Store, settings: Settings, *, load: Callable[[], Any] | None = None
) -> ExtractionCounts:
    """Extract every stored article that this pipeline version has not extracted yet, and
    store the records, committing every ``batch_size`` articles. ``load`` returns the spaCy
    pipeline (called only when there is work; default: ``load_pipeline``)."""
    from overhorizon.nlp.extract import extract
    from overhorizon.nlp.pipeline import load_pipeline, pipeline_version
    from overhorizon.store.extractions import articles_to_extract, save_extraction

    version = pipeline_version()
    todo = list(articles_to_extract(store, version))
    counts = ExtractionCounts()
    if not todo:
        return counts
    nlp = load() if load is not None else load_pipeline(gazetteer=settings.gazetteer)
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
    store.checkpoint()
    return counts


@dataclass(slots=True)
class CycleReport:
    """What one cycle did. ``fused`` is False when fusion was skipped (nothing new since the
    last cycle); ``reports`` and ``incidents`` are then 0. ``after_fusion`` is what the
    callback returned."""

    poll: PollReport
    extraction: ExtractionCounts = field(default_factory=ExtractionCounts)
    fused: bool = False
    reports: int = 0
    incidents: int = 0
    seconds: float = 0.0
    after_fusion: object = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "poll": self.poll.to_dict(),
            "extraction": asdict(self.extraction),
            "fused": self.fused,
            "reports": self.reports,
            "incidents": self.incidents,
            "seconds": round(self.seconds, 3),
        }


def run_cycle(
    store: Store,
    sources: Sequence[Source],
    settings: Settings,
    *,
    after_fusion: AfterFusion | None = None,
    load: Callable[[], Any] | None = None,
    fetcher: Fetcher | None = None,
    always_fuse: bool = False,
) -> CycleReport:
    """Poll ``sources``, extract what is new, fuse all stored events into incidents (when
    anything was extracted, or ``always_fuse``: the first cycle of a process, to finish what a
    killed one left), then call ``after_fusion(store)``."""
    started = time.monotonic()
    report = CycleReport(poll(store, sources, settings, fetcher=fetcher))
    report.extraction = extract_pending(store, settings, load=load)
    if always_fuse or report.extraction.articles:
        from overhorizon.registry import source_map
        from overhorizon.store.incidents import fuse_stored

        report.reports, saved = fuse_stored(store, source_map(list(sources)), incremental=True)
        report.incidents = saved.incidents
        report.fused = True
        store.checkpoint()
    if after_fusion is not None:
        report.after_fusion = after_fusion(store)
        store.checkpoint()
    report.seconds = time.monotonic() - started
    return report
