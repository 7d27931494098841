"""What the person saw when they pressed: every act that carries an expectation is applied
once, and a second press (a double click, a repeated key, two consoles at once) is refused
with what happened instead and changes nothing. T0 is 10:00:00 UTC on 1 January 1970,
11:00:00 in Geneva.
"""

from __future__ import annotations

import copy

import pytest

from app.domain.acts import (
    AdjustTimer,
    CallNext,
    Command,
    DeferRequest,
    EndIntervention,
    GiveFloor,
    PauseTimer,
    ResetTimer,
    ResumeTimer,
    StartItem,
    StartTimer,
    SwitchSegment,
)
from app.errors import Conflict
from app.queue.acts import apply
from app.queue.rules import FloorState
from tests.unit.test_queue_rules import MIN, T0, S, line_of, meeting_with, play, requests, taken_up

MEETING = meeting_with()
LATER = T0 + 2 * MIN


def state_after(script: list[str]) -> FloorState:
    return play(MEETING, taken_up(MEETING), script)


def twice(state: FloorState, command: Command, by: str = "mod") -> tuple[FloorState, Conflict]:
    """Apply the command, then the same command again (the second press)."""
    first = apply(MEETING, state, command, by, LATER).state
    before = copy.deepcopy(first)
    with pytest.raises(Conflict) as refused:
        apply(MEETING, first, command, "chair", LATER + 50)
    assert first == before
    return first, refused.value


SPEAKING = [*requests("M001", "M002", "M003"), "give M004"]
"""Member State 4 speaks, three wait."""


@pytest.mark.parametrize(
    ("script", "command", "reason", "message", "params"),
    [
        pytest.param(
            requests("M001", "M002"),
            CallNext(expect_next="M001"),
            "already_speaking",
            "Member State 1 already has the floor, given by mod at 11:02:00",
            {"name": "Member State 1", "by": "mod", "at": LATER},
            id="next pressed twice",
        ),
        pytest.param(
            SPEAKING,
            EndIntervention(expect_speaker="M004"),
            "intervention_ended",
            "Member State 4 no longer has the floor: the intervention has ended already",
            {"name": "Member State 4"},
            id="end pressed twice",
        ),
        pytest.param(
            SPEAKING,
            GiveFloor(delegation_id="M002", expect_speaker="M004"),
            "speaker_changed",
            "Member State 2 has the floor now, given by mod at 11:02:00",
            {"name": "Member State 2", "by": "mod", "at": LATER},
            id="give pressed twice",
        ),
        pytest.param(
            [*requests("M001", "M002", "M003", "M005")],
            DeferRequest("M001", expect_place=1),
            "place_changed",
            "Member State 1 is now number 4 in line, not 1: it was moved already",
            {"name": "Member State 1", "place": 4},
            id="defer pressed twice",
        ),
        pytest.param(
            [],
            SwitchSegment(expect_number=1),
            "segment_changed",
            "the segment has changed already: segment 2 is under way",
            {"number": 2, "kind": "panelists"},
            id="switch pressed twice",
        ),
        pytest.param(
            SPEAKING,
            PauseTimer(expect_speaker="M004"),
            None,
            "the timer is not running",
            {},
            id="pause pressed twice (the clock's own rule)",
        ),
    ],
)
def test_a_second_press_is_refused_with_what_happened(
    script: list[str],
    command: Command,
    reason: str | None,
    message: str,
    params: dict[str, object],
) -> None:
    _, refused = twice(state_after(script), command)
    assert refused.reason == reason
    assert refused.message == message
    assert refused.params == params


def test_two_consoles_calling_next_at_once_advance_the_line_once() -> None:
    state = state_after(requests("M001", "M002", "M003"))
    after, refused = twice(state, CallNext(expect_next="M001"))
    assert after.current is not None
    assert after.current.speaker_id == "M001"
    assert line_of(after) == ["M002", "M003"]
    assert after.interventions == state.interventions + 1
    assert refused.reason == "already_speaking"


