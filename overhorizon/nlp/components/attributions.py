"""``overhorizon_attributions.v3``: who says what in a document, by which cue, relayed by whom.

Three patterns, found per sentence and merged: a reporting verb with a clausal complement
("officials told the Journal that ...", "the Pentagon was forced to admit that ..."), the phrase
"according to X", and direct quotes tied to a reporting verb beside them ("'...,' he said",
"Milley said: '...'"). A quoted fragment inside reported speech is a mixed quote: the claim
stays the clause, ``quote`` holds the fragment. A reporting verb inside another one's claim is a
nested report: its ``via`` is the outer speaker ("The Times reported that officials said ...").

Speakers are actors of ``overhorizon_actors``: the subject of the cue (climbing through "was
forced to", "saying", relative "who"), the source of "a report from X", the outlet of "the
report", the nearest anonymous actor for "the official", and the nearest compatible earlier
actor for a pronoun. Fills ``attributions`` and ``attribution_parts`` of ``doc._.overhorizon``
(``nlp.doc_records``) with typed records; version 1 wrote plain dicts to ``doc._.attributions``;
version 3 takes no cue in page furniture outside datelines (``overhorizon_furniture``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import registry

from overhorizon.nlp import lexicon
from overhorizon.nlp.doc_records import AttributionParts, DocRecords, doc_records
from overhorizon.records import Attribution
from overhorizon.records import Span as CharSpan

# Reporting verbs (lemma) and the stance they give a claim.
_ASSERTING = {
    "say", "tell", "report", "state", "announce", "declare", "claim", "allege", "assert", "insist",
    "maintain", "contend", "argue", "explain", "add", "note", "observe", "remark", "write",
    "reveal", "disclose", "stress", "emphasize", "emphasise", "underline", "warn", "caution",
    "predict", "estimate", "suggest", "indicate", "testify", "tweet", "reply", "respond", "answer",
    "retort", "recall", "complain", "boast", "believe", "think", "mention", "conclude", "find",
    "show", "hint", "imply", "reiterate", "repeat", "affirm", "reaffirm", "assure", "inform",
    "agree", "fear", "worry", "vow", "promise", "pledge", "speculate", "break",
}  # fmt: skip
_STANCE_OF: dict[str, str] = {
    **dict.fromkeys(_ASSERTING, "asserts"),
    **dict.fromkeys(["confirm", "acknowledge", "verify", "corroborate"], "confirms"),
    **dict.fromkeys(["admit", "concede", "confess"], "admits"),
    **dict.fromkeys(["deny", "reject", "dismiss", "refute", "rebut"], "denies"),
    **dict.fromkeys(["retract", "withdraw", "recant"], "retracts"),
    **dict.fromkeys(["dispute", "contest", "question", "challenge", "doubt"], "disputes"),
}
# Stance verbs whose noun object may be the claim ("denied the report").
_OBJECT_CLAIM = {"deny", "confirm", "acknowledge", "admit", "concede", "dispute", "refute", "rebut"}
# Verbs whose object is a claim only when the object is a claim noun ("withdrew the claim").
_CLAIM_NOUNS = {
    "claim", "report", "allegation", "accusation", "account", "statement", "suggestion",
    "assertion", "charge", "story", "remark", "comment", "finding", "conclusion", "figure",
    "characterization", "characterisation", "version", "rumor", "rumour", "idea", "notion",
}  # fmt: skip
_FIRST_REPORT_VERBS = {"report", "reveal", "disclose", "publish", "break"}
_NEWS_NOUNS = {"news", "story", "scoop"}
# Nouns that stand for a publication or statement: "a report from X", "the report said".
_REPORT_NOUNS = {
    "report", "article", "story", "investigation", "statement", "study", "survey", "poll",
    "document", "documents", "memo", "analysis", "review", "assessment", "data", "paper",
    "newspaper", "daily", "outlet", "network", "broadcaster", "agency", "magazine", "editorial",
    "release", "letter", "tweet", "post", "interview", "reporting", "account",
}  # fmt: skip
_OUTLET_NOUNS = {
    "report", "article", "story", "investigation", "paper", "newspaper", "daily", "outlet",
    "network", "broadcaster", "magazine", "editorial", "reporting", "website", "site",
}  # fmt: skip
# What a report cites as its source: "citing a UN report", "citing documents".
_CITED_NOUNS = {"report", "document", "documents", "statement", "study", "survey", "poll", "data"}
# People who speak for an organisation ("a Pentagon spokesman") and unnamed sources' role nouns.
_SPOKES_NOUNS = lexicon.SPOKESPERSON_NOUNS
_ANON_NOUNS = lexicon.ANONYMOUS_SOURCE_NOUNS
_NEGATORS = {"refuse", "decline", "fail"}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_THING_PRONOUNS = {"they", "them", "it"}
_RELATIVE = {"who", "that", "which"}
_OPEN_QUOTES = {"“": "”", '"': '"', "''": "''", "``": "''"}
_QUOTE_RE = re.compile(r"“|”|\"|''|``")
_MIN_QUOTE_WORDS = 4  # a quote shorter than this, without punctuation, is a title or scare quote
_CLAUSE_END = {".", ";", "!", "?"}
_NAMING = {"call", "describe", "label", "brand", "dub", "term"}
_INVERTED_CUES = {"say", "add", "tell", "write", "insist", "claim", "explain", "warn", "note"}
_DASH_RE = re.compile(r"[ \u00a0]*(―|—|--|–)[ \u00a0]*([A-Z][^\n―—]{1,60}?)[ \u00a0.]*(?=\n|$)")
_WH_WORDS = {"what", "whether", "why", "how", "who", "whom", "where", "when", "if", "which"}


@dataclass
class _Draft:
    """An attribution being assembled; offsets are characters into ``doc.text``."""

    cue: list[Token]
    lemma: str
    subject: Token | None = None
    subject_span: tuple[int, int] | None = None
    claim: list[tuple[int, int]] = field(default_factory=list)
    claim_root: Token | None = None
    quotes: list[tuple[int, int]] = field(default_factory=list)
    speaker: str | None = None
    via: str | None = None
    via_token: Token | None = None  # "told the Journal", "in an interview with CNN"
    relayed_by: Token | None = None  # "the Journal reported, citing officials": the Journal
    first_report: bool = False
    negated: bool = False
    according: Token | None = None  # the noun after "according to"
    cue_chars: tuple[int, int] | None = None  # when the cue is part of a token ('"..."― Name')
    direct: bool = False
    anonymous: bool = False

    @property
    def start(self) -> int:
        return min(s for s, _ in self.claim)

    @property
    def end(self) -> int:
        return max(e for _, e in self.claim)


def _char_span(tokens: Iterable[Token]) -> tuple[int, int] | None:
    """The character span of a run of tokens, without punctuation at its edges (quote marks
    stay, and so does a comma just inside a closing quote)."""
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and ((toks[0].is_punct and not toks[0].is_quote) or toks[0].is_space):
        toks.pop(0)
    while toks and ((toks[-1].is_punct and not toks[-1].is_quote) or toks[-1].is_space):
        toks.pop()
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _subtree(tok: Token, skip: Iterable[Token] = ()) -> list[Token]:
    """The tokens under ``tok``, leaving out the subtrees of ``skip``."""
    barred = {t.i for s in skip for t in s.subtree}
    return [t for t in tok.subtree if t.i not in barred]


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotes, quote marks included. A quote left open at the end of a
    paragraph runs to the paragraph's end (the convention for quotes of several paragraphs)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        opened: tuple[int, str] | None = None
        for m in _QUOTE_RE.finditer(para):
            mark = m.group()
            at = pos + m.start()
            if opened is None:
                if mark in _OPEN_QUOTES:
                    opened = (at, _OPEN_QUOTES[mark])
                elif mark == "”" and para[m.start() - 1 : m.start()].strip() == "":
                    opened = (at, "”")  # a closing mark typed for an opening one
            elif mark == opened[1] or (opened[1] == "”" and mark == '"'):
                spans.append((opened[0], pos + m.end()))
                opened = None
        if opened is not None:
            spans.append((opened[0], pos + len(para.rstrip())))
        pos += len(para) + 1
    return [(s, e) for s, e in spans if any(c.isalnum() for c in text[s:e])]


def _inner(text: str, span: tuple[int, int]) -> str:
    """A quote's words without its marks and the punctuation just inside them."""
    return text[span[0] : span[1]].strip().strip("“”\"'`").strip().rstrip(",.;:").strip()


