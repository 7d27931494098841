"""Names of States in the six official languages, from the ISO 3166 catalogues."""

from __future__ import annotations

import re

import pytest

from app.domain.model import Delegation, DelegationKind, StakeholderType
from app.i18n.names import LANGUAGES, UN_SHORT_FORMS, state_name, state_names, uninvert
from app.programme.roster import un_member_states, un_observer_states

STATES = un_member_states() + un_observer_states()
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


@pytest.mark.parametrize(
    ("lang", "holy_see", "palestine"),
    [
        ("ar", "الكرسي الرسولي", "دولة فلسطين"),
        ("zh", "教廷", "巴勒斯坦国"),
        ("fr", "Saint-Siège", "État de Palestine"),
        ("ru", "Святейший Престол", "Государство Палестина"),
        ("es", "Santa Sede", "Estado de Palestina"),
    ],
)
def test_the_observer_states_have_their_un_short_names(
    lang: str, holy_see: str, palestine: str
) -> None:
    assert state_name("VAT", lang) == holy_see
    assert state_name("PSE", lang) == palestine


def test_palestine_and_the_holy_see_in_french_and_spanish_come_from_the_catalogue() -> None:
    overridden = {iso3 for iso3, lang in UN_SHORT_FORMS if lang in ("fr", "es")}
    assert "VAT" not in overridden
    assert "PSE" not in {iso3 for iso3, _ in UN_SHORT_FORMS}


@pytest.mark.parametrize(
    ("iso3", "lang", "name"),
    [
        # Inverted ISO names, put in reading order.
        ("KOR", "fr", "République de Corée"),
        ("KOR", "es", "República de Corea"),
        ("KOR", "ar", "جمهوريّة كوريا"),
        ("COD", "es", "República Democrática del Congo"),
        ("RUS", "fr", "Fédération de Russie"),
        ("SYR", "fr", "République arabe syrienne"),
        ("IRN", "fr", "République islamique d'Iran"),
        # The stress mark of the Russian catalogue is dropped.
        ("IRN", "ru", "Исламская Республика Иран"),
        ("MDA", "ru", "Республика Молдова"),
        ("CHN", "zh", "中国"),
        ("MEX", "es", "México"),
    ],
)
def test_names_read_as_on_a_name_plate(iso3: str, lang: str, name: str) -> None:
    assert state_name(iso3, lang) == name


@pytest.mark.parametrize(
    ("inverted", "plain"),
    [
        ("Corée, République de", "République de Corée"),
        ("Iran, République islamique d'", "République islamique d'Iran"),
        ("Lao, République démocratique populaire", "République démocratique populaire lao"),
        ("Vénézuela, république bolivarienne du", "République bolivarienne du Vénézuela"),
        ("Congo, República Democrática del", "República Democrática del Congo"),
        ("كوريا، جمهوريّة كوريا", "جمهوريّة كوريا"),
        ("Mexique", "Mexique"),
    ],
)
def test_uninvert(inverted: str, plain: str) -> None:
    assert uninvert(inverted) == plain


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_state_has_a_name_in_every_language(lang: str) -> None:
    names = state_names(STATES, lang)  # type: ignore[arg-type]
    assert len(names) == 195
    for iso3, name in names.items():
        assert name, iso3
        assert name.strip() == name, iso3
        assert not re.search(r"[,،(]", name), (iso3, name)
        if lang in ("ar", "zh", "ru"):
            assert not re.search(r"[A-Za-z]", name), (iso3, name)


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
