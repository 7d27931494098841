"""Names of States in the six official languages of the United Nations.

The names are the UN's short names as UNTERM, the UN's terminology database, writes them
("Bolivia (Plurinational State of)", "Viet Nam", "多民族玻利维亚国"): the form of the UN's lists
of Member States and of its name plates, and the source of ISO 3166's English names. They are
read from the Countries and Territories Taxonomy of the UN Office for the Coordination of
Humanitarian Affairs, which `hdx-python-country` ships and keeps up to date: its columns
"English Short" to "Arabic Short", for the rows that appear in the UNTERM list. A territory
that UNTERM does not list has the name of the UN Statistics Division's M49 standard, from the
same file. Pure: the file is read once; every answer is cached.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal, get_args

from app.domain.model import Delegation

Language = Literal["ar", "zh", "en", "fr", "ru", "es"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

TAXONOMY_PACKAGE = "hdx.location"
TAXONOMY_FILE = "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"

_COLUMN: dict[Language, str] = {
    "ar": "Arabic",
    "zh": "Chinese",
    "en": "English",
    "fr": "French",
    "ru": "Russian",
    "es": "Spanish",
}
# Other names the taxonomy records: ISO's, the UN General Assembly's (DGACM), OCHA's tools',
# ReliefWeb's ("UK", "DPRK", "Lao PDR", "DR Congo").
_OTHER_NAME_COLUMNS = (
    "ISO Alt Term",
    "DGACM Alt Term",
    "HPC Tools Alt Term",
    "RW Short Name",
    "RW API Alt Term",
    "English Formal",
)


@dataclass(frozen=True)
class Country:
    """A State or territory as the taxonomy records it."""

    iso3: str
    iso2: str
    names: Mapping[Language, str]
    """The UN short name in each language that has one."""
    other_names: tuple[str, ...]
    """Every other name the file gives it, in any language (M49's, ISO's, formal...)."""
    in_unterm: bool


@cache
def countries() -> Mapping[str, Country]:
    """ISO alpha-3 → the country, for every row of the taxonomy that has an ISO code."""
    text = files(TAXONOMY_PACKAGE).joinpath(TAXONOMY_FILE).read_text(encoding="utf-8")
    found: dict[str, Country] = {}
    for row in csv.DictReader(text.splitlines()):
        iso3 = row["ISO 3166-1 Alpha 3-Codes"].strip()
        if not iso3 or row["Deprecated"].strip() == "Y":
            continue
        in_unterm = row["Appears in UNTERM list"].strip() == "Y"
        names: dict[Language, str] = {}
        for lang, column in _COLUMN.items():
            short = row[f"{column} Short"].strip() if in_unterm else ""
            name = short or row[f"M49 {column}"].strip()
            if name:
                names[lang] = name
        others = [row[column].strip() for column in _OTHER_NAME_COLUMNS]
        others += [row[f"M49 {column}"].strip() for column in _COLUMN.values()]
        other_names = tuple(
            dict.fromkeys(name for name in others if name and name not in names.values())
        )
        found[iso3] = Country(
            iso3=iso3,
            iso2=row["ISO 3166-1 Alpha 2-Codes"].strip(),
            names=names,
            other_names=other_names,
            in_unterm=in_unterm,
        )
    return found


def state_name(iso3: str, lang: Language) -> str | None:
    """The UN short name of a State in `lang`, or None if the taxonomy does not know it."""
    country = countries().get(iso3)
    return country.names.get(lang) if country else None


def state_names(delegations: Iterable[Delegation], lang: Language) -> dict[str, str]:
    """Delegation id → name in `lang`, for the States among `delegations` (those with an ISO
    code). English names are the ones the secretariat registered (for the UN roster, the UN's
    own). Stakeholders keep the names they registered with, and are left out."""
    names: dict[str, str] = {}
    for delegation in delegations:
        if not delegation.iso3:
            continue
        name = delegation.name if lang == "en" else state_name(delegation.iso3, lang)
        if name:
            names[delegation.id] = name
    return names
