"""Country boundaries: which country a point lies in, and one representative point per country.

Data: Natural Earth's 1:50m admin-0 countries (public domain) as TopoJSON, from the world-atlas
2.0.2 npm package (ISC), shipped as ``data/countries-50m.json``; see
``data/LICENSE-world-atlas.md`` for its origin and checksum. The file is read on first use and
kept for the process (:func:`load_boundaries` is cached); nothing runs at import and nothing
touches the network. Standard library only.

Units: coordinates are WGS84 degrees and every point is ``(lat, lon)``, latitude first, as in the
gazetteer. Longitudes are taken modulo 360, so 190 is -170. Countries are ISO 3166-1 alpha-3
codes, looked up case-insensitively; an unknown code is in no place and has no centroid.

Geometry is planar in longitude/latitude: an edge is the straight line between its vertices on an
equirectangular map, as the source data is drawn. A point is inside a polygon by the even-odd
rule, so holes (Lesotho inside South Africa) are outside it. Points exactly on a border go to
whichever country is tested first; points at sea, or with a latitude outside [-90, 90] or not
finite, are in no country. Rings that cross the antimeridian (Russia's Chukotka, Fiji's Taveuni)
are unwrapped into one longitude frame, and rings around a pole (Antarctica) are closed along it.

Feature ids are ISO 3166-1 numeric codes, turned into alpha-3 with the package's one country table
(``overhorizon/nlp/data/countries.tsv``, whose codes are the gazetteer's). Natural Earth draws a few
areas that have no numeric code of their own; we map them by name (see ``_UNCODED``) so that land
there still has a country: Kosovo to XKX (GeoNames' code, as in the gazetteer); Somaliland to SOM
and Northern Cyprus to CYP (the ISO 3166 countries they belong to, as GeoNames codes their places);
Siachen Glacier to IND (disputed with Pakistan; India holds it, and Natural Earth's default de facto
view gives the rest of Kashmir by control too); and "Indian Ocean Ter." split per island into
Christmas Island (CXR) and the Cocos (Keeling) Islands (CCK). Ashmore and Cartier Islands shares
Australia's code 036 and counts as AUS. A feature with neither a known number nor one of these names
would be left out (none is, in the shipped file).

Natural Earth also draws some territories inside another country that ISO 3166 and GeoNames code
apart; those polygons are given their own code (``_TERRITORIES``), so that this module and the
gazetteer agree: Crimea is UKR (Natural Earth's de facto view draws it in Russia); French
Guiana, Guadeloupe, Martinique, Réunion and Mayotte are GUF, GLP, MTQ, REU and MYT, not FRA;
Svalbard and Jan Mayen SJM, not NOR; Bonaire, Saba and Sint Eustatius BES, not NLD; Tokelau TKL,
not NZL. Some places are too small for the 1:50m scale: Gibraltar, Tuvalu and Bouvet Island have
no polygon, and Ceuta falls in Morocco's. Coastlines are generalised, so a coastal town can fall
just out at sea (None): about 3% of GeoNames' towns of 15,000 and more.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from overhorizon.nlp import lexicon

__all__ = [
    "DATA_FILE",
    "Boundaries",
    "BoundariesError",
    "centroid",
    "contains",
    "countries",
    "country_at",
    "load_boundaries",
]

#: The shipped TopoJSON file, inside ``overhorizon/geo/data``.
DATA_FILE = "countries-50m.json"
EARTH_RADIUS_KM = 6371.0088
#: Features without an ISO numeric id, by Natural Earth name: alpha-3 code (see the docstring).
_UNCODED = {
    "Kosovo": "XKX",
    "Somaliland": "SOM",
    "N. Cyprus": "CYP",
    "Siachen Glacier": "IND",
}
#: "Indian Ocean Ter.": islands east of this longitude are Christmas Island, west the Cocos.
_INDIAN_OCEAN_TER = ("Indian Ocean Ter.", 100.0, "CXR", "CCK")
#: Polygons Natural Earth gives to one country that ISO 3166 and GeoNames (hence the gazetteer)
#: code apart: (Natural Earth's country, ours, (south, west, north, east) box holding them whole).
_TERRITORIES = (
    ("RUS", "UKR", (44.0, 32.0, 46.5, 37.0)),  # Crimea, drawn by Natural Earth as held
    ("FRA", "GUF", (1.5, -55.5, 6.5, -51.0)),  # French Guiana
    ("FRA", "GLP", (15.7, -62.0, 16.7, -61.0)),  # Guadeloupe
    ("FRA", "MTQ", (14.2, -61.4, 15.0, -60.7)),  # Martinique
    ("FRA", "REU", (-21.5, 55.0, -20.7, 56.0)),  # Réunion
    ("FRA", "MYT", (-13.2, 44.9, -12.5, 45.5)),  # Mayotte
    ("NOR", "SJM", (74.0, 10.0, 81.0, 35.0)),  # Svalbard and Bjørnøya
    ("NOR", "SJM", (70.6, -9.5, 71.3, -7.5)),  # Jan Mayen
    ("NLD", "BES", (11.9, -68.5, 12.5, -68.0)),  # Bonaire
    ("NLD", "BES", (17.3, -63.4, 17.8, -62.8)),  # Saba and Sint Eustatius
    ("NZL", "TKL", (-9.7, -172.8, -8.3, -171.0)),  # Tokelau
)
_CELL_DEGREES = 1.0  # side of the grid cells that index polygons by bounding box
_EDGES_PER_BAND = 4  # aim for this many edges per latitude band of a polygon

Point = tuple[float, float]  # (x, y): longitude, latitude, in a polygon's own frame
LatLon = tuple[float, float]  # (lat, lon), WGS84 degrees, lon in [-180, 180)
Ring = tuple[Point, ...]  # closed: the last point repeats the first
Edge = tuple[float, float, float, float]  # low y, high y, x at low y, dx/dy


class BoundariesError(Exception):
    """The boundary file cannot be read; ``code`` is ``boundaries_unavailable``."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True, slots=True, eq=False)
