"""Watch rules: which incidents raise an alert, and where the alert goes.

A rule has a name, conditions and channels. Every condition given must hold (AND); within a
list (``actors``, ``types``, ``acled_types``, ``keywords``) any item will do (OR):

- area: ``country`` (ISO 3166-1 alpha-3), ``admin1`` (a first-level area's name, compared
  without case or accents), ``bbox`` ([west, south, east, north] in degrees; west > east crosses
  the antimeridian), and a radius: ``km`` around ``near`` (a place name the gazetteer resolves)
  or around ``lat``/``lon``;
- ``actors``: names compared without case against every name and alias the incident's reports
  and claims give (a perpetrator, a target, a speaker); "Taliban" matches "the Taliban" as a
  whole word;
- ``types`` (PLOVER) and ``acled_types`` (an ACLED event or sub-event type);
- ``min_killed``: the incident's **best** figure of killed, summed over victim groups (the
  store's ``deaths``), at least this; ``best`` is the figure fusion stands behind
  (docs/incidents.md), where ``high`` would fire on one outlier's claim;
- ``grade``: at least this grade, in the order of :data:`GRADES`;
- ``keywords``: any of them, as whole words without case, in the titles of the incident's
  articles or the sentences behind its claims.

Channels: ``webhook`` (an http(s) URL) and ``emails``. ``backfill = true`` lets a rule alert on
incidents that were there, unchanged, before it was created. Rules come from ``rules.toml``
(``[[rule]]`` tables) and from the store (``overhorizon rules add``), merged by name; a name in
both is an error.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from overhorizon.nlp.lexicon import ACLED_EVENT_TYPES, ACLED_SUB_EVENT_TYPES, PLOVER_TYPES
from overhorizon.reasons import ConfigError
from overhorizon.records import GRADES
from overhorizon.settings import Settings
from overhorizon.store.alerts import WatchedIncident
from overhorizon.store.articles import Store
from overhorizon.store.incidents import IncidentQuery

#: The fields of a ``[[rule]]`` table, in the order they are written back.
FIELDS = (
    "name",
    "country",
    "admin1",
    "bbox",
    "near",
    "lat",
    "lon",
    "km",
    "actors",
    "types",
    "acled_types",
    "min_killed",
    "grade",
    "keywords",
    "webhook",
    "emails",
    "backfill",
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$")
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")

#: Turns a place name into (lat, lon), or None when the gazetteer has no such place.
Locate = Callable[[str], tuple[float, float] | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """One watch rule. ``point`` is the centre of the radius (from ``near`` or ``lat``/``lon``),
    ``km`` its radius; ``origin`` says where it is kept (``file`` or ``store``); ``created_at``
    is UTC ISO-8601 (for a file's rule: when the store first saw it), None until then."""

    name: str
    country: str | None = None
    admin1: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    near: str | None = None
    point: tuple[float, float] | None = None
    km: float | None = None
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    acled_types: tuple[str, ...] = ()
    min_killed: int | None = None
    grade: str | None = None
    keywords: tuple[str, ...] = ()
    webhook: str | None = None
    emails: tuple[str, ...] = ()
    backfill: bool = False
    origin: str = "store"
    created_at: str | None = field(default=None, compare=False)

    def query(self) -> IncidentQuery:
        """The incidents that can match: the rule's conditions that the incident query states
        (country, box, radius, grade at least, one type, deaths at least); :func:`matches`
        checks the rest (admin1, actors, several types, ACLED types, keywords) and says why."""
        return IncidentQuery(
            country=self.country,
            bbox=self.bbox,
            near=self.point if self.km is not None else None,
            km=self.km if self.km is not None else 50.0,
            min_grade=self.grade,
            type=self.types[0] if len(self.types) == 1 else None,
            min_deaths=self.min_killed,
        )

    def spec(self) -> dict[str, Any]:
        """The rule as a ``[[rule]]`` table has it (fields given only; ``near`` with the
        ``lat``/``lon`` it resolved to)."""
        out: dict[str, Any] = {"name": self.name}
        for key in ("country", "admin1", "near", "km", "min_killed", "grade", "webhook"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.bbox is not None:
            out["bbox"] = list(self.bbox)
        if self.point is not None:
            out["lat"], out["lon"] = self.point
        for key in ("actors", "types", "acled_types", "keywords", "emails"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        if self.backfill:
            out["backfill"] = True
        return {k: out[k] for k in FIELDS if k in out}


def rule_from_mapping(
    data: Mapping[str, Any],
    where: str,
    *,
    locate: Locate | None = None,
    origin: str = "store",
    created_at: str | None = None,
) -> Rule:
    """Validate one rule's fields; raise ConfigError("bad_rule", "<where>: <field>: ...")."""

    def bad(key: str, problem: str) -> ConfigError:
        return ConfigError("bad_rule", f"{where}: {key}: {problem}")

    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise bad(unknown[0], f"unknown field (fields: {', '.join(FIELDS)})")
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise bad("name", "a name of letters, digits, spaces, '_', '.' or '-' (up to 100)")

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise bad(key, "a non-empty string")
        return value.strip()

    def texts(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
            raise bad(key, "a list of non-empty strings")
        return tuple(dict.fromkeys(v.strip() for v in items))

    def number(key: str) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(key, "a number")
        return float(value)

    country = text("country")
    if country is not None:
        if not re.fullmatch(r"[A-Za-z]{3}", country):
            raise bad("country", f"{country!r} is not an ISO 3166-1 alpha-3 code (e.g. AFG)")
        country = country.upper()
    bbox = None
    if data.get("bbox") is not None:
        raw = data["bbox"]
        if (
            not isinstance(raw, list)
            or len(raw) != 4
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw)
        ):
            raise bad("bbox", "four numbers [west, south, east, north]")
        west, south, east, north = (float(v) for v in raw)
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
            raise bad("bbox", "west and east within -180..180, -90 <= south <= north <= 90")
        bbox = (west, south, east, north)
    near = text("near")
    lat, lon, km = number("lat"), number("lon"), number("km")
    point = None
    if (near is not None or lat is not None or lon is not None) != (km is not None):
        raise bad("km", "a radius needs both km and a centre (near, or lat and lon)")
    if (lat is None) != (lon is None):
        raise bad("lat" if lat is None else "lon", "give both lat and lon")
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad("lat", "lat within -90..90 and lon within -180..180")
        point = (lat, lon)
    elif near is not None:
        found = locate(near) if locate is not None else None
        if found is None:
            raise bad("near", f"no place called {near!r} in the gazetteer")
        point = found
    if km is not None and not 0 < km <= 20_000:
        raise bad("km", "a distance above 0 and at most 20000")
    types = tuple(t.upper() for t in texts("types"))
    for t in types:
        if t not in PLOVER_TYPES:
            raise bad("types", f"{t!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    acled = texts("acled_types")
    for t in acled:
        if t not in ACLED_EVENT_TYPES and t not in ACLED_SUB_EVENT_TYPES:
            raise bad("acled_types", f"{t!r} is not an ACLED event or sub-event type")
    min_killed = data.get("min_killed")
    if min_killed is not None and (
        isinstance(min_killed, bool) or not isinstance(min_killed, int) or min_killed < 0
    ):
        raise bad("min_killed", "a whole number, 0 or more")
    grade = text("grade")
    if grade is not None and grade.lower() not in GRADES:
        raise bad("grade", f"{grade!r} is not a grade ({', '.join(GRADES)})")
    webhook = text("webhook")
    if webhook is not None and not re.match(r"^https?://[^/\s]+", webhook):
        raise bad("webhook", f"{webhook!r} is not an http or https URL")
    emails = texts("emails")
    for e in emails:
        if not _EMAIL.match(e):
            raise bad("emails", f"{e!r} is not an e-mail address")
    backfill = data.get("backfill", False)
    if not isinstance(backfill, bool):
        raise bad("backfill", "true or false")
    rule = Rule(
        name=name,
        country=country,
        admin1=text("admin1"),
        bbox=bbox,
        near=near,
        point=point,
        km=km,
        actors=texts("actors"),
        types=types,
        acled_types=acled,
        min_killed=min_killed,
        grade=grade.lower() if grade else None,
        keywords=texts("keywords"),
        webhook=webhook,
        emails=emails,
        backfill=backfill,
        origin=origin,
        created_at=created_at,
    )
    if not _has_condition(rule):
        raise bad("name", "a rule needs at least one condition (area, actors, types, ...)")
    return rule


def _has_condition(rule: Rule) -> bool:
    return any(
        (
            rule.country,
            rule.admin1,
            rule.bbox,
            rule.point,
            rule.actors,
            rule.types,
            rule.acled_types,
            rule.min_killed is not None,
            rule.grade,
            rule.keywords,
        )
    )


def load_rules_file(path: str | Path, *, locate: Locate | None = None) -> list[Rule]:
    """The rules of a ``rules.toml`` (``[[rule]]`` tables); none when the file is missing."""
    path = Path(path)
    label = path.name
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("bad_rule", f"{label}: cannot be read ({exc})") from None
    extra = sorted(set(data) - {"rule"})
    if extra:
        raise ConfigError("bad_rule", f"{label}: unknown table {extra[0]!r} (use [[rule]])")
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise ConfigError("bad_rule", f"{label}: rule: write each rule as a [[rule]] table")
    out: list[Rule] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        named = isinstance(entry, dict) and isinstance(entry.get("name"), str)
        where = f"{label}: rule {n}" + (f" ({json.dumps(entry['name'])})" if named else "")
        if not isinstance(entry, dict):
            raise ConfigError("bad_rule", f"{where}: a table of fields")
        rule = rule_from_mapping(entry, where, locate=locate, origin="file")
        if rule.name in seen:
            raise ConfigError("bad_rule", f"{where}: name: {rule.name!r} is used twice")
        seen.add(rule.name)
        out.append(rule)
    return out


def all_rules(
    store: Store,
    settings: Settings,
    *,
    locate: Locate | None = None,
    note: bool = False,
    now: str | None = None,
) -> list[Rule]:
    """The rules of ``settings.rules_file`` and of the store, merged by name (a name in both is
    an error), by name. With ``note``, a file's rule seen for the first time is recorded as
    created ``now``; otherwise it keeps the time recorded before, or None."""
    from overhorizon.store.alerts import note_file_rule, stored_rules

    locate = locate or gazetteer_locate(settings.gazetteer)
    found = load_rules_file(settings.rules_file, locate=locate) if settings.rules_file else []
    rows = stored_rules(store)
    kept = {r.name: r for r in rows if r.origin == "store"}
    seen = {r.name: r.created_at for r in rows if r.origin == "file"}
    out: dict[str, Rule] = {}
    for rule in found:
        if rule.name in kept:
            raise ConfigError(
                "bad_rule",
                f"{Path(settings.rules_file).name}: rule {rule.name!r} is also in the store; "
                f"rename one or remove it with `overhorizon rules remove {rule.name}`",
            )
        created = seen.get(rule.name)
        if note and now is not None:
            created = note_file_rule(store, rule.name, rule.spec(), now)
        out[rule.name] = replace(rule, created_at=created)
    for name, row in kept.items():
        out[name] = rule_from_mapping(
            row.spec, f"rule {json.dumps(name)} (store)", created_at=row.created_at
        )
    return [out[name] for name in sorted(out)]


def gazetteer_locate(gazetteer_path: str) -> Locate:
    """A :data:`Locate` that asks the gazetteer (opened on first use) for the best candidate."""

    def locate(name: str) -> tuple[float, float] | None:
        from overhorizon.geo.gazetteer import ENV_PATH, open_gazetteer

        env = {ENV_PATH: gazetteer_path} if gazetteer_path else None
        with open_gazetteer(env=env) if env else open_gazetteer() as gaz:
            found = gaz.candidates(name, limit=1)
        return (found[0].lat, found[0].lon) if found else None

    return locate


# --- matching -------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case without accents: "Kābul" -> "kabul"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _word_in(needle: str, haystack: str) -> bool:
    pattern = r"(?<!\w)" + re.escape(_fold(needle)) + r"(?!\w)"
    return re.search(pattern, _fold(haystack)) is not None


def _in_bbox(lat: float, lon: float, box: tuple[float, float, float, float]) -> bool:
    west, south, east, north = box
    if not south <= lat <= north:
        return False
    return west <= lon <= east if west <= east else (lon >= west or lon <= east)


def _first(items: Sequence[str], test: Callable[[str], bool]) -> str | None:
    return next((i for i in items if test(i)), None)


def matches(rule: Rule, incident: WatchedIncident) -> list[str] | None:
    """Why ``incident`` matches ``rule``, one reason per condition ("in AFG", "10 killed >= 5",
    "type ASSAULT"), or None when a condition fails."""
    from overhorizon.geo.gazetteer import haversine_km

    why: list[str] = []
    if rule.country:
        if incident.country != rule.country:
            return None
        why.append(f"in {rule.country}")
    if rule.admin1:
        if not incident.admin1 or _fold(incident.admin1) != _fold(rule.admin1):
            return None
        why.append(f"in {incident.admin1}")
    if rule.bbox:
        if incident.lat is None or incident.lon is None:
            return None
        if not _in_bbox(incident.lat, incident.lon, rule.bbox):
            return None
        why.append("inside " + ",".join(f"{v:g}" for v in rule.bbox))
    if rule.point is not None and rule.km is not None:
        if incident.lat is None or incident.lon is None:
            return None
        km = haversine_km(rule.point[0], rule.point[1], incident.lat, incident.lon)
        if km > rule.km:
            return None
        why.append(f"{km:.0f} km from {rule.near or '{:g},{:g}'.format(*rule.point)}")
    if rule.actors:
        hit = _first(rule.actors, lambda a: any(_word_in(a, n) for n in incident.actors))
        if hit is None:
            return None
        why.append(f"actor {hit}")
    if rule.types:
        if incident.type not in rule.types:
            return None
        why.append(f"type {incident.type}")
    if rule.acled_types:
        got = (incident.acled_event_type, incident.acled_sub_event_type)
        hit = _first(rule.acled_types, lambda t: t in got)
        if hit is None:
            return None
        why.append(f"ACLED {hit}")
    if rule.min_killed is not None:
        if incident.deaths is None or incident.deaths < rule.min_killed:
            return None
        why.append(f"{incident.deaths} killed >= {rule.min_killed}")
    if rule.grade:
        if incident.grade not in GRADES or GRADES.index(incident.grade) > GRADES.index(rule.grade):
            return None
        why.append(
            f"grade {incident.grade}"
            + (f" >= {rule.grade}" if incident.grade != rule.grade else "")
        )
    if rule.keywords:
        hit = _first(rule.keywords, lambda k: any(_word_in(k, t) for t in incident.texts))
        if hit is None:
            return None
        why.append(f'keyword "{hit}"')
    return why


def add_rule(
    store: Store,
    settings: Settings,
    data: Mapping[str, Any],
    *,
    locate: Locate | None = None,
    now: str | None = None,
) -> Rule:
    """Validate ``data`` (a ``[[rule]]`` table's fields), and store it as a rule created
    ``now``; raise ConfigError("bad_rule") when it is invalid or its name is taken."""
    from datetime import UTC, datetime

    from overhorizon.store.alerts import save_rule

    name = data.get("name")
    where = f"rule {json.dumps(name)}" if isinstance(name, str) else "rule"
    locate = locate or gazetteer_locate(settings.gazetteer)
    created = now or datetime.now(UTC).isoformat(timespec="seconds")
    rule = rule_from_mapping(data, where, locate=locate, created_at=created)
    if settings.rules_file:
        in_file = {r.name for r in load_rules_file(settings.rules_file, locate=locate)}
        if rule.name in in_file:
            raise ConfigError(
                "bad_rule", f"{where}: name: taken by {Path(settings.rules_file).name}"
            )
    if not save_rule(store, rule.name, rule.spec(), created):
        raise ConfigError("bad_rule", f"{where}: name: a stored rule has this name already")
    store.checkpoint()
    return rule
