"""The floor's line: who may ask, in which order they wait, segments, switch proposals, items.

States are built through the rules' own acts, written as the moderator's log
("request M001", "defer M001", ...), so a case reads like what happened in the room.
The acts that give the floor and run its clock are in test_queue_acts.py.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import pytest

from app.domain.acts import details_json
from app.domain.model import FloorPolicy, Meeting, SegmentKind
from app.errors import Conflict, DomainError, Invalid, NotFound
from app.queue import rules
from app.queue.rules import FloorRequest, FloorState, ItemTimes, Segment
from tests.factories import make_meeting

S = 1_000
MIN = 60_000
T0 = 36_000_000
"""10:00 on the meeting's clock, in server ms: when Panel 1 is taken up and the floor opens."""

DEFAULT = FloorPolicy()
OBSERVERS_WITH = FloorPolicy(observers="with_member_states")
OWN_SEGMENT = FloorPolicy(stakeholders="own_segment")
OBSERVERS_WITH_OWN_SEGMENT = FloorPolicy(observers="with_member_states", stakeholders="own_segment")
ARRIVAL_ORDER = FloorPolicy(not_spoken_first=False)
OBSERVERS_WITH_ARRIVAL_ORDER = FloorPolicy(observers="with_member_states", not_spoken_first=False)

MS = SegmentKind.MEMBER_STATES
PANELISTS = SegmentKind.PANELISTS
STAKEHOLDERS = SegmentKind.STAKEHOLDERS


def meeting_with(policy: FloorPolicy = DEFAULT) -> Meeting:
    return make_meeting(policy=policy)


def taken_up(meeting: Meeting) -> FloorState:
    """Panel 1 under way since T0 and the floor open, no one waiting, no one speaking."""
    state = rules.start_item(meeting, FloorState(), "panel", "mod", T0).state
    return rules.open_floor(state, T0).state


def play(
    meeting: Meeting, state: FloorState, script: Sequence[str], start: int = T0 + S
) -> FloorState:
    """Apply the moderator's log, one act a second from `start`.

    "request X", "withdraw X", "remove X", "defer X", "move X 3", "heard X" (given the floor
    and done), "give X" (given the floor, still speaking), "next", "end", "switch [kind]".
    """
    now = start
    for entry in script:
        act, *args = entry.split()
        match act, args:
            case "request", [who]:
                state = rules.request_floor(meeting, state, who, now).state
            case "withdraw", [who]:
                state = rules.withdraw_request(state, who).state
            case "remove", [who]:
                state = rules.remove_request(state, who).state
            case "defer", [who]:
                state = rules.defer_request(meeting, state, who).state
            case "move", [who, place]:
                state = rules.move_request(state, who, int(place)).state
            case "give", [who]:
                state = rules.give_floor(meeting, state, "mod", now, delegation_id=who).state
            case "heard", [who]:
                state = rules.give_floor(meeting, state, "mod", now, delegation_id=who).state
                state = rules.end_intervention(state, "mod", now + S // 2).state
            case "next", []:
                state = rules.call_next(meeting, state, "mod", now).state
            case "end", []:
                state = rules.end_intervention(state, "mod", now).state
            case "switch", []:
                state = rules.switch_segment(state, None, now).state
            case "switch", [kind]:
                state = rules.switch_segment(state, SegmentKind(kind), now).state
            case _:
                raise AssertionError(f"unknown act in a test script: {entry!r}")
        now += S
    return state


def line_of(state: FloorState) -> list[str]:
    return [request.delegation_id for request in state.line]


def requests(*ids: str) -> list[str]:
    return [f"request {delegation_id}" for delegation_id in ids]


# --- opening and closing the floor ------------------------------------------------------


def test_floor_closed_until_opened() -> None:
    meeting = meeting_with()
    state = rules.start_item(meeting, FloorState(), "panel", "mod", T0).state

    with pytest.raises(Conflict) as refused:
        rules.request_floor(meeting, state, "M001", T0)

    assert refused.value.message == "the floor is not open"
    assert rules.open_floor(state, T0).state.is_open


def test_closing_keeps_the_waiting_requests_and_refuses_new_ones() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), requests("M002", "VAT", "M001"))

    closed = rules.close_floor(state)

    assert not closed.state.is_open
    assert details_json(closed.details) == {"waiting": 3}
    assert line_of(closed.state) == ["M002", "M001", "VAT"]
    with pytest.raises(Conflict, match="the floor is not open"):
        rules.request_floor(meeting, closed.state, "M003", T0 + MIN)
    called = rules.call_next(meeting, closed.state, "mod", T0 + MIN).state
    assert called.current is not None
    assert called.current.speaker_id == "M002"
    assert line_of(called) == ["M001", "VAT"]