class AttributionFinder:
    """The component: fills ``attributions`` and ``attribution_parts`` of
    ``doc._.overhorizon``."""

    def __init__(self, nlp: Language, *, furniture: bool = False) -> None:
        """No tables to build: the cues are lemma sets and the parse does the rest.
        ``furniture``: take no cue in page furniture outside datelines (version 3)."""
        self.furniture = furniture

    def __call__(self, doc: Doc) -> Doc:
        found = doc_records(doc)
        of_token = found.actor_of_token
        kinds: dict[str, str] = {a.id: a.kind for a in found.actors}
        names = {a.id: a.name for a in found.actors}
        quotes = find_quotes(doc.text)
        in_quote = _quote_index(doc, quotes)
        drafts: list[_Draft] = []
        hidden = found.furniture_tokens - found.dateline_tokens if self.furniture else set()
        for tok in doc:
            if tok.i in hidden:
                continue  # "Related: Pentagon admits ...": a link, no claim
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                d = self._according(doc, tok)
            elif tok.pos_ == "VERB" and tok.lemma_.lower() in _STANCE_OF:
                d = self._verb(doc, tok, in_quote)
            else:
                d = None
            if d is not None:
                drafts.append(d)
        drafts = self._attach_quotes(doc, drafts, quotes, in_quote)
        drafts = [d for d in drafts if not any(t.i in hidden for t in d.cue)]
        resolver = _Resolver(doc, of_token, kinds, names, in_quote)
        for d in sorted(drafts, key=lambda d: d.cue[0].i):
            resolver.speaker_of(d)
        _nest(drafts)
        found.attributions, found.attribution_parts = [], {}
        for n, d in enumerate(_ordered(drafts), 1):
            record, parts = _record(doc, d, n)
            found.attributions.append(record)
            found.attribution_parts[record.id] = parts
        return doc

    # --- cues ----------------------------------------------------------------------------
    def _verb(self, doc: Doc, verb: Token, in_quote: dict[int, int]) -> _Draft | None:
        lemma = verb.lemma_.lower()
        if lemma == "tell" and not any(c.dep_ == "ccomp" for c in verb.children):
            return None  # "told him to leave": an order, not a claim
        if verb.i in in_quote:
            return None  # reported speech inside someone's quote is part of their quote
        d = _Draft(cue=[verb], lemma=lemma, subject=_subject(verb))
        passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
        if d.subject is None and not passive:
            return None  # "It is worth noting that", "tell us ...": nobody is reporting
        d.negated = _negated(verb)
        first = next((c for c in verb.children if c.lower_ == "first" and c.dep_ == "advmod"), None)
        if lemma in _FIRST_REPORT_VERBS and first is not None:
            d.first_report = True
            d.cue = sorted([first, verb], key=lambda t: t.i)
        elif lemma in _FIRST_REPORT_VERBS and verb.head.lower_ == "first" and verb.head != verb:
            d.first_report = True  # "was the first to report that ..."
            d.cue = list(doc[verb.head.i : verb.i + 1])
        d.cue += [c for c in verb.children if c.dep_ == "prt"]
        comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if lemma == "break":
            news = next((c for c in verb.children if c.dep_ == "dobj"), None)
            if news is None or news.lemma_.lower() not in _NEWS_NOUNS:
                return None
            d.first_report = True  # "broke the news that ..."
            d.cue = [verb, *news.subtree]
            comp = comp or next((c for c in news.children if c.dep_ in {"acl", "ccomp"}), None)
        if comp is None and lemma in _OBJECT_CLAIM | {"reject", "dismiss", "retract", "withdraw"}:
            obj = next((c for c in verb.children if c.dep_ in {"dobj", "xcomp"}), None)
            usable = obj is not None and obj.pos_ != "PROPN" and obj.i not in in_quote
            if usable and obj is not None:
                claim_like = obj.lemma_.lower() in _CLAIM_NOUNS
                comp = obj if lemma in _OBJECT_CLAIM or claim_like else None  # "denied the report"
        if comp is not None and comp.left_edge.lower_ in _WH_WORDS:
            return None  # "asked whether ...", "explained why ...": no claim is made
        citing = [
            c
            for c in (*verb.children, *(comp.children if comp is not None else ()))
            if c.dep_ in {"advcl", "xcomp"} and c.lemma_.lower() == "cite" and c.i > verb.i
        ]
        if comp is not None:
            skip = [c for c in citing if c.head == comp and c.i < comp.i]
            span = _clip(doc, verb, _char_span(_subtree(comp, skip)))
            if span is None:
                return None
            d.claim, d.claim_root = [span], comp
        # else: no claim yet; a quote beside the verb, or the clause before it, may give one.
        for c in verb.children:
            if c.dep_ in {"dobj", "dative"} and lemma == "tell":
                d.via_token = c
            if c.dep_ == "prep" and c.lower_ in {"to", "with", "in"}:
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.lemma_.lower() == "interview":
                    pobj = next(
                        (g for p in pobj.children if p.lower_ == "with" for g in p.children),
                        None,
                    )
                elif c.lower_ == "in" or lemma != "tell":
                    pobj = None
                d.via_token = d.via_token or pobj
        for c in citing:  # "the Journal reported, citing two officials, that ..."
            cited = next((g for g in c.children if g.dep_ == "dobj"), None)
            if cited is not None and (
                cited.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}
                or cited.lemma_.lower() in _ANON_NOUNS | _SPOKES_NOUNS | _CITED_NOUNS
            ):
                d.relayed_by, d.subject = d.subject, cited
                d.subject_span = _char_span(cited.subtree)
                break
        return d

    @staticmethod
    def _according(doc: Doc, tok: Token) -> _Draft | None:
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        sent = tok.sent
        end = max(pobj.right_edge.i, to.i)
        comma = next((t for t in doc[to.i : end + 1] if t.text == ","), None)
        if comma is not None:
            end = comma.i - 1
        d = _Draft(cue=[tok, to], lemma="according to", subject=pobj, according=pobj)
        d.subject_span = _char_span(doc[to.i + 1 : end + 1])
        before = _clip(doc, tok, _char_span(doc[sent.start : tok.i]))
        after = _clip(doc, tok, _char_span(doc[end + 1 : sent.end]))
        d.claim = [s for s in (before, after) if s is not None]
        if sum(len(doc.text[s:e].split()) for s, e in d.claim) < 3:
            return None  # "according to MSNBC, basically."
        roots = [t for t in sent if t.head == t or t.head.i < sent.start]
        d.claim_root = roots[0] if roots else None
        return d

    # --- quotes --------------------------------------------------------------------------
    def _attach_quotes(
        self,
        doc: Doc,
        drafts: list[_Draft],
        quotes: list[tuple[int, int]],
        in_quote: dict[int, int],
    ) -> list[_Draft]:
        """Tie each direct quote to its attribution, in three passes: quotes inside or across
        a claim; quotes beside a cue ('"...," he said', 'X said: "..."', 'called it "..."',
        '"..." - Name'); and quotes that continue the one before ('"A," he said. "B."')."""
        text = doc.text
        owned: dict[int, _Draft] = {}
        for n, q in enumerate(quotes):
            d = _owner(drafts, q)
            if d is not None:
                owned[n] = d
        for n, q in enumerate(quotes):
            if n in owned:
                continue
            span = doc.char_span(q[0], q[1], alignment_mode="expand")
            if span is None or not len(span):
                continue
            d = _cue_beside(doc, drafts, span, in_quote) or _dash(doc, drafts, q[1])
            if d is not None:
                owned[n] = d
                if not any(q[0] <= s and e <= q[1] for s, e in d.claim):
                    d.claim.append(q)
                d.direct = True
        for n, q in enumerate(quotes):
            prev = owned.get(n - 1)
            if n in owned or prev is None or not prev.direct:
                continue
            gap = text[quotes[n - 1][1] : q[0]]
            if "\n" not in gap.strip(" ") and len(gap) < 100 and not _QUOTE_RE.search(gap):
                owned[n] = prev  # '"A," said X. "B."': one speaker, two fragments
                prev.claim.append(q)
        for n, d in owned.items():
            d.quotes.append(quotes[n])
        kept = []
        for d in drafts:
            if not d.claim and d.lemma in _INVERTED_CUES:
                d.claim = _inverted(doc, d.cue[0])
            if d.claim:
                kept.append(d)
        return kept


