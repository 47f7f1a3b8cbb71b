"""Our spaCy components. :func:`register` makes their factories and Doc attributes known."""

from __future__ import annotations


def register() -> None:
    """Import the component modules (their factories register with spaCy) and add the Doc
    extension attributes they fill. Safe to call more than once."""
    from spacy.tokens import Doc

    from overhorizon.nlp.components import actors, attributions, events, lines  # noqa: F401

    for name, default in (
        ("published", None),
        ("actors", None),
        ("actor_of_token", None),
        ("events", None),
        ("casualties", None),
        ("attributions", None),
        ("places", None),
        ("place_of_token", None),
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
