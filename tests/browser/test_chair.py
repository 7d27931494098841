"""The co-facilitators' overview: the programme as planned and as held, and every room."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    LAPTOP,
    Room,
    Screens,
    choose_language,
    copy_demo,
    squeeze_item,
)

pytestmark = pytest.mark.browser


def test_the_chair_sees_actual_times_and_each_room_live(room: Room, screens: Screens) -> None:
    room.act("/items/d1-opening/start")
    room.act("/items/d1-panel1/start")
    page = screens.open("chair", LAPTOP)

    opening = page.locator("[data-testid=programme-item][data-item-id=d1-opening]")
    expect(opening.get_by_test_id("programme-scheduled")).to_have_text("10:00–10:15")
    expect(opening).to_have_attribute("data-status", "done")
    expect(opening.get_by_test_id("programme-actual")).to_have_text(
        re.compile(r"^\d\d:\d\d–\d\d:\d\d$")
    )
    panel = page.locator("[data-testid=programme-item][data-item-id=d1-panel1]")
    expect(panel).to_have_attribute("data-status", "under_way")
    expect(panel.get_by_test_id("programme-status")).to_have_text("● Under way")
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


def test_the_chair_follows_the_timetable_item_by_item(room: Room, screens: Screens) -> None:
    page = screens.open("chair", LAPTOP)
    opening, panel1, panel2 = (
        page.locator(f"[data-testid=programme-item][data-item-id={item_id}]")
        for item_id in ("d1-opening", "d1-panel1", "d1-panel2")
    )
    expect(opening).to_have_attribute("data-status", "to_come")
    expect(opening.get_by_test_id("programme-status")).to_have_text("○ To come")
    expect(opening.get_by_test_id("programme-actual")).to_have_text("—")

    # Each act moves the meeting's version, and the table is fetched again.
    room.act("/items/d1-opening/start")
    expect(opening).to_have_attribute("data-status", "under_way")
    expect(opening.get_by_test_id("programme-actual")).to_have_text(re.compile(r"^\d\d:\d\d–$"))

    # Taking up a later item ends the first and passes over the one between them.
    room.act("/items/d1-panel2/start")
    expect(panel2).to_have_attribute("data-status", "under_way")
    expect(opening).to_have_attribute("data-status", "done")
    expect(opening.get_by_test_id("programme-status")).to_have_text("✓ Ended")
    expect(opening.get_by_test_id("programme-actual")).to_have_text(
        re.compile(r"^\d\d:\d\d–\d\d:\d\d$")
    )
    expect(panel1).to_have_attribute("data-status", "passed")
    expect(panel1.get_by_test_id("programme-status")).to_have_text("↷ Not taken up")
    expect(panel1.get_by_test_id("programme-actual")).to_have_text("—")
    expect(panel1.get_by_test_id("programme-delay")).to_have_count(0)

    # The page says what the server's timetable says, item by item.
    timetable = room.client.get(f"/api/meetings/{room.meeting_id}/timetable").json()
    slots = {slot["item_id"]: slot for slot in timetable["items"]}
    assert slots["d1-opening"]["status"] == "done"
    assert slots["d1-panel1"]["status"] == "passed"
    ended = slots["d1-opening"]["says"]
    assert re.fullmatch(r"ended (\d+ min (late|early)|on time)", ended)
    expect(opening.get_by_test_id("programme-delay")).to_have_text(ended)
    expect(opening.get_by_test_id("programme-scheduled")).to_have_text("10:00–10:15")
    expect(page.get_by_test_id("programme-item")).to_have_count(len(slots))
    expect(page.locator("[data-testid=programme-item][data-status=under_way]")).to_have_count(1)

    # The words and marks follow the language.
    choose_language(page, "fr")
    expect(panel1.get_by_test_id("programme-status")).to_have_text("↷ Non examiné")
    expect(opening.get_by_test_id("programme-status")).to_have_text("✓ Terminé")
