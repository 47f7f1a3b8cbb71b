"""``overhorizon_furniture``: page furniture found before the parser, kept out of extraction.

Tag lists, link lists, share boxes, bylines, image credits, copyright lines and datelines
(``overhorizon.nlp.boilerplate``) each become sentences of their own: the first token of a
piece and the first after it start a sentence, so that "Tags Aleppo Syria" or "BEIRUT" is never
the subject of the report that follows it. Their tokens go to ``furniture_tokens`` (and those
of datelines to ``dateline_tokens``) of ``doc._.overhorizon``: actors (version 3) take no
mention there, attributions and events (version 3) no cue and no trigger outside datelines.
The text itself is not changed, so evidence offsets still index the article's text.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from overhorizon.nlp.boilerplate import find_furniture
from overhorizon.nlp.doc_records import doc_records


class FurnitureFinder:
    """Fills ``furniture``, ``furniture_tokens`` and ``dateline_tokens`` of
    ``doc._.overhorizon`` and marks sentence starts around each piece."""

    def __call__(self, doc: Doc) -> Doc:
        found = doc_records(doc)
        found.furniture = find_furniture(doc.text)
        for piece in found.furniture:
            span = doc.char_span(piece.start, piece.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            tokens = set(range(span.start, span.end))
            found.furniture_tokens |= tokens
            if piece.kind == "dateline":
                found.dateline_tokens |= tokens
            if span.start > 0:
                doc[span.start].is_sent_start = True
            after = span.end
            while after < len(doc) and doc[after].is_space:
                after += 1
            if after < len(doc):
                doc[after].is_sent_start = True
        return doc


@registry.misc("overhorizon_furniture.v1")  # type: ignore[untyped-decorator]
def furniture_v1() -> Callable[[Language], FurnitureFinder]:
    return lambda _nlp: FurnitureFinder()


@Language.factory(
    "overhorizon_furniture", default_config={"impl": {"@misc": "overhorizon_furniture.v1"}}
)
def make_furniture(
    nlp: Language, name: str, impl: Callable[[Language], FurnitureFinder]
) -> FurnitureFinder:
    """spaCy factory; ``impl`` names the registered version (spaCy allows no dot here)."""
    return impl(nlp)
