"""Accessible screens: axe-core finds nothing serious on any screen (contrast included), in a
left-to-right and a right-to-left language; the console and the tablet work from the keyboard,
dialogs hold the focus and close on Escape; screen readers hear the place in line, the floor
given and the warnings; the display beeps only when the secretariat turns its sound on; a
phone vibrates when the floor is given."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    HALL,
    LAPTOP,
    PHONE,
    TABLET,
    Room,
    Screens,
    axe_violations,
    wait_language,
)
from tests.browser.layout import busy_room

pytestmark = pytest.mark.browser

RECORD_VIBRATIONS = """
window.vibrations = [];
Object.defineProperty(navigator, 'vibrate', {
  value: pattern => { window.vibrations.push(pattern); return true; },
});
"""


def withdraw(room: Room, delegation_id: str) -> None:
    response = room.client.delete(
        f"/api/meetings/{room.meeting_id}/floor/requests/{delegation_id}", headers=room.headers()
    )
    assert response.status_code == 200, response.text


def announced(page: Page, kind: str) -> Any:
    return expect(page.get_by_test_id(f"announce-{kind}"))


def focused(page: Page) -> str:
    testid: str = page.evaluate("() => document.activeElement?.dataset.testid ?? ''")
    return testid


def tab_to(page: Page, testid: str, presses: int = 40) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if focused(page) == testid:
            return
    raise AssertionError(f"Tab never reached {testid}")


def focus_is_visible(page: Page) -> bool:
    visible: bool = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
    )
    return visible


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_screen_has_a_serious_accessibility_violation(
    room: Room, screens: Screens, lang: str
) -> None:
    """Every screen in English; in Arabic, those whose layout is mirrored (the picker's list and
    the phases' colours are the same in both)."""
    busy_room(room, speaker="MEX")
    room.act("/timer/adjust", {"delta_s": -160})  # the warning's colours are checked too
    pages = {
        "display": screens.open("display", HALL, lang=lang),
        "moderator": screens.open("moderator", LAPTOP, lang=lang),
        "tablet waiting": screens.open(
            "tablet", TABLET, signed_in_as="VCT", delegation="VCT", lang=lang
        ),
        "tablet with the floor": screens.open(
            "tablet", PHONE, signed_in_as="MEX", delegation="MEX", lang=lang
        ),
        "chair": screens.open("chair", LAPTOP, lang=lang),
    }
    if lang == "en":
        pages["tablet picker"] = screens.open("tablet", TABLET, lang=lang)
        expect(pages["tablet picker"].get_by_test_id("picker-option")).to_have_count(202)
    for page in pages.values():
        wait_language(page, lang)
    expect(pages["display"].get_by_test_id("countdown")).to_have_attribute("data-phase", "warning")
    expect(pages["tablet with the floor"].get_by_test_id("floor-given")).to_be_visible()
    expect(pages["chair"].get_by_test_id("programme-item")).to_have_count(13)
    found = {name: axe_violations(page) for name, page in pages.items()}

    if lang == "en":
        # Past the limit, and the moderator's dialog open.
        room.act("/timer/adjust", {"delta_s": -19})  # a limit of one second
        display = pages["display"]
        expect(display.get_by_test_id("countdown")).to_have_attribute("data-phase", "overrun")
        given = pages["tablet with the floor"].get_by_test_id("floor-given")
        expect(given).to_have_attribute("data-phase", "overrun")
        found["display past the limit"] = axe_violations(display)
        found["tablet past the limit"] = axe_violations(pages["tablet with the floor"])
        moderator = pages["moderator"]
        moderator.get_by_test_id("line-row").nth(1).click()
        moderator.get_by_test_id("remove").click()
        expect(moderator.get_by_test_id("confirm-dialog")).to_be_visible()
        found["moderator dialog"] = axe_violations(moderator)
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_console_works_from_the_keyboard_and_its_dialog_holds_the_focus(
    room: Room, screens: Screens
) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    for delegation_id in ("MEX", "SWE", "FRA"):
        room.request_floor(delegation_id)
    page = screens.open("moderator", LAPTOP)
    rows = page.get_by_test_id("line-row")
    expect(rows).to_have_count(3)

    # Tab reaches the line (one stop for the whole list), the arrows move in it.
    tab_to(page, "line-row")
    assert page.evaluate("() => document.activeElement.dataset.id") == "MEX"
    assert focus_is_visible(page)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.dataset.id") == "SWE"
    # Space selects the row (it does not start the clock there).
    page.keyboard.press(" ")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("selected-name")).to_contain_text("Sweden")

    # The remove button, by keyboard; its dialog keeps Tab inside and closes on Escape.
    tab_to(page, "remove")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    assert focused(page) == "confirm-yes"
    for expected in ("confirm-no", "confirm-yes", "confirm-no"):
        page.keyboard.press("Tab")
        assert focused(page) == expected
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "confirm-yes"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert focused(page) == "remove"
    expect(rows).to_have_count(3)
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(2)
    assert [r["delegation_id"] for r in room.live()["floor"]["line"]] == ["MEX", "FRA"]


