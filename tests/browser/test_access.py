"""Signing in from a screen, where the app has access codes: the sheet's link, and the code
asked for when an act needs one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, TABLET, Room, Screens

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _needs_sign_in(room: Room) -> None:
    if room.staff is None:
        pytest.skip("this app has no access codes")


def test_the_sheet_link_signs_a_tablet_in_as_its_delegation(room: Room, screens: Screens) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    code = room.access_code("delegation", "MEX")
    tablet = screens.open("tablet", TABLET, fragment=f"#code={code}")
    expect(tablet.get_by_test_id("tablet-delegation")).to_have_text("Mexico")
    assert "code=" not in tablet.url
    expect(tablet.get_by_test_id("change-delegation")).to_be_hidden()
    tablet.get_by_test_id("request-button").click()
    expect(tablet.get_by_test_id("tablet-status")).to_have_text("You are next")
    assert [r["delegation_id"] for r in room.live()["floor"]["line"]] == ["MEX"]


def test_the_console_asks_for_the_moderators_code(room: Room, screens: Screens) -> None:
    room.act("/items/d1-panel1/start")
    page = screens.open("moderator", LAPTOP, anonymous=True)
    page.get_by_test_id("floor-toggle").click()
    dialog = page.get_by_test_id("signin-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("signin-code").fill("AAAA-AAAA")
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("signin-error")).to_contain_text("not valid")
    page.get_by_test_id("signin-code").fill(room.access_code("moderator"))
    page.get_by_test_id("signin-submit").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("floor-state")).to_have_text("Floor open")
    # Signed in, the next act goes straight through.
    page.keyboard.press("o")
    expect(page.get_by_test_id("floor-state")).to_have_text("Floor closed")
