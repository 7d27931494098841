"""Every screen in the six official languages: all its words in the language chosen (no key,
no empty label, no English left), the States' names too, and nothing overflowing at the sizes
each screen is made for. Arabic reads right to left, its figures left to right. One page per
screen goes through the six languages, as its user would with the language switch."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    HALL,
    LANGUAGES,
    LAPTOP,
    PHONE,
    ROOT,
    TABLET,
    Room,
    Screens,
    Size,
    choose_language,
    screenshot,
    wait_language,
)
from tests.browser.layout import (
    CHAIR_PARTS,
    DISPLAY_PARTS,
    LONG_NAMES,
    MODERATOR_PARTS,
    PICKER_PARTS,
    TABLET_PARTS,
    busy_room,
    overflows,
    size_name,
)

pytestmark = pytest.mark.browser

CATALOGUES: dict[str, dict[str, Any]] = {
    lang: json.loads((ROOT / "web" / "i18n" / f"{lang}.json").read_text("utf-8"))
    for lang in LANGUAGES
}
KEYS = sorted(CATALOGUES["en"])


def forms(value: Any) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


def english_only(lang: str) -> list[str]:
    """The English sentences that the language in use says otherwise: seen on its screen,
    they would be words left untranslated."""
    if lang == "en":
        return []
    theirs = {text for value in CATALOGUES[lang].values() for text in forms(value)}
    english = {text for value in CATALOGUES["en"].values() for text in forms(value)}
    return sorted(text for text in english - theirs if "{" not in text)


WORD_PROBLEMS = """
({keys, english}) => {
  const problems = [];
  const isKey = new Set(keys);
  const isEnglish = new Set(english);
  const raw = text => isKey.has(text) || /\\{\\w+\\}/.test(text);
  const shown = el =>
    el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text || !shown(node.parentElement)) continue;
    if (raw(text)) problems.push(`raw text "${text}"`);
    else if (isEnglish.has(text)) problems.push(`English text "${text}"`);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    for (const name of ['aria-label', 'placeholder', 'title']) {
      const value = el.getAttribute(name);
      if (value && raw(value)) problems.push(`raw ${name} "${value}"`);
      else if (value && isEnglish.has(value)) problems.push(`English ${name} "${value}"`);
    }
  }
  const labelled = 'button, a[href], label, h1, h2, th, select, input, [role=option], [data-i18n]';
  for (const el of document.querySelectorAll(labelled)) {
    if (!shown(el)) continue;
    // A form control is named by its label too (a checkbox inside its <label>).
    const label = [...(el.labels ?? [])].map(l => l.textContent.trim()).join(' ');
    const name =
      el.textContent.trim() || el.getAttribute('aria-label') || el.getAttribute('placeholder') ||
      label;
    if (!name) problems.push(`no words: ${el.outerHTML.slice(0, 90)}`);
  }
  if (raw(document.title)) problems.push(`raw title "${document.title}"`);
  return problems;
}
"""


def word_problems(page: Page, lang: str) -> list[str]:
    found: list[str] = page.evaluate(WORD_PROBLEMS, {"keys": KEYS, "english": english_only(lang)})
    return found


def names_in(room: Room, lang: str) -> dict[str, str]:
    response = room.client.get(f"/api/meetings/{room.meeting_id}/names", params={"lang": lang})
    assert response.status_code == 200, response.text
    names: dict[str, str] = response.json()
    return names


def check(page: Page, lang: str, parts: list[str], whole_screen: bool = True) -> list[str]:
    """Everything wrong with the page as it is, for one language: words and overflow."""
    size = page.viewport_size
    where = f"{lang} {size_name((size['width'], size['height']))}" if size else lang
    found = word_problems(page, lang) + overflows(page, parts, whole_screen)
    return [f"{where}: {problem}" for problem in found]


def at_sizes(page: Page, sizes: list[Size], lang: str, parts: list[str]) -> list[str]:
    problems = []
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        problems += check(page, lang, parts)
    return problems


def test_the_moderator_console_in_every_language(room: Room, screens: Screens) -> None:
    busy_room(room)
    room.act("/timer/adjust", {"delta_s": -160})
    page = screens.open("moderator", LAPTOP)
    expect(page.get_by_test_id("line-row")).to_have_count(len(LONG_NAMES))
    expect(page.get_by_test_id("countdown")).to_have_attribute("data-phase", "warning")
    page.get_by_test_id("line-row").nth(1).click()
    problems = []
    for lang in LANGUAGES:
        choose_language(page, lang)
        congo = page.locator("[data-testid=line-row][data-id=COD] .name")
        expect(congo).to_contain_text(names_in(room, lang)["COD"])
        expect(page.get_by_test_id("next")).to_contain_text(
            CATALOGUES[lang]["moderator.next_speaker"]
        )
        problems += at_sizes(page, [LAPTOP, HALL], lang, MODERATOR_PARTS)
    assert problems == []


def test_the_tablet_in_every_language(room: Room, screens: Screens) -> None:
    busy_room(room)
    waiting = screens.open("tablet", TABLET, signed_in_as="VCT", delegation="VCT")
    speaking = screens.open("tablet", TABLET, signed_in_as="sh-rcp", delegation="sh-rcp")
    picker = screens.open("tablet", TABLET)
    expect(waiting.get_by_test_id("tablet-status")).to_have_text("3rd in line, about 9 min")
    expect(speaking.get_by_test_id("floor-given")).to_be_visible()
    expect(picker.get_by_test_id("picker-option")).to_have_count(202)
    problems = []
    for lang in LANGUAGES:
        words = CATALOGUES[lang]
        names = names_in(room, lang)
        # The switch of the tablet that has the floor is under the notice: each tablet
        # remembers its own choice, so this one is told by its address as the others were.
        speaking.goto(room.url("tablet", delegation="sh-rcp", lang=lang))
        for page in (waiting, picker):
            choose_language(page, lang)
        wait_language(speaking, lang)

        expect(waiting.get_by_test_id("tablet-delegation")).to_have_text(names["VCT"])
        expect(waiting.get_by_test_id("request-button")).to_have_text(words["tablet.withdraw"])
        problems += at_sizes(waiting, [TABLET, PHONE], lang, TABLET_PARTS)

        expect(speaking.get_by_test_id("floor-given")).to_contain_text(words["tablet.floor_given"])
        problems += at_sizes(speaking, [TABLET, PHONE], lang, TABLET_PARTS)

        expect(picker.locator("[data-testid=picker-option][data-id=VAT]")).to_contain_text(
            names["VAT"]
        )
        problems += at_sizes(picker, [TABLET, PHONE], lang, PICKER_PARTS)
    assert problems == []


def test_the_hall_display_in_every_language(room: Room, screens: Screens) -> None:
    busy_room(room, speaker="MEX")
    page = screens.open("display", HALL)
    problems = []
    for lang in LANGUAGES:
        page.goto(room.url("display", lang=lang))
        wait_language(page, lang)
        names = names_in(room, lang)
        expect(page.get_by_test_id("display-speaker")).to_have_text(names["MEX"])
        expect(page.get_by_test_id("display-next-item").first).to_contain_text(names["COD"])
        expect(page.get_by_test_id("timer-words")).not_to_be_empty()
        problems += check(page, lang, [*DISPLAY_PARTS, "[data-testid=countdown]"])
    assert problems == []


def test_the_chair_overview_in_every_language(room: Room, screens: Screens) -> None:
    busy_room(room, speaker="MEX")
    page = screens.open("chair", LAPTOP)
    here = page.locator(f"[data-testid=room][data-meeting-id={room.meeting_id}]")
    problems = []
    for lang in LANGUAGES:
        choose_language(page, lang)
        expect(here.get_by_test_id("room-speaker")).to_contain_text(names_in(room, lang)["MEX"])
        expect(page.get_by_test_id("programme-item")).to_have_count(13)
        problems += check(page, lang, CHAIR_PARTS, whole_screen=False)
    assert problems == []


def test_a_tablet_opens_in_the_browsers_language_and_remembers_the_users_choice(
    room: Room, screens: Screens
) -> None:
    room.act("/items/d1-panel1/start")
    page = screens.open(
        "tablet",
        TABLET,
        signed_in_as="MEX",
        delegation="MEX",
        init_script="Object.defineProperty(navigator, 'languages', {get: () => ['es-MX', 'en']});",
    )
    wait_language(page, "es")
    expect(page.get_by_test_id("tablet-delegation")).to_have_text("México")
    expect(page.get_by_test_id("tablet-reason")).to_contain_text("Las solicitudes de palabra")
    choose_language(page, "ru")
    expect(page.get_by_test_id("tablet-delegation")).to_have_text("Мексика")
    page.reload()
    wait_language(page, "ru")
    expect(page.get_by_test_id("request-button")).to_have_text("Попросить слово")


# --- right to left ---------------------------------------------------------------------------

CHARACTER_LEFTS = """
el => {
  const node = [...el.childNodes].find(n => n.nodeType === Node.TEXT_NODE);
  const lefts = [];
  for (let i = 0; i < node.length; i++) {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    lefts.push(range.getBoundingClientRect().left);
  }
  return {text: node.textContent, lefts};
}
"""

TEXT_BOX = """
el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const r = range.getBoundingClientRect();
  return {left: r.left, right: r.right};
}
"""


def boxes(page: Page, *selectors: str) -> list[dict[str, float]]:
    """The boxes of the first element of each selector, measured at one moment (the screens
    redraw their lists as messages come)."""
    measure = "all => all.map(s => document.querySelector(s).getBoundingClientRect().toJSON())"
    found: list[dict[str, float]] = page.evaluate(measure, list(selectors))
    return found


def assert_reads_left_to_right(page: Page, testid: str) -> str:
    reading = page.get_by_test_id(testid).evaluate(CHARACTER_LEFTS)
    lefts = reading["lefts"]
    assert lefts == sorted(lefts), reading
    assert len(set(lefts)) == len(lefts), reading
    text: str = reading["text"]
    return text


def test_arabic_reads_right_to_left_and_its_figures_left_to_right(
    room: Room, screens: Screens
) -> None:
    busy_room(room, speaker="MEX")
    display = screens.open("display", HALL, lang="ar")
    wait_language(display, "ar")
    expect(display.locator("html")).to_have_attribute("dir", "rtl")
    expect(display.get_by_test_id("display-next-item")).to_have_count(5)
    # The speaker on the right, the next speakers on the left; each name starts on the right.
    speaker, following = boxes(display, ".speaker", ".next")
    assert speaker["left"] > following["right"]
    for item in display.get_by_test_id("display-next-item").all():
        text = item.locator(".name").evaluate(TEXT_BOX)
        column = item.locator(".name").evaluate("el => el.getBoundingClientRect().toJSON()")
        row = item.evaluate("el => el.getBoundingClientRect().toJSON()")
        assert abs(column["right"] - text["right"]) < 2, (text, column)  # the words start right
        assert row["right"] - column["right"] > 20, (row, column)  # the number is on the right
    # The figures read in order, past the limit too ("+0:01", not "0:01+").
    room.act("/timer/adjust", {"delta_s": -179})
    expect(display.get_by_test_id("countdown")).to_have_attribute("data-phase", "overrun")
    assert assert_reads_left_to_right(display, "countdown").startswith("+")
    assert_reads_left_to_right(display, "display-clock")

    moderator = screens.open("moderator", LAPTOP, lang="ar")
    wait_language(moderator, "ar")
    expect(moderator.get_by_test_id("line-row")).to_have_count(len(LONG_NAMES))
    place, name, line, speaking = boxes(
        moderator,
        "[data-testid=line-row] .place",
        "[data-testid=line-row] .name",
        ".line",
        ".speaking",
    )
    assert place["left"] > name["right"]  # each row starts on the right with its place
    assert line["left"] < speaking["left"]  # the panels run from right to left
    assert_reads_left_to_right(moderator, "countdown")

    tablet = screens.open("tablet", PHONE, signed_in_as="VCT", delegation="VCT", lang="ar")
    wait_language(tablet, "ar")
    expect(tablet.get_by_test_id("tablet-status")).to_contain_text("ترتيبكم")
    name = tablet.get_by_test_id("tablet-delegation").evaluate(TEXT_BOX)
    assert name["right"] > PHONE[0] / 2


GLYPHS_MISSING = """
text => {
  const canvas = document.createElement('canvas');
  canvas.width = 120;
  canvas.height = 80;
  const context = canvas.getContext('2d', {willReadFrequently: true});
  const font = getComputedStyle(document.body).fontFamily;
  const draw = glyph => {
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.font = `56px ${font}`;
    context.fillText(glyph, 10, 62);
    return context.getImageData(0, 0, canvas.width, canvas.height).data.join();
  };
  const tofu = draw('\\u{10FFFD}');  // a code point no font draws
  const missing = [...text].filter(c => c.trim() && draw(c) === tofu);
  return {detects: draw('\\uE000') === tofu, missing};
}
"""


@pytest.mark.parametrize("lang", ["ar", "zh"])
def test_the_hall_display_in_arabic_and_chinese_is_drawn_with_real_glyphs(
    room: Room, screens: Screens, lang: str
) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    # Observer States are heard after the Member States: the Holy See and the State of
    # Palestine are the last two of the five shown.
    for delegation_id in ("MEX", "VAT", "PSE", "CHN", "EGY", "RUS"):
        room.request_floor(delegation_id)
    room.act("/floor/next")
    page = screens.open("display", HALL, lang=lang)
    wait_language(page, lang)
    names = names_in(room, lang)
    expect(page.get_by_test_id("display-speaker")).to_have_text(names["MEX"])
    items = page.get_by_test_id("display-next-item")
    for n, state in enumerate(["CHN", "EGY", "RUS", "VAT", "PSE"]):
        expect(items.nth(n)).to_contain_text(names[state])
    text = page.locator("body").inner_text()
    glyphs = page.evaluate(GLYPHS_MISSING, text)
    assert glyphs["detects"], "the check cannot tell a missing glyph"
    assert glyphs["missing"] == [], (
        "no font draws these: install Debian's fonts-noto-core and fonts-noto-cjk "
        "(make browser-deps)"
    )
    screenshot(page, f"display-{lang}-1920x1080")