class _Polygon:
    """One polygon of a country, with its holes, in a longitude frame of its own.

    ``west``..``east`` may run past 180 for a polygon across the antimeridian (``west`` is
    always in [-180, 180)); ``bands`` hold the non-horizontal edges of all rings by latitude
    band, for the even-odd test. ``km2``: area on the sphere of the lon/lat-planar polygon.
    """

    country: str
    rings: tuple[Ring, ...]
    west: float
    south: float
    east: float
    north: float
    km2: float
    bands: tuple[tuple[Edge, ...], ...]
    band_scale: float  # bands per degree of latitude

    def band(self, y: float) -> tuple[Edge, ...]:
        """The edges that may cross latitude ``y`` (which lies in ``south``..``north``)."""
        return self.bands[min(int((y - self.south) * self.band_scale), len(self.bands) - 1)]

    def holds(self, lat: float, lon: float) -> bool:
        """Whether the point lies inside (lon already in [-180, 180))."""
        x = lon + 360.0 if lon < self.west else lon
        if not (self.south <= lat <= self.north and x <= self.east):
            return False
        inside = False
        for y_low, y_high, x_low, slope in self.band(lat):
            if y_low <= lat < y_high and x < x_low + (lat - y_low) * slope:
                inside = not inside
        return inside


class Boundaries:
    """The country polygons, indexed for point look-ups. Build with :func:`load_boundaries`."""

    def __init__(self, polygons: Sequence[_Polygon]) -> None:
        self._polygons = tuple(polygons)
        self._by_country: dict[str, list[_Polygon]] = {}
        for polygon in self._polygons:
            self._by_country.setdefault(polygon.country, []).append(polygon)
        self._grid = _grid(self._polygons)
        self._centroids: dict[str, tuple[LatLon, bool] | None] = {}

    def countries(self) -> list[str]:
        """The alpha-3 codes of every country with a boundary, sorted."""
        return sorted(self._by_country)

    def country_at(self, lat: float, lon: float) -> str | None:
        """The alpha-3 code of the country containing (lat, lon); None at sea."""
        if not -90.0 <= lat <= 90.0:
            return None
        lon = _wrap(lon)
        for polygon in self._grid[_cell(lat, lon)]:
            if polygon.holds(lat, lon):
                return polygon.country
        return None

    def contains(self, country: str, lat: float, lon: float) -> bool:
        """Whether (lat, lon) lies inside ``country`` (alpha-3); False for an unknown code."""
        if not -90.0 <= lat <= 90.0:
            return False
        lon = _wrap(lon)
        return any(p.holds(lat, lon) for p in self._by_country.get(country.upper(), ()))

    def centroid(self, country: str) -> tuple[float, float] | None:
        """A representative (lat, lon) of ``country`` in WGS84 degrees, inside the country.

        It is the area-weighted centroid of the country's largest polygon (by area on the
        sphere; the centroid itself is planar in unwrapped lon/lat), rounded to 5 decimals. When
        that point falls outside the country (a bent or crescent shape: Viet Nam, Israel), it is
        instead the middle of the widest stretch of that polygon along the centroid's latitude
        (see :meth:`used_interior_point`). None for an unknown code.
        """
        found = self._representative(country.upper())
        return None if found is None else found[0]

    def used_interior_point(self, country: str) -> bool:
        """Whether :meth:`centroid` gave the interior point, the centroid being outside."""
        found = self._representative(country.upper())
        return found is not None and found[1]

    def _representative(self, country: str) -> tuple[LatLon, bool] | None:
        if country not in self._centroids:
            polygons = self._by_country.get(country)
            self._centroids[country] = (
                None if not polygons else self._place(max(polygons, key=lambda p: p.km2))
            )
        return self._centroids[country]

    def _place(self, polygon: _Polygon) -> tuple[LatLon, bool]:
        x, y = _planar_centroid(polygon.rings)
        point = (round(y, 5), round(_wrap(x), 5))
        if self.contains(polygon.country, *point):
            return point, False
        for lat in (y, (polygon.south + polygon.north) / 2):
            span = _widest_span(polygon, lat)
            if span is not None:
                point = (round(lat, 5), round(_wrap((span[0] + span[1]) / 2), 5))
                if self.contains(polygon.country, *point):
                    return point, True
        raise BoundariesError(
            "boundaries_unavailable", f"no point found inside {polygon.country}'s polygon"
        )


