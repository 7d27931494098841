"""The table of acts holds together: every act has one command (or, for the meeting's
replacement, none), one kind of record details, one row of the policy, and `apply` gives
every command the details of its own act. The record's JSON is read back as it was written."""

from __future__ import annotations

from typing import get_args

import pytest

from app.access.policy import PERMISSIONS, Permission
from app.domain.acts import (
    DETAILS,
    Act,
    AdjustTimer,
    CallNext,
    CloseFloor,
    Command,
    DeferRequest,
    Details,
    EndIntervention,
    FloorGiven,
    GiveFloor,
    ItemStarted,
    MoveRequest,
    OpenFloor,
    PauseTimer,
    RemoveRequest,
    RequestFloor,
    RequestMoved,
    ResetTimer,
    ResumeTimer,
    SegmentSwitched,
    StartItem,
    StartTimer,
    SwitchSegment,
    WithdrawRequest,
    command_json,
    details_json,
    parse_details,
)
from app.domain.model import SegmentKind
from app.meetings.store import entry_body, entry_json, parse_entry
from app.queue.acts import apply
from app.queue.rules import FloorState
from app.record.entry import Entry
from tests.factories import make_meeting

T0 = 1_497_860_100_000
MOD = "moderator"

COMMANDS: list[type[Command]] = list(get_args(Command))


def test_every_act_but_the_meetings_replacement_has_exactly_one_command() -> None:
    acts = [command.act for command in COMMANDS]
    assert len(acts) == len(set(acts))
    assert set(Act) - set(acts) == {Act.PUT_MEETING}


def test_every_act_has_its_record_details_and_its_row_in_the_policy() -> None:
    assert set(DETAILS) == set(Act)
    assert set(DETAILS.values()) == set(get_args(Details))
    assert set(PERMISSIONS) == set(Act) | set(Permission)


def test_an_act_name_that_is_not_in_the_table_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'floor\.opne' is not a valid Act"):
        Act("floor.opne")


# A morning in which every command is applied once, each on the state the one before left.
MORNING: list[Command] = [
    StartItem("panel"),
    GiveFloor(turn_id="panel-opening"),
    EndIntervention(),
    OpenFloor(),
    RequestFloor("M001"),
    RequestFloor("M002"),
    RequestFloor("M003"),
    RequestFloor("M004"),
    MoveRequest("M003", 1),
    DeferRequest("M001"),
    WithdrawRequest("M002"),
    RemoveRequest("M004"),
    CallNext(),
    PauseTimer(),
    ResumeTimer(),
    AdjustTimer(30_000),
    ResetTimer(),
    StartTimer(),
    GiveFloor(speaker_id="p-a"),
    SwitchSegment(SegmentKind.PANELISTS),
    SwitchSegment(),
    CloseFloor(),
    StartItem("closing"),
]


def test_the_morning_applies_every_command() -> None:
    assert {type(command) for command in MORNING} == set(COMMANDS)


def _play() -> list[Entry]:
    meeting, state = make_meeting(), FloorState()
    entries = []
    for version, command in enumerate(MORNING, start=1):
        now = T0 + version * 60_000
        change = apply(meeting, state, command, MOD, now)
        state = change.state
        entries.append(Entry(version, now, MOD, command.act, change.details, change.ended))
    return entries


def test_apply_gives_each_command_the_details_of_its_own_act() -> None:
    for command, entry in zip(MORNING, _play(), strict=True):
        assert type(entry.details) is DETAILS[command.act], command


def test_the_record_reads_back_what_it_wrote() -> None:
    for entry in _play():
        assert parse_entry(entry_json(entry)) == entry


def test_the_record_keeps_its_keys() -> None:
    entries = {entry.version: entry_body(entry) for entry in _play()}
    assert entries[1]["act"] == "item.start"
    assert entries[1]["details"] == {"item_id": "panel", "not_heard": []}
    assert entries[2]["details"] == {"turn_id": "panel-opening"}
    assert entries[9]["act"] == "request.move"
    assert entries[9]["details"] == {"delegation_id": "M003", "from": 3, "to": 1}
    assert entries[20]["details"] == {"kind": "panelists", "number": 2}
    assert entries[23]["details"] == {"item_id": "closing", "not_heard": ["M001"]}


@pytest.mark.parametrize(
    ("act", "body", "details"),
    [
        (Act.MOVE_REQUEST, {"delegation_id": "M1", "from": 4, "to": 2}, RequestMoved("M1", 4, 2)),
        (Act.GIVE_FLOOR, {"speaker_id": "p-a"}, FloorGiven(speaker_id="p-a")),
        (
            Act.SWITCH_SEGMENT,
            {"kind": "panelists", "number": 3},
            SegmentSwitched(SegmentKind.PANELISTS, 3),
        ),
        (Act.START_ITEM, {"item_id": "panel"}, ItemStarted("panel", ())),
        (
            Act.START_ITEM,
            {"item_id": "x", "not_heard": ["M1"], "later": 1},
            ItemStarted("x", ("M1",)),
        ),
    ],
)
def test_stored_details_are_read_into_their_types(
    act: Act, body: dict[str, object], details: Details
) -> None:
    parsed = parse_details(act, body)
    assert parsed == details
    if isinstance(parsed, SegmentSwitched):
        assert parsed.kind is SegmentKind.PANELISTS


def test_details_missing_a_key_they_need_are_refused() -> None:
    with pytest.raises(ValueError, match=r"the record of request\.move has no 'to'"):
        parse_details(Act.MOVE_REQUEST, {"delegation_id": "M1", "from": 4})


def test_a_command_names_its_arguments_for_a_kept_answer() -> None:
    assert command_json(MoveRequest("M001", 2)) == {"delegation_id": "M001", "place": 2}
    assert command_json(SwitchSegment(SegmentKind.PANELISTS)) == {"kind": "panelists"}
    assert command_json(CallNext()) == {}
    assert details_json(parse_details(Act.CALL_NEXT, {"speaker_id": "M1"})) == {"speaker_id": "M1"}
