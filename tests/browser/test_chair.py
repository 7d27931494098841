"""The co-facilitators' overview: the programme as planned and as held, and every room."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, Room, Screens, copy_demo, squeeze_item

pytestmark = pytest.mark.browser


def test_the_chair_sees_actual_times_and_each_room_live(room: Room, screens: Screens) -> None:
    room.act("/items/d1-opening/start")
    room.act("/items/d1-panel1/start")
    page = screens.open("chair", LAPTOP)

    opening = page.locator("[data-testid=programme-item][data-item-id=d1-opening]")
    expect(opening.get_by_test_id("programme-scheduled")).to_have_text("10:00–10:15")
    expect(opening).to_have_attribute("data-state", "done")
    expect(opening.get_by_test_id("programme-actual")).to_have_text(
        re.compile(r"^\d\d:\d\d–\d\d:\d\d$")
    )
    panel = page.locator("[data-testid=programme-item][data-item-id=d1-panel1]")
    expect(panel).to_have_attribute("data-state", "current")
    expect(panel.get_by_test_id("programme-state")).to_contain_text("Under way")
    expect(panel.get_by_test_id("programme-actual")).to_have_text(re.compile(r"^\d\d:\d\d–$"))
    later = page.locator("[data-testid=programme-item][data-item-id=d1-panel2]")
    expect(later.get_by_test_id("programme-actual")).to_have_text("—")

    here = page.locator(f"[data-testid=room][data-meeting-id={room.meeting_id}]")
    expect(here.get_by_test_id("room-item")).to_contain_text("Panel 1")
    expect(here.get_by_test_id("room-speaker")).to_have_text("No one has the floor")
    # Another room opened on the server appears within the list's refresh.
    other = f"{room.meeting_id}-b"
    copy_demo(room.client, other, room.headers(secretariat=True))
    expect(page.locator(f"[data-testid=room][data-meeting-id={other}]")).to_be_visible(
        timeout=20_000
    )

    room.act("/floor/open")
    room.request_floor("MEX")
    room.act("/floor/next")
    expect(here.get_by_test_id("room-speaker")).to_have_text("Speaking: Mexico · MEX")
    expect(here.get_by_test_id("room-floor")).to_contain_text("Floor open · 0 waiting")
    expect(here.get_by_test_id("room-countdown")).to_have_attribute("data-phase", "normal")

    expect(here.get_by_test_id("room-console")).to_have_attribute(
        "href", f"/moderator?meeting={room.meeting_id}"
    )
    here.get_by_test_id("room-display").click()
    page.wait_for_url(f"**/display?meeting={room.meeting_id}")
    expect(page.get_by_test_id("display-speaker")).to_have_text("Mexico")


def test_the_chair_sees_each_room_running_late(room: Room, screens: Screens) -> None:
    squeeze_item(room)
    room.act("/items/d1-panel1/start")
    late = room.live()["timetable"]
    assert late["delay"] == "late"
    page = screens.open("chair", LAPTOP)

    here = page.locator(f"[data-testid=room][data-meeting-id={room.meeting_id}]")
    delay = here.get_by_test_id("room-delay")
    expect(delay).to_have_attribute("data-delay", "late")
    expect(delay).to_contain_text(
        re.compile(r"^running \d+ min late · ends ≈\d\d:\d\d at this pace$")
    )
    expect(here.get_by_test_id("room-item")).to_contain_text("Panel 1")

    # A room with no item under way says nothing of a delay; taking one up there shows it.
    other = f"{room.meeting_id}-b"
    copy_demo(room.client, other, room.headers(secretariat=True))
    there = page.locator(f"[data-testid=room][data-meeting-id={other}]")
    expect(there).to_be_visible(timeout=20_000)
    expect(there.get_by_test_id("room-delay")).to_have_text("")
