"""The lexicon tables: every row valid, the lookups that matter, and the generated docs page."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from overhorizon.nlp import lexicon
from overhorizon.nlp.lexicon import LexiconError

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "overhorizon" / "nlp" / "data"

# NATO's members in 2021, plus Finland and Sweden who joined later.
NATO = (
    "ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST", "FRA", "DEU", "GRC", "HUN", "ISL",
    "ITA", "LVA", "LTU", "LUX", "MNE", "NLD", "MKD", "NOR", "POL", "PRT", "ROU", "SVK", "SVN",
    "ESP", "TUR", "GBR", "USA", "FIN", "SWE",
)  # fmt: skip
REGION = (
    "AFG", "PAK", "IRN", "TJK", "UZB", "TKM", "KGZ", "KAZ", "CHN", "IND", "QAT", "ARE", "SAU",
    "TUR", "RUS", "USA",
)  # fmt: skip


# --- integrity ------------------------------------------------------------------------------
def test_countries_cover_iso_and_the_un() -> None:
    table = lexicon.countries()
    iso = [c for c in table.values() if not c.alpha3.startswith("X")]
    assert len(iso) == 249
    assert sum(c.un == "member" for c in table.values()) == 193
    assert {c.alpha3 for c in table.values() if c.un == "observer"} == {"VAT", "PSE"}
    blocs = {c.alpha3 for c in table.values() if c.kind == "region_or_bloc"}
    assert blocs == {"XEU", "XWE"}
    assert all(c.alpha2 and c.name for c in table.values())


def test_demonyms_for_the_region_nato_and_most_countries() -> None:
    table = lexicon.countries()
    assert sum(bool(c.demonyms) for c in table.values()) >= 120
    for code in {*NATO, *REGION}:
        assert table[code].demonyms, code


def test_actors_are_well_formed() -> None:
    actors = lexicon.known_actors()
    codes = set(lexicon.countries())
    assert len({a.name for a in actors}) == len(actors)
    for a in actors:
        assert a.sector in lexicon.SECTORS and a.kind in lexicon.ACTOR_KINDS
        assert a.country is None or a.country in codes
    outlets = [a for a in actors if a.kind == "outlet"]
    assert len(outlets) >= 60
    assert all(a.sector == "media" and a.country for a in outlets)


def test_no_alias_names_two_actors_or_two_countries() -> None:
    def owners(entries: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
        seen: dict[str, set[str]] = {}
        for owner, names in entries.items():
            for name in names:
                key = lexicon.name_key(name)
                seen.setdefault(key if key.isupper() else key.casefold(), set()).add(owner)
        return seen

    countries = {c.alpha3: (c.name, *c.aliases, *c.demonyms) for c in lexicon.countries().values()}
    actors = {a.name: (a.name, *a.aliases) for a in lexicon.known_actors()}
    for table in (countries, actors):
        clashes = {k: v for k, v in owners(table).items() if len(v) > 1}
        assert clashes == {}
    # an alias in both tables must agree on the country ("Kremlin" is RUS in both)
    for a in lexicon.known_actors():
        for name in (a.name, *a.aliases):
            assert lexicon.country_for(name) in (None, a.country), name


def test_triggers_cover_every_type_with_known_modes() -> None:
    table = lexicon.triggers()
    assert len(table) >= 250
    assert {t.type for t in table} == set(lexicon.PLOVER_TYPES)
    vocabulary = {(m.plover_type, m.mode) for m in lexicon.modes()}
    for t in table:
        assert t.lemma == t.lemma.lower() and t.pos in lexicon.POS_TAGS
        assert t.mode is None or (t.type, t.mode) in vocabulary
    assert any(len(t.lemma.split()) >= 3 for t in table.multiword())
    words = [len(t.lemma.split()) for t in table.multiword()]
    assert words == sorted(words, reverse=True)


def test_every_acled_sub_type_is_reachable_and_every_type_has_a_default() -> None:
    rules = lexicon.mapping_rules()
    reached = {r.acled[1] for r in rules if r.acled}
    assert reached == set(lexicon.ACLED_SUB_EVENT_TYPES)
    assert set(lexicon.ACLED_SUB_EVENT_TYPES.values()) == set(lexicon.ACLED_EVENT_TYPES)
    for typ in lexicon.PLOVER_TYPES:
        assert any(r.plover_type == typ and r.mode == "*" for r in rules), typ


# --- lookups --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russian", "RUS"),
        ("Russians", "RUS"),
        ("Moscow", "RUS"),
        ("Kremlin", "RUS"),
        ("U.S.", "USA"),
        ("US", "USA"),
        ("the United States", "USA"),
        ("Washington", "USA"),
        ("American", "USA"),
        ("Afghan", "AFG"),
        ("Kabul", "AFG"),
        ("Islamabad", "PAK"),
        ("Pakistani", "PAK"),
        ("Tajik", "TJK"),
        ("Uzbek", "UZB"),
        ("Emirati", "ARE"),
        ("Qatari", "QAT"),
        ("Beijing", "CHN"),
        ("Tehran", "IRN"),
        ("Britain's", "GBR"),
        ("TURKEY", "TUR"),
        ("Türkiye", "TUR"),
        ("EU", "XEU"),
        ("us", None),
        ("turkey", None),
        ("Congolese", None),
        ("Atlantis", None),
    ],
)
def test_country_for(text: str, code: str | None) -> None:
    assert lexicon.country_for(text) == code


def test_country_name() -> None:
    assert lexicon.country_name("AFG") == "Afghanistan"
    assert lexicon.country_name("ZZZ") is None


@pytest.mark.parametrize(
    ("text", "name", "kind", "country", "sector"),
    [
        ("the Journal", "The Wall Street Journal", "outlet", "USA", "media"),
        ("WSJ", "The Wall Street Journal", "outlet", "USA", "media"),
        ("The New York Times", "The New York Times", "outlet", "USA", "media"),
        ("Kommersant", "Kommersant", "outlet", "RUS", "media"),
        ("A.P.", "Associated Press", "outlet", "USA", "media"),
        ("Agence France Presse", "Agence France-Presse", "outlet", "FRA", "media"),
        ("Pentagon", "United States Department of Defense", "organisation", "USA", "military"),
        ("the Pentagon", "United States Department of Defense", "organisation", "USA", "military"),
        ("National Security Council", "National Security Council", "organisation", "USA",
         "government"),
        ("CENTCOM", "United States Central Command", "organisation", "USA", "military"),
        ("ISIS-K", "Islamic State Khorasan Province", "group", "AFG", "rebel"),
        ("Islamic State-Khorasan Province", "Islamic State Khorasan Province", "group", "AFG",
         "rebel"),
        ("the Taliban's", "Taliban", "group", "AFG", "rebel"),
        ("ISI", "Inter-Services Intelligence", "organisation", "PAK", "military"),
        ("Nato", "NATO", "organisation", None, "international"),
        ("CSTO", "Collective Security Treaty Organization", "organisation", None, "international"),
    ],
)  # fmt: skip
def test_actor_for(text: str, name: str, kind: str, country: str | None, sector: str) -> None:
    entry = lexicon.actor_for(text)
    assert entry is not None, text
    assert (entry.name, entry.kind, entry.country, entry.sector) == (name, kind, country, sector)


@pytest.mark.parametrize("text", ["who", "us", "emergency", "time", "the House", "Hill", "nato"])
def test_actor_for_ignores_common_words(text: str) -> None:
    assert lexicon.actor_for(text) is None


def test_taliban_sector_changes_when_kabul_falls() -> None:
    taliban = lexicon.actor_for("Taliban")
    assert taliban is not None
    assert taliban.sector_on("2021-07-01") == "rebel"
    assert taliban.sector_on("2021-08-15") == "government"
    assert taliban.sector_on(None) == taliban.sector == "rebel"


@pytest.mark.parametrize(
    ("word", "sector"),
    [
        ("Gen.", "military"),
        ("Lt. Gen.", "military"),
        ("chairman of the joint chiefs", "military"),
        ("commander", "military"),
        ("Taliban commander", "rebel"),
        ("president", "government"),
        ("President", "government"),
        ("police chief", "police"),
        ("militant", "rebel"),
        ("correspondent", "media"),
        ("civilians", "civilian"),
        ("secretary-general", "international"),
        ("CEO", "business"),
        ("spokesman", None),
        ("general", None),
        ("private", None),
        ("ceo", None),
        ("gardener", None),
    ],
)
def test_title_sector(word: str, sector: str | None) -> None:
    assert lexicon.title_sector(word) == sector


def test_trigger_lookup() -> None:
    table = lexicon.triggers()
    strike = table.get("drone  Strike", "noun")
    assert strike is not None and (strike.type, strike.mode) == ("ASSAULT", "drone")
    urge = table.get("urge", "VERB")
    assert urge is not None and (urge.type, urge.modality_hint) == ("REQUEST", "requested")
    fall = table.get("fall", "VERB")
    assert fall is not None and (fall.type, fall.mode) == ("ASSAULT", "territory")
    assert table.get("drone strike", "VERB") is None


@pytest.mark.parametrize(
    ("plover", "mode", "target", "source", "acled"),
    [
        ("ASSAULT", "drone", None, None, ("Explosions/Remote violence", "Air/drone strike")),
        ("ASSAULT", "drone", "civilian", None, ("Explosions/Remote violence", "Air/drone strike")),
        ("ASSAULT", "small arms", "civilian", None, ("Violence against civilians", "Attack")),
        ("ASSAULT", "firearms", "military", None, ("Battles", "Armed clash")),
        ("ASSAULT", None, "media", None, ("Violence against civilians", "Attack")),
        ("ASSAULT", "firearms", None, None, ("Violence against civilians", "Attack")),
        ("ASSAULT", None, "rebel", "military", ("Battles", "Armed clash")),
        ("PROTEST", "intervened", None, None, ("Protests", "Protest with intervention")),
        ("ASSAULT", "suicide bombing", None, None, ("Explosions/Remote violence", "Suicide bomb")),
        ("ASSAULT", "territory", None, "rebel",
         ("Battles", "Non-state actor overtakes territory")),
        ("ASSAULT", "territory", None, "military", ("Battles", "Government regains territory")),
        ("PROTEST", "demonstrate", None, None, ("Protests", "Peaceful protest")),
        ("PROTEST", "riot", None, None, ("Riots", "Violent demonstration")),
        ("COERCE", "arrest", None, None, ("Strategic developments", "Arrests")),
        ("COERCE", "curfew", None, None, None),
        ("RETREAT", "withdraw", None, None,
         ("Strategic developments", "Non-violent transfer of territory")),
        ("CONSULT", None, None, None, None),
        ("CONSULT", "visit", "government", "government", None),
        ("ACCUSE", None, None, None, None),
    ],
)  # fmt: skip
def test_acled_for(
    plover: str,
    mode: str | None,
    target: str | None,
    source: str | None,
    acled: tuple[str, str] | None,
) -> None:
    assert lexicon.acled_for(plover, mode, target, source) == acled


def test_acled_for_refuses_unknown_names() -> None:
    with pytest.raises(ValueError, match="PLOVER type"):
        lexicon.acled_for("FIGHT", None)
    with pytest.raises(ValueError, match="mode"):
        lexicon.acled_for("ASSAULT", "laser")
    with pytest.raises(ValueError, match="sector"):
        lexicon.acled_for("ASSAULT", None, "army")


# --- errors name the file and the line --------------------------------------------------------
def test_bad_header_is_reported_at_line_1() -> None:
    with pytest.raises(LexiconError, match=r"x\.tsv, line 1: header"):
        lexicon.parse_tsv("name\tkind\n", "x.tsv", ("name", "aliases"))


def test_bad_actor_row_is_reported_with_its_line() -> None:
    text = "\t".join(lexicon.ACTOR_COLUMNS) + "\nPentagon\t\torganisation\tUSA\tarmy\t\t\n"
    with pytest.raises(LexiconError, match=r"actors\.tsv, line 2: unknown sector 'army'"):
        lexicon.parse_actors(text, "actors.tsv", ["USA"])
    text = text.replace("army", "military").replace("USA", "ZZZ")
    with pytest.raises(LexiconError, match="line 2: country 'ZZZ'"):
        lexicon.parse_actors(text, "actors.tsv", ["USA"])


def test_bad_mapping_rows_are_reported_with_their_line() -> None:
    head = "\t".join(lexicon.MAPPING_COLUMNS) + "\n"
    wrong_pair = head + "ASSAULT\tdrone\t\t\tBattles\tAir/drone strike\t\n"
    with pytest.raises(LexiconError, match="line 2: 'Battles' / 'Air/drone strike'"):
        lexicon.parse_mapping(wrong_pair, "m.tsv")
    tie = head + "ASSAULT\t*\t\tcivilian\t\t\t\nASSAULT\t*\t\tcivilian;media\t\t\t\n"
    with pytest.raises(LexiconError, match="line 3: ties with line 2"):
        lexicon.parse_mapping(tie, "m.tsv")


# --- documentation --------------------------------------------------------------------------
def test_docs_page_is_generated_from_the_table() -> None:
    page = (REPO / "docs" / "plover-acled.md").read_text(encoding="utf-8")
    assert page == lexicon.render_mapping_markdown(), (
        "run: .venv/bin/python -m overhorizon.nlp.lexicon > docs/plover-acled.md"
    )


def test_data_readme_names_every_file_and_mode() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for path in DATA.glob("*.tsv"):
        assert f"`{path.name}`" in readme, path.name
    named = set(re.findall(r"`([a-z-]+)`", readme))
    assert {m.mode for m in lexicon.modes()} <= named
    rows = {name: int(n) for name, n in re.findall(r"\| `(\w+\.tsv)` \| (\d+) \|", readme)}
    for path in DATA.glob("*.tsv"):
        assert rows[path.name] == len(path.read_text(encoding="utf-8").splitlines()) - 1


def test_titles_and_modes_have_no_duplicates() -> None:
    titles = Counter(lexicon.name_key(t.title).casefold() for t in lexicon.titles())
    assert max(titles.values()) == 1
    modes = Counter((m.plover_type, m.mode) for m in lexicon.modes())
    assert max(modes.values()) == 1


def test_country_codes_alpha2_and_numeric() -> None:
    assert lexicon.alpha3_of_alpha2("ru") == "RUS"
    assert lexicon.alpha3_of_numeric(4) == lexicon.alpha3_of_numeric("004") == "AFG"
    assert lexicon.alpha3_of_numeric("840") == "USA"
    assert lexicon.alpha3_of_numeric("999") is None and lexicon.alpha3_of_alpha2("QQ") is None
    no_number = sorted(c for c, e in lexicon.countries().items() if e.numeric is None)
    assert no_number == ["XEU", "XKX", "XWE"]


def test_bad_numeric_code_names_the_line() -> None:
    header = "\t".join(lexicon.COUNTRY_COLUMNS)
    row = "AFG\tAF\t4\tAfghanistan\tcountry\tmember\t\t\t"
    with pytest.raises(LexiconError, match="line 2: numeric code '4'"):
        lexicon.parse_countries(f"{header}\n{row}\n", "countries.tsv")
    twice = (
        "AFG\tAF\t004\tAfghanistan\tcountry\tmember\t\t\t\nALB\tAL\t004\tAlbania\tcountry\t\t\t\t"
    )
    with pytest.raises(LexiconError, match="line 3: code ALB, AL or 004 appears twice"):
        lexicon.parse_countries(f"{header}\n{twice}\n", "countries.tsv")
