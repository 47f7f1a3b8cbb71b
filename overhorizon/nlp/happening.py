"""Is a trigger word a happening of its own? The structural rules of the events component.

A trigger table finds every word that can name an event; most sentences hold several, and
PLOVER codes one happening where news writes three words for it ("agreed that their countries
should cooperate to encourage refugees to return" is one agreement). A candidate is kept as an
event only when the parse says it stands for a happening of its own:

- **modifier**: an adjective or participle describing a noun ("the besieged town", "the
  outlawed PKK", "a US-backed group", "refugees fleeing the war", "militiamen armed with
  machetes") is no event; a participle on a noun that is itself an event is that event's
  content ("a demonstration calling for his removal").
- **content**: what an agreement, demand, threat, offer, refusal, accusation or talk is about
  ("threatened to ban voting", "rejected an offer to host a summit", "demanded that the US
  cancel plans") belongs to that event; only a violent act named as what someone is accused
  or blamed of stays an event of its own ("blamed Israel for the bombing").
- **condition**: a clause of ``if``/``unless``/``until`` states no happening (its main
  clause is a hypothetical event: :func:`consequent`, read by the component's modality).
- **background**: a non-violent noun in a prepositional phrase of a sentence whose verb is an
  event ("accused the US of blackmail in the negotiations", "the fourth round of talks"); a
  weapon named in an ``of`` phrase ("the number of missiles"); a violent noun after
  ``after``/``following``/``since``/``before``/``despite``/``amid`` beside another violent event.
- A violent noun inside a violent verb ("killed three in a gunbattle") is left to the
  component's merging: joining them here split the sample's airport bombing in two (its
  "suicide bombing" reports took that mode, the others stayed "explosives").

Each rule returns the reason it dropped or joined a candidate, for tests and error reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from spacy.tokens import Span, Token

#: Types whose complement is what they are about, not a second happening.
CONTENT_TYPES = frozenset(
    {"AGREE", "REQUEST", "THREATEN", "REJECT", "CONCEDE", "SUPPORT", "ACCUSE", "CONSULT"}
)
#: Of those, the types whose violent content is a happening of its own (the act accused of
#: or denied: "denied that its aircraft had bombed the hospital").
_ALLEGING = frozenset({"ACCUSE", "REJECT"})
_VIOLENT = frozenset({"ASSAULT"})
_CONDITIONS = frozenset({"if", "unless", "until", "whether", "lest"})
_BACKGROUND_PREPS = frozenset(
    {"after", "following", "since", "before", "despite", "amid", "amidst", "because"}
)
#: Nouns that speak: a participle on them is a statement ("a declaration demanding ...").
_SPEECH_NOUNS = frozenset(
    {"statement", "declaration", "communique", "letter", "resolution", "motion", "message"}
)
_WEAPON_NOUNS = frozenset(
    {"missile", "rocket", "shell", "mortar", "artillery", "bomb", "weapon", "warhead", "drone"}
)


class Candidate(Protocol):
    """What the rules read of a trigger mention (the events component's ``_Mention``)."""

    type: str
    mode: str | None
    trigger: Span
    nominal: bool


@dataclass(frozen=True, slots=True)
class Verdict:
    """What became of one candidate: ``keep``, ``drop`` (no happening) or ``join`` (it is the
    happening of candidate ``host``); ``reason`` names the rule."""

    action: str
    reason: str = ""
    host: int | None = None


KEEP = Verdict("keep")


#: Reasons that say a whole clause tells no happening: nothing inside it is one either.
_NO_CLAUSE = frozenset(
    {
        "modifier",
        "description of a noun",
        "condition",
        "habitual",
        "capability",
        "generic",
    }
)


def judge(candidates: Sequence[Candidate]) -> list[Verdict]:
    """One verdict per candidate, in order."""
    heads = {c.trigger.root.i: n for n, c in enumerate(candidates)}
    verdicts = [_alone(c, heads, candidates) for c in candidates]
    for n, c in enumerate(candidates):
        if verdicts[n].action != "keep":
            continue
        host = _content_host(c, n, heads, candidates, verdicts)
        if host is not None:
            verdicts[n] = Verdict("drop", f"content of {candidates[host].type}", host)
    for n, c in enumerate(candidates):
        if verdicts[n].action != "keep":
            continue
        verdicts[n] = _in_sentence(c, n, candidates, verdicts)
    return verdicts


def _alone(c: Candidate, heads: dict[int, int], all_: Sequence[Candidate]) -> Verdict:
    """Rules that need only the candidate's own place in the parse."""
    head = c.trigger.root
    if head.dep_ == "amod" or (head.dep_ == "compound" and head.pos_ == "VERB"):
        return Verdict("drop", "modifier")
    if head.dep_ == "acl" and head.tag_ in {"VBN", "VBG"}:
        noun = head.head
        if noun.i in heads and noun.i != head.i:
            return Verdict("drop", "content of a noun event", heads[noun.i])
        if noun.lemma_.lower() in _SPEECH_NOUNS:
            return KEEP
        if (c.type in _VIOLENT or c.type == "COERCE") and head.tag_ == "VBN":
            return KEEP  # "three civilians killed in the raid", "those arrested for ..."
        return Verdict("drop", "modifier")
    if head.dep_ == "relcl" and c.type not in _VIOLENT and c.type != "COERCE":
        noun = head.head
        if noun.i in heads:
            return Verdict("drop", "content of a noun event", heads[noun.i])
        return Verdict("drop", "description of a noun")
    if _conditional(head):
        return Verdict("drop", "condition")
    if _habitual(head):
        return Verdict("drop", "habitual")
    if _capability(head):
        return Verdict("drop", "capability")
    if head.tag_ == "VBG" and head.dep_ in {"csubj", "nsubj"}:
        return Verdict("drop", "generic")  # "collaborating with terrorists brings misery"
    if (
        c.nominal
        and c.type not in _VIOLENT
        and head.dep_ == "pobj"
        and head.head.head.pos_ in {"NOUN", "PROPN"}
        and head.head.head.i not in heads
    ):
        return Verdict("drop", "background noun")  # "a sponsor of negotiations"
    if (
        c.nominal
        and head.lemma_.lower() in _WEAPON_NOUNS
        and head.dep_ == "pobj"
        and head.head.lower_ == "of"
    ):
        return Verdict("drop", "weapon named, no attack")
    return KEEP


#: Adverbs that make a clause say what happens as a rule, not what happened.
_HABITUAL = frozenset(
    {
        "usually",
        "often",
        "regularly",
        "routinely",
        "frequently",
        "always",
        "typically",
        "generally",
        "normally",
        "habitually",
        "repeatedly",
        "constantly",
        "commonly",
    }
)
_ABILITY = frozenset({"able", "capable", "capability", "ability", "capacity", "unable"})


def _clause(head: Token) -> list[Token]:
    """The trigger and the governors of its clause, up to its finite verb."""
    out = [head]
    tok = head
    for _ in range(4):
        if tok.dep_ not in {
            "xcomp",
            "pobj",
            "dobj",
            "pcomp",
            "prep",
            "agent",
            "acomp",
            "nsubjpass",
            "conj",
        }:
            break
        tok = tok.head
        out.append(tok)
    return out


def _habitual(head: Token) -> bool:
    """ "is targeted regularly by air strikes", "militants often attack convoys"."""
    return any(
        c.dep_ == "advmod" and c.lower_ in _HABITUAL for tok in _clause(head) for c in tok.children
    )


def _capability(head: Token) -> bool:
    """ "have been able to carry out attacks", "the capability to fly drones"."""
    tok: Token = head
    for _ in range(5):
        if tok.lemma_.lower() in _ABILITY and tok.i != head.i:
            return not _achieved(tok)
        if tok.dep_ == "ROOT":
            return False
        tok = tok.head
    return False


def _achieved(able: Token) -> bool:
    """ "police were able to arrest 39": a past ability that was used, so it happened."""
    verb = able.head if able.dep_ in {"acomp", "attr"} else able
    tags = {verb.tag_, *(c.tag_ for c in verb.children if c.dep_ in {"aux", "auxpass"})}
    has_perfect = any(c.lemma_ == "have" for c in verb.children if c.dep_ == "aux")
    return "VBD" in tags and not has_perfect


def consequent(head: Token) -> bool:
    """The main clause of a condition ("if the army takes the academy, the corridor will be
    blocked"): what would follow, not what happened."""
    for tok in _clause(head):
        for c in tok.children:
            if c.dep_ == "advcl" and any(
                g.dep_ == "mark" and g.lower_ in {"if", "unless"} for g in c.children
            ):
                return True
    return False


def _conditional(head: Token) -> bool:
    """Inside an ``if``/``unless``/``until`` clause (its own or one of its governors')."""
    tok: Token | None = head
    for _ in range(8):
        if tok is None:
            return False
        if tok.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in tok.children
        ):
            return True
        if tok.dep_ == "ROOT":
            return False
        tok = tok.head
    return False


