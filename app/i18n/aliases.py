"""What a person may type to find a delegation in a picker: its names in the six languages,
the usual and former names of a State, its ISO codes, a stakeholder's initials ("IOM").

The screens match these ignoring case and diacritics (web/shared/search.js). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.domain.model import Delegation
from app.i18n.names import countries

USUAL_NAMES: dict[str, tuple[str, ...]] = {
    # Names in everyday use, or used until a recent change, that neither the UN's names nor
    # the taxonomy's other terms contain ("Bolivia", "UK", "Cape Verde" and "Nauru" are there);
    # "US" for an exact match before the many names that contain the letters.
    "TUR": ("Turkey", "Turquie", "Turquía"),
    "USA": ("US",),
    "PRK": ("North Korea", "Corée du Nord", "Corea del Norte"),
    "KOR": ("South Korea", "Corée du Sud", "Corea del Sur"),
    "LAO": ("Laos",),
    "COD": ("DRC", "RDC", "Congo-Kinshasa", "Zaire"),
    "COG": ("Congo-Brazzaville",),
    "CIV": ("Ivory Coast", "Costa de Marfil"),
    "CZE": ("République tchèque", "República Checa"),
    "SWZ": ("Swaziland",),
    "MMR": ("Burma", "Birmanie", "Birmania"),
    "MKD": ("FYROM",),
    "TLS": ("East Timor", "Timor oriental"),
    "CPV": ("Cap-Vert",),
    "NLD": ("Holland",),
    "LKA": ("Ceylon",),
}

# Words left out of initials: "International Organization for Migration" is "IOM".
_MINOR_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "on",
        "in",
        "at",
        "to",
        "by",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "et",
        "el",
        "los",
        "las",
        "y",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def initials(name: str) -> str | None:
    """The initials of a name of three words or more, minor words left out, if every other
    word starts with a capital: "International Organization for Migration" → "IOM"."""
    words = [w for w in _WORD.findall(name) if w.casefold() not in _MINOR_WORDS]
    if len(words) < 3 or not all(w[0].isupper() for w in words):
        return None
    return "".join(w[0] for w in words)


def search_terms(delegation: Delegation) -> tuple[str, ...]:
    """Every term that finds `delegation`, its own names and codes first; a stakeholder's
    initials."""
    terms = [delegation.name, delegation.id]
    if delegation.iso3:
        terms.append(delegation.iso3)
        country = countries().get(delegation.iso3)
        if country is not None:
            terms += [country.iso2, *country.names.values(), *country.other_names]
        terms += USUAL_NAMES.get(delegation.iso3, ())
    if delegation.iso2:
        terms.append(delegation.iso2)
    acronym = None if delegation.iso3 else initials(delegation.name)
    if acronym:
        terms.append(acronym)
    return tuple(dict.fromkeys(term for term in terms if term))


def aliases(delegations: Iterable[Delegation]) -> dict[str, list[str]]:
    """Delegation id → the terms that find it."""
    return {d.id: list(search_terms(d)) for d in delegations}