def test_reopening_takes_requests_again_in_policy_order() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), requests("VAT", "M001"))
    state = rules.open_floor(rules.close_floor(state).state, T0 + MIN).state

    state = rules.request_floor(meeting, state, "M002", T0 + 2 * MIN).state

    assert line_of(state) == ["M001", "M002", "VAT"]


@pytest.mark.parametrize(
    ("act", "message"),
    [
        pytest.param(
            lambda s: rules.open_floor(s, T0 + MIN), "the floor is already open", id="open twice"
        ),
        pytest.param(
            lambda s: rules.close_floor(rules.close_floor(s).state),
            "the floor is already closed",
            id="close twice",
        ),
    ],
)
def test_opening_or_closing_twice_is_refused(
    act: Callable[[FloorState], rules.Change], message: str
) -> None:
    with pytest.raises(Conflict) as refused:
        act(taken_up(meeting_with()))
    assert refused.value.message == message


# --- requests ------------------------------------------------------------------------------


def _never_taken_up(meeting: Meeting) -> FloorState:
    return FloorState()


def _not_yet_open(meeting: Meeting) -> FloorState:
    return rules.start_item(meeting, FloorState(), "panel", "mod", T0).state


def _closed_again(meeting: Meeting) -> FloorState:
    return rules.close_floor(taken_up(meeting)).state


def _open(meeting: Meeting) -> FloorState:
    return taken_up(meeting)


def _after(script: list[str]) -> Callable[[Meeting], FloorState]:
    return lambda meeting: play(meeting, taken_up(meeting), script)


@pytest.mark.parametrize(
    ("setup", "delegation_id", "error", "message"),
    [
        pytest.param(_never_taken_up, "M001", Conflict, "the floor is not open", id="no item"),
        pytest.param(_not_yet_open, "M001", Conflict, "the floor is not open", id="not yet open"),
        pytest.param(_closed_again, "VAT", Conflict, "the floor is not open", id="closed again"),
        pytest.param(
            _after(requests("M001")),
            "M001",
            Conflict,
            "Member State 1 already has a pending request",
            id="second request",
        ),
        pytest.param(
            _after(requests("M002", "VAT")),
            "VAT",
            Conflict,
            "Holy See already has a pending request",
            id="second request of an observer",
        ),
        pytest.param(
            _after([*requests("M001", "M002"), "defer M001"]),
            "M001",
            Conflict,
            "Member State 1 already has a pending request",
            id="deferred request still pending",
        ),
        pytest.param(
            _after(["give M001"]),
            "M001",
            Conflict,
            "Member State 1 has the floor now",
            id="while speaking",
        ),
        pytest.param(
            _open,
            "XYZ",
            NotFound,
            "there is no delegation 'XYZ' in this meeting",
            id="unknown delegation",
        ),
        pytest.param(
            _closed_again,
            "XYZ",
            NotFound,
            "there is no delegation 'XYZ' in this meeting",
            id="unknown delegation, floor closed",
        ),
    ],
)
def test_request_refused(
    setup: Callable[[Meeting], FloorState],
    delegation_id: str,
    error: type[DomainError],
    message: str,
) -> None:
    meeting = meeting_with()
    state = setup(meeting)
    before = copy.deepcopy(state)

    with pytest.raises(error) as refused:
        rules.request_floor(meeting, state, delegation_id, T0 + 10 * MIN)

    assert type(refused.value) is error
    assert refused.value.message == message
    assert state == before


@pytest.mark.parametrize(
    ("script", "then", "line"),
    [
        pytest.param(["give M001"], "end", ["M001"], id="after speaking"),
        pytest.param(["request M001"], "withdraw M001", ["M001"], id="after withdrawing"),
        pytest.param(["request M001"], "remove M001", ["M001"], id="after being removed"),
    ],
)
def test_a_delegation_may_ask_again(script: list[str], then: str, line: list[str]) -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), [*script, then, "request M001"])
    assert line_of(state) == line


