"""The United Nations membership as delegations: 193 Member States and 2 Observer States.

Names are the UN's short names in English (`app.i18n.names`, from UNTERM); regional groups
come from `app/demo/un_regional_groups.csv`, whose sources are in the `.md` beside it.
"""

from __future__ import annotations

import csv
import unicodedata
from functools import cache
from importlib.resources import files

import pycountry

from app.domain.model import Delegation, DelegationKind, Region
from app.i18n.names import state_name

# Observer States are in no file of Member States. The Asian Group accepted Palestine as a
# full member in 1986; the Holy See is in no group (see un_regional_groups.md).
_OBSERVER_STATES = {"PSE": Region.ASIA_PACIFIC, "VAT": Region.NONE}


@cache
def un_member_states() -> tuple[Delegation, ...]:
    """The 193 Member States, in the alphabetical order of their names."""
    text = files("app").joinpath("demo/un_regional_groups.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    states = [
        _state(row["iso3"], DelegationKind.MEMBER_STATE, Region(row["group"])) for row in rows
    ]
    return tuple(sorted(states, key=_alphabetical))


@cache
def un_observer_states() -> tuple[Delegation, ...]:
    """The Observer States: the Holy See and the State of Palestine."""
    states = [
        _state(iso3, DelegationKind.OBSERVER_STATE, r) for iso3, r in _OBSERVER_STATES.items()
    ]
    return tuple(sorted(states, key=_alphabetical))


def _state(iso3: str, kind: DelegationKind, region: Region) -> Delegation:
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise LookupError(f"pycountry does not know the ISO 3166 code {iso3}")
    name = state_name(iso3, "en")
    if name is None:
        raise LookupError(f"UNTERM has no name for the ISO 3166 code {iso3}")
    return Delegation(id=iso3, name=name, kind=kind, region=region, iso2=country.alpha_2, iso3=iso3)


def _alphabetical(delegation: Delegation) -> str:
    # "Côte d'Ivoire" sorts with C and "Türkiye" with T, as in the UN's lists.
    decomposed = unicodedata.normalize("NFKD", delegation.name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