def _owner(drafts: list[_Draft], q: tuple[int, int]) -> _Draft | None:
    """The attribution whose claim holds or crosses the quote (the innermost one); a claim
    that starts inside the quote, or that the quote nearly fills, is the quote."""
    best = None
    for d in drafts:
        if not d.claim or d.end <= q[0] or q[1] <= d.start:
            continue
        if best is None or (d.end - d.start) < (best.end - best.start):
            best = d
    if best is None:
        return None
    s, e = best.start, best.end
    if q[0] <= s or (q[1] - q[0]) >= 0.7 * (e - s):
        best.direct = True
    if not (s <= q[0] and q[1] <= e):
        best.claim = [(min(s, q[0]), max(e, q[1]))]
    return best


def _speechlike(span: Span) -> bool:
    """A quote that reads as speech, not a title or scare quote: long enough, or closed
    with its own punctuation ('"No," he said')."""
    inner = span.text.strip().strip("“”\"'`").rstrip()
    return len(inner.split()) >= _MIN_QUOTE_WORDS or inner[-1:] in {",", ".", "?", "!", "…"}


def _cue_beside(
    doc: Doc, drafts: list[_Draft], span: Span, in_quote: dict[int, int]
) -> _Draft | None:
    """A cue just after the quote ('"...," he said', '"...," said X'), just before it
    ('Milley said: "..."', 'X told reporters, "..."'), or naming with it ('called it "..."').
    A verb that already has a claim of its own takes the quote only as another fragment of
    a quote it owns ('"A," he said, "B."')."""
    by_cue = {d.cue[-1].i: d for d in drafts}
    quote_tokens = {t.i for t in span}

    def take(verb: Token) -> _Draft | None:
        d = by_cue.get(verb.i)
        if d is not None and d.claim and not d.direct:
            return None
        if d is None:
            lemma = verb.lemma_.lower()
            d = _Draft(cue=[verb], lemma=lemma, subject=_subject(verb), negated=_negated(verb))
            drafts.append(d)
        return d

    def own_complement(verb: Token) -> bool:
        return any(
            c.dep_ in {"ccomp", "xcomp", "dobj"} and c.i not in quote_tokens for c in verb.children
        )

    # Naming: 'called the decision "a huge win"', 'criticized it as a "crazy system"'.
    head = span.root
    for _ in range(3):
        head = head.head
        if head.pos_ == "VERB" and head.i not in in_quote:
            if head.lemma_.lower() in _NAMING and _subject(head) is not None:
                return take(head)
            break
    speech = _speechlike(span)
    last = span[-1]
    between: list[Token] = []
    for t in doc[last.i + 1 : min(len(doc), last.i + 16)]:
        if not speech or t.i in in_quote or t.text in _CLAUSE_END or "\n" in t.text:
            break
        if t.pos_ == "VERB":
            subj = _subject(t)
            words = [b for b in between if not (b.is_punct or b.is_space)]
            near = subj is not None and all(
                b.i in {x.i for x in subj.subtree} or b.dep_ in {"advmod", "npadvmod", "aux"}
                for b in words
            )
            if near and t.lemma_.lower() in _STANCE_OF:
                return take(t)
            if near and _speaks(t) and not own_complement(t):
                return take(t)  # '"...," she continued', '"...?" he asks'
            break
        between.append(t)
    before = [t for t in doc[max(0, span.start - 10) : span.start] if not t.is_space]
    while before and before[-1].i in in_quote:
        before.pop()
    if not before or before[-1].text not in {":", ","}:
        return None
    colon = before[-1].text == ":"
    for t in reversed(before[:-1]):
        if t.i in in_quote or t.text in _CLAUSE_END:
            break
        if t.pos_ != "VERB":
            continue
        cue_like = t.lemma_.lower() in _STANCE_OF or (colon and _subject(t) is not None)
        if cue_like and (not own_complement(t) or t.lemma_.lower() == "tell"):
            return take(t)
        break
    return None