@pytest.mark.parametrize(
    ("policy", "arrivals", "places"),
    [
        pytest.param(
            DEFAULT,
            ["sh-ngo", "VAT", "M001", "M002", "PSE", "M003"],
            [1, 1, 1, 2, 4, 3],
            id="after member states",
        ),
        pytest.param(
            OBSERVERS_WITH,
            ["sh-ngo", "VAT", "M001", "M002", "PSE", "M003"],
            [1, 1, 2, 3, 4, 5],
            id="observers with member states",
        ),
    ],
)
def test_a_request_reports_the_place_the_tablet_shows(
    policy: FloorPolicy, arrivals: list[str], places: list[int]
) -> None:
    meeting = meeting_with(policy)
    state = taken_up(meeting)
    reported = []
    for n, delegation_id in enumerate(arrivals):
        change = rules.request_floor(meeting, state, delegation_id, T0 + n * S)
        state = change.state
        assert details_json(change.details)["delegation_id"] == delegation_id
        reported.append(details_json(change.details)["place"])

    assert reported == places
    assert [rules.place_of(state, d) for d in line_of(state)] == list(range(1, len(arrivals) + 1))
    assert rules.place_of(state, "M004") is None


# --- the order of the line ----------------------------------------------------------------

MIXED = ["sh-ngo", "VAT", "M003", "M001", "PSE", "M002", "sh-igo"]


@pytest.mark.parametrize(
    ("policy", "arrivals", "line"),
    [
        pytest.param(
            DEFAULT,
            MIXED,
            ["M003", "M001", "M002", "VAT", "PSE", "sh-ngo", "sh-igo"],
            id="observers after member states, stakeholders after states",
        ),
        pytest.param(
            OBSERVERS_WITH,
            MIXED,
            ["VAT", "M003", "M001", "PSE", "M002", "sh-ngo", "sh-igo"],
            id="observers with member states",
        ),
        pytest.param(
            OWN_SEGMENT,
            MIXED,
            ["M003", "M001", "M002", "VAT", "PSE", "sh-ngo", "sh-igo"],
            id="stakeholders in their own segment wait last",
        ),
        pytest.param(
            OBSERVERS_WITH_OWN_SEGMENT,
            MIXED,
            ["VAT", "M003", "M001", "PSE", "M002", "sh-ngo", "sh-igo"],
            id="observers with member states, stakeholders own segment",
        ),
        pytest.param(
            DEFAULT,
            ["M005", "M002", "M004", "M001"],
            ["M005", "M002", "M004", "M001"],
            id="member states in arrival order",
        ),
        pytest.param(
            DEFAULT,
            ["sh-igo", "PSE", "sh-ngo", "VAT"],
            ["PSE", "VAT", "sh-igo", "sh-ngo"],
            id="no member state waiting",
        ),
        pytest.param(
            ARRIVAL_ORDER,
            MIXED,
            ["M003", "M001", "M002", "VAT", "PSE", "sh-ngo", "sh-igo"],
            id="not_spoken_first off changes nothing when no one has spoken",
        ),
    ],
)
def test_line_order_follows_the_policy(
    policy: FloorPolicy, arrivals: list[str], line: list[str]
) -> None:
    meeting = meeting_with(policy)
    state = play(meeting, taken_up(meeting), requests(*arrivals))
    assert line_of(state) == line


HEARD = ["heard M001", "heard VAT", "heard sh-ngo"]
AGAIN = ["sh-ngo", "M001", "sh-igo", "M002", "VAT", "PSE", "M003"]


@pytest.mark.parametrize(
    ("policy", "line"),
    [
        pytest.param(
            DEFAULT,
            ["M002", "M003", "M001", "PSE", "VAT", "sh-igo", "sh-ngo"],
            # The kind of delegation comes first: a Member State that has spoken still goes
            # before an Observer State that has not, as "after member states" says.
            id="not spoken first, within each kind",
        ),
        pytest.param(
            ARRIVAL_ORDER,
            ["M001", "M002", "M003", "VAT", "PSE", "sh-ngo", "sh-igo"],
            id="arrival order only",
        ),
        pytest.param(
            OBSERVERS_WITH,
            ["M002", "PSE", "M003", "M001", "VAT", "sh-igo", "sh-ngo"],
            id="observers with member states, not spoken first",
        ),
        pytest.param(
            OBSERVERS_WITH_ARRIVAL_ORDER,
            ["M001", "M002", "VAT", "PSE", "M003", "sh-ngo", "sh-igo"],
            id="observers with member states, arrival order",
        ),
    ],
)
def test_delegations_that_spoke_in_the_item_go_after_those_that_have_not(
    policy: FloorPolicy, line: list[str]
) -> None:
    meeting = meeting_with(policy)
    state = play(meeting, taken_up(meeting), [*HEARD, *requests(*AGAIN)])
    assert line_of(state) == line


