"""The ingest job: paths -> blobs -> readers -> prepared articles -> a sink (the store)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import BinaryIO

from overhorizon.ingest.dedup import fingerprint
from overhorizon.ingest.errors import Reject
from overhorizon.ingest.language import detect_language
from overhorizon.ingest.normalise import article_key, clean_field, normalise_text, parse_published
from overhorizon.ingest.readers import Registry, load_registry
from overhorizon.ingest.readers.html import parse_html
from overhorizon.ingest.sources import Blob, iter_blobs
from overhorizon.records import (
    AddOutcome,
    Article,
    ArticleSink,
    Document,
    IngestReport,
    Item,
    PreparedArticle,
    RawPage,
    Rejection,
    Skip,
)
from overhorizon.settings import Settings

log = logging.getLogger(__name__)

ProgressHook = Callable[[int, int, str], None]
"""Called with (blobs done, blobs in all, current name) as the run advances."""

_LANG_RE = re.compile(r"^[a-z]{2,3}")


def prepare(doc: Document, settings: Settings) -> PreparedArticle:
    """Normalise, key, date, detect the language of and fingerprint one document."""
    text = normalise_text(doc.text)
    if not text:
        raise Reject("whitespace_only", "no text left after normalisation")
    size = len(text.encode("utf-8"))
    if size > settings.max_document_bytes:
        raise Reject("too_large", f"text of {size:,} bytes, limit {settings.max_document_bytes:,}")
    published = parse_published(doc.published)
    detected = detect_language(text, settings.language_min_chars)
    declared = _LANG_RE.match((doc.language or "").strip().lower())
    language = detected.code if detected else (declared.group(0) if declared else None)
    article = Article(
        id=article_key(text),
        text=text,
        title=clean_field(doc.title),
        outlet=clean_field(doc.outlet),
        url=clean_field(doc.url),
        authors=[a for a in (clean_field(x) for x in doc.authors) if a],
        published=published.date if published else None,
        published_at=published.at if published else None,
        published_precision="day" if published else None,
        published_text=published.text if published else None,
        language=language,
        language_confidence=detected.confidence if detected else None,
        non_english=language is not None and language != "en",
    )
    fp = fingerprint(
        text,
        threshold=settings.near_duplicate_threshold,
        num_perm=settings.minhash_num_perm,
        k=settings.shingle_words,
    )
    return PreparedArticle(
        article=article, source=doc.source, fingerprint=fp, external_id=doc.external_id
    )


def _items(blob: Blob, registry: Registry, settings: Settings) -> Iterator[Item]:
    """Yield what a blob holds; turn a reader's failure into one Rejection, keeping what it gave."""
    try:
        reader = registry.choose(blob)
        produced = reader.read(blob, settings)
    except Reject as rej:
        yield Rejection(blob.name, rej.code, rej.message)
        return
    except OSError as exc:
        yield Rejection(blob.name, "unreadable", exc.strerror or str(exc))
        return
    while True:
        try:
            item = next(produced)
        except StopIteration:
            return
        except Reject as rej:
            yield Rejection(blob.name, rej.code, rej.message)
            return
        except OSError as exc:
            yield Rejection(blob.name, "unreadable", exc.strerror or str(exc))
            return
        except Exception as exc:  # a reader bug must not end the batch: record it and go on
            log.debug("reader %s failed on %s", reader.name, blob.name, exc_info=True)
            yield Rejection(
                blob.name, "reader_error", f"{reader.name}: {type(exc).__name__}: {exc}"
            )
            return
        yield item


Result = PreparedArticle | Rejection | Skip
Work = Document | RawPage

# Results waiting per worker before the reader pauses: bounds memory on huge archives.
_WINDOW_PER_WORKER = 16
#: At most this many bytes of input in flight to the workers at once (besides the one that
#: must go whatever its size): a run of huge documents then waits for the workers instead of
#: queueing in memory, so the peak memory does not depend on how fast the workers are.
_WINDOW_BYTES = 32 * 1024 * 1024
_worker_settings: Settings | None = None


def process(unit: Work, settings: Settings) -> Result:
    """Extract (for HTML) and prepare one document; a failure becomes a Rejection.

    This is the expensive, pure part of ingest; it runs in worker processes when there are any.
    """
    try:
        doc = unit
        if isinstance(unit, RawPage):
            doc = parse_html(unit.data, unit.source, unit.charset, fallback=settings.html_fallback)
        assert isinstance(doc, Document)
        return prepare(doc, settings)
    except Reject as rej:
        return Rejection(unit.source.locator, rej.code, rej.message)
    except Exception as exc:  # an extractor bug must not end the batch: record it and go on
        log.debug("failed to process %s", unit.source.locator, exc_info=True)
        return Rejection(unit.source.locator, "reader_error", f"{type(exc).__name__}: {exc}")


def ingest_fetched(
    unit: Document | RawPage,
    sink: ArticleSink,
    run_id: int,
    settings: Settings,
    *,
    outlet: str | None = None,
    published: str | None = None,
) -> AddOutcome | Rejection:
    """Extract (for an HTML page), prepare and store one document fetched by watch, in this
    process; return what the store did, or the Rejection it recorded. ``outlet`` (the
    registered source's name) replaces the site name the page gives; ``published`` (the
    date a feed gave) is used when the page gives none. Not committed."""
    result = process(unit, settings)
    if not isinstance(result, PreparedArticle):
        rejection = (
            result
            if isinstance(result, Rejection)
            else Rejection(result.source, "reader_error", f"not a document: {result.what}")
        )
        sink.reject(rejection, run_id)
        return rejection
    a = result.article
    if outlet:
        a.outlet = clean_field(outlet)
    given = parse_published(published) if published and a.published is None else None
    if given is not None:
        a.published, a.published_at, a.published_text = given.date, given.at, given.text
        a.published_precision = "day"
    return sink.add(result, run_id)


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    _exit_with_parent(os.getppid())