def _speaks(verb: Token) -> bool:
    """An active verb whose subject is a name or a pronoun: someone doing the talking."""
    subj = _subject(verb)
    active = not any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
    return active and subj is not None and subj.pos_ in {"PROPN", "PRON"}


def _dash(doc: Doc, drafts: list[_Draft], end: int) -> _Draft | None:
    """A quote (ending at ``end``) signed with a dash and a name to the end of its line:
    '"..." - Jane Doe'."""
    m = _DASH_RE.match(doc.text, end)
    if m is None:
        return None
    name = doc.char_span(m.start(2), m.end(2), alignment_mode="expand")
    dash = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
    if name is None or dash is None or not len(dash) or not 0 < len(name) <= 6:
        return None
    d = _Draft(cue=list(dash), lemma="dash", subject=name.root, cue_chars=m.span(1))
    d.subject_span = (name.start_char, name.end_char)
    drafts.append(d)
    return d


def _inverted(doc: Doc, verb: Token) -> list[tuple[int, int]]:
    """Claim before a sentence-final cue: "The talks failed, officials said." when the
    parser did not make the clause the verb's complement."""
    sent = verb.sent
    after = [t for t in doc[verb.i + 1 : sent.end] if not (t.is_punct or t.is_space)]
    if len(after) > 4:
        return []
    subject = _subject(verb)
    left = min(verb.i, subject.left_edge.i if subject is not None else verb.i)
    comma = next((t for t in reversed(doc[sent.start : left]) if t.text == ","), None)
    if comma is None:
        return []
    span = _clip(doc, verb, _char_span(doc[sent.start : comma.i]))
    return [span] if span else []


