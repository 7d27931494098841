"""The tablet's picker finds a delegation by what a person types: case and diacritics
ignored, usual and former names, ISO codes, a stakeholder's initials (web/shared/search.js
with the server's terms, /api/meetings/{id}/names/aliases)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import TABLET, Room, Screens, choose_language

SEARCH = """
async ([query, items]) => {
  const { search } = await import("/static/shared/search.js");
  return search(query, items, (item) => item.terms).map((item) => item.id);
}
"""

ITEMS = [
    {"id": "CIV", "terms": ["Côte d'Ivoire", "CIV", "CI"]},
    {"id": "GBR", "terms": ["United Kingdom of Great Britain and Northern Ireland", "UK"]},
    {"id": "UKR", "terms": ["Ukraine", "UKR", "UA"]},
    {"id": "VNM", "terms": ["Viet Nam", "VNM"]},
    {"id": "IRQ", "terms": ["العراق", "Iraq"]},
    {"id": "sh-iom", "terms": ["International Organization for Migration", "IOM"]},
]


CASES = [
    ("cote", ["CIV"]),
    ("CÔTE D’IVOIRE", ["CIV"]),
    ("uk", ["GBR", "UKR"]),  # the exact term first, then the name that starts with it
    ("U.K.", ["GBR", "UKR"]),
    ("vietnam", ["VNM"]),
    ("viet-nam", ["VNM"]),
    ("britain", ["GBR"]),  # a word of the name
    ("ingdom", ["GBR"]),  # inside a word
    ("عِراق", ["IRQ"]),  # Arabic vowel marks ignored
    ("iom", ["sh-iom"]),
    ("migration", ["sh-iom"]),
    ("", ["CIV", "GBR", "UKR", "VNM", "IRQ", "sh-iom"]),
    ("zz", []),
]


def test_the_matching_function(screens: Screens, room: Room) -> None:
    page = screens.open("tablet", TABLET)
    for query, found in CASES:
        assert page.evaluate(SEARCH, [query, ITEMS]) == found, query


def first_found(page: Page, typed: str) -> str | None:
    page.get_by_test_id("picker-search").fill(typed)
    options = page.get_by_test_id("picker-option")
    expect(options.first).to_be_visible()
    return options.first.get_attribute("data-id")


def test_the_picker_finds_delegations_by_usual_names_codes_and_without_accents(
    screens: Screens, room: Room
) -> None:
    page = screens.open("tablet", TABLET)
    expect(page.get_by_test_id("picker")).to_be_visible()
    expect(page.get_by_test_id("picker-option")).to_have_count(202)
    cases = {
        "cote": "CIV",
        "UK": "GBR",
        "Turkey": "TUR",
        "IOM": "sh-iom",
        "North Korea": "PRK",
        "South Korea": "KOR",
        "Laos": "LAO",
        "Vietnam": "VNM",
        "Swaziland": "SWZ",
        "Burma": "MMR",
        "Holland": "NLD",
        "US": "USA",
        "DEU": "DEU",
        "ch": "CHE",  # ISO alpha-2, exactly, before the names that start with "ch"
        "Allemagne": "DEU",  # another language's name, on an English tablet
    }
    for typed, delegation_id in cases.items():
        assert first_found(page, typed) == delegation_id, typed

    page.get_by_test_id("picker-search").fill("no such delegation")
    expect(page.get_by_test_id("picker-option")).to_have_count(0)
    expect(page.get_by_test_id("picker-empty")).to_be_visible()

    # In French, the names shown are the UN's French ones, and the English still find them.
    choose_language(page, "fr")
    assert first_found(page, "Germany") == "DEU"
    expect(page.get_by_test_id("picker-option").first).to_contain_text("Allemagne")
    assert first_found(page, "etats-unis") == "USA"
    page.get_by_test_id("picker-option").first.click()
    expect(page.get_by_test_id("tablet-delegation")).to_have_text("États-Unis d'Amérique")
