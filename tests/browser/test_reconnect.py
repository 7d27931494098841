"""Losing the server: the hall display keeps counting, says it is offline, and catches up."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import HALL, Room, Screens, countdown_reading, screenshot

pytestmark = pytest.mark.browser

# Records what the display shows while its offline mark is up.
WATCH_OFFLINE = """
() => {
  window.watched = {offline: false, readings: []};
  const mark = document.querySelector('[data-testid=offline-mark]');
  const countdown = document.querySelector('[data-testid=countdown]');
  const look = () => {
    if (!mark.hidden) {
      window.watched.offline = true;
      window.watched.readings.push(countdown.dataset.remainingMs);
    }
  };
  new MutationObserver(look).observe(countdown, {attributes: true});
  new MutationObserver(look).observe(mark, {attributes: true});
}
"""


def test_the_display_keeps_counting_offline_and_catches_up_after_a_restart(
    room: Room, screens: Screens, live_server: Any
) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    room.request_floor("MEX")
    room.request_floor("SWE")
    room.act("/floor/next")

    display = screens.open("display", HALL)
    expect(display.get_by_test_id("display-speaker")).to_have_text("Mexico")
    expect(display.get_by_test_id("offline-mark")).to_be_hidden()
    display.evaluate("() => { window.notReloaded = true; }")
    display.evaluate(WATCH_OFFLINE)

    live_server.restart()  # kill -9, then the same port and the same Redis

    display.wait_for_function("() => window.watched.offline")
    expect(display.get_by_test_id("offline-mark")).to_be_hidden(timeout=20_000)
    readings = display.evaluate("() => window.watched.readings")
    assert len(set(readings)) >= 2, "the clock stood still while offline"

    # A change made after the restart reaches the display without a reload.
    room.act("/floor/next")
    expect(display.get_by_test_id("display-speaker")).to_have_text("Sweden")
    assert display.evaluate("() => window.notReloaded") is True
    left, _, phase = countdown_reading(display)
    assert phase == "normal"
    assert 170_000 < left <= 180_000


def test_the_offline_mark_is_shown_while_the_server_is_away(room: Room, screens: Screens) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    room.request_floor("MEX")
    room.act("/floor/next")

    refused = {"on": False}
    display = screens.open("display", HALL)
    expect(display.get_by_test_id("display-speaker")).to_have_text("Mexico")

    def through(ws: Any) -> None:
        if refused["on"]:
            ws.close()
            return
        server = ws.connect_to_server()
        ws.on_message(server.send)
        server.on_message(ws.send)

    display.route_web_socket("**/ws/meetings/**", through)
    refused["on"] = True
    display.evaluate("() => window.floorkeeper.conn.socket.close()")
    mark = display.get_by_test_id("offline-mark")
    expect(mark).to_be_visible()
    expect(mark).to_contain_text("offline")
    first, _, _ = countdown_reading(display)
    display.wait_for_function(
        "r => Number(document.querySelector('[data-testid=countdown]').dataset.remainingMs) < r",
        arg=first - 500,
    )
    screenshot(display, "display-offline")
    refused["on"] = False
    room.act("/timer/pause")
    expect(mark).to_be_hidden(timeout=15_000)
    expect(display.get_by_test_id("countdown")).to_have_attribute("data-state", "paused")