def test_next_is_refused_when_someone_else_became_next() -> None:
    state = state_after(requests("M001", "M002"))
    state = apply(MEETING, state, DeferRequest("M001"), "mod", LATER).state
    with pytest.raises(Conflict) as refused:
        apply(MEETING, state, CallNext(expect_next="M001"), "mod", LATER)
    assert refused.value.reason == "next_changed"
    assert refused.value.params == {"name": "Member State 1", "next": "Member State 2"}


def test_next_expected_when_no_one_waits_any_more() -> None:
    state = state_after([*requests("M001"), "withdraw M001"])
    with pytest.raises(Conflict) as refused:
        apply(MEETING, state, CallNext(expect_next="M001"), "mod", LATER)
    assert refused.value.reason == "next_changed"
    assert refused.value.params == {"name": "Member State 1", "next": ""}


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(StartTimer(expect_speaker="M001"), id="start"),
        pytest.param(PauseTimer(expect_speaker="M001"), id="pause"),
        pytest.param(ResumeTimer(expect_speaker="M001"), id="resume"),
        pytest.param(AdjustTimer(30 * S, expect_speaker="M001"), id="add time"),
        pytest.param(ResetTimer(expect_speaker="M001"), id="reset"),
        pytest.param(EndIntervention(expect_speaker="M001"), id="end"),
        pytest.param(GiveFloor(delegation_id="M002", expect_speaker="M001"), id="give"),
    ],
)
def test_an_act_on_the_speaker_is_refused_once_someone_else_speaks(command: Command) -> None:
    """The moderator pressed it for Member State 1; the chair gave the floor to 3 meanwhile."""
    state = state_after([*requests("M001", "M002"), "give M003"])
    assert state.current is not None
    granted = state.current.granted_at
    before = copy.deepcopy(state)
    with pytest.raises(Conflict) as refused:
        apply(MEETING, state, command, "mod", LATER)
    assert state == before
    assert refused.value.reason == "speaker_changed"
    assert refused.value.message.startswith("Member State 3 has the floor now, given by mod at 11:")
    assert refused.value.params == {"name": "Member State 3", "by": "mod", "at": granted}


def test_expecting_no_one_speaking() -> None:
    state = state_after(requests("M001"))
    given = apply(MEETING, state, GiveFloor(delegation_id="M001", expect_speaker=""), "m", LATER)
    assert given.state.current is not None
    with pytest.raises(Conflict) as refused:
        apply(MEETING, given.state, GiveFloor(turn_id="panel-a", expect_speaker=""), "m", LATER)
    assert refused.value.reason == "speaker_changed"


def test_taking_up_an_item_twice_is_refused() -> None:
    state = state_after([])
    taken = apply(MEETING, state, StartItem("closing", expect_item="panel"), "mod", LATER).state
    with pytest.raises(Conflict) as refused:
        apply(MEETING, taken, StartItem("closing", expect_item="panel"), "mod", LATER)
    assert refused.value.reason == "item_changed"
    assert refused.value.params == {"title": MEETING.item("closing").title}


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(CallNext(), id="next"),
        pytest.param(EndIntervention(), id="end"),
        pytest.param(DeferRequest("M002"), id="defer"),
        pytest.param(AdjustTimer(30 * S), id="adjust"),
    ],
)
def test_without_an_expectation_the_act_is_applied_as_before(command: Command) -> None:
    state = state_after([*requests("M001", "M002", "M003"), "give M004"])
    first = apply(MEETING, state, command, "mod", LATER).state
    assert first != state


def test_an_expectation_that_holds_changes_nothing_in_the_result() -> None:
    state = state_after(requests("M001", "M002"))
    plain = apply(MEETING, state, CallNext(), "mod", LATER)
    expected = apply(MEETING, state, CallNext(expect_next="M001"), "mod", LATER)
    assert plain == expected
