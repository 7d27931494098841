"""The room at work, four screens at once: the moderator's console, two delegation tablets and
the hall display, from the floor opening to a speaker running over time and the next one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    HALL,
    LAPTOP,
    PHONE,
    TABLET,
    Room,
    Screens,
    choose_delegation,
    countdown_reading,
    screenshot,
)

pytestmark = pytest.mark.browser


def expect_phase(pages: list[tuple[Page, str]], phase: str) -> None:
    for page, testid in pages:
        expect(page.get_by_test_id(testid)).to_have_attribute("data-phase", phase)


def test_floor_from_requests_to_overrun_and_next(room: Room, screens: Screens) -> None:
    room.act("/items/d1-panel1/start")
    moderator = screens.open("moderator", LAPTOP)
    mexico = screens.open("tablet", TABLET, signed_in_as="MEX")
    sweden = screens.open("tablet", PHONE, signed_in_as="SWE")
    display = screens.open("display", HALL)

    # Each tablet chooses its delegation once, by name or by code.
    choose_delegation(mexico, "Mexi", "MEX")
    choose_delegation(sweden, "swe", "SWE")

    # The floor is closed: the button says why and cannot be pressed.
    request_mexico = mexico.get_by_test_id("request-button")
    expect(request_mexico).to_be_disabled()
    expect(mexico.get_by_test_id("tablet-reason")).to_contain_text("The floor is closed")

    # O opens the floor.
    expect(moderator.get_by_test_id("shortcuts")).to_contain_text("open / close the floor")
    moderator.keyboard.press("o")
    expect(moderator.get_by_test_id("floor-state")).to_have_text("Floor open")
    expect(request_mexico).to_be_enabled()

    # Both request; Sweden presses twice and is still one request.
    request_mexico.click()
    expect(mexico.get_by_test_id("tablet-status")).to_have_text("You are next")
    sweden.get_by_test_id("request-button").dblclick()
    expect(sweden.get_by_test_id("tablet-status")).to_have_text("2nd in line, about 3 min")
    expect(sweden.get_by_test_id("request-button")).to_have_text("Withdraw my request")
    expect(sweden.get_by_test_id("tablet-error")).to_be_hidden()
    assert [r["delegation_id"] for r in room.live()["floor"]["line"]] == ["MEX", "SWE"]

    # The hall and the moderator see the line.
    expect(display.get_by_test_id("display-next-item")).to_have_count(2)
    expect(display.get_by_test_id("display-next-item").nth(0)).to_contain_text("Mexico")
    expect(display.get_by_test_id("display-next-item").nth(1)).to_contain_text("Sweden")
    rows = moderator.get_by_test_id("line-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("MEX")
    expect(rows.nth(0)).to_contain_text("Member State")
    expect(moderator.get_by_test_id("not-spoken")).to_have_count(2)
    expect(moderator.get_by_test_id("next-speaker")).to_have_text("Mexico (MEX)")

    # N gives the floor to the next speaker.
    moderator.keyboard.press("n")
    given = mexico.get_by_test_id("floor-given")
    expect(given).to_be_visible()
    expect(given).to_contain_text("You have the floor")
    expect(display.get_by_test_id("display-speaker")).to_have_text("Mexico")
    expect(moderator.get_by_test_id("current-speaker")).to_have_text("Mexico")
    expect(sweden.get_by_test_id("tablet-status")).to_have_text("You are next, in about 3 min")

    # The countdown runs on the display and on the tablet, from the same facts.
    for page, testid in ((display, "countdown"), (mexico, "tablet-countdown")):
        first, _, phase = countdown_reading(page, testid)
        assert phase == "normal"
        assert 170_000 < first <= 180_000
        page.wait_for_function(
            f"() => Number(document.querySelector('[data-testid={testid}]')"
            f".dataset.remainingMs) < {first - 300}"
        )
    expect(display.get_by_test_id("timer-words")).to_have_text("of 3:00")

    # Warning: 25 s left of a shortened limit.
    clocks = [(display, "countdown"), (mexico, "tablet-countdown"), (moderator, "countdown")]
    room.act("/timer/adjust", {"delta_s": -155})
    expect_phase(clocks, "warning")
    expect(display.get_by_test_id("timer-words")).to_have_text(re.compile(r"^0:2\d left$"))
    expect(mexico.get_by_test_id("floor-given")).to_have_attribute("data-phase", "warning")
    screenshot(display, "scenario-display-warning")

    # The server refuses to take 30 s from 25 s: the moderator reads its sentence.
    moderator.keyboard.press("-")
    expect(moderator.get_by_test_id("error")).to_be_visible()
    expect(moderator.get_by_test_id("error-text")).to_contain_text("cannot go below zero")
    moderator.get_by_test_id("error-close").click()
    expect(moderator.get_by_test_id("error")).to_be_hidden()

    # Overrun: the limit is one second and the clock counts on past it.
    room.act("/timer/adjust", {"delta_s": -24})
    expect_phase(clocks, "overrun")
    expect(display.get_by_test_id("timer-words")).to_have_text(re.compile(r"^over by 0:\d\d$"))
    expect(display.get_by_test_id("countdown")).to_have_text(re.compile(r"^\+0:\d\d$"))
    expect(mexico.get_by_test_id("tablet-timer-words")).to_contain_text("over by")
    screenshot(display, "scenario-display-overrun")
    screenshot(mexico, "scenario-tablet-overrun")
    screenshot(moderator, "scenario-moderator-overrun")

    # Next: Sweden has the floor, Mexico's screen returns to the button.
    moderator.get_by_test_id("next").click()
    expect(sweden.get_by_test_id("floor-given")).to_be_visible()
    expect(given).to_be_hidden()
    expect(display.get_by_test_id("display-speaker")).to_have_text("Sweden")
    expect(display.get_by_test_id("countdown")).to_have_attribute("data-phase", "normal")
    expect(display.get_by_test_id("display-next-item")).to_have_count(0)
    expect(request_mexico).to_have_text("Request the floor")
    screenshot(sweden, "scenario-phone-floor-given")
