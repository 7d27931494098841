"""Names of States in the six official languages of the United Nations.

The names come from the ISO 3166 catalogues that pycountry ships (Debian's iso-codes,
translated by the Translation Project), read with gettext. They are put in the short form
the UN uses on its name plates ("République de Corée", not "Corée, République de"), and a
few are overridden where the catalogue names another entity or has no translation (see
`UN_SHORT_FORMS`). English names are the ones the secretariat registered. Pure: no I/O
beyond reading the catalogues once; every answer is cached.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Literal, get_args

import pycountry

from app.domain.model import Delegation

Language = Literal["ar", "zh", "en", "fr", "ru", "es"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

# The UN's Chinese is simplified Chinese, as used in mainland China.
_LOCALES: dict[str, str] = {"ar": "ar", "zh": "zh_CN", "fr": "fr", "ru": "ru", "es": "es"}

UN_SHORT_FORMS: dict[tuple[str, str], str] = {
    # The Holy See is the Observer State; the catalogues name the Vatican City State instead
    # (ru "Государство-город Ватикан", zh "梵蒂冈") or translate "see" as a seat (ar "المقعد
    # المقدّس"). French and Spanish come from the catalogue, without the parenthesis.
    ("VAT", "ar"): "الكرسي الرسولي",
    ("VAT", "ru"): "Святейший Престол",
    ("VAT", "zh"): "教廷",
    # Not translated in the Arabic catalogue (it keeps "Türkiye" in Latin letters).
    ("TUR", "ar"): "تركيا",
    # The Arabic catalogue gives two names, "المجر (هنغاريا)"; the UN writes the second.
    ("HUN", "ar"): "هنغاريا",
    # Spelling errors in the catalogues: es "Costa de Marfíl" (the UN keeps "Côte d'Ivoire" in
    # Spanish too), ru "Соединённые штаты" (lower-case "штаты").
    ("CIV", "es"): "Côte d'Ivoire",
    ("USA", "ru"): "Соединённые Штаты Америки",
}
"""(ISO alpha-3, language) → the UN short form, where the catalogue names another entity, has
no translation or misspells the name. The State of Palestine needs none: the translations of
its ISO official name, "the State of Palestine", are the UN's short forms."""

_TRAILING_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")
_LEADING_ARTICLE = re.compile(r"^(?:l['’]|le |la |les |el |los |las )", re.IGNORECASE)
# "Corée, République de" → "République de Corée"; "Syrienne, République arabe" → "République
# arabe syrienne": after a preposition the first part is a noun and keeps its capital; else an
# adjective, which French and Spanish write in lower case.
_ENDS_WITH_PREPOSITION = re.compile(r"(?:^|\s)(?:de|del|du|des|de la|of|of the)$|d['’]$")


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[_LOCALES[lang]])


def uninvert(name: str) -> str:
    """Put a catalogue's inverted name ("Corée, République de") in reading order."""
    if "،" in name:
        # The Arabic catalogue writes "كوريا، جمهوريّة كوريا": the part after the comma is
        # already the whole name.
        return name.split("،", 1)[1].strip()
    if ", " not in name:
        return name
    head, tail = (part.strip() for part in name.split(", ", 1))
    if _ENDS_WITH_PREPOSITION.search(tail):
        joined = f"{tail}{head}" if tail[-1] in "'’" else f"{tail} {head}"
    else:
        joined = f"{tail} {head[:1].lower()}{head[1:]}"
    return joined[:1].upper() + joined[1:]


def _translated(msgid: str, lang: str) -> str | None:
    text = unicodedata.normalize("NFC", _catalogue(lang).gettext(msgid))
    if lang == "ru":
        # Stress marks, as in "Респу́блика", are for learners; no name plate carries them.
        text = text.replace("\u0301", "")
    # In Arabic, Chinese and Russian a name left in Latin letters was not translated; in
    # French and Spanish many names are simply the same as in English.
    if text == msgid and lang in ("ar", "zh", "ru"):
        return None
    if msgid.startswith("the "):
        text = _LEADING_ARTICLE.sub("", text)
        text = text[:1].upper() + text[1:]
    if msgid.endswith(")"):
        text = _TRAILING_PARENTHESIS.sub("", text)
    return uninvert(text.strip())


@cache
def state_name(iso3: str, lang: str) -> str | None:
    """The short name of a State in `lang` (not English), or None if ISO 3166 or the
    catalogue does not know it."""
    if (iso3, lang) in UN_SHORT_FORMS:
        return UN_SHORT_FORMS[iso3, lang]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return None
    # An inverted ISO name ("Korea, Republic of") often has an official name in reading
    # order ("Republic of Moldova") whose translation is nearer the UN's.
    candidates = [country.name]
    official = getattr(country, "official_name", None)
    if ", " in country.name and official:
        candidates.insert(0, official)
    for msgid in candidates:
        text = _translated(msgid, lang)
        if text:
            return text
    return None


def state_names(delegations: Iterable[Delegation], lang: Language) -> dict[str, str]:
    """Delegation id → name in `lang`, for the States among `delegations` (those with an ISO
    code). Stakeholders keep the names they registered with, and are left out."""
    names: dict[str, str] = {}
    for delegation in delegations:
        if not delegation.iso3:
            continue
        name = delegation.name if lang == "en" else state_name(delegation.iso3, lang)
        if name:
            names[delegation.id] = name
    return names
