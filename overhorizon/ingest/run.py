"""The ingest job: paths -> blobs -> readers -> prepared articles -> a sink (the store)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import BinaryIO

from overhorizon.ingest.dedup import fingerprint
from overhorizon.ingest.errors import Reject
from overhorizon.ingest.language import detect_language
from overhorizon.ingest.normalise import article_key, clean_field, normalise_text, parse_published
from overhorizon.ingest.readers import Registry, load_registry
from overhorizon.ingest.sources import Blob, iter_blobs
from overhorizon.records import (
    Article,
    ArticleSink,
    Document,
    IngestReport,
    Item,
    PreparedArticle,
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
    return PreparedArticle(article=article, source=doc.source, fingerprint=fp,
                           external_id=doc.external_id)


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
            log.exception("reader %s failed on %s", reader.name, blob.name)
            yield Rejection(blob.name, "reader_error", f"{reader.name}: {type(exc).__name__}: {exc}")
            return
        yield item


Result = PreparedArticle | Rejection | Skip

# Containers are streamed in the main process; single documents may go to worker processes.
_STREAMED_READERS = frozenset({"warc", "jsonl", "json", "feed"})
# Below this many single-document files, starting worker processes costs more than it saves.
_MIN_POOLED_FILES = 32


def read_blob(blob: Blob, registry: Registry, settings: Settings) -> Iterator[Result]:
    """Yield the prepared articles, rejections and skips of one input."""
    for item in _items(blob, registry, settings):
        if isinstance(item, Document):
            try:
                yield prepare(item, settings)
            except Reject as rej:
                yield Rejection(item.source.locator, rej.code, rej.message)
        else:
            yield item


def _read_blob_list(job: tuple[Blob, Registry, Settings]) -> list[Result]:
    """Worker-process entry point: read one single-document input completely."""
    return list(read_blob(*job))


def _pooled(blob: Blob, registry: Registry) -> bool:
    try:
        return registry.choose(blob).name not in _STREAMED_READERS
    except OSError:
        return False


def iter_results(blobs: list[Blob], registry: Registry, settings: Settings) -> Iterator[
    tuple[int, Result]
]:
    """Yield (input index, result) in input order, parsing single documents in parallel.

    With ``settings.workers`` above 1 (0 means one per core) and enough single-document files,
    those are read by a pool of worker processes while the main process streams containers
    (WARC, JSONL, feeds) and writes; the order of results never changes.
    """
    workers = settings.workers or os.cpu_count() or 1
    pooled = [_pooled(b, registry) for b in blobs] if workers > 1 else [False] * len(blobs)
    if sum(pooled) < _MIN_POOLED_FILES:
        for i, blob in enumerate(blobs):
            for result in read_blob(blob, registry, settings):
                yield i, result
        return
    context = multiprocessing.get_context("spawn")  # no fork of a process holding a database
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        jobs = [(b, registry, settings) for b, p in zip(blobs, pooled, strict=True) if p]
        parsed = pool.map(_read_blob_list, jobs, chunksize=4)
        for i, blob in enumerate(blobs):
            results = next(parsed) if pooled[i] else read_blob(blob, registry, settings)
            for result in results:
                yield i, result


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