def test_speaking_in_an_earlier_item_does_not_count() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), ["heard M001"])
    state = rules.start_item(meeting, state, "closing", "mod", T0 + MIN).state
    state = rules.open_floor(state, T0 + MIN).state

    state = play(meeting, state, requests("M001", "M002"), start=T0 + 2 * MIN)

    assert line_of(state) == ["M001", "M002"]


def test_a_request_withdrawn_is_not_speaking() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), ["request M001", "withdraw M001", "heard M002"])

    state = play(meeting, state, requests("M002", "M001"), start=T0 + MIN)

    assert line_of(state) == ["M001", "M002"]
    assert state.spoken == ("M002",)


# --- withdraw, remove, move, defer -----------------------------------------------------------

FOUR = requests("M001", "M002", "M003", "M004")


@pytest.mark.parametrize(
    ("script", "line"),
    [
        pytest.param([*FOUR, "withdraw M001"], ["M002", "M003", "M004"], id="withdraw first"),
        pytest.param([*FOUR, "withdraw M003"], ["M001", "M002", "M004"], id="withdraw middle"),
        pytest.param([*FOUR, "withdraw M004"], ["M001", "M002", "M003"], id="withdraw last"),
        pytest.param([*FOUR, "remove M002"], ["M001", "M003", "M004"], id="remove"),
        pytest.param(
            [*FOUR, "withdraw M001", "request M001"],
            ["M002", "M003", "M004", "M001"],
            id="withdraw and ask again: back of the line",
        ),
        pytest.param([*FOUR, "move M004 1"], ["M004", "M001", "M002", "M003"], id="move to 1"),
        pytest.param([*FOUR, "move M001 4"], ["M002", "M003", "M004", "M001"], id="move to last"),
        pytest.param([*FOUR, "move M001 2"], ["M002", "M001", "M003", "M004"], id="move back 1"),
        pytest.param([*FOUR, "move M003 2"], ["M001", "M003", "M002", "M004"], id="move up 1"),
        pytest.param([*FOUR, "move M002 2"], ["M001", "M002", "M003", "M004"], id="move in place"),
        pytest.param(
            [*requests("M001", "M002", "VAT"), "move VAT 1"],
            ["VAT", "M001", "M002"],
            id="the moderator may move an observer first",
        ),
        pytest.param(
            [*requests("M001", "M002", "M003", "M004", "M005"), "defer M001"],
            ["M002", "M003", "M004", "M001", "M005"],
            id="defer goes behind the next three of its kind",
        ),
        pytest.param(
            [*requests("M001", "M002", "M003"), "defer M001"],
            ["M002", "M003", "M001"],
            id="fewer than three behind it: to the end of its kind",
        ),
        pytest.param(
            [*requests("M001", "M002", "M003"), "defer M003"],
            ["M001", "M002", "M003"],
            id="defer the last",
        ),
        pytest.param(
            [*requests("M001", "M002", "M003"), "defer M001", "request M004"],
            ["M002", "M003", "M001", "M004"],
            id="a later arrival of its kind goes behind a deferred one",
        ),
        pytest.param(
            [*requests("M001", "M002", "VAT", "sh-ngo"), "defer M001"],
            ["M002", "M001", "VAT", "sh-ngo"],
            id="a deferred Member State stays ahead of the Observer States and stakeholders",
        ),
        pytest.param(
            [*requests("M001", "M002", "M003"), "defer M001", *requests("VAT", "sh-ngo")],
            ["M002", "M003", "M001", "VAT", "sh-ngo"],
            id="later arrivals of other kinds stay behind a deferred Member State",
        ),
        pytest.param(
            [*requests("M001", "VAT", "sh-ngo", "sh-igo"), "defer sh-ngo"],
            ["M001", "VAT", "sh-igo", "sh-ngo"],
            id="a deferred stakeholder goes behind stakeholders only",
        ),
        pytest.param(
            [*requests("M001", "M002", "M003"), "defer M001", "defer M002", "request M004"],
            ["M003", "M001", "M002", "M004"],
            id="two deferred keep the order they were deferred in",
        ),
        pytest.param(
            [*requests("M001", "M002", "M003"), "defer M001", "move M001 1"],
            ["M001", "M002", "M003"],
            id="a deferred request can be moved back to the front",
        ),
    ],
)
def test_moderator_rearranges_the_line(script: list[str], line: list[str]) -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), script)
    assert line_of(state) == line


