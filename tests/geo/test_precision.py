from __future__ import annotations

import re
from pathlib import Path

from overhorizon.geo.precision import acled_geo_precision, ucdp_where_prec

DOC = Path(__file__).resolve().parents[2] / "docs" / "geocoding.md"


def test_acled_is_our_scale_clamped() -> None:
    assert [acled_geo_precision(p) for p in (1, 2, 3, None)] == [1, 2, 3, None]
    assert acled_geo_precision(5) == 3 and acled_geo_precision(0) == 1


def test_ucdp_codes_by_feature_and_precision() -> None:
    assert ucdp_where_prec("city", 1) == 1
    assert ucdp_where_prec("city", 2) == 2
    assert ucdp_where_prec("admin2", 2) == 3
    assert ucdp_where_prec("admin1", 3) == 4
    assert ucdp_where_prec("region", 3) == 5
    assert ucdp_where_prec("country", 3) == 6
    assert ucdp_where_prec("sea", 3) == 7
    assert ucdp_where_prec("city", 3) == 4  # a town named only by the sentence
    assert ucdp_where_prec(None, None) is None


def test_the_docs_table_matches_the_code() -> None:
    rows = re.findall(r"^\| (.+?) \| (\d) \| (\d) \| (\d) \(", DOC.read_text(), re.M)
    assert len(rows) == 8
    features = ["city", "city", "admin2", "admin1", "region", "country", "sea", "city"]
    for (_, ours, acled, ucdp), feature in zip(rows, features, strict=True):
        assert acled_geo_precision(int(ours)) == int(acled)
        assert ucdp_where_prec(feature, int(ours)) == int(ucdp), (feature, ours)