def _clip(doc: Doc, cue: Token, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """A claim found by the parse stays inside the cue's paragraph (the parser may run a
    headline or dateline into the first sentence)."""
    if span is None:
        return None
    text = doc.text
    lo = text.rfind("\n", 0, cue.idx) + 1
    hi = text.find("\n", cue.idx)
    hi = len(text) if hi < 0 else hi
    start, end = max(span[0], lo), min(span[1], hi)
    while start < end and text[start].isspace():
        start += 1
    return (start, end) if end - start > 1 else None


def _quote_index(doc: Doc, quotes: list[tuple[int, int]]) -> dict[int, int]:
    """Token index -> number of the quote that holds the token."""
    out: dict[int, int] = {}
    for n, (s, e) in enumerate(quotes):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            for t in span:
                out[t.i] = n
    return out


def _subject(verb: Token) -> Token | None:
    """Who performs a reporting verb: its subject, the subject of the verb it hangs from
    ("was forced to admit", "..., saying that"), or the noun a relative clause describes."""
    tok = verb
    for _ in range(4):
        subjects = [c for c in tok.children if c.dep_ in {"nsubj", "csubj"}]
        if tok is not verb:
            subjects += [c for c in tok.children if c.dep_ == "nsubjpass"]
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None and not subjects:
            subjects = [g for g in agent.children if g.dep_ == "pobj"]
        if subjects:  # the nearest, when the parser gives two ('"... Congress," Rep. X said')
            return min(subjects, key=lambda t: abs(t.i - tok.i))
        if tok.dep_ in {"xcomp", "conj", "advcl", "acl", "attr"} or tok.head.lower_ == "first":
            tok = tok.head
            continue
        if tok.dep_ == "relcl":
            return tok.head
        return None
    return None


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_.lower() in _NEGATORS


class _Resolver:
    """Speakers to actor ids: names, pronouns, "the report", "the official"."""

    def __init__(
        self,
        doc: Doc,
        of_token: dict[int, str],
        kinds: dict[str, str],
        names: dict[str, str],
        in_quote: dict[int, int],
    ) -> None:
        self.doc = doc
        self.of_token = of_token
        self.kinds = kinds
        self.names = names
        self.in_quote = in_quote
        self.speakers: list[tuple[int, str]] = []  # (token index of cue, actor) in text order
        self.sources: list[tuple[str, str]] = []  # (head lemma, actor) of anonymous speakers

    def speaker_of(self, d: _Draft) -> None:
        """Fill ``speaker`` and ``via`` of a draft, and its speaker's character span."""
        subj = d.subject
        if subj is not None:
            if subj.i not in self.of_token and d.according is None:
                sibling = next(
                    (
                        c
                        for c in subj.head.children
                        if c.dep_ == subj.dep_ and c.i in self.of_token and c.i > subj.i
                    ),
                    None,
                )
                if sibling is not None:  # "The Russian newspaper Kommersant": two subjects
                    d.subject_span = _char_span(_doc_range(self.doc, subj, sibling))
                    subj = sibling
            if d.subject_span is None:
                skip = [c for c in subj.children if c.dep_ in {"relcl", "acl"}]
                d.subject_span = _char_span(_subtree(subj, skip))
            d.speaker = self.actor(subj)
        if d.relayed_by is not None:
            d.via = self.actor(d.relayed_by)
        elif d.via_token is not None:
            tok = d.via_token
            actor = self.of_token.get(tok.i) or _actor_below(tok, self.of_token)
            if actor is not None and self.kinds.get(actor) in {"outlet", "organisation"}:
                d.via = actor
        if d.speaker is not None:
            self.speakers.append((d.cue[0].i, d.speaker))
            if subj is not None and _anonymous(subj, self.kinds.get(d.speaker)):
                d.anonymous = True
                self.sources.append((subj.lemma_.lower(), d.speaker))
        elif subj is not None:
            d.anonymous = subj.lemma_.lower() in _ANON_NOUNS and subj.pos_ == "NOUN"

    def actor(self, tok: Token) -> str | None:
        """The actor a speaker phrase names."""
        if tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl":
            tok = tok.head.head  # "McConnell, who said ...": the noun the clause describes
        low = tok.lower_
        lemma = tok.lemma_.lower()
        direct = self.of_token.get(tok.i)
        if direct is not None:
            if self.kinds.get(direct) == "anonymous" and _generic(tok):
                return self._earlier_anonymous(tok, lemma) or direct
            return direct
        for c in tok.children:
            if c.dep_ in {"appos", "compound", "poss", "nmod", "amod"} and c.i in self.of_token:
                return self.of_token[c.i]
        if lemma in _REPORT_NOUNS | _SPOKES_NOUNS | _ANON_NOUNS:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in {"from", "by", "of", "for", "at", "in"}:
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    hit = _actor_below(pobj, self.of_token) if pobj is not None else None
                    if hit is not None:
                        return hit
        if low in _PERSON_PRONOUNS:
            return self._nearest(tok, {"person"})
        if low in _THING_PRONOUNS:
            kinds = {"organisation", "group", "anonymous", "country", "outlet"}
            if low == "it":
                kinds -= {"anonymous", "group"}
            return self._nearest(tok, kinds)
        if lemma in _OUTLET_NOUNS and _definite(tok):
            return self._nearest(tok, {"outlet"}) or self._nearest(tok, {"organisation"})
        if lemma in _ANON_NOUNS and _definite(tok):
            return self._earlier_anonymous(tok, lemma)
        return None

    def _earlier_anonymous(self, tok: Token, lemma: str) -> str | None:
        """ "the official": the latest earlier anonymous speaker of that kind, else the
        nearest earlier anonymous actor named more fully ("unnamed US officials")."""
        for head, source in reversed(self.sources):
            if head[:5] == lemma[:5]:
                return source
        for i in range(tok.i - 1, -1, -1):
            actor = self.of_token.get(i)
            if actor is None or self.kinds.get(actor) != "anonymous":
                continue
            name = self.names.get(actor, "").lower()
            if " " in name and name.split()[-1].startswith(lemma[:5]):
                return actor
        return None

    def _nearest(self, tok: Token, kinds: set[str]) -> str | None:
        """The earlier actor of one of ``kinds`` a pronoun or definite noun points to: within
        the last four sentences an earlier speaker first, then a subject, then the nearest
        mention (mentions inside quotes count less); further back, the nearest mention."""
        window = tok.sent.start
        for _ in range(4):
            if window == 0:
                break
            window = self.doc[window - 1].sent.start
        speakers = {a for i, a in self.speakers if i >= window}
        best: tuple[int, int, str] | None = None
        for i in range(tok.i - 1, -1, -1):
            actor = self.of_token.get(i)
            if actor is None or self.kinds.get(actor) not in kinds:
                continue
            if i < window:
                return best[2] if best is not None else actor
            t = self.doc[i]
            rank = 2 if actor in speakers else 1 if t.dep_ in {"nsubj", "nsubjpass"} else 0
            rank -= i in self.in_quote
            if best is None or rank > best[0]:
                best = (rank, i, actor)
        return best[2] if best is not None else None


def _doc_range(doc: Doc, a: Token, b: Token) -> list[Token]:
    """The tokens from the left edge of ``a`` to the right edge of ``b``."""
    return list(doc[min(a.left_edge.i, b.left_edge.i) : max(a.right_edge.i, b.right_edge.i) + 1])


def _anonymous(subj: Token, kind: str | None) -> bool:
    """An unnamed source: an anonymous actor, or a role noun with no name ("a senior
    Pentagon official" speaks for the Pentagon, but unnamed)."""
    if subj.lower_ in _RELATIVE and subj.head.dep_ == "relcl":
        subj = subj.head.head
    return kind == "anonymous" or (
        subj.lemma_.lower() in _ANON_NOUNS and subj.pos_ == "NOUN" and kind != "person"
    )


def _generic(tok: Token) -> bool:
    """ "the official", "the sources": a definite bare role noun that points back."""
    words = [t for t in tok.subtree if t.i <= tok.i and not t.is_punct]
    return len(words) == 2 and words[0].lower_ in {"the", "that", "this", "those", "these"}


def _definite(tok: Token) -> bool:
    return any(
        c.lower_ in {"the", "that", "this", "these", "those"} or c.dep_ == "poss"
        for c in tok.children
    )


def _actor_below(tok: Token, of_token: dict[int, str]) -> str | None:
    for sub in tok.subtree:
        if sub.i in of_token:
            return of_token[sub.i]
    return None


def _nest(drafts: list[_Draft]) -> None:
    """A cue inside another attribution's claim is relayed by that attribution's speaker:
    "The Times reported that officials said ..." gives officials via the Times."""
    for inner in drafts:
        if inner.via is not None:
            continue
        holders = [
            d
            for d in drafts
            if d is not inner
            and d.speaker is not None
            and d.speaker != inner.speaker
            and not d.direct
            and d.start <= inner.cue[0].idx < d.end
            and d.claim_root is not None
            and d.claim_root.i in {t.i for t in inner.cue}
        ]
        if holders:
            inner.via = min(holders, key=lambda d: d.end - d.start).speaker


def _ordered(drafts: list[_Draft]) -> list[_Draft]:
    return sorted(drafts, key=lambda d: (d.cue[0].i, d.start))


def _sentence_at(doc: Doc, char: int) -> Span:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    tok = span[0] if span is not None and len(span) else doc[-1]
    return tok.sent


def _stance(d: _Draft) -> str:
    stance = _STANCE_OF.get(d.lemma, "asserts")
    if d.negated:
        return "asserts" if stance in {"denies", "disputes", "retracts"} else "denies"
    return stance


def _record(doc: Doc, d: _Draft, n: int) -> tuple[Attribution, AttributionParts]:
    """The typed record (RECORDS.md ``attributions`` plus our extra fields) and its parts."""
    text = doc.text
    sent = d.cue[0].sent
    cue_start, cue_end = d.cue_chars or (d.cue[0].idx, max(t.idx + len(t.text) for t in d.cue))
    subj = d.subject_span
    lo = min(sent.start_char, d.start, *(subj[:1] if subj else ()))
    hi = max(sent.end_char, d.end, *(subj[1:] if subj else ()))
    evidence = (_sentence_at(doc, lo).start_char, _sentence_at(doc, hi - 1).end_char)
    quotes = [_inner(text, q) for q in d.quotes]
    claim = sorted(d.claim)
    record = Attribution(
        id=f"t{n}",
        claim=CharSpan(d.start, d.end),
        speaker=d.speaker,
        anonymous=d.anonymous,
        cue=(
            " ".join(t.lower_ for t in d.cue)
            if d.lemma not in {"according to", "dash"}
            else text[cue_start:cue_end].lower()
        ),
        via=d.via if d.via != d.speaker else None,
        first_report=d.first_report,
        quote=" … ".join(q for q in quotes if q) or None,
        stance=_stance(d),
        evidence=CharSpan(*evidence),
        sentence=CharSpan(sent.start_char, sent.end_char),
        cue_lemma=d.lemma,
        speaker_text=text[subj[0] : subj[1]] if subj else None,
        direct=d.direct,
    )
    parts = AttributionParts(
        cue=CharSpan(cue_start, cue_end),
        fragments=[CharSpan(s, e) for s, e in claim],
        speaker=CharSpan(*subj) if subj else None,
        negated=d.negated,
    )
    return record, parts


def attribution_at(found: DocRecords, start: int, end: int) -> str | None:
    """The id of the attribution of ``found`` that carries the text at ``start``-``end``
    (characters): the innermost claim holding it, else the attribution whose cue it is
    ("forced to admit"), else the first attribution of its sentence; None when nobody is named
    (the article's outlet then carries it)."""
    parts = found.attribution_parts
    for a in found.attributions:
        cue = parts[a.id].cue
        if cue.start < end and start < cue.end:
            return a.id
    holding = [
        a
        for a in found.attributions
        if any(f.start <= start and end <= f.end for f in parts[a.id].fragments)
    ]
    if holding:
        best = min(holding, key=lambda a: a.claim.end - a.claim.start)
        return best.id
    for a in found.attributions:
        if a.sentence is not None and a.sentence.start <= start < a.sentence.end:
            return a.id
    return None


@registry.misc("overhorizon_attributions.v2")  # type: ignore[untyped-decorator]
def attributions_v2() -> Callable[[Language], AttributionFinder]:
    """Version 2 of the component (typed records in ``doc._.overhorizon``); a published
    version never changes meaning."""
    return AttributionFinder


@registry.misc("overhorizon_attributions.v3")  # type: ignore[untyped-decorator]
def attributions_v3() -> Callable[[Language], AttributionFinder]:
    """Version 3: version 2 taking no cue in page furniture outside datelines
    (``overhorizon_furniture``): a "Related: ... admits ..." link is no admission."""
    return partial(AttributionFinder, furniture=True)


@Language.factory(
    "overhorizon_attributions",
    default_config={"impl": {"@misc": "overhorizon_attributions.v3"}},
)
def make_attributions(
    nlp: Language, name: str, impl: Callable[[Language], AttributionFinder]
) -> AttributionFinder:
    """spaCy factory; ``impl`` names the registered version (spaCy allows no dot here)."""
    return impl(nlp)