def test_acts_on_a_request_report_what_the_record_keeps() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), FOUR)

    assert details_json(rules.move_request(state, "M004", 2).details) == {
        "delegation_id": "M004",
        "from": 4,
        "to": 2,
    }
    assert details_json(rules.remove_request(state, "M002").details) == {
        "delegation_id": "M002",
        "requested_at": T0 + 2 * S,
    }
    assert details_json(rules.withdraw_request(state, "M003").details) == {"delegation_id": "M003"}
    assert details_json(rules.defer_request(meeting, state, "M001").details) == {
        "delegation_id": "M001",
        "place": 4,
    }


NOT_WAITING: list[tuple[str, Callable[[FloorState, str], rules.Change]]] = [
    ("withdraw", rules.withdraw_request),
    ("remove", rules.remove_request),
    ("defer", lambda state, who: rules.defer_request(meeting_with(), state, who)),
    ("move", lambda state, who: rules.move_request(state, who, 1)),
]


@pytest.mark.parametrize("act", [pytest.param(act, id=name) for name, act in NOT_WAITING])
@pytest.mark.parametrize(
    ("script", "delegation_id"),
    [
        pytest.param(requests("M001"), "M002", id="never asked"),
        pytest.param([*requests("M001"), "withdraw M001"], "M001", id="already withdrew"),
        pytest.param(["give M001"], "M001", id="speaking now"),
        pytest.param(requests("M001"), "XYZ", id="unknown delegation"),
    ],
)
def test_acts_on_a_request_that_is_not_waiting_are_refused(
    act: Callable[[FloorState, str], rules.Change], script: list[str], delegation_id: str
) -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), script)
    before = copy.deepcopy(state)

    with pytest.raises(NotFound) as refused:
        act(state, delegation_id)

    assert refused.value.message == f"'{delegation_id}' has no pending floor request"
    assert state == before


@pytest.mark.parametrize("place", [0, -1, 5, 99])
def test_move_outside_the_line_is_refused(place: int) -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), FOUR)

    with pytest.raises(Invalid) as refused:
        rules.move_request(state, "M002", place)

    assert refused.value.message == "place must be between 1 and 4"
    assert line_of(state) == ["M001", "M002", "M003", "M004"]


# --- who may be called in which segment ------------------------------------------------------


def calls_until_no_one(meeting: Meeting, state: FloorState) -> tuple[list[str], str, FloorState]:
    """Press "next" until refused: who was called, the refusal, and the final state."""
    called: list[str] = []
    now = T0 + 10 * MIN
    for _ in range(20):
        try:
            state = rules.call_next(meeting, state, "mod", now).state
        except Conflict as refused:
            return called, refused.message, state
        assert state.current is not None
        called.append(state.current.speaker_id)
        now += MIN
    raise AssertionError("call_next never ran out of speakers")


ALL_KINDS = requests("sh-ngo", "M001", "VAT", "sh-igo", "M002")
NO_ONE = "no one is waiting for the floor in this segment"
ALL_PANELISTS = "every panelist has responded in this segment; switch segment"


