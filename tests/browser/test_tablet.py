"""The delegation tablet: one request however it is pressed, and a dropped network that heals."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.browser.conftest import PHONE, TABLET, Room, Screens, choose_delegation

pytestmark = pytest.mark.browser


class Relay:
    """Stands between a page and the server's websocket: it can hold the server's messages
    back, or refuse connections, as a bad network would."""

    def __init__(self, page: Page) -> None:
        self.holding = False
        self.refusing = False
        self.held: list[tuple[WebSocketRoute, str | bytes]] = []
        self.pages: list[WebSocketRoute] = []
        page.route_web_socket("**/ws/meetings/**", self._connect)

    def _connect(self, ws: WebSocketRoute) -> None:
        if self.refusing:
            ws.close()
            return
        server = ws.connect_to_server()
        ws.on_message(server.send)
        server.on_message(lambda message: self._deliver(ws, message))
        self.pages.append(ws)

    def _deliver(self, ws: WebSocketRoute, message: str | bytes) -> None:
        if self.holding:
            self.held.append((ws, message))
        else:
            ws.send(message)

    def release(self) -> None:
        self.holding = False
        for ws, message in self.held:
            ws.send(message)
        self.held.clear()

    def drop(self) -> None:
        """Cut the line and refuse to reconnect."""
        self.refusing = True
        for ws in self.pages:
            ws.close()
        self.pages.clear()


def test_a_request_pressed_on_two_devices_is_one_request_and_no_error(
    room: Room, screens: Screens
) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    tablet = screens.open("tablet", TABLET, signed_in_as="MEX")
    relay = Relay(tablet)
    tablet.reload()  # the relay sees the websocket from here on
    choose_delegation(tablet, "MEX", "MEX")
    button = tablet.get_by_test_id("request-button")
    expect(button).to_be_enabled()

    # Another device of the delegation asks first; this tablet has not heard of it yet.
    relay.holding = True
    room.request_floor("MEX")
    with tablet.expect_response(lambda r: r.url.endswith("/floor/requests")) as answer:
        button.click()
    assert answer.value.status == 409
    expect(button).to_be_enabled()  # the refusal has been handled
    expect(button).to_have_text("Request the floor")
    expect(tablet.get_by_test_id("tablet-error")).to_be_hidden()
    relay.release()
    expect(button).to_have_text("Withdraw my request")
    expect(tablet.get_by_test_id("tablet-status")).to_have_text("You are next")
    assert [r["delegation_id"] for r in room.live()["floor"]["line"]] == ["MEX"]

    # Withdraw, and the choice of delegation survives a reload.
    button.click()
    expect(button).to_have_text("Request the floor")
    assert room.live()["floor"]["line"] == []
    tablet.reload()
    expect(tablet.get_by_test_id("tablet-delegation")).to_have_text("Mexico")
    expect(tablet.get_by_test_id("picker")).to_be_hidden()


def test_a_tablet_that_loses_the_network_says_so_and_catches_up(
    room: Room, screens: Screens
) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    room.request_floor("SWE")
    tablet = screens.open("tablet", PHONE, signed_in_as="SWE", delegation="SWE")
    relay = Relay(tablet)
    tablet.reload()
    expect(tablet.get_by_test_id("tablet-status")).to_have_text("You are next")
    connection = tablet.get_by_test_id("connection")
    expect(connection).to_have_text("Connected")

    relay.drop()
    expect(connection).to_have_text("Reconnecting…")
    expect(tablet.get_by_test_id("request-button")).to_be_disabled()
    expect(tablet.get_by_test_id("tablet-reason")).to_contain_text("Reconnecting")

    # Meanwhile the moderator gives Sweden the floor.
    room.act("/floor/next")
    relay.refusing = False
    expect(connection).to_have_text("Connected", timeout=15_000)
    expect(tablet.get_by_test_id("floor-given")).to_be_visible()
    expect(tablet.get_by_test_id("floor-given-name")).to_have_text("Sweden")


def test_the_tablet_says_why_it_cannot_request(room: Room, screens: Screens) -> None:
    tablet = screens.open("tablet", TABLET, signed_in_as="FRA", delegation="FRA")
    reason = tablet.get_by_test_id("tablet-reason")
    expect(reason).to_contain_text("No agenda item is under way")
    room.act("/items/d1-panel1/start")
    expect(reason).to_contain_text("The floor is closed")
    room.act("/floor/open")
    expect(reason).to_have_text("")
    tablet.get_by_test_id("request-button").click()
    expect(tablet.get_by_test_id("tablet-status")).to_have_text("You are next")
    room.act("/floor/close")
    expect(reason).to_contain_text("your request stands")
    expect(tablet.get_by_test_id("request-button")).to_be_enabled()