PRESS = """key => {
    const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
    document.body.dispatchEvent(event);
    return event.defaultPrevented;
}"""
"""A key pressed on the page; True if a shortcut took it (the handler prevents the default)."""


def test_single_key_shortcuts_can_be_switched_off_and_stay_off(
    room: Room, screens: Screens
) -> None:
    # WCAG 2.1.4: a shortcut of one printable key can be switched off.
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    page = screens.open("moderator", LAPTOP)
    toggle = page.get_by_test_id("shortcuts-toggle")
    floor_toggle = page.get_by_test_id("floor-toggle")
    expect(floor_toggle).to_have_attribute("data-open", "true")
    expect(toggle).to_be_checked()
    expect(page.get_by_test_id("shortcuts")).to_be_visible()

    toggle.uncheck()
    expect(page.get_by_test_id("shortcuts")).to_be_hidden()
    expect(floor_toggle.locator("kbd")).to_be_hidden()
    assert page.evaluate(PRESS, "o") is False
    version = room.live()["version"]

    page.reload()
    expect(toggle).not_to_be_checked()
    expect(page.get_by_test_id("shortcuts")).to_be_hidden()
    assert page.evaluate(PRESS, "n") is False
    assert room.live()["version"] == version
    expect(floor_toggle).to_have_attribute("data-open", "true")

    toggle.check()
    expect(page.get_by_test_id("shortcuts")).to_be_visible()
    assert page.evaluate(PRESS, "o") is True
    expect(floor_toggle).to_have_attribute("data-open", "false")
    assert room.live()["floor"]["is_open"] is False


def test_the_tablet_works_from_the_keyboard(room: Room, screens: Screens) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    page = screens.open("tablet", TABLET)
    expect(page.get_by_test_id("picker-option")).to_have_count(202)
    tab_to(page, "picker-search")
    assert focus_is_visible(page)
    page.keyboard.type("swe")
    expect(page.get_by_test_id("picker-option")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("tablet-delegation")).to_have_text("Sweden")
    tab_to(page, "request-button")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    if room.staff is not None:  # the app asks for the delegation's code, typed in its dialog
        expect(page.get_by_test_id("signin-dialog")).to_be_visible()
        assert focused(page) == "signin-code"
        page.keyboard.type(room.access_code("delegation", "SWE"))
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("tablet-status")).to_have_text("You are next")
    # The language switch too: the arrows choose, the page follows.
    tab_to(page, "language-select")
    assert focus_is_visible(page)
    page.keyboard.press("ArrowDown")  # English → Français
    wait_language(page, "fr")
    expect(page.get_by_test_id("tablet-status")).to_have_text("Vous êtes le prochain orateur")


