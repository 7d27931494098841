"""The screens' words in the six official languages (web/i18n/*.json): every language has every
key, every key is used by a screen, every key a screen uses exists, and each sentence has the
plural forms and {places} its language needs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")

# Plural categories of whole numbers in CLDR (as Intl.PluralRules has them) that a count of
# people, requests or minutes can fall in. French and Spanish also have "many", but only for
# millions; "other" is always there, as the fallback.
CARDINAL = {
    "ar": {"zero", "one", "two", "few", "many", "other"},
    "zh": {"other"},
    "en": {"one", "other"},
    "fr": {"one", "other"},
    "ru": {"one", "few", "many", "other"},
    "es": {"one", "other"},
}
ORDINAL = {
    "ar": {"other"},
    "zh": {"other"},
    "en": {"one", "two", "few", "other"},
    "fr": {"one", "other"},
    "ru": {"other"},
    "es": {"other"},
}
ALL_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}

# How the screens name a key: t("key", ...) and msg("key") in scripts; data-i18n="key",
# data-i18n-aria-label, -placeholder, -title in pages (or set as dataset.i18n... in scripts).
USES = [
    re.compile(r"""(?<![\w$.])(?:t|msg)\(\s*["']([^"']+)["']"""),
    re.compile(r"""data-i18n(?:-[a-z-]+)?=["']([^"']+)["']"""),
    re.compile(r"""\.dataset\.i18n\w*\s*=\s*["']([^"']+)["']"""),
]
PLACE = re.compile(r"\{(\w+)\}")


def catalogue(lang: str) -> dict[str, Any]:
    words: dict[str, Any] = json.loads((WEB / "i18n" / f"{lang}.json").read_text("utf-8"))
    return words


def used_keys() -> dict[str, set[str]]:
    """key → the files that use it."""
    found: dict[str, set[str]] = {}
    for path in sorted(WEB.rglob("*")):
        if path.suffix not in (".js", ".html"):
            continue
        text = path.read_text("utf-8")
        for pattern in USES:
            for match in pattern.finditer(text):
                found.setdefault(match.group(1), set()).add(str(path.relative_to(WEB)))
    return found


def forms(value: Any) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


ENGLISH = catalogue("en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_key_and_no_other(lang: str) -> None:
    words = catalogue(lang)
    assert sorted(set(ENGLISH) - set(words)) == [], "missing"
    assert sorted(set(words) - set(ENGLISH)) == [], "not in English"


def test_every_key_is_used_by_a_screen() -> None:
    assert sorted(set(ENGLISH) - set(used_keys())) == []


def test_every_key_a_screen_uses_is_in_the_catalogues() -> None:
    unknown = {key: files for key, files in used_keys().items() if key not in ENGLISH}
    assert unknown == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sentences_are_not_empty_and_have_the_forms_the_language_needs(lang: str) -> None:
    for key, value in catalogue(lang).items():
        for text in forms(value):
            assert isinstance(text, str), key
            assert text, key
            assert text.strip() == text, (key, text)
        if not isinstance(value, dict):
            continue
        english = ENGLISH[key]
        ordinal = "{ordinal}" in json.dumps(english)
        needed = (ORDINAL if ordinal else CARDINAL)[lang]
        assert needed <= set(value), (key, sorted(needed - set(value)))
        assert set(value) <= ALL_CATEGORIES, (key, sorted(set(value) - ALL_CATEGORIES))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_sentence_fills_the_places_the_english_one_fills(lang: str) -> None:
    for key, value in catalogue(lang).items():
        english_places = {p for text in forms(ENGLISH[key]) for p in PLACE.findall(text)}
        places = {p for text in forms(value) for p in PLACE.findall(text)}
        # A plural form may spell its number out ("مداخلة واحدة"), so {count} may be missing
        # from some forms; no other place may be, and none may be made up.
        assert places <= english_places, (key, sorted(places - english_places))
        assert english_places - places <= {"count"}, (key, sorted(english_places - places))


def test_the_floor_is_asked_for_and_given_in_un_words() -> None:
    request = {lang: catalogue(lang)["tablet.request"] for lang in LANGUAGES}
    given = {lang: catalogue(lang)["tablet.floor_given"] for lang in LANGUAGES}
    assert request == {
        "ar": "طلب الكلمة",
        "zh": "请求发言",
        "en": "Request the floor",
        "fr": "Demander la parole",
        "ru": "Попросить слово",
        "es": "Solicitar la palabra",
    }
    assert given == {
        "ar": "الكلمة لكم",
        "zh": "请您发言",
        "en": "You have the floor",
        "fr": "Vous avez la parole",
        "ru": "Вам предоставлено слово",
        "es": "Tiene la palabra",
    }
