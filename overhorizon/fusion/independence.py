"""Which sources of an incident are independent of each other, given what we know of outlets.

Without knowledge of outlets, every distinct claim source (an outlet, wire copy counted once, a
relay counted as the relayed outlet: see :mod:`overhorizon.fusion.claims`) is independent. A
:class:`SourceMap`, built from the source registry, adds two rules:

- outlets with the same **owner** count as one source ("RIA Novosti and TASS share owner
  government:RUS");
- an outlet that speaks for a **state** (kind ``state media`` or ``government``, of country X)
  and a claim voiced by that state (a speaker of X in government, the military or the police,
  or the country itself) count as one source, wherever that claim was published.

Sources joined by either rule, directly or through others, form one group; the number of groups
is the number of independent sources. Pure functions: the same inputs give the same output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from overhorizon.records import Claim, SourceGroup


@dataclass(frozen=True, slots=True)
class Outlet:
    """A registered outlet as fusion sees it: ``name`` labels it in reasons; ``owner`` joins it
    to other outlets of that owner; ``state`` is the country (ISO alpha-3) whose state it speaks
    for, None for outlets that do not; ``kind`` as the registry has it."""

    name: str
    owner: str | None = None
    state: str | None = None
    kind: str = "other"


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Registered outlets by lower-case name and by host (lower-case, without ``www.``); an
    article's host matches an outlet's domain or any sub-domain of it."""

    by_name: Mapping[str, Outlet] = field(default_factory=dict)
    by_host: Mapping[str, Outlet] = field(default_factory=dict)

    @classmethod
    def of(cls, outlets: Iterable[tuple[Outlet, Iterable[str]]]) -> SourceMap:
        """A map of ``(outlet, domains)`` pairs; the first outlet to claim a name or host keeps
        it."""
        by_name: dict[str, Outlet] = {}
        by_host: dict[str, Outlet] = {}
        for outlet, domains in outlets:
            by_name.setdefault(outlet.name.lower(), outlet)
            for host in domains:
                by_host.setdefault(host.lower().removeprefix("www."), outlet)
        return cls(by_name, by_host)

    def __bool__(self) -> bool:
        return bool(self.by_name or self.by_host)

    def find(self, name: str | None, url: str | None = None) -> Outlet | None:
        """The outlet called ``name`` (case-blind), else the one whose domain serves ``url``."""
        if name and (hit := self.by_name.get(name.strip().lower())):
            return hit
        host = _host(url)
        while host:
            if hit := self.by_host.get(host):
                return hit
            _, dot, host = host.partition(".")
            if not dot or "." not in host:  # stop before a bare top-level domain
                break
        return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower().removeprefix("www.") if host else None


def independent_sources(
    claims: Sequence[Claim], outlets: Mapping[str, Outlet | None] | None = None
) -> list[SourceGroup]:
    """Group the claims' sources into independent sources. ``outlets`` gives the registered
    outlet of each claim (by claim id) when known; without it each distinct ``Claim.source``
    is a group of its own."""
    outlets = outlets or {}
    states = {o.state for c in claims if (o := outlets.get(c.id)) and o.state}
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    # joining key -> {label in reasons: the outlet's plain name, or None for a state's voice}
    members: dict[str, dict[str, str | None]] = {}
    owners: dict[str, str] = {}  # owner key -> the owner as the registry spells it
    claim_key: dict[str, str] = {}
    for c in claims:
        outlet = outlets.get(c.id)
        shown = outlet.name if outlet else c.source.split(":", 1)[-1]
        voice = _state_of(c.speaker_party)
        if voice in states and not (outlet and outlet.state == voice):
            # the state's own voice, carried by an outlet that does not speak for it
            keys = [f"state:{voice}"]
            members.setdefault(keys[0], {})[f"{c.speaker or voice} (in {shown})"] = None
        else:
            keys = [c.source]
            if outlet and outlet.owner:
                keys.append("owner:" + outlet.owner.lower())
                owners.setdefault(keys[-1], outlet.owner)  # as the earliest claim's outlet has it
                members.setdefault(keys[-1], {})[shown] = shown
            if outlet and outlet.state:
                keys.append("state:" + outlet.state)
                members.setdefault(keys[-1], {})[f"{shown} ({outlet.kind} of {outlet.state})"] = (
                    shown
                )
        for key in keys:
            find(key)
        for key in keys[1:]:
            parent[find(key)] = find(keys[0])
        claim_key[c.id] = keys[0]
    grouped: dict[str, dict[str, None]] = {}
    for c in claims:
        grouped.setdefault(find(claim_key[c.id]), {})[c.source] = None
    reasons: dict[str, list[str]] = {}
    for key, labels in sorted(members.items()):
        names = sorted(labels, key=str.lower)
        if len(names) < 2:
            continue
        if key.startswith("owner:"):
            why = f"{_and(names)} share owner {owners[key]}"
        else:
            plain = set(labels.values())
            if None not in plain and any(
                plain <= set(m.values()) for k, m in members.items() if k.startswith("owner:")
            ):
                continue  # state outlets that one owner already joins: said once, by owner
            why = f"{_and(names)} speak for the state of {key.removeprefix('state:')}"
        reasons.setdefault(find(key), []).append(why)
    out = [
        SourceGroup(tuple(sorted(srcs)), "; ".join(reasons[root]) if root in reasons else None)
        for root, srcs in grouped.items()
    ]
    return sorted(out, key=lambda g: g.sources)


def _state_of(party: str | None) -> str | None:
    """The country (alpha-3) of a state's party (``usa-state``: see
    ``overhorizon.nlp.parties``), None for other parties."""
    if party and party.endswith("-state") and len(party) == len("xxx-state"):
        return party[:3].upper()
    return None


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
