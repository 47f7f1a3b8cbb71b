"""Precision codes of a place reading, in our scale and in ACLED's and UCDP's.

Ours (RECORDS.md): 1 the exact town, 2 a district or near a town, 3 a province, country,
region or sea. An event's ``place_precision`` is that of its place, one step lower when the
place came from the dateline or only from the same sentence, or when the text hedges ("near",
"outside", "north of").

ACLED's ``geo_precision`` uses the same three steps. UCDP GED's ``where_prec`` has seven:
1 the exact location, 2 within about 25 km of a named place, 3 a second-order administrative
division, 4 a first-order one, 5 a part of a country larger than that (a region, a linear
feature), 6 only the country, 7 international waters or airspace. ``docs/geocoding.md``
explains the rule with examples; these functions are what the exports use.
"""

from __future__ import annotations

#: (feature, our precision) -> UCDP where_prec; a feature not listed falls back by precision.
_UCDP = {
    ("city", 1): 1,
    ("site", 1): 1,
    ("city", 2): 2,
    ("site", 2): 2,
    ("admin2", 2): 3,
    ("admin2", 3): 3,
    ("admin1", 3): 4,
    ("region", 3): 5,
    ("country", 3): 6,
    ("sea", 3): 7,
}
_UCDP_BY_PRECISION = {1: 1, 2: 2, 3: 4}


def acled_geo_precision(precision: int | None) -> int | None:
    """ACLED's geo_precision (1-3) for our precision: the same scale; None stays None."""
    if precision is None:
        return None
    return min(3, max(1, int(precision)))


def ucdp_where_prec(feature: str | None, precision: int | None) -> int | None:
    """UCDP GED's where_prec (1-7) for a place of this feature read at this precision.

    A town read at precision 3 (named only as the sentence's place) is coded as the province
    it lies in would be (4): the town is a guess within it. None when nothing is known.
    """
    if precision is None:
        return None
    p = acled_geo_precision(precision) or 3
    return _UCDP.get((feature or "", p), _UCDP_BY_PRECISION[p])
