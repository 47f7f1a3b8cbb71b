"""Page furniture: found by the patterns of data/boilerplate.tsv, kept out of extraction.

Texts are ours.
"""

from __future__ import annotations

from typing import Any

from overhorizon.nlp.boilerplate import find_furniture
from overhorizon.nlp.doc_records import doc_records


def pieces(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end].strip()) for f in find_furniture(text)]


def test_lines_of_page_furniture() -> None:
    text = (
        "Shelling hit the old town of Ariha on Monday.\n"
        "By Jane Doe, Levant Wire\n"
        "Photo: John Smith/AFP\n"
        "Tags Aleppo Syria regime forces\n"
        "Related: Pentagon admits that the strike killed ten civilians\n"
        "Copyright 2021 Levant Wire. All rights reserved.\n"
    )
    found = pieces(text)
    assert ("byline", "By Jane Doe, Levant Wire") in found
    assert ("credit", "Photo: John Smith/AFP") in found
    assert ("tags", "Tags Aleppo Syria regime forces") in found
    assert ("related", "Related: Pentagon admits that the strike killed ten civilians") in found
    assert ("copyright", "Copyright 2021 Levant Wire.") in found
    assert not [k for k, piece in found if "Shelling" in piece]


def test_a_heading_alone_takes_the_link_lines_after_it() -> None:
    text = (
        "Related stories\nTaliban take Kandahar\nPentagon admits mistake\n\nThe strike hit a car."
    )
    assert pieces(text) == [
        ("related", "Related stories\nTaliban take Kandahar\nPentagon admits mistake")
    ]


def test_furniture_inside_text_without_line_breaks() -> None:
    filler = "Residents fled the town as the fighting went on through the night and the next day. "
    text = (
        "Last updated at Aug 012016 BEIRUT Air strikes hit a market in Idlib (AFP Photo) today. "
        + filler * 4
        + "Tags Idlib Syria regime forces Hezbollah At least 12 people were killed. "
        + "Clashes went on. Tags Aleppo Syria Assad war Government jets struck in the north. "
        + "21.09.2016Get short URL 0 13 MOSCOW (Sputnik) The strike was carried out at dawn."
    )
    found = pieces(text)
    assert ("updated", "Last updated at Aug 012016") in found
    assert ("dateline", "BEIRUT") in found and ("dateline", "MOSCOW (Sputnik)") in found
    assert ("credit", "(AFP Photo)") in found
    # a tag list runs until a sentence starts
    assert ("tags", "Tags Idlib Syria regime forces Hezbollah") in found
    assert ("tags", "Tags Aleppo Syria Assad war") in found
    assert ("short-url", "21.09.2016Get short URL 0 13") in found


def test_what_is_not_furniture() -> None:
    text = (
        "By Friday the rebels had retaken the villages. ISIS fighters attacked the town.\n"
        "The Observatory said the tags on the bodies were burnt.\n"
    )
    assert pieces(text) == []


def test_no_actor_claim_or_event_in_furniture(nlp: Any) -> None:
    text = (
        "Government forces shelled the town of Ariha in Syria on Monday.\n"
        "Tags Aleppo Syria\n"
        "Related: Pentagon admits strike killed civilians\n"
        "BEIRUT — Relatives of the dead said on Tuesday that ten people were killed.\n"
    )
    doc = nlp.make_doc(text)
    doc._.published = "2016-08-02"
    found = doc_records(nlp(doc))
    names = {a.name for a in found.actors}
    assert not [n for n in names if "Tags" in n or "Aleppo" in n or "BEIRUT" in n]
    assert "United States Department of Defense" not in names
    related = text.index("Related")
    assert not [a for a in found.attributions if a.cue == "admits"]
    assert not [e for e in found.events if related <= e.evidence.start < related + 48]
    (relatives,) = [a for a in found.attributions if a.cue == "said"]
    assert text[relatives.evidence.start :].startswith("Relatives")
    perpetrators = {found.actor(e.source_actor).name for e in found.events if e.source_actor}
    assert perpetrators == {"Government forces"}
