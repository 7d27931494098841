"""The moderator's console: the line, who is given the floor, the clock, segments and items."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, Room, Screens, squeeze_item

pytestmark = pytest.mark.browser


def line_order(page: Page) -> list[str]:
    rows = page.get_by_test_id("line-row")
    return [rows.nth(i).get_attribute("data-id") or "" for i in range(rows.count())]


def select(page: Page, delegation_id: str) -> None:
    page.locator(f"[data-testid=line-row][data-id='{delegation_id}']").click()
    expect(page.locator(f"[data-testid=line-row][data-id='{delegation_id}']")).to_have_attribute(
        "aria-selected", "true"
    )


def expect_line(page: Page, room: Room, order: list[str]) -> None:
    expect(page.get_by_test_id("line-row")).to_have_count(len(order))
    page.wait_for_function(
        "order => [...document.querySelectorAll('[data-testid=line-row]')]"
        ".map(r => r.dataset.id).join() === order.join()",
        arg=order,
    )
    assert [r["delegation_id"] for r in room.live()["floor"]["line"]] == order


def test_the_moderator_orders_the_line_and_confirms_removal_and_out_of_turn(
    room: Room, screens: Screens
) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    for delegation_id in ("MEX", "SWE", "FRA", "CHE"):
        room.request_floor(delegation_id)
    page = screens.open("moderator", LAPTOP)
    expect_line(page, room, ["MEX", "SWE", "FRA", "CHE"])
    expect(page.get_by_test_id("give-selected")).to_be_disabled()

    select(page, "CHE")
    page.get_by_test_id("move-up").click()
    expect_line(page, room, ["MEX", "SWE", "CHE", "FRA"])

    select(page, "MEX")
    page.get_by_test_id("move-place").fill("3")
    page.get_by_test_id("move-to").click()
    expect_line(page, room, ["SWE", "CHE", "MEX", "FRA"])

    select(page, "SWE")
    page.get_by_test_id("defer").click()
    expect_line(page, room, ["CHE", "MEX", "FRA", "SWE"])
    expect(page.locator("[data-testid=line-row][data-id=SWE]")).to_contain_text("deferred")

    # Removal asks first; cancelling changes nothing.
    select(page, "FRA")
    page.get_by_test_id("remove").click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("confirm-text")).to_contain_text("France")
    page.get_by_test_id("confirm-no").click()
    expect(dialog).to_be_hidden()
    expect_line(page, room, ["CHE", "MEX", "FRA", "SWE"])
    page.get_by_test_id("remove").click()
    page.get_by_test_id("confirm-yes").click()
    expect_line(page, room, ["CHE", "MEX", "SWE"])

    # Mexico is not next: giving it the floor is out of turn and asks first.
    expect(page.get_by_test_id("next-speaker")).to_have_text("Switzerland (CHE)")
    select(page, "MEX")
    page.get_by_test_id("give-selected").click()
    expect(page.get_by_test_id("confirm-text")).to_contain_text("out of turn")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("current-speaker")).to_have_text("No one has the floor")
    page.get_by_test_id("give-selected").click()
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("current-speaker")).to_have_text("Mexico")
    expect(page.get_by_test_id("current-detail")).to_contain_text("out of turn")
    expect_line(page, room, ["CHE", "SWE"])

    # Switzerland is next: giving it the floor is in turn, no question asked.
    select(page, "CHE")
    page.get_by_test_id("give-selected").click()
    expect(page.get_by_test_id("current-speaker")).to_have_text("Switzerland")
    expect(dialog).to_be_hidden()
    current = room.live()["floor"]["current"]
    assert current["speaker_id"] == "CHE"
    assert current["out_of_turn"] is False


def test_the_clock_keys_and_the_programme_turns(room: Room, screens: Screens) -> None:
    room.act("/items/d1-panel1/start")
    page = screens.open("moderator", LAPTOP)
    expect(page.get_by_test_id("turn")).to_have_count(5)

    # No one waits: N is refused, and the console says why.
    page.keyboard.press("n")
    expect(page.get_by_test_id("error-text")).to_have_text(
        "No one is waiting for the floor in this segment."
    )

    page.locator("[data-testid=give-turn][data-id=d1-panel1-opening]").click()
    expect(page.get_by_test_id("current-speaker")).to_have_text("H.E. Mr. Ola Henrikson")
    expect(page.get_by_test_id("current-detail")).to_contain_text(
        "Opening remarks by the moderator"
    )
    expect(page.get_by_test_id("timer-words")).to_have_text("of 7:00")
    expect(page.get_by_test_id("error")).to_be_hidden()

    countdown = page.get_by_test_id("countdown")
    page.keyboard.press(" ")
    expect(countdown).to_have_attribute("data-state", "paused")
    expect(page.get_by_test_id("timer-toggle")).to_contain_text("Resume")
    expect(page.get_by_test_id("timer-words")).to_contain_text("paused")
    page.keyboard.press(" ")
    expect(countdown).to_have_attribute("data-state", "running")
    page.keyboard.press("+")
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=countdown]').dataset.remainingMs)"
        " > 420000"
    )
    assert room.live()["floor"]["current"]["timer"]["limit_ms"] == 450_000
    page.keyboard.press("e")
    expect(page.get_by_test_id("current-speaker")).to_have_text("No one has the floor")
    expect(countdown).to_have_attribute("data-phase", "none")


def test_the_rooms_refusals_are_said_in_the_consoles_language(room: Room, screens: Screens) -> None:
    # The server names the reason of a refusal met in the room; the console says it in French.
    room.act("/items/d1-panel1/start")
    page = screens.open("moderator", LAPTOP, lang="fr")
    expect(page.get_by_test_id("turn")).to_have_count(5)
    error = page.get_by_test_id("error-text")
    page.keyboard.press("n")
    expect(error).to_have_text("Personne n'attend la parole dans cette séquence.")
    # A refusal without a reason keeps the server's sentence (test_floor_scenario.py).


def test_panelists_segments_proposal_and_taking_up_an_item(room: Room, screens: Screens) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    room.request_floor("MEX")
    page = screens.open("moderator", LAPTOP)
    expect(page.get_by_test_id("panelist")).to_have_count(3)

    # A panelist in a Member States segment is out of turn: asked first.
    page.locator("[data-testid=give-panelist][data-id=p1-b]").click()
    expect(page.get_by_test_id("confirm-text")).to_contain_text("Panel 1 expert B")
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("current-speaker")).to_have_text("Panel 1 expert B")

    page.get_by_test_id("segment-panelists").click()
    expect(page.get_by_test_id("segment")).to_have_text("Panelists respond · segment 2")
    expect(page.get_by_test_id("next-speaker")).to_have_text("Panel 1 expert A")

    # In a panelists segment the next panelist is in turn: no question.
    page.locator("[data-testid=give-panelist][data-id=p1-a]").click()
    expect(page.get_by_test_id("current-speaker")).to_have_text("Panel 1 expert A")
    expect(page.get_by_test_id("confirm-dialog")).to_be_hidden()
    page.keyboard.press("n")
    expect(page.get_by_test_id("current-speaker")).to_have_text("Panel 1 expert B")
    page.keyboard.press("n")
    expect(page.get_by_test_id("current-speaker")).to_have_text("Panel 1 expert C")

    # Every panelist has answered: the console proposes to switch, and does it on a click.
    expect(page.get_by_test_id("proposal")).to_be_visible()
    expect(page.get_by_test_id("proposal-text")).to_contain_text("every panelist has responded")
    page.get_by_test_id("proposal-switch").click()
    expect(page.get_by_test_id("segment")).to_have_text("Member States · segment 3")
    expect(page.get_by_test_id("next-speaker")).to_have_text("Mexico (MEX)")

    # Taking up the next item clears the line: asked first.
    page.get_by_test_id("item-select").select_option("d1-panel2")
    page.get_by_test_id("item-start").click()
    expect(page.get_by_test_id("confirm-text")).to_contain_text("1 waiting request")
    page.get_by_test_id("confirm-yes").click()
    expect(page.get_by_test_id("current-item")).to_have_attribute("data-item-id", "d1-panel2")
    expect(page.get_by_test_id("line-row")).to_have_count(0)
    expect(page.get_by_test_id("floor-state")).to_have_text("Floor closed")
    expect(page.get_by_test_id("turn").first).to_contain_text("Opening remarks")


LONG_LINE = [
    "MEX",
    "SWE",
    "FRA",
    "CHE",
    "BRA",
    "ARG",
    "CAN",
    "DEU",
    "ITA",
    "ESP",
    "NOR",
    "FIN",
    "DNK",
    "NLD",
    "BEL",
    "AUT",
    "PRT",
    "IRL",
    "POL",
    "CZE",
]


def test_the_console_shows_the_servers_forecast_and_suggests_closing_the_floor(
    room: Room, screens: Screens
) -> None:
    start, end = squeeze_item(room)
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    for delegation_id in LONG_LINE:
        room.request_floor(delegation_id)
    live = room.live()
    forecast, timetable = live["forecast"], live["timetable"]
    assert forecast["fits"] is False
    assert forecast["suggestion"] == "close the floor"
    assert timetable["delay"] == "late"
    page = screens.open("moderator", LAPTOP)
    expect_line(page, room, LONG_LINE)

    # The server's count, not the console's own estimate.
    heard = forecast["heard"]
    fit = page.get_by_test_id("fit")
    expect(fit).to_have_attribute("data-heard", str(heard))
    expect(fit).to_have_attribute("data-fits", "false")
    expect(fit).to_have_text(f"Before {end}: time for {heard} of {len(LONG_LINE)} waiting")
    not_heard = forecast["not_heard"]
    assert not_heard == LONG_LINE[heard:]
    expect(page.get_by_test_id("may-not-be-heard")).to_have_count(len(not_heard))
    last = page.locator(f"[data-testid=line-row][data-id={LONG_LINE[-1]}]")
    expect(last).to_have_attribute("data-heard", "false")
    expect(last.get_by_test_id("may-not-be-heard")).to_have_text("may not be heard")

    suggestion = page.get_by_test_id("close-suggestion")
    expect(suggestion).to_be_visible()
    expect(page.get_by_test_id("close-suggestion-text")).to_contain_text(f"before {end}")
    expect(page.get_by_test_id("close-suggestion-act")).to_have_text(
        "Close the floor to new requests"
    )

    status = page.get_by_test_id("timetable")
    expect(status).to_have_attribute("data-delay", "late")
    expect(status).to_contain_text(f"scheduled {start}–{end}")
    expect(status).to_contain_text(re.compile(r"started \d\d:\d\d · running \d+ min late"))
    expect(status).to_contain_text(re.compile(r"ends ≈\d\d:\d\d at this pace"))

    # In French, the same facts in its words.
    page.get_by_test_id("language-select").select_option("fr")
    expect(status).to_contain_text(re.compile(r"en retard de \d+ min"))
    expect(page.get_by_test_id("close-suggestion-act")).to_have_text("Fermer l'accès à la parole")
    page.get_by_test_id("language-select").select_option("en")

    # Taking the suggestion closes the floor; with the floor closed it is not made again.
    page.get_by_test_id("close-suggestion-act").click()
    expect(page.get_by_test_id("floor-state")).to_have_attribute("data-open", "false")
    expect(suggestion).to_be_hidden()
    assert room.live()["floor"]["is_open"] is False