@functools.lru_cache(maxsize=4)
def load_boundaries(path: Path | None = None) -> Boundaries:
    """The boundaries from ``path``, by default the shipped file; read once per path.

    Raises :class:`BoundariesError` when the file is missing or not the expected TopoJSON.
    """
    try:
        if path is None:
            text = resources.files("overhorizon.geo").joinpath("data", DATA_FILE).read_text("utf-8")
        else:
            text = path.read_text("utf-8")
        topology = json.loads(text)
        return Boundaries(list(_polygons(topology, lexicon.alpha3_of_numeric)))
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise BoundariesError("boundaries_unavailable", f"{path or DATA_FILE}: {exc}") from exc


def country_at(lat: float, lon: float) -> str | None:
    """The alpha-3 code of the country containing (lat, lon), WGS84 degrees; None at sea."""
    return load_boundaries().country_at(lat, lon)


def contains(country: str, lat: float, lon: float) -> bool:
    """Whether (lat, lon), WGS84 degrees, lies inside ``country`` (alpha-3)."""
    return load_boundaries().contains(country, lat, lon)


def centroid(country: str) -> tuple[float, float] | None:
    """A (lat, lon) inside ``country`` (alpha-3): see :meth:`Boundaries.centroid`."""
    return load_boundaries().centroid(country)


def countries() -> list[str]:
    """The alpha-3 codes of every country with a boundary, sorted."""
    return load_boundaries().countries()


# --- decoding the TopoJSON ----------------------------------------------------------------------


