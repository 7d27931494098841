"""The terms that find a delegation in a picker."""

from __future__ import annotations

import pytest

from app.domain.model import Delegation, DelegationKind, StakeholderType
from app.i18n.aliases import USUAL_NAMES, aliases, initials, search_terms
from app.i18n.names import countries
from app.programme.roster import un_member_states, un_observer_states

STATES = {d.id: d for d in (*un_member_states(), *un_observer_states())}


@pytest.mark.parametrize(
    ("iso3", "term"),
    [
        ("GBR", "UK"),
        ("GBR", "GB"),
        ("GBR", "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord"),
        ("TUR", "Turkey"),
        ("USA", "US"),
        ("PRK", "DPRK"),
        ("PRK", "North Korea"),
        ("CZE", "Czech Republic"),
        ("CPV", "Cape Verde"),
        ("NRU", "Nauru"),
        ("SWZ", "Swaziland"),
        ("DEU", "Allemagne"),
        ("DEU", "ألمانيا"),
    ],
)
def test_a_state_is_found_by_its_names_codes_and_usual_names(iso3: str, term: str) -> None:
    assert term in search_terms(STATES[iso3])


def test_the_usual_names_are_of_states_of_the_roster() -> None:
    assert set(USUAL_NAMES) <= set(STATES)
    assert set(USUAL_NAMES) <= set(countries())


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("International Organization for Migration", "IOM"),
        ("World Health Organization", "WHO"),
        ("Organisation internationale pour les migrations", None),  # lower-case words
        ("Migrant workers' association", None),
        ("Red Cross", None),  # two words: no initials
    ],
)
def test_initials(name: str, found: str | None) -> None:
    assert initials(name) == found


def test_a_stakeholder_has_its_initials_and_a_state_none() -> None:
    iom = Delegation(
        "sh-iom",
        "International Organization for Migration",
        DelegationKind.STAKEHOLDER,
        subtype=StakeholderType.IGO,
    )
    assert aliases([iom]) == {
        "sh-iom": ["International Organization for Migration", "sh-iom", "IOM"]
    }
    assert "UKGBNI" not in search_terms(STATES["GBR"])