@pytest.mark.parametrize(
    ("policy", "segment", "called", "refusal", "left"),
    [
        pytest.param(
            DEFAULT,
            MS,
            ["M001", "M002", "VAT", "sh-ngo", "sh-igo"],
            NO_ONE,
            [],
            id="after states: everyone in a member states segment",
        ),
        pytest.param(
            OWN_SEGMENT,
            MS,
            ["M001", "M002", "VAT"],
            NO_ONE,
            ["sh-ngo", "sh-igo"],
            id="own segment: stakeholders wait in a member states segment",
        ),
        pytest.param(
            OWN_SEGMENT,
            STAKEHOLDERS,
            ["sh-ngo", "sh-igo"],
            NO_ONE,
            ["M001", "M002", "VAT"],
            id="own segment: only stakeholders in theirs",
        ),
        pytest.param(
            DEFAULT,
            STAKEHOLDERS,
            ["sh-ngo", "sh-igo"],
            NO_ONE,
            ["M001", "M002", "VAT"],
            id="after states: a stakeholders segment is still theirs only",
        ),
        pytest.param(
            OBSERVERS_WITH,
            MS,
            ["M001", "VAT", "M002", "sh-ngo", "sh-igo"],
            NO_ONE,
            [],
            id="observers with member states",
        ),
        pytest.param(
            DEFAULT,
            PANELISTS,
            ["p-a", "p-b", "p-c"],
            ALL_PANELISTS,
            ["M001", "M002", "VAT", "sh-ngo", "sh-igo"],
            id="panelists segment: the panelists in turn, the line waits",
        ),
    ],
)
def test_who_is_called_in_each_segment(
    policy: FloorPolicy, segment: SegmentKind, called: list[str], refusal: str, left: list[str]
) -> None:
    meeting = meeting_with(policy)
    state = play(meeting, taken_up(meeting), ALL_KINDS)
    if segment is not MS:
        state = play(meeting, state, [f"switch {segment.value}"], start=T0 + 5 * MIN)
    expected_upcoming = called[:3]

    assert rules.upcoming(meeting, state, 3) == expected_upcoming
    assert rules.proposed_next(meeting, state) == called[0]
    calls, message, final = calls_until_no_one(meeting, state)

    assert calls == called
    assert message == refusal
    assert line_of(final) == left


# --- segments ---------------------------------------------------------------------------------


def in_segment(kind: SegmentKind, interventions: int, number: int = 4) -> FloorState:
    return FloorState(
        item_id="panel",
        is_open=True,
        segment=Segment(kind, number, started_at=T0, interventions=interventions),
    )


@pytest.mark.parametrize(
    ("kind", "interventions", "asked", "new_kind"),
    [
        pytest.param(MS, 3, None, PANELISTS, id="member states -> panelists"),
        pytest.param(PANELISTS, 3, None, MS, id="panelists -> member states"),
        pytest.param(MS, 0, None, PANELISTS, id="straight to the panelists"),
        pytest.param(PANELISTS, 0, None, MS, id="back before any panelist spoke"),
        pytest.param(STAKEHOLDERS, 2, None, MS, id="stakeholders -> member states"),
        pytest.param(STAKEHOLDERS, 0, None, MS, id="empty stakeholders -> member states"),
        pytest.param(MS, 2, STAKEHOLDERS, STAKEHOLDERS, id="explicit stakeholders"),
        pytest.param(MS, 0, PANELISTS, PANELISTS, id="explicit panelists"),
        pytest.param(PANELISTS, 1, STAKEHOLDERS, STAKEHOLDERS, id="panelists -> stakeholders"),
        pytest.param(MS, 2, MS, MS, id="a new member states segment"),
        pytest.param(PANELISTS, 3, PANELISTS, PANELISTS, id="a new panelists segment"),
    ],
)
def test_switch_segment(
    kind: SegmentKind, interventions: int, asked: SegmentKind | None, new_kind: SegmentKind
) -> None:
    state = in_segment(kind, interventions, number=4)

    change = rules.switch_segment(state, asked, T0 + 30 * MIN)

    assert change.state.segment == Segment(new_kind, 5, started_at=T0 + 30 * MIN)
    assert details_json(change.details) == {"kind": new_kind.value, "number": 5}


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (MS, "a member states segment has just begun"),
        (PANELISTS, "a panelists segment has just begun"),
        (STAKEHOLDERS, "a stakeholders segment has just begun"),
    ],
)
def test_starting_the_same_kind_twice_with_no_interventions_is_refused(
    kind: SegmentKind, message: str
) -> None:
    state = in_segment(kind, 0)

    with pytest.raises(Conflict) as refused:
        rules.switch_segment(state, kind, T0 + MIN)

    assert refused.value.message == message
    assert state.segment.number == 4


def test_segments_are_numbered_through_the_item_and_start_again_with_the_next() -> None:
    meeting = meeting_with()
    state = taken_up(meeting)
    assert (state.segment.kind, state.segment.number) == (MS, 1)

    state = play(meeting, state, ["request M001", "next", "switch", "next", "switch"])
    assert (state.segment.kind, state.segment.number) == (MS, 3)
    assert state.segment.interventions == 0
    assert state.segment.heard == ()

    state = rules.start_item(meeting, state, "closing", "mod", T0 + 30 * MIN).state
    assert (state.segment.kind, state.segment.number) == (MS, 1)