def test_the_sign_in_dialog_holds_the_focus_and_closes_on_escape(
    room: Room, screens: Screens
) -> None:
    if room.staff is None:
        pytest.skip("this app has no access codes")
    room.act("/items/d1-panel1/start")
    page = screens.open("moderator", LAPTOP, anonymous=True, lang="fr")
    floor_state = page.get_by_test_id("floor-state")
    expect(floor_state).to_have_text("Demandes de parole closes")
    page.keyboard.press("o")
    dialog = page.get_by_test_id("signin-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("signin-submit")).to_have_text("Se connecter")
    assert focused(page) == "signin-code"
    for expected in ("signin-cancel", "signin-submit", "signin-code"):
        page.keyboard.press("Tab")
        assert focused(page) == expected
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("error-text")).to_have_text(
        "Non connecté\u202f: l'action n'a pas été envoyée."
    )
    expect(floor_state).to_have_text("Demandes de parole closes")


def test_screen_readers_hear_the_place_the_floor_and_the_warning(
    room: Room, screens: Screens
) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    for delegation_id in ("MEX", "SWE", "FRA"):
        room.request_floor(delegation_id)
    tablet = screens.open(
        "tablet", PHONE, signed_in_as="FRA", delegation="FRA", init_script=RECORD_VIBRATIONS
    )
    display = screens.open("display", HALL)
    expect(tablet.get_by_test_id("tablet-status")).to_have_text("3rd in line, about 6 min")
    expect(display.get_by_test_id("display-next-item")).to_have_count(3)

    # Polite: a new place in line, the next speaker.
    withdraw(room, "MEX")
    announced(tablet, "polite").to_have_text("2nd in line")
    announced(display, "polite").to_have_text("Next speaker: Sweden")
    room.act("/floor/next")
    announced(tablet, "polite").to_have_text("You are next")
    announced(display, "polite").to_have_text("Next speaker: France")

    # Assertive: the floor given (and the phone vibrates), then the warning and time up.
    room.act("/floor/next")
    announced(tablet, "assertive").to_have_text("You have the floor")
    assert tablet.evaluate("() => window.vibrations") == [[300, 150, 300]]
    room.act("/timer/adjust", {"delta_s": -160})
    announced(tablet, "assertive").to_contain_text("Warning: 0:")
    announced(display, "assertive").to_contain_text("Warning: 0:")
    room.act("/timer/adjust", {"delta_s": -19})  # a limit of one second
    announced(tablet, "assertive").to_have_text("Time is up")
    announced(display, "assertive").to_have_text("Time is up")
    # The live regions say it once; they are not the ticking clock.
    assert tablet.get_by_test_id("floor-given").get_attribute("aria-live") is None


def test_the_display_beeps_at_the_warning_and_at_zero_only_with_its_sound_on(
    room: Room, screens: Screens
) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    for delegation_id in ("MEX", "SWE"):
        room.request_floor(delegation_id)
    room.act("/floor/next")
    display = screens.open("display", HALL)
    sound = display.get_by_test_id("sound-toggle")
    expect(sound).to_have_attribute("aria-pressed", "false")
    expect(sound).to_have_text("Sound off")
    countdown = display.get_by_test_id("countdown")

    # Off by default: the warning is silent.
    room.act("/timer/adjust", {"delta_s": -160})
    expect(countdown).to_have_attribute("data-phase", "warning")
    room.act("/timer/adjust", {"delta_s": -19})  # a limit of one second
    expect(countdown).to_have_attribute("data-phase", "overrun")
    assert display.evaluate("() => window.floorkeeper.beeps") == []

    # Turned on by the secretariat: one tone at the warning, two at zero.
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "true")
    expect(sound).to_have_text("Sound on")
    room.act("/floor/next")
    expect(display.get_by_test_id("display-speaker")).to_have_text("Sweden")
    room.act("/timer/adjust", {"delta_s": -160})
    display.wait_for_function("() => window.floorkeeper.beeps.length === 1")
    room.act("/timer/adjust", {"delta_s": -19})  # a limit of one second
    display.wait_for_function("() => window.floorkeeper.beeps.length === 2")
    assert display.evaluate("() => window.floorkeeper.beeps") == ["warning", "zero"]
    # The choice is the display's: it stays on after a reload.
    display.reload()
    expect(display.get_by_test_id("sound-toggle")).to_have_attribute("aria-pressed", "true")
