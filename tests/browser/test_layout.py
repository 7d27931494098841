"""Every screen's text fits at the sizes it is made for, with the longest names of the roster;
the screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HALL, LAPTOP, PHONE, TABLET, Room, Screens, Size, screenshot
from tests.browser.layout import (
    CHAIR_PARTS,
    DISPLAY_PARTS,
    LONG_NAMES,
    MODERATOR_PARTS,
    PICKER_PARTS,
    TABLET_PARTS,
    assert_fits,
    busy_room,
    size_name,
)

pytestmark = pytest.mark.browser

DIGIT_HEIGHT = """
el => {
  const style = getComputedStyle(el);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const m = context.measureText('0');
  return (m.actualBoundingBoxAscent + m.actualBoundingBoxDescent) / window.innerHeight;
}
"""


@pytest.mark.parametrize("size", [LAPTOP, (1920, 1080)], ids=size_name)
def test_moderator_console_fits(room: Room, screens: Screens, size: Size) -> None:
    busy_room(room)
    room.act("/timer/adjust", {"delta_s": -160})
    page = screens.open("moderator", size)
    expect(page.get_by_test_id("line-row")).to_have_count(len(LONG_NAMES))
    expect(page.get_by_test_id("countdown")).to_have_attribute("data-phase", "warning")
    page.get_by_test_id("line-row").nth(1).click()
    expect(page.get_by_test_id("give-selected")).to_be_enabled()
    assert_fits(page, MODERATOR_PARTS)
    for testid in ("countdown", "next", "floor-toggle", "remove", "shortcuts"):
        expect(page.get_by_test_id(testid)).to_be_in_viewport()
    screenshot(page, f"moderator-{size_name(size)}")


@pytest.mark.parametrize("size", [TABLET, PHONE], ids=size_name)
def test_tablet_fits_waiting_and_with_the_floor(room: Room, screens: Screens, size: Size) -> None:
    busy_room(room)
    waiting = screens.open("tablet", size, signed_in_as="VCT", delegation="VCT")
    expect(waiting.get_by_test_id("tablet-status")).to_have_text("3rd in line, about 9 min")
    selectors = TABLET_PARTS
    assert_fits(waiting, selectors)
    button = waiting.get_by_test_id("request-button").bounding_box()
    assert button is not None
    assert button["height"] >= 48
    screenshot(waiting, f"tablet-{size_name(size)}-waiting")

    speaking = screens.open("tablet", size, signed_in_as="sh-rcp", delegation="sh-rcp")
    expect(speaking.get_by_test_id("floor-given")).to_be_visible()
    expect(speaking.get_by_test_id("floor-given-name")).to_have_text(
        "Regional consultative process secretariat"
    )
    assert_fits(speaking, selectors)
    screenshot(speaking, f"tablet-{size_name(size)}-floor")

    picker = screens.open("tablet", size)
    expect(picker.get_by_test_id("picker-option")).to_have_count(202)
    assert_fits(picker, PICKER_PARTS)
    option = picker.get_by_test_id("picker-option").first.bounding_box()
    assert option is not None
    assert option["height"] >= 48
    screenshot(picker, f"tablet-{size_name(size)}-picker")


def test_hall_display_fits_and_its_digits_are_large(room: Room, screens: Screens) -> None:
    busy_room(room)
    page = screens.open("display", HALL)
    expect(page.get_by_test_id("display-speaker")).to_have_text(
        "Regional consultative process secretariat"
    )
    expect(page.get_by_test_id("display-next-item")).to_have_count(5)
    selectors = DISPLAY_PARTS
    assert_fits(page, [*selectors, "[data-testid=countdown]"])
    countdown = page.get_by_test_id("countdown")
    assert countdown.evaluate(DIGIT_HEIGHT) >= 0.25
    expect(countdown).to_be_in_viewport(ratio=1)
    screenshot(page, "display-1920x1080")

    # A long overrun figure still fits, and its digits stay large.
    room.act("/timer/adjust", {"delta_s": -179})
    expect(countdown).to_have_attribute("data-phase", "overrun")
    assert_fits(page, [*selectors, "[data-testid=countdown]"])
    assert countdown.evaluate(DIGIT_HEIGHT) >= 0.25

    # A scripted turn whose speaker has a long affiliation.
    room.act("/floor/give", {"turn_id": "d1-opening-issue-brief"})
    expect(page.get_by_test_id("display-speaker")).to_have_text("Ms. Louise Arbour")
    assert_fits(page, selectors)
    expect(countdown).to_be_in_viewport(ratio=1)
    screenshot(page, "display-1920x1080-scripted-turn")

    # The longest name of the roster, speaking.
    room.act("/floor/give", {"delegation_id": "GBR"})
    expect(page.get_by_test_id("display-speaker")).to_have_text(
        "United Kingdom of Great Britain and Northern Ireland"
    )
    assert_fits(page, selectors)
    expect(countdown).to_be_in_viewport(ratio=1)

    # A click makes it full screen.
    page.mouse.click(600, 600)
    page.wait_for_function("() => document.fullscreenElement !== null")


def test_chair_overview_fits(room: Room, screens: Screens) -> None:
    busy_room(room)
    page = screens.open("chair", LAPTOP)
    expect(page.get_by_test_id("programme-item")).to_have_count(13)
    expect(page.locator(f"[data-testid=room][data-meeting-id={room.meeting_id}]")).to_contain_text(
        "Regional consultative process secretariat"
    )
    assert_fits(page, CHAIR_PARTS, whole_screen=False)
    screenshot(page, "chair-1366x768")