def test_the_current_speaker_is_not_cut_off_by_a_switch() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), ["request M001", "next", "switch"])

    assert state.current is not None
    assert state.current.speaker_id == "M001"
    assert state.current.segment_kind is MS
    assert state.segment.kind is PANELISTS


# --- switch proposals -------------------------------------------------------------------------


def waiting(*ids: str) -> tuple[FloorRequest, ...]:
    return tuple(FloorRequest(d, T0, seq) for seq, d in enumerate(ids, start=1))


@pytest.mark.parametrize(
    ("policy", "kind", "interventions", "heard", "line", "since_ms", "proposal"),
    [
        pytest.param(DEFAULT, MS, 0, (), ("M001",), 0, None, id="just started"),
        pytest.param(DEFAULT, MS, 4, (), ("M001",), 10 * MIN, None, id="4 of 5, 10 of 20 min"),
        pytest.param(
            DEFAULT, MS, 5, (), ("M001",), 10 * MIN, "5 interventions in this segment", id="5 of 5"
        ),
        pytest.param(
            DEFAULT, MS, 7, (), ("M001",), 1 * MIN, "7 interventions in this segment", id="7 of 5"
        ),
        pytest.param(DEFAULT, MS, 1, (), ("M001",), 20 * MIN - 1, None, id="1 ms before 20 min"),
        pytest.param(
            DEFAULT,
            MS,
            1,
            (),
            ("M001",),
            20 * MIN,
            "20 minutes in this segment",
            id="exactly 20 min",
        ),
        pytest.param(
            DEFAULT, MS, 1, (), ("M001",), 45 * MIN, "20 minutes in this segment", id="45 of 20 min"
        ),
        pytest.param(
            DEFAULT,
            MS,
            6,
            (),
            ("M001",),
            30 * MIN,
            "6 interventions in this segment",
            id="both reached: the count is given",
        ),
        pytest.param(
            FloorPolicy(switch_after_interventions=3, switch_after_minutes=None),
            MS,
            3,
            (),
            ("M001",),
            600 * MIN,
            "3 interventions in this segment",
            id="count only: 3 of 3",
        ),
        pytest.param(
            FloorPolicy(switch_after_interventions=3, switch_after_minutes=None),
            MS,
            2,
            (),
            ("M001",),
            600 * MIN,
            None,
            id="count only: time never proposes",
        ),
        pytest.param(
            FloorPolicy(switch_after_interventions=None, switch_after_minutes=10),
            MS,
            40,
            (),
            ("M001",),
            9 * MIN,
            None,
            id="time only: the count never proposes",
        ),
        pytest.param(
            FloorPolicy(switch_after_interventions=None, switch_after_minutes=10),
            MS,
            0,
            (),
            ("M001",),
            10 * MIN,
            "10 minutes in this segment",
            id="time only: 10 of 10 min",
        ),
        pytest.param(
            FloorPolicy(switch_after_interventions=None, switch_after_minutes=None),
            MS,
            99,
            (),
            ("M001",),
            600 * MIN,
            None,
            id="never proposed by count or time",
        ),
        pytest.param(
            DEFAULT, MS, 2, (), (), 3 * MIN, "no one waiting in this segment", id="line ran out"
        ),
        pytest.param(DEFAULT, MS, 0, (), (), 3 * MIN, None, id="no one has asked yet"),
        pytest.param(
            OWN_SEGMENT,
            MS,
            2,
            (),
            ("sh-ngo",),
            3 * MIN,
            "no one waiting in this segment",
            id="only stakeholders waiting for their own segment",
        ),
        pytest.param(
            DEFAULT,
            STAKEHOLDERS,
            1,
            (),
            ("M001",),
            3 * MIN,
            "no one waiting in this segment",
            id="stakeholders segment with only states waiting",
        ),
        pytest.param(
            DEFAULT, PANELISTS, 2, ("p-a", "p-b"), ("M001",), 3 * MIN, None, id="one panelist to go"
        ),
        pytest.param(
            DEFAULT,
            PANELISTS,
            3,
            ("p-a", "p-b", "p-c"),
            (),
            3 * MIN,
            "every panelist has responded",
            id="every panelist responded",
        ),
    ],
)
def test_switch_proposal(
    policy: FloorPolicy,
    kind: SegmentKind,
    interventions: int,
    heard: tuple[str, ...],
    line: tuple[str, ...],
    since_ms: int,
    proposal: str | None,
) -> None:
    meeting = meeting_with(policy)
    state = FloorState(
        item_id="panel",
        is_open=True,
        segment=Segment(kind, 2, started_at=T0, interventions=interventions, heard=heard),
        line=waiting(*line),
    )

    assert rules.switch_proposal(meeting, state, T0 + since_ms) == proposal