def _content_host(
    c: Candidate,
    n: int,
    heads: dict[int, int],
    all_: Sequence[Candidate],
    verdicts: Sequence[Verdict],
) -> int | None:
    """The candidate whose complement this one is, if any."""
    tok = c.trigger.root
    below = tok
    for _ in range(7):
        if tok.dep_ == "ROOT" and tok.head.i == tok.i:
            return None
        below, tok = tok, tok.head
        if below.dep_ in {"nsubj", "nsubjpass", "csubj", "csubjpass", "agent", "appos"}:
            return None  # "the bombing prompted ...": a subject is no one's content
        host = heads.get(tok.i)
        if host is None or host == n:
            continue
        h = all_[host]
        if verdicts[host].action == "drop" and verdicts[host].reason in _NO_CLAUSE:
            return host  # inside a clause that is no happening ("a resolution which calls
            # for an end to all attacks"): no happening either
        if verdicts[host].reason.startswith("content of") and verdicts[host].host is not None:
            return verdicts[host].host  # content of content ("agreed that they should
            # cooperate to help fishermen return"): all of it the agreement's
        if h.type not in CONTENT_TYPES:
            return None
        if c.type in _VIOLENT and h.type in _ALLEGING:
            return None  # "blamed Israel for the bombing": the bombing happened too
        if c.type == h.type:
            return None  # the same event named twice: merging decides
        return host
    return None


def _in_sentence(
    c: Candidate, n: int, all_: Sequence[Candidate], verdicts: Sequence[Verdict]
) -> Verdict:
    """Rules that compare a candidate with the others of its sentence."""
    head = c.trigger.root
    sent = head.sent
    others = [
        (m, o)
        for m, o in enumerate(all_)
        if m != n and verdicts[m].action == "keep" and o.trigger.root.sent.start == sent.start
    ]
    if not c.nominal or head.dep_ not in {"pobj", "pcomp"}:
        return KEEP
    prep = head.head
    if c.type not in _VIOLENT:
        if any(not o.nominal for _, o in others):
            return Verdict("drop", "background noun")
        return KEEP
    violent = [(m, o) for m, o in others if o.type in _VIOLENT]
    if prep.lower_ in _BACKGROUND_PREPS and violent:
        return Verdict("drop", "background of another violent event")
    return KEEP
