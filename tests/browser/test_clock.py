"""Every screen shows the server's time, whatever its own clock says."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HALL, TABLET, Room, Screens, countdown_reading, wait_synced

pytestmark = pytest.mark.browser

SKEW_MS = 7_000
# The tablet's clock runs 7 s ahead of the world.
SKEWED_CLOCK = f"""
(() => {{
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + {SKEW_MS};
}})();
"""


def test_a_tablet_with_a_wrong_clock_shows_the_time_the_display_shows(
    room: Room, screens: Screens
) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    room.request_floor("MEX")
    room.act("/floor/next")

    display = screens.open("display", HALL)
    tablet = screens.open(
        "tablet", TABLET, init_script=SKEWED_CLOCK, signed_in_as="MEX", delegation="MEX"
    )
    expect(tablet.get_by_test_id("floor-given")).to_be_visible()
    wait_synced(display)
    wait_synced(tablet)
    offset = tablet.evaluate("() => window.floorkeeper.conn.clock.offset")
    assert -SKEW_MS - 300 < offset < -SKEW_MS + 300

    # Running: each screen's reading, moved to a common real instant, agrees within 250 ms.
    for _ in range(5):
        left_tablet, at_tablet, _ = countdown_reading(tablet, "tablet-countdown")
        left_display, at_display, _ = countdown_reading(display)
        ends_tablet = at_tablet + left_tablet
        ends_display = at_display + left_display
        assert abs(ends_tablet - ends_display) < 250, (left_tablet, left_display)
    assert 0 < left_display < 180_000

    # Paused: both show the same figure.
    room.act("/timer/pause")
    expect(display.get_by_test_id("countdown")).to_have_attribute("data-state", "paused")
    expect(tablet.get_by_test_id("tablet-countdown")).to_have_attribute("data-state", "paused")
    paused_display = display.get_by_test_id("countdown").inner_text()
    expect(tablet.get_by_test_id("tablet-countdown")).to_have_text(paused_display)
    expect(tablet.get_by_test_id("tablet-timer-words")).to_contain_text("paused")
