"""What CasparCG and an OSC tool are sent through a scripted panel, command by command."""

from __future__ import annotations

import json
from typing import Any

from app.broadcast import amcp, osc
from app.broadcast.outputs import CasparConfig, casparcg_commands, osc_messages
from app.broadcast.plate import Plate, Roster, plate, read_live, read_meeting
from tests.unit.test_broadcast_plate import MEETING, T0, intervention, live

ROSTER = Roster(read_meeting(MEETING))
CONFIG = CasparConfig(amcp.Target(1, 20), "floorkeeper/lower-third", 1)


def state(current: dict[str, Any] | None, next_ids: tuple[str, ...] = ()) -> Plate:
    return plate(ROSTER, read_live(live(current, next_ids)), "en")


def paused(speaker_id: str, elapsed_ms: int) -> dict[str, Any]:
    current = intervention(speaker_id)
    current["timer"] = {**current["timer"], "state": "paused", "started_at": None}
    current["timer"]["elapsed_ms"] = elapsed_ms
    return current


def panel() -> list[tuple[int, Plate]]:
    """The floor empty, France speaks (Mexico next), the clock paused at 1:00, France again
    with Mexico still next (nothing new), Mexico speaks, the floor empty again."""
    mexico = intervention("MEX")
    mexico["number"] = 4
    return [
        (T0, state(None, ("FRA",))),
        (T0, state(intervention("FRA"), ("MEX",))),
        (T0 + 60_000, state(paused("FRA", 60_000), ("MEX",))),
        (T0 + 61_000, state(paused("FRA", 60_000), ("MEX",))),
        (T0 + 70_000, state(mexico)),
        (T0 + 80_000, state(None)),
    ]


def run_casparcg() -> list[str]:
    sent: Plate | None = None
    lines = []
    for now, sign in panel():
        lines += [command.line() for command in casparcg_commands(sent, sign, CONFIG, now)]
        sent = sign
    return lines


def test_casparcg_is_added_updated_and_stopped_through_a_panel() -> None:
    lines = run_casparcg()
    tokens = [amcp.unquote(line) for line in lines]
    # The commands without their data (each the last parameter, JSON), then the data.
    assert [t[:-1] if t[-1].startswith("{") else t for t in tokens] == [
        ["CG", "1-20", "ADD", "1", "floorkeeper/lower-third", "1"],
        ["CG", "1-20", "UPDATE", "1"],
        ["CG", "1-20", "UPDATE", "1"],
        ["CG", "1-20", "STOP", "1"],
    ]
    added = json.loads(amcp.unquote(lines[0])[6])
    assert amcp.unquote(lines[0])[5] == "1"  # played on load
    assert (added["f0"], added["next"], added["digits"], added["number"]) == (
        "France",
        "Mexico",
        "3:00",
        3,
    )
    pause = json.loads(amcp.unquote(lines[1])[4])
    assert (pause["f0"], pause["timer"]["state"], pause["remaining_ms"]) == (
        "France",
        "paused",
        120_000,
    )
    mexico = json.loads(amcp.unquote(lines[2])[4])
    assert (mexico["f0"], mexico["number"], mexico["next"]) == ("Mexico", 4, None)


def test_a_server_that_knows_nothing_gets_the_template_added_again() -> None:
    sign = state(intervention("FRA"))
    (command,) = casparcg_commands(None, sign, CONFIG, T0)
    assert isinstance(command, amcp.CgAdd)
    assert casparcg_commands(None, state(None), CONFIG, T0) == []


def test_flash_templates_get_the_xml_of_their_text_fields() -> None:
    config = CasparConfig(amcp.Target(1, 20), "lt", 1, data_format="xml")
    (command,) = casparcg_commands(None, state(intervention("FRA"), ("MEX",)), config, T0)
    assert command.line() == (
        r'CG 1-20 ADD 1 "lt" 1 "<templateData>'
        r"<componentData id=\"f0\"><data id=\"text\" value=\"France\"/></componentData>"
        r"<componentData id=\"f1\"><data id=\"text\" value=\"Member State\"/></componentData>"
        r"<componentData id=\"next\"><data id=\"text\" value=\"Mexico\"/></componentData>"
        r"<componentData id=\"digits\"><data id=\"text\" value=\"3:00\"/></componentData>"
        r"<componentData id=\"lang\"><data id=\"text\" value=\"en\"/></componentData>"
        r"<componentData id=\"dir\"><data id=\"text\" value=\"ltr\"/></componentData>"
        r'</templateData>"'
    )


def test_osc_is_sent_what_changed_and_everything_at_first() -> None:
    sent: Plate | None = None
    received = []
    for now, sign in panel():
        for datagram in osc_messages(sent, sign, now):
            (message,) = osc.decode(datagram)
            received.append((message.address.removeprefix("/floorkeeper/demo/"), message.args))
        sent = sign
    assert received == [
        ("speaker", ("", "", "", "", "", 0)),
        ("next", ("France", "FRA")),
        ("timer", ("none", 0, 0, 0, 0, 0, T0)),
        ("speaker", ("France", "FRA", "delegation", "", "", 3)),
        ("next", ("Mexico", "MEX")),
        ("timer", ("running", 180_000, 30_000, T0, 0, 180_000, T0)),
        ("timer", ("paused", 180_000, 30_000, 0, 60_000, 120_000, T0 + 60_000)),
        ("speaker", ("Mexico", "MEX", "delegation", "", "", 4)),
        ("next", ("", "")),
        ("timer", ("running", 180_000, 30_000, T0, 0, 110_000, T0 + 70_000)),
        ("speaker", ("", "", "", "", "", 0)),
        ("timer", ("none", 0, 0, 0, 0, 0, T0 + 80_000)),
    ]