def test_switch_proposal_counts_interventions_made_through_the_acts() -> None:
    meeting = meeting_with(FloorPolicy(switch_after_interventions=2, switch_after_minutes=None))
    state = play(meeting, taken_up(meeting), [*requests("M001", "M002", "M003"), "next"])
    assert rules.switch_proposal(meeting, state, T0 + MIN) is None

    state = play(meeting, state, ["next"], start=T0 + MIN)

    assert rules.switch_proposal(meeting, state, T0 + 2 * MIN) == (
        "2 interventions in this segment"
    )


# --- taking up an agenda item -----------------------------------------------------------------


def test_start_item_from_nothing() -> None:
    meeting = meeting_with()

    change = rules.start_item(meeting, FloorState(), "panel", "mod", T0)

    assert change.state.item_id == "panel"
    assert not change.state.is_open
    assert change.state.items == (ItemTimes("panel", T0),)
    assert details_json(change.details) == {"item_id": "panel", "not_heard": []}
    assert change.ended is None


def test_start_item_ends_the_previous_one_and_records_who_was_not_heard() -> None:
    meeting = meeting_with()
    state = play(
        meeting, taken_up(meeting), ["heard M003", *requests("M002", "VAT", "M001"), "next"]
    )
    assert state.current is not None
    assert state.current.speaker_id == "M002"
    later = T0 + 40 * MIN

    change = rules.start_item(meeting, state, "closing", "chair", later)

    new = change.state
    assert details_json(change.details) == {"item_id": "closing", "not_heard": ["M001", "VAT"]}
    assert new.item_id == "closing"
    assert new.line == ()
    assert not new.is_open
    assert new.current is None
    assert new.segment == Segment(MS, 1)
    assert new.spoken == ()
    # Two delegations were heard in the panel: M003 for half a second, M002 until now.
    spoken = S // 2 + later - (T0 + 5 * S)
    assert new.items == (ItemTimes("panel", T0, later, 2, spoken), ItemTimes("closing", later))
    assert change.ended is not None
    assert change.ended.speaker_id == "M002"
    assert change.ended.ended_at == later
    assert change.ended.ended_by == "chair"
    assert change.ended.item_id == "panel"


def test_an_item_keeps_the_pace_of_the_floor_heard_in_it() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), ["heard M001", "heard M002", "give sh-ngo"])
    state = rules.give_floor(meeting, state, "mod", T0 + MIN, speaker_id="p-a").state
    state = rules.end_intervention(state, "mod", T0 + 2 * MIN).state

    # The panelist's response is not an intervention from the floor.
    assert state.items == (ItemTimes("panel", T0, None, 3, S // 2 + S // 2 + MIN - 3 * S),)


def test_taking_up_an_item_again_replaces_its_times() -> None:
    meeting = meeting_with()
    state = rules.start_item(meeting, FloorState(), "panel", "mod", T0).state
    state = rules.start_item(meeting, state, "closing", "mod", T0 + MIN).state

    state = rules.start_item(meeting, state, "panel", "mod", T0 + 2 * MIN).state

    assert state.items == (
        ItemTimes("closing", T0 + MIN, T0 + 2 * MIN),
        ItemTimes("panel", T0 + 2 * MIN),
    )


@pytest.mark.parametrize(
    ("item_id", "error", "message"),
    [
        ("panel", Conflict, "this agenda item is already under way"),
        ("nope", NotFound, "there is no agenda item 'nope' in this meeting"),
    ],
)
def test_start_item_refused(item_id: str, error: type[DomainError], message: str) -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), requests("M001"))
    before = copy.deepcopy(state)

    with pytest.raises(error) as refused:
        rules.start_item(meeting, state, item_id, "mod", T0 + MIN)

    assert refused.value.message == message
    assert state == before
