"""``overhorizon_lines``: a line break ends a sentence, before the parser runs.

Article texts keep their paragraphs on separate lines, and HTML pages keep the headline as the
first line. Without this the parser may run a headline, or a paragraph without a final stop,
into the next sentence ("... Kabul airport bombing\\nKABUL — A suicide bombing ..."), and the
evidence sentence of an event or a claim spans two paragraphs. The parser respects sentence
starts set before it.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry


class LineBreaks:
    """Marks the first token after a line break as a sentence start."""

    def __call__(self, doc: Doc) -> Doc:
        after_break = False
        for token in doc:
            if token.is_space:
                after_break = after_break or "\n" in token.text
                continue
            if after_break and token.i > 0:
                token.is_sent_start = True
            after_break = "\n" in token.whitespace_
        return doc


@registry.misc("overhorizon_lines.v1")  # type: ignore[untyped-decorator]
def lines_v1() -> Callable[[Language], LineBreaks]:
    return lambda _nlp: LineBreaks()


@Language.factory("overhorizon_lines", default_config={"impl": {"@misc": "overhorizon_lines.v1"}})
def make_lines(nlp: Language, name: str, impl: Callable[[Language], LineBreaks]) -> LineBreaks:
    """spaCy factory; ``impl`` names the registered version (spaCy allows no dot here)."""
    return impl(nlp)
