"""What our spaCy components find in a Doc, in one typed container: ``doc._.overhorizon``.

Each component fills the lists it owns with the typed records of ``overhorizon.records``
(actors, places, attributions, events, casualties) and the per-token indexes later components
read; a component reads an earlier one's output by attribute, never by string key.
``overhorizon.nlp.extract.records_of`` assembles the article's ``Extraction`` from it.

The container holds Python objects, not plain data: Docs do not cross process boundaries
(``extract`` with ``n_process`` above 1 runs forked workers that send back only the records).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from overhorizon.nlp.boilerplate import Furniture
from overhorizon.records import Actor, Attribution, Casualty, Event, Place, Span

#: The name of the Doc extension: ``doc._.overhorizon``.
EXTENSION = "overhorizon"


@dataclass(slots=True)
class AttributionParts:
    """Where the pieces of one attribution are in the text, beyond its record: what linking
    events and casualty figures to the attribution that carries them needs.

    ``cue`` is the cue's characters; ``fragments`` the claim's pieces in text order (a clause,
    or quotes said in two parts), each inside the record's ``claim``; ``speaker`` the phrase
    taken for the speaker (None when there is none); ``negated`` when the cue is ("did not
    deny", "never said").
    """

    cue: Span
    fragments: list[Span] = field(default_factory=list)
    speaker: Span | None = None
    negated: bool = False


@dataclass(slots=True)
class DocRecords:
    """The records of one Doc and the indexes between its tokens and them.

    ``actor_of_token`` and ``place_of_token`` map a token index (``Token.i``) to the id of the
    actor or place whose mention holds the token; ``attribution_parts`` maps an attribution id
    to its parts. Ids are the records' own (``a1``, ``p1``, ``t1``, ``e1``), numbered per Doc.
    """

    actors: list[Actor] = field(default_factory=list)
    actor_of_token: dict[int, str] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    place_of_token: dict[int, str] = field(default_factory=dict)
    attributions: list[Attribution] = field(default_factory=list)
    attribution_parts: dict[str, AttributionParts] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    casualties: list[Casualty] = field(default_factory=list)
    #: Page furniture (``overhorizon_furniture``): tag and link lists, bylines, credits,
    #: datelines; ``furniture_tokens`` the tokens of any of it, ``dateline_tokens`` those of
    #: datelines alone (no actor there, though a dateline is text of the report).
    furniture: list[Furniture] = field(default_factory=list)
    furniture_tokens: set[int] = field(default_factory=set)
    dateline_tokens: set[int] = field(default_factory=set)

    def actor(self, actor_id: str | None) -> Actor | None:
        """The actor with this id, None for None or an unknown id."""
        return next((a for a in self.actors if a.id == actor_id), None)

    def place(self, place_id: str | None) -> Place | None:
        """The place with this id, None for None or an unknown id."""
        return next((p for p in self.places if p.id == place_id), None)


def doc_records(doc: Any) -> DocRecords:
    """The Doc's container (``doc._.overhorizon``), made empty on first use."""
    found = doc._.get(EXTENSION)
    if found is None:
        found = DocRecords()
        doc._.set(EXTENSION, found)
    if not isinstance(found, DocRecords):
        raise TypeError(f"doc._.{EXTENSION} holds {type(found).__name__}, not DocRecords")
    return found