def _exit_with_parent(parent: int) -> None:
    """End this worker once the ingest process is gone (even by SIGKILL), rather than wait
    forever on a job queue that nobody will ever write to or close."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _process_in_worker(unit: Work) -> Result:
    assert _worker_settings is not None
    return process(unit, _worker_settings)


def _warm_up() -> None:
    """Load what every worker needs before forking, so each starts ready and shares the pages."""
    import trafilatura  # noqa: F401

    detect_language("warm up the language model", 1)


def iter_results(
    blobs: list[Blob], registry: Registry, settings: Settings
) -> Iterator[tuple[int, Result]]:
    """Yield (input index, result) in input order.

    Readers run in this process and stream their inputs; extraction and preparation of each
    document run in ``settings.workers`` forked processes (0 = one per core; 1 = none, all
    here). The order of results never depends on the number of workers.
    """
    units = ((i, item) for i, blob in enumerate(blobs) for item in _items(blob, registry, settings))
    workers = settings.workers or os.cpu_count() or 1
    if workers <= 1:
        for i, item in units:
            yield i, process(item, settings) if isinstance(item, (Document, RawPage)) else item
        return
    _warm_up()
    # fork: workers inherit the loaded modules and model. They never touch the database
    # connection of this process and leave with os._exit, so SQLite's locks are untouched.
    context = multiprocessing.get_context("fork")
    window: deque[tuple[int, Future[Result] | Result]] = deque()
    sizes: deque[int] = deque()  # the input bytes of each entry of the window
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(settings,)
    ) as pool:
        # Start every worker now, while this process is small: the pool forks on demand, and a
        # worker forked later, while a huge document is in memory here, would carry it too.
        for started in [pool.submit(os.getpid) for _ in range(workers)]:
            started.result()
        for i, item in units:
            if isinstance(item, (Document, RawPage)):
                window.append((i, pool.submit(_process_in_worker, item)))
                sizes.append(len(item.text) if isinstance(item, Document) else len(item.data))
            else:
                window.append((i, item))
                sizes.append(0)
            while window and (
                len(window) > workers * _WINDOW_PER_WORKER
                or (len(window) > 1 and sum(sizes) > _WINDOW_BYTES)
                or _ready(window[0][1])
            ):
                sizes.popleft()
                yield _pop(window)
        while window:
            sizes.popleft()
            yield _pop(window)


def _ready(entry: Future[Result] | Result) -> bool:
    return not isinstance(entry, Future) or entry.done()


def _pop(window: deque[tuple[int, Future[Result] | Result]]) -> tuple[int, Result]:
    i, entry = window.popleft()
    return i, entry.result() if isinstance(entry, Future) else entry


def read_paths(
    paths: list[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    registry: Registry | None = None,
) -> Iterator[PreparedArticle | Rejection | Skip]:
    """Read inputs without a database: prepared articles, rejections and skips, in input order."""
    registry = registry or load_registry()
    blobs: list[Blob] = []
    for entry in iter_blobs(
        paths,
        include_hidden=settings.include_hidden,
        stdin=stdin,
        stdin_limit=max(settings.max_document_bytes, settings.max_container_bytes),
    ):
        if isinstance(entry, Blob):
            blobs.append(entry)
        else:
            yield entry
    for _, result in iter_results(blobs, registry, settings):
        yield result


def ingest(
    paths: list[str],
    sink: ArticleSink,
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    progress: ProgressHook | None = None,
    registry: Registry | None = None,
    exclude: frozenset[Path] = frozenset(),
) -> IngestReport:
    """Read every input under ``paths`` into ``sink``; return the report of the run.

    Nothing an input does ends the run: each bad input becomes a Rejection with a reason code.
    Articles are committed every ``settings.batch_size``; a re-run after a crash stores what is
    missing and nothing twice. Files in ``exclude`` (the database itself, the report) are
    skipped.
    """
    registry = registry or load_registry()
    report = IngestReport()
    run_id = sink.begin_run(paths)
    report.run_id = run_id
    entries = list(
        iter_blobs(
            paths,
            include_hidden=settings.include_hidden,
            stdin=stdin,
            stdin_limit=max(settings.max_document_bytes, settings.max_container_bytes),
            exclude=exclude,
        )
    )
    blobs = [e for e in entries if isinstance(e, Blob)]
    for e in entries:
        if not isinstance(e, Blob):
            _record(e, sink, report, run_id)
    pending = 0
    current = -1
    for index, result in iter_results(blobs, registry, settings):
        if progress is not None and index != current:
            current = index
            progress(index, len(blobs), blobs[index].name)
        if not isinstance(result, PreparedArticle):
            _record(result, sink, report, run_id)
            continue
        outcome = sink.add(result, run_id)
        report.accepted += 1
        if outcome.status == "stored":
            report.stored += 1
            report.non_english += result.article.non_english
        elif outcome.status == "duplicate":
            report.duplicates += 1
        else:
            report.unchanged += 1
        pending += 1
        if pending >= settings.batch_size:
            sink.checkpoint()
            pending = 0
    if progress is not None:
        progress(len(blobs), len(blobs), "")
    sink.checkpoint()
    report.near_duplicates = sink.near_duplicates_in_run(run_id)
    sink.finish_run(run_id, report.to_dict())
    return report


def _record(item: Rejection | Skip, sink: ArticleSink, report: IngestReport, run_id: int) -> None:
    if isinstance(item, Rejection):
        report.rejected.append(item)
        sink.reject(item, run_id)
    else:
        report.skipped[item.what] = report.skipped.get(item.what, 0) + 1
