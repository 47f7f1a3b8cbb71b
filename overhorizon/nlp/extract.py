"""Extraction: articles in, records out (RECORDS.md), through the spaCy pipeline."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from overhorizon.nlp.doc_records import DocRecords, doc_records
from overhorizon.records import Actor, Article, Attribution, Extraction, Span


def records_of(doc: Any, article: Article, source: str | None = None) -> Extraction:
    """The article's records, as the components left them in ``doc._.overhorizon``; each
    event and casualty figure linked to the attribution that carries it."""
    found = doc_records(doc)
    actors = list(found.actors)
    events = list(found.events)
    casualties = list(found.casualties)
    attributions = list(found.attributions)
    places = list(found.places)
    ex = Extraction(
        article=article,
        places=places,
        actors=actors,
        events=events,
        casualties=casualties,
        attributions=attributions,
        source=source,
    )
    link_attributions(ex, found)
    return ex


def link_attributions(ex: Extraction, found: DocRecords | None = None) -> None:
    """Point each event and casualty figure at the attribution of ``found`` that carries it
    (the claim it falls in, or the one whose cue it is; see ``attribution_at``), else at the
    article's own outlet, the last link of every chain (an attribution ``t0`` made for it)."""
    from overhorizon.nlp.components.attributions import attribution_at

    data = found or DocRecords()

    def carrier(span: Span) -> str | None:
        return attribution_at(data, span.start, span.end)

    need_outlet = False
    for e in ex.events:
        e.attribution = carrier(e.trigger_span or e.evidence)
        need_outlet = need_outlet or e.attribution is None
    for c in ex.casualties:
        c.attribution = carrier(c.evidence)
        need_outlet = need_outlet or c.attribution is None
    if not need_outlet or not ex.article.outlet:
        return
    outlet = _outlet_actor(ex)
    own = Attribution(
        id="t0",
        claim=Span(0, len(ex.article.text)),
        speaker=outlet.id,
        cue="published",
        stance="asserts",
        evidence=Span(0, 0),
    )
    ex.attributions.insert(0, own)
    for e in ex.events:
        e.attribution = e.attribution or "t0"
    for c in ex.casualties:
        c.attribution = c.attribution or "t0"


def _outlet_actor(ex: Extraction) -> Actor:
    """The actor of the article's own outlet, added when the text never names it."""
    from overhorizon.nlp import lexicon

    name = ex.article.outlet or ""
    entry = lexicon.actor_for(name)
    for a in ex.actors:
        if a.name.lower() == name.lower() or (entry is not None and a.name == entry.name):
            return a
    actor = Actor(
        id=f"a{len(ex.actors) + 1}",
        name=entry.name if entry else name,
        kind="outlet",
        country=entry.country if entry else None,
        sector="media",
    )
    ex.actors.append(actor)
    return actor


def extract(
    items: Iterable[tuple[Article, str | None]],
    nlp: Any,
    *,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[Extraction]:
    """Run the pipeline over articles, in input order; each gets its publication date first.

    With ``n_process`` above 1, chunks of articles go to forked worker processes that inherit
    the loaded pipeline and send back only the records (not the spaCy Docs, whose
    serialisation would cost the main process more than the parsing it saves).
    """
    if n_process <= 1:
        yield from _extract_here(items, nlp, batch_size)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from itertools import islice

    global _worker_nlp
    _worker_nlp = nlp
    chunk = max(1, batch_size // 2)
    it = iter(items)
    chunks = iter(lambda: list(islice(it, chunk)), [])
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=n_process, mp_context=context) as pool:
        window: list[Any] = []
        for part in chunks:
            window.append(pool.submit(_extract_chunk, part, batch_size))
            if len(window) >= n_process * 2:
                yield from window.pop(0).result()
        for future in window:
            yield from future.result()


_worker_nlp: Any = None


def _extract_chunk(part: list[tuple[Article, str | None]], batch_size: int) -> list[Extraction]:
    """Worker-process entry point: the records of one chunk of articles."""
    return list(_extract_here(part, _worker_nlp, batch_size))


def _extract_here(
    items: Iterable[tuple[Article, str | None]], nlp: Any, batch_size: int
) -> Iterator[Extraction]:
    pending: list[tuple[Article, str | None]] = []

    def docs() -> Iterator[Any]:
        for article, source in items:
            pending.append((article, source))
            doc = nlp.make_doc(article.text)
            doc._.published = article.published
            yield doc

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        article, source = pending.pop(0)
        yield records_of(doc, article, source)
