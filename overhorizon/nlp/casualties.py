"""Casualty figures in one sentence: how many of which group were killed or injured.

``find_casualties`` reads a sentence with a small hand-written grammar over tokens (no spaCy):

- subject first: "13 US service members were killed", "dozens were injured", "the 10 killed were
  buried", "10 civilians, including seven children, died", "two Taliban fighters and a civilian
  were killed", "10 deaths", "169 fatalities", "10 bodies were found", "claimed 10 lives";
- verb first: "killing 6 civilians, including 2 women", "killed and wounded dozens", "leaving
  10 dead and 20 injured", "claimed the lives of 10 people", "the bodies of 3 children", "among
  the dead were seven children";
- tolls: "a death toll of 169", "the toll rose to 13" (killed, group unknown unless named);
- negations: "no one was hurt", "there were no casualties", "no civilians were killed".

Conventions:

- counts follow ``overhorizon.nlp.numbers``: "at least 60" is low 60, best 60, high None; "up to
  20" high 20; "nearly 170" best 170, high 170; "about/around/some 170" best 170 only; "between
  10 and 15" low 10, high 15; vague words give a floor only: "a few" and "a handful" 2,
  "several" 3, "dozens" 24, "scores" 40, "hundreds" 200, "thousands" 2000;
- a negation gives a figure of zero (low 0, best 0, high 0): "no one was killed" killed 0;
  "no one was injured/wounded" injured 0; "no one was hurt", "no casualties" both 0. A figure
  with only one outcome leaves the other None (unknown), never 0;
- "killed and wounded dozens" gives the same count to both outcomes, as the text does;
- groups: civilians (civilians, residents, villagers, worshippers, passengers, students,
  journalists, family members...), children (children, kids, boys, girls, babies), women,
  combatants (fighters, militants, insurgents, gunmen, rebels, attackers, Taliban),
  military (soldiers, troops, service members, marines), police (policemen, police officers).
  "people", "men", "persons" and nouns we do not know ("Afghans") are ``unknown``: who the people
  were is not guessed. A figure without a noun ("10 were killed", "and 18 wounded", "20 others")
  takes the group of the figure just before it in the sentence, else ``unknown``;
- "10 civilians, including seven children" gives civilians 10 and children 7 with
  ``part_of="civilians"``, never 17; "seven of them children" reads the same way;
- a killed-only and an injured-only figure of the same group in one sentence are merged into one
  figure ("13 service members were killed and 18 wounded");
- "casualties" with a number is skipped (killed and injured together cannot be split), as are
  numbers that are years, ages ("a 10-year-old"), times ("10:30"), money ("$1 billion"), labels
  ("Route 7") and durations ("killed 10 years ago").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

from overhorizon.nlp.numbers import Quantity, Token, parse_cardinal, read_quantity, tokenize
from overhorizon.nlp.scope import Scope, ScopeCue, aggregate_scopes
from overhorizon.records import Count, Span

Group = Literal["civilians", "children", "women", "combatants", "military", "police", "unknown"]
ZERO = Count(0, 0, 0)


@dataclass(frozen=True, slots=True)
class CasualtyFigure:
    """Killed and injured in one group, from one sentence; ``span`` holds the figure's words.

    ``part_of`` names the group this one is a part of ("seven children" in "10 civilians,
    including seven children"): its count is included in that group's, not added to it.
    ``scope`` is set for an aggregate figure, a count over a war, a period or a place ("since
    2011", "the war has killed": :mod:`overhorizon.nlp.scope`), with ``scope_span`` the words
    that made it so; such a figure is context, never a happening's toll. ``victim`` is the name
    of a named victim counted one ("Jane Doe, 34, was killed"): the same name again elsewhere
    in an article is the same person.
    """

    group: Group
    killed: Count | None
    injured: Count | None
    span: Span
    part_of: Group | None = None
    scope: Scope | None = None
    scope_span: Span | None = None
    victim: str | None = None


# --- lexicon ------------------------------------------------------------------------------------
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_GROUP_WORDS: dict[Group, frozenset[str]] = {
    "civilians": _words(
        "civilian civilians resident residents villager villagers worshipper worshippers "
        "worshiper worshipers passenger passengers bystander bystanders pedestrian pedestrians "
        "student students farmer farmers shopper shoppers mourner mourners journalist "
        "journalists reporter reporters relatives refugee refugees evacuee evacuees nurse nurses "
        "doctor doctors patient patients teacher teachers shopkeeper shopkeepers workers "
        "non-combatants noncombatants"
    ),
    "children": _words(
        "child children kid kids boy boys girl girls baby babies infant infants toddler "
        "toddlers minor minors schoolchildren schoolgirl schoolgirls schoolboy schoolboys"
    ),
    "women": _words("woman women"),
    "combatants": _words(
        "fighter fighters militant militants insurgent insurgents gunman gunmen rebel rebels "
        "jihadist jihadists terrorist terrorists combatant combatants attacker attackers "
        "bomber bombers militiaman militiamen taliban"
    ),
    "military": _words(
        "soldier soldiers troop troops serviceman servicemen servicemember servicemembers "
        "marine marines sailor sailors airman airmen commando commandos paratrooper paratroopers"
    ),
    "police": _words(
        "policeman policemen policewoman policewomen police officer officers cop cops "
        "constable constables"
    ),
    "unknown": _words(
        "people person persons men man individuals victims victim brothers brother sisters sister "
        "sons son daughters daughter teen teens teenager teenagers youth youths husband wife "
        "father mother friend male female driver drivers guard guards clerk clerks neighbor "
        "neighbors neighbour neighbours owner owners employee employees customer customers"
    ),
}
_GROUP_OF: dict[str, Group] = {w: g for g, words in _GROUP_WORDS.items() for w in words}
_PHRASES: tuple[tuple[tuple[str, ...], Group], ...] = (
    (("members", "of", "the", "same", "family"), "civilians"),
    (("members", "of", "a", "single", "family"), "civilians"),
    (("members", "of", "one", "family"), "civilians"),
    (("members", "of", "a", "family"), "civilians"),
    (("members", "of", "the", "family"), "civilians"),
    (("members", "of", "his", "family"), "civilians"),
    (("members", "of", "their", "family"), "civilians"),
    (("family", "members"), "civilians"),
    (("aid", "workers"), "civilians"),
    (("aid", "worker"), "civilians"),
    (("service", "members"), "military"),
    (("service", "member"), "military"),
    (("security", "forces"), "military"),
    (("security", "personnel"), "military"),
    (("military", "personnel"), "military"),
    (("police", "officers"), "police"),
    (("police", "officer"), "police"),
)
_SINGULAR = _words(
    "civilian resident villager worshipper worshiper passenger bystander pedestrian student farmer "
    "shopper mourner journalist reporter refugee nurse doctor patient teacher shopkeeper brother "
    "sister son daughter child kid boy girl baby infant toddler minor "
    "schoolgirl schoolboy woman fighter militant insurgent gunman rebel jihadist terrorist "
    "combatant attacker bomber militiaman soldier serviceman servicemember member marine sailor "
    "airman commando paratrooper policeman policewoman officer cop constable person man victim "
    "worker teen teenager youth husband wife father mother friend male female driver guard clerk "
    "neighbor neighbour owner employee customer"
)
_ELIDED = frozenset({"others", "more"})  # "wounding 20 others": the group of the figure before
_DEATH_HEADS = frozenset({"deaths", "fatalities", "bodies", "lives", "corpses"})
_KILLED = frozenset(
    {"killed", "dead", "died", "dies", "slain", "perished", "murdered", "martyred", "deceased"}
)
_INJURED = frozenset({"wounded", "injured", "hurt", "hospitalised", "hospitalized", "grazed"})
# A victim hit by a shot or a blade, outcome open: injured unless a death word follows ("shot
# and killed", "stabbed to death"); only in the passive or with no object ("a man was shot").
_HIT = frozenset({"shot", "stabbed"})
_TO_DEATH = _words(
    "shot stabbed beaten burnt burned hacked bludgeoned strangled choked crushed trampled "
    "hanged stoned"
)
_FATALLY = _words("shot stabbed wounded injured struck hit hurt beaten")
_CONDITIONS = _words("critical serious stable grave fair good satisfactory")
_INJURY_NOUNS = _words("injuries injury wound wounds")
_TRANSPORT = _words("taken rushed transported airlifted driven brought")
_ACTIVE_KILL = frozenset({"killed", "killing", "kill", "kills"})
_ACTIVE_INJURE = frozenset(
    {"wounded", "wounding", "wound", "wounds", "injured", "injuring", "injure", "injures", "hurt"}
)
_PASSIVE = frozenset({"was", "were", "is", "are", "be", "been", "being", "got", "get", "gets"})
_FILLERS = _PASSIVE | _words(
    "have has had reportedly also all later allegedly initially now already confirmed reported "
    "believed thought feared said to who that apparently each both ultimately eventually "
    "subsequently officially found pronounced left either later since critically seriously "
    "severely badly gravely accidentally tragically just then instantly"
)
_FUNCTION = (
    _FILLERS
    | _KILLED
    | _INJURED
    | _ACTIVE_KILL
    | _ACTIVE_INJURE
    | _ELIDED
    | _DEATH_HEADS
    | _words(
        "and or but of in on at by for from with into near as after before during since while "
        "when where the a an this these those their his her its our they them he she it we "
        "says say according including among than least not no other another there here"
    )
)
_PLACE_PREPS = frozenset({"in", "at", "near", "from", "on", "inside", "outside", "across"})
_UNITS = _words(
    "year years day days hour hours minute minutes month months week weeks decade decades km "
    "kilometres kilometers miles mile metres meters percent per % am pm a.m. p.m. o'clock gmt "
    "dollars dollar euros pounds afghanis rupees billion times th"
)
_LABELS = _words(
    "route highway road flight no number gate district resolution article chapter section page "
    "unit zone sector terminal station phase line camp level block platoon squad grade"
)
_CURRENCY = frozenset({"$", "£", "€", "¥"})
_MONTHS = _words(
    "january february march april may june july august september october november december jan "
    "feb mar apr jun jul aug sep sept oct nov dec"
)
_PART_CUES: tuple[tuple[str, ...], ...] = (
    ("including",),
    ("among", "them"),
    ("among", "whom"),
    ("of", "whom"),
    ("of", "them"),
)
_GAP_WORDS = frozenset(
    {",", ";", "and", "while", "with", "another", "a", "further", "as", "well", "but", "plus"}
)
_SAVE_WORDS = frozenset({"saved", "save", "saves", "saving", "spared", "spare", "protect"})


# --- internal records ---------------------------------------------------------------------------
@dataclass(slots=True)
class _Victims:
    """A quantity and the noun after it: "13 US service members", "dozens", "20 others"."""

    quantity: Quantity
    group: Group | None  # None: no noun, or "others"
    end: int  # token index after the noun phrase
    head: str | None = None  # a death noun ("deaths", "bodies", "lives") or "casualties"
    known: bool = True  # False: a noun we do not know ("Afghans"), group unknown


@dataclass(slots=True)
class _Found:
    group: Group | None
    killed: Count | None
    injured: Count | None
    start: int
    end: int
    parts: list[_Found] = field(default_factory=list)
    victim: str | None = None


def _low(tokens: list[Token], i: int) -> str:
    return tokens[i].lower if 0 <= i < len(tokens) else ""


def _at(tokens: list[Token], i: int, words: tuple[str, ...]) -> bool:
    return tuple(_low(tokens, i + k) for k in range(len(words))) == words


def _is_modifier(token: Token) -> bool:
    """A word that may stand between a number and its noun: "US", "Afghan", "10-year-old"."""
    word = token.lower
    return word not in _FUNCTION and any(c.isalpha() for c in word) and word[0].isalnum()


def _not_a_count(tokens: list[Token], q: Quantity) -> bool:
    """A number that is a time, money, a label, a date, a measure or a duration."""
    before, after = _low(tokens, q.start - 1), _low(tokens, q.end)
    if before in _CURRENCY or before in _LABELS or before in _MONTHS or before in (":", "#"):
        return True
    if after in _UNITS or after in _MONTHS or after in ("%", "-"):
        return True
    if _is_year(tokens, q) and parse_cardinal(after) is not None:
        return True  # "Sep 24 2016 Ninety-two civilians were killed": the date's year
    return after in (":", ".") and _low(tokens, q.end + 1).isdigit()


def _is_year(tokens: list[Token], q: Quantity) -> bool:
    """A plain four-digit number between 1900 and 2099, the whole quantity."""
    word = _low(tokens, q.start)
    return q.end == q.start + 1 and len(word) == 4 and word.isdigit() and 1900 <= int(word) < 2100


def _victims(tokens: list[Token], i: int) -> _Victims | None:
    """Read a quantity and its noun phrase at ``i``."""
    q = read_quantity(tokens, i)
    if q is None or _not_a_count(tokens, q):
        return None
    j, mods, group, head, noun_end = q.end, 0, None, None, None
    while j < len(tokens) and mods <= 3:
        word = tokens[j].lower
        if word in _DEATH_HEADS or word == "casualties":
            head, noun_end = word, j + 1
            break
        phrase = next((p for p in _PHRASES if _at(tokens, j, p[0])), None)
        if phrase is not None or word in _GROUP_OF:
            group = phrase[1] if phrase else _GROUP_OF[word]
            j = j + len(phrase[0]) if phrase else j + 1
            noun_end = j
            continue  # "Taliban fighters": the last group word is the head
        if noun_end is not None:
            break
        if word in _ELIDED:
            noun_end = j + 1
            break
        if not _is_modifier(tokens[j]):
            break
        mods, j = mods + 1, j + 1
    if q.singular and (group is None or tokens[(noun_end or 1) - 1].lower not in _SINGULAR):
        return None  # "a" needs a singular person noun: "a child", not "a bomb" or "a number"
    year_like = q.plain and q.count.best is not None and 1900 <= q.count.best <= 2100
    if year_like and group is None:
        return None
    if noun_end is None and mods:  # a noun we do not know: "10 Afghans"
        return _Victims(q, "unknown", q.end + mods, known=False)
    return _Victims(q, group, noun_end or q.end, head)


def _outcome(tokens: list[Token], j: int) -> tuple[bool, bool, int] | None:
    """Read "were reportedly killed", "died", "dead or injured", "lost their lives", "was shot
    and killed", "was stabbed to death", "is in critical condition" at ``j``.

    Return (killed, injured, end) or None; an active verb ("gunmen killed 10", "he shot a man")
    is not an outcome.
    """
    start, passive = j, False
    while _low(tokens, j) in _FILLERS and j - start < 6:
        passive = passive or _low(tokens, j) in _PASSIVE
        j += 1
    killed = injured = False
    for _ in range(2):
        read = _outcome_words(tokens, j, passive)
        if read is None:
            break
        dies, hurt, j = read
        killed, injured = killed or dies, injured or hurt
        joint = _low(tokens, j) in ("and", "or", ",", "&")
        if joint and _outcome_words(tokens, j + 1, True) is not None:
            j += 1
        else:
            break
    if not (killed or injured):
        return None
    if killed and injured and any(t.lower in _HIT for t in tokens[start:j]):
        injured = False  # "was shot and killed": one victim, dead
    if injured and not killed and (later := _later_death(tokens, j)) is not None:
        killed, injured, j = True, False, later  # "was taken to hospital, where he died"
    verb = _low(tokens, j - 1)
    if not passive and verb in _ACTIVE_KILL | _ACTIVE_INJURE | _HIT and _object_follows(tokens, j):
        return None
    if _low(tokens, start - 1) == "not" or "not" in (t.lower for t in tokens[start:j]):
        return None
    return killed, injured, j


def _later_death(tokens: list[Token], j: int) -> int | None:
    """The end of "..., where he died" or "and later died" after a wound, in the same clause
    chain, else None: the wounded victim is then a dead one, not a second victim."""
    for k in range(j, min(j + 24, len(tokens))):
        word = tokens[k].lower
        if word in (".", ";", "?", "!", "others", "another"):
            return None
        q = read_quantity(tokens, k)
        if q is not None and not q.singular:
            return None  # "and two others died": other victims
        if word in ("died", "succumbed", "dies") or _at(tokens, k, ("pronounced", "dead")):
            before = {t.lower for t in tokens[j:k]}
            if before & {"where", "and", "later", "after", "but", "then"}:
                return k + (2 if word == "pronounced" else 1)
            return None
    return None


def _outcome_words(tokens: list[Token], j: int, passive: bool) -> tuple[bool, bool, int] | None:
    """One outcome phrase at ``j``: (killed, injured, end) or None."""
    word, nxt = _low(tokens, j), _low(tokens, j + 1)
    if word in _TO_DEATH and _at(tokens, j + 1, ("to", "death")):
        return True, False, j + 3
    if (word, nxt) in (("shot", "dead"), ("gunned", "down"), ("cut", "down")):
        return True, False, j + 2
    if word in ("burnt", "burned") and nxt == "alive":
        return True, False, j + 2
    if word in ("fatally", "mortally") and nxt in _FATALLY:
        return word == "fatally", word == "mortally", j + 2
    if word in _KILLED:
        return True, False, j + 1
    if (
        word == "lost"
        and nxt in ("his", "her", "their")
        and _low(tokens, j + 2) in ("life", "lives")
    ):
        return True, False, j + 3
    if (word, nxt) == ("passed", "away") or word in ("succumbed", "succumbs"):
        return True, False, j + (2 if word == "passed" else 1)
    if word in _INJURED:
        return False, True, j + 1
    aimed = nxt in ("at", "into", "back", "up", "through", "out", "off", "from", "toward")
    if word in _HIT and (passive or not (aimed or _object_follows(tokens, j + 1))):
        return False, True, j + 1
    if word == "in" and nxt in _CONDITIONS and _low(tokens, j + 2) == "condition":
        return False, True, j + 3
    if word in _TRANSPORT and nxt == "to":  # "was taken to a hospital in critical condition"
        for k in range(j + 2, min(j + 12, len(tokens))):
            if tokens[k].lower in ("where", ",", ".", ";", "and"):
                break
            state = _low(tokens, k + 1) in _CONDITIONS and _low(tokens, k + 2) == "condition"
            if _low(tokens, k) == "in" and state:
                return False, True, k + 3
    if word == "treated" and nxt == "for":
        return False, True, j + 2
    if word in ("suffered", "sustained", "suffering", "sustaining"):
        for k in range(j + 1, min(j + 6, len(tokens))):
            if tokens[k].lower in _INJURY_NOUNS:
                return False, True, k + 1
    return None


def _object_follows(tokens: list[Token], j: int) -> bool:
    word = _low(tokens, j)
    determiners = {"the", "a", "an", "his", "her", "their", "its", "all", "many", "several"}
    pronouns = {"him", "her", "them", "himself", "herself", "themselves", "me", "us"}
    if word in determiners or word in pronouns or word in _GROUP_OF:
        return True
    return _victims(tokens, j) is not None


def _parts(tokens: list[Token], j: int) -> tuple[list[_Victims], int]:
    """Read ", including seven children and two women" or ", seven of them children"."""
    k = j + 1 if _low(tokens, j) == "," else j
    cue = next((c for c in _PART_CUES if _at(tokens, k, c)), None)
    if cue is None:
        q = _victims(tokens, k) if k > j else None  # ", seven of them children"
        if q and q.group is None and _at(tokens, q.end, ("of", "them")):
            m = q.end + 2 + (_low(tokens, q.end + 2) in ("were", "was"))
            noun = _low(tokens, m)
            if noun in _GROUP_OF:
                return [_Victims(q.quantity, _GROUP_OF[noun], m + 1)], m + 1
        return [], j
    items: list[_Victims] = []
    k += len(cue)
    while True:
        item = _victims(tokens, k)
        if item is None or item.group is None or not item.known:
            break
        items.append(item)
        k = item.end
        if _low(tokens, k) == "," and _low(tokens, k + 1) == "and":
            k += 2
        elif _low(tokens, k) in (",", "and") and _victims(tokens, k + 1) is not None:
            k += 1
        else:
            break
    if not items:
        # ", including children," names who without a number: read past it to its comma
        for m in range(k, min(k + 6, len(tokens))):
            if _low(tokens, m) == "," and m > k:
                return [], m + 1
            if not tokens[m].text.isalpha() or _low(tokens, m) in _KILLED | _INJURED:
                break
        return [], j
    return items, k


def _found(v: _Victims, killed: bool, injured: bool, start: int, end: int) -> _Found:
    count = v.quantity.count
    return _Found(v.group, count if killed else None, count if injured else None, start, end)


def _with_parts(f: _Found, parts: list[_Victims], killed: bool, injured: bool) -> _Found:
    f.parts = [_found(p, killed, injured, p.quantity.start, p.end) for p in parts]
    return f


# --- patterns: each returns the figures found at ``i`` and the index after them ------------------
Match = tuple[list[_Found], int]


def _negation(tokens: list[Token], i: int) -> Match | None:
    """ "no one was hurt", "nobody died", "none of the passengers", "no casualties"."""
    word = _low(tokens, i)
    group: Group | None = None
    if _at(tokens, i, ("no", "one")):
        j = i + 2
    elif word == "nobody":
        j = i + 1
    elif word in ("no", "none", "without"):
        j = i + 1 + (_low(tokens, i + 1) == "any")
        if word == "none" and _low(tokens, i + 1) == "of":
            j = i + 2 + (_low(tokens, i + 2) in ("the", "its", "their", "his", "her", "our"))
        mods = 0
        while _is_modifier(tokens[j]) if j < len(tokens) else False:
            word_j = tokens[j].lower
            if word_j in _GROUP_OF:
                group = _GROUP_OF[word_j]
            elif word_j in ("casualties", "injuries", "deaths", "fatalities"):
                break
            mods, j = mods + 1, j + 1
            if mods > 3:
                return None
        noun = _low(tokens, j)
        if noun in ("casualties", "injuries", "deaths", "fatalities"):
            killed = noun != "injuries"
            injured = noun in ("casualties", "injuries")
            return [_zero(group or "unknown", killed, injured, i, j + 1)], j + 1
        if group is None:
            return None
    else:
        return None
    outcome = _outcome(tokens, j)
    if outcome is None:
        return None
    killed, injured, end = outcome
    if _low(tokens, end - 1) == "hurt":
        killed = True  # nobody hurt: nobody killed either
    return [_zero(group or "unknown", killed, injured, i, end)], end


def _zero(group: Group, killed: bool, injured: bool, start: int, end: int) -> _Found:
    return _Found(group, ZERO if killed else None, ZERO if injured else None, start, end)


def _verb_first(tokens: list[Token], i: int) -> Match | None:
    """ "killing 6 civilians, including 2 women", "killed and wounded dozens", "left 10 dead"."""
    word = _low(tokens, i)
    killed, injured = word in _ACTIVE_KILL, word in _ACTIVE_INJURE
    j = i + 1
    if (killed or injured) and _low(tokens, j) in ("and", "or"):
        other = _low(tokens, j + 1)
        if other in _ACTIVE_KILL | _ACTIVE_INJURE:
            killed, injured, j = (
                killed or other in _ACTIVE_KILL,
                injured or other in _ACTIVE_INJURE,
                j + 2,
            )
    if word == "fatally" and _low(tokens, j) in _HIT | _ACTIVE_INJURE:
        killed, j = True, j + 1  # "fatally shot a neighbour"
    elif word in _HIT and _low(tokens, j) in ("and", "&") and _low(tokens, j + 1) in _ACTIVE_KILL:
        killed, j = True, j + 2  # "shot and killed his wife"
    if killed or injured:
        if _low(tokens, j) in ("were", "was") and word in ("killed", "wounded", "injured"):
            j += 1  # "killed were 3 children"
        return _objects(tokens, i, j, killed, injured)
    if word in ("left", "leaving"):
        return _left(tokens, i)
    listed = _low(tokens, i + 1) in ("were", "was", "included", "include", "includes")
    if word in ("dead", "killed", "wounded", "injured") and _low(tokens, i - 1) == "the" and listed:
        return _objects(tokens, i, i + 2, word in _KILLED, word in _INJURED)  # "the dead were"
    if word in ("bodies", "lives", "deaths") and _low(tokens, i + 1) == "of":
        if _SAVE_WORDS & {_low(tokens, i - k) for k in (1, 2, 3)}:
            return None
        return _objects(tokens, i, i + 2, True, False)
    return None


def _objects(tokens: list[Token], start: int, j: int, killed: bool, injured: bool) -> Match | None:
    """The victims after a verb: one or more noun phrases, and the parts of the last one."""
    k = j + (_low(tokens, j) in ("all", "another", "his", "her", "their"))
    first = _victims(tokens, k)
    if first is None and k > j and _low(tokens, k) in _SINGULAR:  # "killing his wife"
        first = _Victims(Quantity(_ONE, k, k), _GROUP_OF.get(_low(tokens, k)), k + 1)
    if first is None or first.head is not None:
        return None
    figures = [_found(first, killed, injured, start, first.end)]
    end = first.end
    while _low(tokens, end) in (",", "and"):
        k = end + 1 + (_low(tokens, end) == "," and _low(tokens, end + 1) == "and")
        more = _victims(tokens, k)
        if more is None or more.group is None or more.head is not None:
            break
        figures.append(_found(more, killed, injured, more.quantity.start, more.end))
        end = more.end
    parts, after = _parts(tokens, end)
    _with_parts(figures[-1], parts, killed, injured)
    return figures, after


def _left(tokens: list[Token], i: int) -> Match | None:
    """ "leaving 10 dead and 20 injured", "left two policemen wounded"."""
    figures: list[_Found] = []
    j = i + 1
    while True:
        v = _victims(tokens, j)
        state = _low(tokens, v.end) if v else ""
        if v is None or v.head is not None or state not in _KILLED | _INJURED:
            break
        start = i if not figures else v.quantity.start
        figures.append(_found(v, state in _KILLED, state in _INJURED, start, v.end + 1))
        j = v.end + 1
        if _low(tokens, j) != "and":
            break
        j += 1
    return (figures, figures[-1].end) if figures else None


def _toll(tokens: list[Token], i: int) -> Match | None:
    """ "a death toll of 169", "the toll rose to 13", "the death toll climbed to at least 170",
    "the number of Afghans killed ... has risen to about 170"."""
    number_killed = _low(tokens, i) == "number" and _low(tokens, i + 1) in _KILLED | {"of"}
    if number_killed and _low(tokens, i + 1) == "of":
        window = {_low(tokens, k) for k in range(i + 2, min(i + 6, len(tokens)))}
        number_killed = bool(window & _KILLED)
    if not number_killed and (
        _low(tokens, i) != "toll" or _low(tokens, i - 1) in ("casualty", "injury")
    ):
        return None
    start = i - 1 if _low(tokens, i - 1) == "death" else i
    links = {"to", "at", "reached", "hit", "is", "was", "now", "stands", "passed", "topped"}
    if not number_killed:
        links.add("of")
    for j in range(i + 1, min(i + 16, len(tokens))):
        if tokens[j].lower in (".", ";", "?", "!", "toll"):
            return None
        if tokens[j - 1].lower not in links:
            continue
        v = _victims(tokens, j)
        if v is None or v.head == "casualties":
            continue
        f = _found(v, True, False, start, v.end)
        f.group = v.group or "unknown"
        parts, after = _parts(tokens, v.end)
        return [_with_parts(f, parts, True, False)], after
    return None


def _subject_first(tokens: list[Token], i: int) -> Match | None:
    """ "13 US service members were killed", "10 civilians, including seven children, died"."""
    first = _victims(tokens, i)
    if first is None:
        return None
    if first.head in _DEATH_HEADS:
        if _SAVE_WORDS & {_low(tokens, i - k) for k in (1, 2)}:
            return None  # "saved 10 lives"
        return [_found(first, True, False, i, first.end)], first.end
    if first.head is not None:
        return None  # "10 casualties": killed and injured together
    subjects = [first]
    end = first.end
    while _low(tokens, end) in (",", "and") and len(subjects) < 5:
        k = end + 1 + (_low(tokens, end) == "," and _low(tokens, end + 1) == "and")
        k += _low(tokens, k) in ("his", "her", "their", "its")  # "a girl and her 3 brothers"
        more = _victims(tokens, k)
        if more is None or more.group is None or more.head is not None:
            break
        subjects.append(more)
        end = more.end
    parts, end = _parts(tokens, end)
    if parts and _low(tokens, end) == ",":
        end += 1
    end = _skip_place(tokens, end)
    outcome = _outcome(tokens, end)
    if outcome is None:
        return None
    killed, injured, after = outcome
    unknown_nouns = [tokens[s.end - 1].text for s in subjects if not s.known]
    named = all(noun[:1].isupper() for noun in unknown_nouns)
    transitive = _low(tokens, after - 1) in _ACTIVE_KILL | _ACTIVE_INJURE
    if unknown_nouns and not named and transitive and not _passive_before(tokens, end, after):
        return None  # "10 rockets killed": only people ("10 Afghans") or passives count
    figures = [_found(s, killed, injured, s.quantity.start, after) for s in subjects]
    if not parts:
        parts, after = _parts(tokens, after)  # "10 civilians were killed, including 7 children"
    _with_parts(figures[-1], parts, killed, injured)
    return figures, after


def _passive_before(tokens: list[Token], start: int, end: int) -> bool:
    return any(t.lower in _PASSIVE for t in tokens[start:end])


def _skip_place(tokens: list[Token], j: int) -> int:
    """Skip "in Kabul" or "at the airport" between a subject and its verb."""
    if _low(tokens, j) not in _PLACE_PREPS:
        return j
    for k in range(j + 1, min(j + 6, len(tokens))):
        word = tokens[k].lower
        if word in _FILLERS or word in _KILLED or word in _INJURED:
            return k
        if not (_is_modifier(tokens[k]) or word in ("the", "a", "an", "of", "his", "her", "their")):
            return j
    return j


_ONE = Count(1, 1, 1)
_DETERMINERS = frozenset({"the", "his", "her", "their", "a", "an", "this", "that"})


def _person_np(
    tokens: list[Token], i: int, names: dict[int, int]
) -> tuple[int, Group, str | None] | None:
    """One person at ``i``: a name, "he"/"she", "the victim", "a 5-year-old", "his son", a
    headline's bare "Man". Return (end, group, name) or None."""
    word = _low(tokens, i)
    if i in names and not (names[i] == i + 1 and word in _GROUP_OF):  # a name, as parsed
        return names[i], "unknown", " ".join(t.text for t in tokens[i : names[i]])
    if word in ("he", "she", "him", "her") and _low(tokens, i + 1) not in _SINGULAR:
        return i + 1, "unknown", None
    if word in _SINGULAR and tokens[i].text[:1].isupper() and _low(tokens, i - 1) not in _FUNCTION:
        return i + 1, _GROUP_OF.get(word, "unknown"), None  # "Man, 29, fatally shot"
    if word not in _DETERMINERS:
        return None
    j, mods = i + 1, 0
    while j < len(tokens) and mods <= 3:
        if tokens[j].lower in _SINGULAR:
            return j + 1, _GROUP_OF.get(tokens[j].lower, "unknown"), None
        plural = word not in ("a", "an") and read_quantity(tokens, j)
        if not _is_modifier(tokens[j]) or (mods == 0 and plural):
            break
        mods, j = mods + 1, j + 1
    if word in ("a", "an") and mods and tokens[j - 1].lower.endswith("-old"):
        return j, "unknown", None  # "a 5-year-old" names a person; "the house" does not
    return None


def _person(tokens: list[Token], i: int, names: dict[int, int]) -> Match | None:
    """One victim: "Jane Doe, 34, was killed", "a 5-year-old was shot and killed", "the
    victim died at the hospital", "his son, 16, was shot", "she was pronounced dead",
    "paramedics pronounced Doe dead"."""
    if _low(tokens, i) in ("pronounced", "found", "declared"):
        np = _person_np(tokens, i + 1, names)
        if np is None or _low(tokens, np[0]) not in ("dead", "deceased"):
            return None
        end, group, victim = np[0] + 1, np[1], np[2]
        one = _Found(group, _ONE, None, i, end)
        one.victim = victim
        return [one], end
    np = _person_np(tokens, i, names)
    if np is None:
        return None
    j, group, victim = np
    if group == "combatants":
        return None  # "the gunman was shot": the attacker, not a victim
    if _low(tokens, j) == "," and _low(tokens, j + 1) == "who":
        j += 1
    elif _low(tokens, j) == ",":  # an apposition: ", 34," or ", a 41-year-old Latino male,"
        k = j + 1
        while k < min(j + 12, len(tokens)) and tokens[k].lower != ",":
            if tokens[k].lower in _KILLED | _INJURED | _PASSIVE | _HIT | {".", ";"}:
                break
            k += 1
        if _low(tokens, k) == "," and k > j + 1:
            j = k + 1
    outcome = _outcome(tokens, j)
    if outcome is None and _low(tokens, j) == ",":  # "a 41-year-old Latino male, died"
        outcome = _outcome(tokens, j + 1)
    if outcome is None:
        return None
    killed, injured, end = outcome
    if "ago" in (t.lower for t in tokens[end : end + 5]):
        return None  # "his father was killed 10 years ago": a past death, not this one
    one = _Found(group, _ONE if killed else None, _ONE if injured else None, i, end)
    one.victim = victim
    return [one], end


# --- the scanner --------------------------------------------------------------------------------
_PATTERNS = (_negation, _verb_first, _toll, _subject_first)


def find_casualties(
    text: str, offset: int = 0, names: Sequence[tuple[int, int]] = ()
) -> list[CasualtyFigure]:
    """Find killed and injured figures in one sentence; spans are ``offset`` + offsets into
    ``text``. ``names`` are the character spans (into ``text``) of people's names, each a
    victim counted one when an outcome follows it."""
    tokens = tokenize(text)
    starts = {t.start: n for n, t in enumerate(tokens)}
    ends = {t.end: n + 1 for n, t in enumerate(tokens)}
    name_at = {starts[a]: ends[b] for a, b in names if a in starts and b in ends}
    found: list[_Found] = []
    i = 0
    while i < len(tokens):
        for pattern in (*_PATTERNS, partial(_person, names=name_at)):
            match = pattern(tokens, i)
            if match is not None and match[0]:
                found.extend(match[0])
                i = match[1]
                break
        else:
            i += 1
    found = _merge(_inherit(tokens, found))
    scopes = aggregate_scopes(tokens, [(f.start, f.end) for f in found])
    return _flatten(found, scopes, tokens, offset)


def _inherit(tokens: list[Token], found: list[_Found]) -> list[_Found]:
    """Give a figure without a noun the group of the figure just before it ("and 18 wounded")."""
    for k, f in enumerate(found):
        if f.group is not None:
            continue
        prev = found[k - 1] if k else None
        gap = [t.lower for t in tokens[prev.end : f.start]] if prev else []
        near = prev is not None and len(gap) <= 5 and all(w in _GAP_WORDS for w in gap)
        f.group = prev.group if near and prev is not None else "unknown"
    return found


def _merge(found: list[_Found]) -> list[_Found]:
    """Merge a killed-only and an injured-only figure of the same group, one after the other."""
    merged: list[_Found] = []
    for f in found:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.group == f.group
            and (last.killed is None) != (f.killed is None)
            and (last.injured is None) != (f.injured is None)
            and (last.killed is None) == (f.injured is None)
        ):
            last.killed = last.killed if last.killed is not None else f.killed
            last.injured = last.injured if last.injured is not None else f.injured
            last.end = f.end
            last.parts.extend(f.parts)
        else:
            merged.append(f)
    return merged


def _flatten(
    found: list[_Found], cues: list[ScopeCue | None], tokens: list[Token], offset: int
) -> list[CasualtyFigure]:
    """One figure per group and part; a part shares the scope of the figure it is part of."""

    def span(f: _Found) -> Span:
        return Span(tokens[f.start].start + offset, tokens[f.end - 1].end + offset)

    figures: list[CasualtyFigure] = []
    for f, cue in zip(found, cues, strict=True):
        group: Group = f.group or "unknown"
        scope = cue.scope if cue else None
        where = Span(cue.start + offset, cue.end + offset) if cue else None
        figures.append(
            CasualtyFigure(group, f.killed, f.injured, span(f), None, scope, where, f.victim)
        )
        for p in f.parts:
            figures.append(
                CasualtyFigure(
                    p.group or "unknown", p.killed, p.injured, span(p), group, scope, where
                )
            )
    return figures
