"""Names of States in the six official languages, as the UN writes them (UNTERM)."""

from __future__ import annotations

import re

import pytest

from app.domain.model import Delegation, DelegationKind, StakeholderType
from app.i18n.names import LANGUAGES, Language, countries, state_name, state_names
from app.programme.roster import un_member_states, un_observer_states

STATES = un_member_states() + un_observer_states()


@pytest.mark.parametrize(
    ("iso3", "name"),
    [
        ("PRK", "Democratic People's Republic of Korea"),
        ("KOR", "Republic of Korea"),
        ("BOL", "Bolivia (Plurinational State of)"),
        ("IRN", "Iran (Islamic Republic of)"),
        ("VEN", "Venezuela (Bolivarian Republic of)"),
        ("TZA", "United Republic of Tanzania"),
        ("SYR", "Syrian Arab Republic"),
        ("MDA", "Republic of Moldova"),
        ("LAO", "Lao People's Democratic Republic"),
        ("VNM", "Viet Nam"),
        ("USA", "United States of America"),
        ("GBR", "United Kingdom of Great Britain and Northern Ireland"),
        ("TUR", "Türkiye"),
        ("CIV", "Côte d'Ivoire"),
        ("COD", "Democratic Republic of the Congo"),
        ("FSM", "Micronesia (Federated States of)"),
        ("VAT", "Holy See"),
        ("PSE", "State of Palestine"),
    ],
)
def test_the_roster_has_the_un_english_short_names(iso3: str, name: str) -> None:
    roster = {d.id: d.name for d in STATES}
    assert roster[iso3] == name
    assert state_name(iso3, "en") == name
    assert state_names(STATES, "en")[iso3] == name


@pytest.mark.parametrize(
    ("iso3", "lang", "name"),
    [
        ("BOL", "zh", "多民族玻利维亚国"),
        ("BOL", "fr", "Bolivie (État plurinational de)"),
        ("BOL", "es", "Bolivia (Estado Plurinacional de)"),
        ("BOL", "ru", "Боливия (Многонациональное Государство)"),
        ("KOR", "fr", "République de Corée"),
        ("KOR", "es", "República de Corea"),
        ("KOR", "ru", "Республика Корея"),
        ("KOR", "ar", "جمهورية كوريا"),
        ("PRK", "fr", "République populaire démocratique de Corée"),
        ("COD", "es", "República Democrática del Congo"),
        ("RUS", "fr", "Fédération de Russie"),
        ("RUS", "es", "Federación de Rusia"),
        ("SYR", "fr", "République arabe syrienne"),
        ("IRN", "ru", "Иран (Исламская Республика)"),
        ("MDA", "ru", "Республика Молдова"),
        ("USA", "ru", "Соединенные Штаты Америки"),
        ("USA", "zh", "美利坚合众国"),
        ("GBR", "fr", "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord"),
        ("TZA", "fr", "République-Unie de Tanzanie"),
        ("VNM", "fr", "Viet Nam"),
        ("CHN", "zh", "中国"),
        ("MEX", "es", "México"),
        ("DZA", "es", "Argelia"),
        ("VAT", "fr", "Saint-Siège"),
        ("VAT", "ar", "الكرسي الرسولي"),
        ("PSE", "ru", "Государство Палестина"),
    ],
)
def test_names_in_the_other_languages_are_the_un_short_forms(
    iso3: str, lang: Language, name: str
) -> None:
    assert state_name(iso3, lang) == name


def test_every_state_of_the_roster_is_in_unterm() -> None:
    assert all(countries()[d.id].in_unterm for d in STATES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_state_has_a_name_in_every_language(lang: Language) -> None:
    names = state_names(STATES, lang)
    assert len(names) == 195
    assert len(set(names.values())) == 195
    for iso3, name in names.items():
        assert name, iso3
        assert name.strip() == name, iso3
        if lang in ("ar", "zh", "ru"):
            # A name left in Latin letters was not translated.
            assert not re.search(r"[A-Za-z]", name), (iso3, name)


def test_a_territory_outside_unterm_has_its_m49_name() -> None:
    puerto_rico = countries()["PRI"]
    assert not puerto_rico.in_unterm
    assert puerto_rico.names["fr"] == "Porto Rico"


def test_english_names_are_the_registered_ones_and_stakeholders_are_left_out() -> None:
    mexico = Delegation("MEX", "Mexico", DelegationKind.MEMBER_STATE, iso2="MX", iso3="MEX")
    iom = Delegation(
        "sh-iom",
        "International Organization for Migration",
        DelegationKind.STAKEHOLDER,
        subtype=StakeholderType.IGO,
    )
    assert state_names([mexico, iom], "en") == {"MEX": "Mexico"}
    assert state_names([mexico, iom], "fr") == {"MEX": "Mexique"}
    unknown = Delegation("XXX", "Nowhere", DelegationKind.MEMBER_STATE, iso3="XXX")
    assert state_names([unknown], "fr") == {}