def _decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The arcs as absolute lon/lat points: undo the delta encoding and the quantization."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring_points(arcs: list[list[Point]], indices: list[int]) -> list[Point]:
    """One ring from its arc indices: ~i is arc i reversed; arcs share their end points."""
    points: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(topology: dict[str, Any], alpha3: Callable[[str], str | None]) -> Iterator[_Polygon]:
    arcs = _decode_arcs(topology)
    name_ter, split_lon, east_code, west_code = _INDIAN_OCEAN_TER
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind, name = geometry["type"], geometry.get("properties", {}).get("name", "")
        if kind == "Polygon":
            parts = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            parts = geometry["arcs"]
        else:
            continue  # a feature without geometry
        code = alpha3(str(geometry.get("id", ""))) or _UNCODED.get(name)
        for part in parts:
            polygon = _polygon([_ring_points(arcs, ring) for ring in part])
            if polygon is None:
                continue
            if name == name_ter:
                code = east_code if polygon[1] > split_lon else west_code
            if code is not None:
                yield _territory(_indexed(code, *polygon))


def _territory(polygon: _Polygon) -> _Polygon:
    """The polygon, given to the territory of ``_TERRITORIES`` whose box holds it, if any."""
    for country, territory, (south, west, north, east) in _TERRITORIES:
        if polygon.country == country and (
            south <= polygon.south
            and polygon.north <= north
            and west <= polygon.west
            and polygon.east <= east
        ):
            return replace(polygon, country=territory)
    return polygon


def _polygon(raw_rings: list[list[Point]]) -> tuple[tuple[Ring, ...], float] | None:
    """Rings unwrapped into one frame whose west edge is in [-180, 180), and that west edge.

    Rings along a single latitude (the south-pole line of Antarctica) enclose nothing and are
    dropped; a ring that goes once round the globe is closed along the nearer pole.
    """
    rings = [_unwrap(ring) for ring in raw_rings if len(ring) >= 4 and _has_height(ring)]
    if not rings:
        return None
    main = max(rings, key=lambda r: abs(_planar_area(r)))
    shift = -360.0 * math.floor((min(x for x, _ in main) + 180.0) / 360.0)
    centre = (min(x for x, _ in main) + max(x for x, _ in main)) / 2 + shift
    framed = []
    for ring in rings:
        middle = (min(x for x, _ in ring) + max(x for x, _ in ring)) / 2
        offset = 360.0 * round((centre - middle) / 360.0)
        framed.append(tuple((x + offset, y) for x, y in ring))
    return tuple(framed), min(x for ring in framed for x, _ in ring)


def _has_height(ring: list[Point]) -> bool:
    return max(y for _, y in ring) - min(y for _, y in ring) > 1e-9


def _unwrap(ring: list[Point]) -> list[Point]:
    """The ring with no step over 180 degrees of longitude, closed (round a pole if need be)."""
    out = [ring[0]]
    offset = 0.0
    for (x0, _), (x1, y1) in pairwise(ring):
        if x1 - x0 > 180.0:
            offset -= 360.0
        elif x1 - x0 < -180.0:
            offset += 360.0
        out.append((x1 + offset, y1))
    if offset:  # round the globe: down (or up) to the pole, across, and back to the start
        pole = -90.0 if sum(y for _, y in ring) < 0 else 90.0
        out[-1:] = [(out[-1][0], pole), (out[0][0], pole), out[0]]
    return out


