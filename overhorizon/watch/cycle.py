"""One watch cycle: poll the sources, then the rest of the flow through the app layer
(:mod:`overhorizon.app`): extract the new articles, fuse what they affect, raise alerts."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from overhorizon.app import ExtractionCounts, Progress, extract_pending, fuse_stored, run_alerts
from overhorizon.records import Source
from overhorizon.settings import Settings
from overhorizon.store import Store
from overhorizon.watch.alerts import AlertRun
from overhorizon.watch.fetch import Fetcher
from overhorizon.watch.poll import PollReport, poll


@dataclass(slots=True)
class CycleReport:
    """What one cycle did. ``fused`` is False when fusion was skipped (nothing new since the
    last cycle); ``reports`` and ``incidents`` are then 0. ``alerts`` is the alert run (None
    when the cycle was told to raise none)."""

    poll: PollReport
    extraction: ExtractionCounts = field(default_factory=ExtractionCounts)
    fused: bool = False
    reports: int = 0
    incidents: int = 0
    seconds: float = 0.0
    alerts: AlertRun | None = None

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
    load: Callable[[], Any] | None = None,
    fetcher: Fetcher | None = None,
    always_fuse: bool = False,
    alerts: bool = True,
    progress: Progress | None = None,
) -> CycleReport:
    """Poll ``sources``, extract what is new, fuse what it affects into incidents (when
    anything was extracted, or ``always_fuse``: the first cycle of a process, to finish what a
    killed one left), then raise and deliver the alerts due (unless ``alerts`` is False).
    ``progress`` hears the extract, fuse and alerts phases."""
    from overhorizon.registry import source_map

    started = time.monotonic()
    report = CycleReport(poll(store, sources, settings, fetcher=fetcher))
    report.extraction = extract_pending(store, settings, load=load, progress=progress)
    if always_fuse or report.extraction.articles:
        report.reports, saved = fuse_stored(
            store, source_map(list(sources)), incremental=True, progress=progress
        )
        report.incidents = saved.incidents
        report.fused = True
        store.checkpoint()
    if alerts:
        report.alerts = run_alerts(store, settings, progress=progress)
        store.checkpoint()
    report.seconds = time.monotonic() - started
    return report
