"""Our spaCy components. :func:`register` makes their factories and Doc attributes known."""

from __future__ import annotations


def register() -> None:
    """Import the component modules (their factories register with spaCy) and add the Doc
    extension attributes: ``published`` (the article's publication date, which the caller
    sets) and ``overhorizon`` (the typed records the components fill; see
    ``overhorizon.nlp.doc_records``). Safe to call more than once."""
    from spacy.tokens import Doc

    from overhorizon.nlp.components import (  # noqa: F401
        actors,
        attributions,
        events,
        furniture,
        lines,
    )
    from overhorizon.nlp.doc_records import EXTENSION

    for name in ("published", EXTENSION):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