def _indexed(country: str, rings: tuple[Ring, ...], west: float) -> _Polygon:
    ys = [y for ring in rings for _, y in ring]
    south, north = min(ys), max(ys)
    edges = [
        (min(y0, y1), max(y0, y1), x0 if y0 < y1 else x1, (x1 - x0) / (y1 - y0))
        for ring in rings
        for (x0, y0), (x1, y1) in pairwise(ring)
        if y0 != y1
    ]
    count = max(1, len(edges) // _EDGES_PER_BAND)
    scale = count / (north - south)
    bands: list[list[Edge]] = [[] for _ in range(count)]
    for edge in edges:
        first = min(int((edge[0] - south) * scale), count - 1)
        last = min(int((edge[1] - south) * scale), count - 1)
        for k in range(first, last + 1):
            bands[k].append(edge)
    main = max(rings, key=lambda r: abs(_planar_area(r)))
    km2 = sum(abs(_sphere_area(r)) * (1 if r is main else -1) for r in rings)
    return _Polygon(
        country=country,
        rings=rings,
        west=west,
        south=south,
        east=max(x for ring in rings for x, _ in ring),
        north=north,
        km2=km2 * EARTH_RADIUS_KM**2,
        bands=tuple(tuple(band) for band in bands),
        band_scale=scale,
    )


# --- areas, centroids and the index -------------------------------------------------------------


def _planar_area(ring: Sequence[Point]) -> float:
    """Signed shoelace area in square degrees (positive counter-clockwise)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


def _sphere_area(ring: Ring) -> float:
    """Signed area on the unit sphere of the region the lon/lat-planar ring bounds (steradians).

    Green's theorem on the (lon, lat) plane with the area element cos(lat): -∮ sin(lat) dlon.
    """
    total = 0.0
    for (x0, y0), (x1, y1) in pairwise(ring):
        total += math.radians(x1 - x0) * (math.sin(math.radians(y0)) + math.sin(math.radians(y1)))
    return -total / 2


def _planar_centroid(rings: tuple[Ring, ...]) -> Point:
    """The area-weighted centroid (x, y) of the polygon, holes taken out, in its own frame."""
    main = max(rings, key=lambda r: abs(_planar_area(r)))
    total_area = total_x = total_y = 0.0
    for ring in rings:
        area = _planar_area(ring)
        if area == 0:
            continue
        cx = cy = 0.0
        for (x0, y0), (x1, y1) in pairwise(ring):
            cross = x0 * y1 - x1 * y0
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        cx, cy = cx / (6 * area), cy / (6 * area)
        weight = abs(area) if ring is main else -abs(area)
        total_area += weight
        total_x += weight * cx
        total_y += weight * cy
    return total_x / total_area, total_y / total_area


def _widest_span(polygon: _Polygon, lat: float) -> tuple[float, float] | None:
    """The widest stretch (west x, east x) inside the polygon along ``lat``, in its frame."""
    if not polygon.south <= lat < polygon.north:
        return None
    xs = sorted(
        x_low + (lat - y_low) * slope
        for y_low, y_high, x_low, slope in polygon.band(lat)
        if y_low <= lat < y_high
    )
    spans = list(zip(xs[0::2], xs[1::2], strict=True))
    return max(spans, key=lambda s: s[1] - s[0]) if spans else None


def _wrap(lon: float) -> float:
    """Longitude into [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


def _cell(lat: float, lon: float) -> int:
    """The grid cell of a point, lon in [-180, 180)."""
    row = min(int((lat + 90.0) / _CELL_DEGREES), _ROWS - 1)
    return row * _COLUMNS + min(int((lon + 180.0) / _CELL_DEGREES), _COLUMNS - 1)


_ROWS = int(180 / _CELL_DEGREES)
_COLUMNS = int(360 / _CELL_DEGREES)


def _grid(polygons: Sequence[_Polygon]) -> list[tuple[_Polygon, ...]]:
    """For each grid cell, the polygons whose bounding box meets it."""
    cells: list[list[_Polygon]] = [[] for _ in range(_ROWS * _COLUMNS)]
    for polygon in polygons:
        first_row = int((polygon.south + 90.0) / _CELL_DEGREES)
        last_row = min(int((polygon.north + 90.0) / _CELL_DEGREES), _ROWS - 1)
        first_col = math.floor((polygon.west + 180.0) / _CELL_DEGREES)
        last_col = math.floor((polygon.east + 180.0) / _CELL_DEGREES)
        last_col = min(last_col, first_col + _COLUMNS - 1)
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                cells[row * _COLUMNS + col % _COLUMNS].append(polygon)
    return [tuple(cell) for cell in cells]
