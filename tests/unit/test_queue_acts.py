"""Giving the floor and running its clock: call_next, give_floor, end, the timer acts,
and the promise that a state is never changed in place and a refused act changes nothing.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable

import pytest

from app.domain.acts import Nothing, details_json
from app.domain.model import FloorPolicy, Limit, Meeting, SegmentKind, SpeakerKind, Turn, TurnKind
from app.errors import Conflict, DomainError, Invalid, NotFound
from app.queue import rules
from app.queue.rules import (
    Change,
    FloorRequest,
    FloorState,
    InterventionRecord,
    Segment,
)
from app.timers import rules as timers
from app.timers.rules import Phase, TimerState
from tests.factories import make_meeting
from tests.unit.test_queue_rules import (
    MIN,
    OBSERVERS_WITH,
    OWN_SEGMENT,
    T0,
    S,
    line_of,
    meeting_with,
    play,
    requests,
    taken_up,
)

FLOOR_MS = 180_000
FLOOR_WARNING_MS = 30_000
PANELIST_MS = 300_000


def speaking(state: FloorState) -> str | None:
    return state.current.speaker_id if state.current else None


# --- call_next picks the policy's choice -------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "script", "called", "line"),
    [
        pytest.param(
            FloorPolicy(),
            requests("VAT", "M002", "M001"),
            "M002",
            ["M001", "VAT"],
            id="first member state to ask",
        ),
        pytest.param(
            OBSERVERS_WITH,
            requests("VAT", "M002", "M001"),
            "VAT",
            ["M002", "M001"],
            id="observer first when it asked first",
        ),
        pytest.param(
            FloorPolicy(),
            ["heard M002", *requests("M002", "M001")],
            "M001",
            ["M002"],
            id="one that has not spoken before one that has",
        ),
        pytest.param(
            FloorPolicy(not_spoken_first=False),
            ["heard M002", *requests("M002", "M001")],
            "M002",
            ["M001"],
            id="arrival order when not_spoken_first is off",
        ),
        pytest.param(
            FloorPolicy(),
            [*requests("M001", "M002"), "defer M001"],
            "M002",
            ["M001"],
            id="not the deferred one",
        ),
        pytest.param(
            FloorPolicy(),
            [*requests("M001", "M002", "M003"), "move M003 1"],
            "M003",
            ["M001", "M002"],
            id="the one moved first",
        ),
        pytest.param(
            OWN_SEGMENT,
            requests("sh-ngo", "M004"),
            "M004",
            ["sh-ngo"],
            id="skips a stakeholder waiting for its own segment",
        ),
        pytest.param(
            FloorPolicy(),
            requests("sh-ngo"),
            "sh-ngo",
            [],
            id="a stakeholder after states when no state waits",
        ),
    ],
)
def test_call_next_gives_the_floor_to_the_policys_choice(
    policy: FloorPolicy, script: list[str], called: str, line: list[str]
) -> None:
    meeting = meeting_with(policy)
    state = play(meeting, taken_up(meeting), script)
    assert rules.proposed_next(meeting, state) == called

    change = rules.call_next(meeting, state, "mod", T0 + 10 * MIN)

    assert speaking(change.state) == called
    assert details_json(change.details) == {"speaker_id": called}
    assert line_of(change.state) == line
    assert called in change.state.spoken


def test_the_called_delegation_sees_its_own_countdown() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), requests("M003", "M001"))
    granted = T0 + 10 * MIN

    current = rules.call_next(meeting, state, "mod", granted).state.current

    assert current is not None
    assert (current.speaker_kind, current.speaker_id, current.name) == (
        SpeakerKind.DELEGATION,
        "M003",
        "Member State 3",
    )
    assert current.out_of_turn is False
    assert current.requested_at == T0 + S
    assert current.granted_at == granted
    assert current.granted_by == "mod"
    assert (current.item_id, current.segment_kind, current.segment_number) == (
        "panel",
        SegmentKind.MEMBER_STATES,
        1,
    )
    assert current.timer.state is TimerState.RUNNING
    assert timers.remaining(current.timer, granted + 30 * S) == FLOOR_MS - 30 * S
    assert timers.phase(current.timer, granted + 150 * S) is Phase.WARNING


def test_floor_limit_comes_from_the_meetings_limits() -> None:
    meeting = dataclasses.replace(
        meeting_with(), limits={**meeting_with().limits, TurnKind.FLOOR: Limit(120, 20)}
    )
    state = play(meeting, taken_up(meeting), requests("M001"))

    current = rules.call_next(meeting, state, "mod", T0 + MIN).state.current

    assert current is not None
    assert (current.timer.limit_ms, current.timer.warning_ms) == (120_000, 20_000)


def test_without_auto_start_the_clock_waits_for_the_moderator() -> None:
    meeting = meeting_with(FloorPolicy(auto_start_timer=False))
    state = play(meeting, taken_up(meeting), requests("M001", "M002"))

    state = rules.call_next(meeting, state, "mod", T0 + MIN).state
    assert state.current is not None
    assert state.current.timer.state is TimerState.IDLE
    assert timers.remaining(state.current.timer, T0 + 5 * MIN) == FLOOR_MS

    state = rules.start_timer(state, T0 + 2 * MIN).state
    change = rules.call_next(meeting, state, "mod", T0 + 3 * MIN)

    assert change.ended is not None
    assert change.ended.spoken_ms == MIN


def test_never_started_clock_records_nothing_spoken() -> None:
    meeting = meeting_with(FloorPolicy(auto_start_timer=False))
    state = play(meeting, taken_up(meeting), [*requests("M001", "M002"), "next"])

    ended = rules.call_next(meeting, state, "mod", T0 + 5 * MIN).ended

    assert ended is not None
    assert (ended.speaker_id, ended.spoken_ms, ended.overrun_ms) == ("M001", 0, 0)


def test_interventions_are_numbered_across_the_meeting() -> None:
    meeting = meeting_with()
    state = play(
        meeting,
        taken_up(meeting),
        [*requests("M001", "M002"), "next", "next", "switch", "next", "give M005"],
    )
    assert state.current is not None
    assert state.current.number == 4
    assert state.interventions == 4

    state = rules.start_item(meeting, state, "closing", "mod", T0 + 20 * MIN).state
    state = rules.give_floor(meeting, state, "mod", T0 + 21 * MIN, delegation_id="M002").state

    assert state.current is not None
    assert state.current.number == 5


# --- call_next ends the current intervention ------------------------------------------------------

Step = tuple[str, int]
"""A clock act on the current speaker ("pause", "resume", "start", "adjust", "reset") and
its offset from the grant (ms), or for "adjust" the change of time (ms)."""


def run_clock(state: FloorState, granted: int, steps: list[Step]) -> FloorState:
    for act, value in steps:
        match act:
            case "pause":
                state = rules.pause_timer(state, granted + value).state
            case "resume":
                state = rules.resume_timer(state, granted + value).state
            case "start":
                state = rules.start_timer(state, granted + value).state
            case "adjust":
                state = rules.adjust_timer(state, value).state
            case "reset":
                state = rules.reset_timer(state, granted + value).state
            case _:
                raise AssertionError(f"unknown clock act {act!r}")
    return state


@pytest.mark.parametrize(
    ("steps", "ended_after", "spoken", "limit", "overrun", "pauses"),
    [
        pytest.param([], 120 * S, 120 * S, FLOOR_MS, 0, 0, id="within the limit"),
        pytest.param([], 180 * S, 180 * S, FLOOR_MS, 0, 0, id="exactly the limit"),
        pytest.param([], 200 * S, 200 * S, FLOOR_MS, 20 * S, 0, id="20 s over"),
        pytest.param([], 0, 0, FLOOR_MS, 0, 0, id="ended at once"),
        pytest.param(
            [("pause", 60 * S), ("resume", 90 * S)],
            200 * S,
            170 * S,
            FLOOR_MS,
            0,
            1,
            id="a 30 s pause does not count",
        ),
        pytest.param(
            [("pause", 100 * S), ("resume", 130 * S), ("pause", 150 * S), ("resume", 160 * S)],
            250 * S,
            210 * S,
            FLOOR_MS,
            30 * S,
            2,
            id="two pauses then overrun",
        ),
        pytest.param(
            [("pause", 190 * S)],
            300 * S,
            190 * S,
            FLOOR_MS,
            10 * S,
            1,
            id="ended while paused",
        ),
        pytest.param(
            [("adjust", 60 * S)],
            200 * S,
            200 * S,
            240 * S,
            0,
            0,
            id="a minute added",
        ),
        pytest.param(
            [("adjust", -60 * S)],
            150 * S,
            150 * S,
            120 * S,
            30 * S,
            0,
            id="a minute taken away",
        ),
        pytest.param(
            [("adjust", 30 * S), ("pause", 100 * S), ("resume", 160 * S), ("adjust", 15 * S)],
            300 * S,
            240 * S,
            225 * S,
            15 * S,
            1,
            id="added time and a pause",
        ),
        pytest.param(
            [("reset", 0), ("start", 60 * S)],
            200 * S,
            140 * S,
            FLOOR_MS,
            0,
            0,
            id="clock reset after a false start",
        ),
    ],
)
def test_call_next_ends_the_current_intervention_with_a_record(
    steps: list[Step], ended_after: int, spoken: int, limit: int, overrun: int, pauses: int
) -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), requests("M002", "M001"))
    granted = T0 + 5 * MIN
    state = rules.call_next(meeting, state, "mod", granted).state
    state = run_clock(state, granted, steps)
    ended_at = granted + ended_after

    change = rules.call_next(meeting, state, "mod2", ended_at)

    assert speaking(change.state) == "M001"
    assert change.ended == InterventionRecord(
        number=1,
        speaker_kind=SpeakerKind.DELEGATION,
        speaker_id="M002",
        name="Member State 2",
        item_id="panel",
        segment_kind=SegmentKind.MEMBER_STATES,
        segment_number=1,
        granted_at=granted,
        ended_at=ended_at,
        spoken_ms=spoken,
        limit_ms=limit,
        overrun_ms=overrun,
        pauses=pauses,
        out_of_turn=False,
        granted_by="mod",
        ended_by="mod2",
        requested_at=T0 + S,
        resets=sum(act == "reset" for act, _ in steps),
        added_ms=sum(value for act, value in steps if act == "adjust"),
    )


@pytest.mark.parametrize(
    ("policy", "script", "message"),
    [
        pytest.param(
            FloorPolicy(),
            [],
            "no one is waiting for the floor in this segment",
            id="no one asked",
        ),
        pytest.param(
            FloorPolicy(),
            ["request M001", "next"],
            "no one is waiting for the floor in this segment",
            id="line ran out, someone speaking",
        ),
        pytest.param(
            OWN_SEGMENT,
            ["request sh-ngo", "request M001", "next"],
            "no one is waiting for the floor in this segment",
            id="only a stakeholder waiting for its own segment",
        ),
        pytest.param(
            FloorPolicy(),
            ["switch", "next", "next", "next"],
            "every panelist has responded in this segment; switch segment",
            id="every panelist responded",
        ),
    ],
)
def test_call_next_with_no_one_to_call_is_refused_and_the_speaker_goes_on(
    policy: FloorPolicy, script: list[str], message: str
) -> None:
    meeting = meeting_with(policy)
    state = play(meeting, taken_up(meeting), script)
    before = copy.deepcopy(state)

    with pytest.raises(Conflict) as refused:
        rules.call_next(meeting, state, "mod", T0 + 10 * MIN)

    assert refused.value.message == message
    assert state == before


# --- panelist segments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "called"),
    [
        pytest.param(["switch"], ["p-a", "p-b", "p-c"], id="in the item's order"),
        pytest.param(
            ["switch", "next", "switch", "request M004", "next", "switch"],
            ["p-a", "p-b", "p-c"],
            id="each panelist segment starts the round again",
        ),
    ],
)
def test_call_next_cycles_through_the_panelists(script: list[str], called: list[str]) -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), [*requests("M001", "M002", "VAT"), *script])
    waiting = line_of(state)
    now = T0 + 10 * MIN
    calls = []
    for _ in called:
        change = rules.call_next(meeting, state, "mod", now)
        state = change.state
        calls.append(speaking(state))
        assert state.current is not None
        assert state.current.speaker_kind is SpeakerKind.PANELIST
        assert state.current.timer.limit_ms == PANELIST_MS
        assert state.current.segment_kind is SegmentKind.PANELISTS
        now += 2 * MIN

    assert calls == called
    assert line_of(state) == waiting
    assert state.segment.heard == tuple(called)
    assert rules.switch_proposal(meeting, state, now) == "every panelist has responded"
    with pytest.raises(Conflict, match="every panelist has responded in this segment"):
        rules.call_next(meeting, state, "mod", now)


def test_a_panelist_given_the_floor_out_of_turn_is_not_called_again_in_the_segment() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), ["switch"])
    state = rules.give_floor(meeting, state, "mod", T0 + MIN, speaker_id="p-b").state

    state = play(meeting, state, ["next", "next"], start=T0 + 2 * MIN)

    assert state.segment.heard == ("p-b", "p-a", "p-c")
    with pytest.raises(Conflict):
        rules.call_next(meeting, state, "mod", T0 + 5 * MIN)


def test_the_record_of_a_panelist_response() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), ["request M001", "next", "switch"])
    state = rules.call_next(meeting, state, "mod", T0 + 10 * MIN).state

    ended = rules.call_next(meeting, state, "mod", T0 + 16 * MIN).ended

    assert ended is not None
    assert (ended.speaker_kind, ended.speaker_id, ended.name) == (
        SpeakerKind.PANELIST,
        "p-a",
        "Panelist A",
    )
    assert (ended.segment_kind, ended.segment_number) == (SegmentKind.PANELISTS, 2)
    assert (ended.spoken_ms, ended.limit_ms, ended.overrun_ms) == (6 * MIN, PANELIST_MS, MIN)


# --- give_floor -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "targets",
    [
        pytest.param({}, id="none"),
        pytest.param({"delegation_id": "M001", "speaker_id": "p-a"}, id="delegation and panelist"),
        pytest.param({"delegation_id": "M001", "turn_id": "panel-a"}, id="delegation and turn"),
        pytest.param({"speaker_id": "p-a", "turn_id": "panel-a"}, id="panelist and turn"),
        pytest.param(
            {"delegation_id": "M001", "speaker_id": "p-a", "turn_id": "panel-a"}, id="all three"
        ),
    ],
)
def test_give_floor_needs_exactly_one_target(targets: dict[str, str]) -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), ["request M001", "next"])
    before = copy.deepcopy(state)

    with pytest.raises(Invalid) as refused:
        rules.give_floor(meeting, state, "mod", T0 + MIN, **targets)

    assert refused.value.message == "name exactly one of delegation_id, speaker_id or turn_id"
    assert state == before


@pytest.mark.parametrize(
    ("script", "chosen", "line", "requested_at"),
    [
        pytest.param(
            requests("M001", "M002", "M003"),
            "M002",
            ["M001", "M003"],
            T0 + 2 * S,
            id="out of turn from the middle of the line",
        ),
        pytest.param(
            requests("M001", "VAT"), "VAT", ["M001"], T0 + 2 * S, id="an observer before a state"
        ),
        pytest.param(
            [*requests("M001", "M002"), "defer M002"],
            "M002",
            ["M001"],
            T0 + 2 * S,
            id="a deferred request",
        ),
        pytest.param(requests("M001"), "M004", ["M001"], None, id="one that never asked"),
        pytest.param(
            ["request M001", "request sh-ngo", "switch panelists"],
            "sh-ngo",
            ["M001"],
            T0 + 2 * S,
            id="whatever the segment",
        ),
    ],
)
def test_give_floor_out_of_turn_to_a_delegation(
    script: list[str], chosen: str, line: list[str], requested_at: int | None
) -> None:
    meeting = meeting_with(OWN_SEGMENT)
    state = play(meeting, taken_up(meeting), script)

    change = rules.give_floor(meeting, state, "mod", T0 + MIN, delegation_id=chosen)

    current = change.state.current
    assert current is not None
    assert current.speaker_id == chosen
    assert current.out_of_turn is True
    assert current.requested_at == requested_at
    assert current.timer.limit_ms == FLOOR_MS
    assert line_of(change.state) == line
    assert details_json(change.details) == {"delegation_id": chosen}
    assert chosen in change.state.spoken


def test_give_floor_ends_the_current_intervention() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), [*requests("M001", "M002"), "next"])

    change = rules.give_floor(meeting, state, "chair", T0 + 4 * MIN, delegation_id="M002")

    assert change.ended is not None
    assert change.ended.speaker_id == "M001"
    assert change.ended.ended_by == "chair"
    assert change.ended.spoken_ms == 4 * MIN - 3 * S
    assert change.ended.overrun_ms == MIN - 3 * S
    assert speaking(change.state) == "M002"


def test_give_floor_to_a_panelist() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), requests("M001"))

    change = rules.give_floor(meeting, state, "mod", T0 + MIN, speaker_id="p-c")

    current = change.state.current
    assert current is not None
    assert (current.speaker_kind, current.speaker_id, current.name) == (
        SpeakerKind.PANELIST,
        "p-c",
        "Panelist C",
    )
    assert current.out_of_turn is True
    assert (current.timer.limit_ms, current.timer.warning_ms) == (PANELIST_MS, 60_000)
    assert details_json(change.details) == {"speaker_id": "p-c"}
    assert line_of(change.state) == ["M001"]
    assert change.state.spoken == ()


def with_more_turns(meeting: Meeting) -> Meeting:
    """Panel 1 with a turn of its own length and a turn with no named speaker."""
    day = meeting.days[0]
    panel = day.items[0]
    panel = dataclasses.replace(
        panel,
        turns=(
            *panel.turns,
            Turn("panel-b", TurnKind.EXPERT_PRESENTATION, "Presentation", "p-b", limit_s=360),
            Turn("panel-c", TurnKind.EXPERT_PRESENTATION, "Presentation", "p-c", 300, 45),
            Turn("panel-video", TurnKind.WELCOME, "Video message"),
            Turn("panel-concluding", TurnKind.MODERATOR_CONCLUDING, "Concluding remarks", "mod"),
        ),
    )
    day = dataclasses.replace(day, items=(panel, *day.items[1:]))
    return dataclasses.replace(meeting, days=(day,))


CUSTOM_LIMITS = {**make_meeting().limits, TurnKind.MODERATOR_OPENING: Limit(300, 60)}


@pytest.mark.parametrize(
    ("limits", "turn_id", "speaker_id", "name", "limit_ms", "warning_ms"),
    [
        pytest.param(
            None, "panel-opening", "mod", "The Moderator", 420_000, 120_000, id="opening 5-7 min"
        ),
        pytest.param(
            None, "panel-a", "p-a", "Panelist A", 420_000, 120_000, id="presentation 5-7 min"
        ),
        pytest.param(
            CUSTOM_LIMITS,
            "panel-opening",
            "mod",
            "The Moderator",
            300_000,
            60_000,
            id="the meeting's own limit for openings",
        ),
        pytest.param(
            CUSTOM_LIMITS,
            "panel-a",
            "p-a",
            "Panelist A",
            420_000,
            120_000,
            id="other kinds keep theirs",
        ),
        pytest.param(
            None, "panel-b", "p-b", "Panelist B", 360_000, 90_000, id="the turn's own length"
        ),
        pytest.param(
            None, "panel-c", "p-c", "Panelist C", 300_000, 45_000, id="the turn's own warning"
        ),
        pytest.param(
            None,
            "panel-video",
            "panel-video",
            "Video message",
            600_000,
            60_000,
            id="a turn with no named speaker",
        ),
        pytest.param(
            None,
            "panel-concluding",
            "mod",
            "The Moderator",
            420_000,
            120_000,
            id="concluding remarks",
        ),
    ],
)
def test_give_floor_to_a_programme_turn(
    limits: dict[TurnKind, Limit] | None,
    turn_id: str,
    speaker_id: str,
    name: str,
    limit_ms: int,
    warning_ms: int,
) -> None:
    meeting = with_more_turns(make_meeting())
    if limits is not None:
        meeting = dataclasses.replace(meeting, limits=limits)
    state = play(meeting, taken_up(meeting), [*requests("M001", "M002"), "next"])

    change = rules.give_floor(meeting, state, "mod", T0 + MIN, turn_id=turn_id)

    current = change.state.current
    assert current is not None
    assert current.speaker_kind is SpeakerKind.SCRIPTED
    assert (current.speaker_id, current.name, current.turn_id) == (speaker_id, name, turn_id)
    assert (current.timer.limit_ms, current.timer.warning_ms) == (limit_ms, warning_ms)
    assert current.item_id == "panel"
    assert current.out_of_turn is False
    assert current.segment_kind is None
    assert details_json(change.details) == {"turn_id": turn_id}
    # a programme turn is not an intervention of the segment and leaves the line alone
    assert change.state.segment.interventions == 1
    assert line_of(change.state) == ["M002"]
    assert change.ended is not None
    assert change.ended.speaker_id == "M001"


@pytest.mark.parametrize(
    ("script", "targets", "error", "message"),
    [
        pytest.param(
            [],
            {"delegation_id": "XYZ"},
            NotFound,
            "there is no delegation 'XYZ' in this meeting",
            id="unknown delegation",
        ),
        pytest.param(
            [],
            {"speaker_id": "p-z"},
            NotFound,
            "there is no speaker 'p-z' in this meeting",
            id="unknown speaker",
        ),
        pytest.param(
            [],
            {"turn_id": "nope"},
            NotFound,
            "there is no programme turn 'nope' in this meeting",
            id="unknown turn",
        ),
        pytest.param(
            ["give M001"],
            {"delegation_id": "M001"},
            Conflict,
            "Member State 1 has the floor already",
            id="delegation already speaking",
        ),
        pytest.param(
            ["switch", "next"],
            {"speaker_id": "p-a"},
            Conflict,
            "Panelist A has the floor already",
            id="panelist already speaking",
        ),
    ],
)
def test_give_floor_refused(
    script: list[str], targets: dict[str, str], error: type[DomainError], message: str
) -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), [*requests("M002"), *script])
    before = copy.deepcopy(state)

    with pytest.raises(error) as refused:
        rules.give_floor(meeting, state, "mod", T0 + 10 * MIN, **targets)

    assert type(refused.value) is error
    assert refused.value.message == message
    assert state == before


# --- end_intervention ---------------------------------------------------------------------------


def test_end_intervention_leaves_no_one_speaking_and_keeps_the_line() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), [*requests("M001", "M002"), "next"])

    change = rules.end_intervention(state, "mod", T0 + 2 * MIN)

    assert change.state.current is None
    assert line_of(change.state) == ["M002"]
    assert change.ended is not None
    assert (change.ended.speaker_id, change.ended.spoken_ms) == ("M001", 2 * MIN - 3 * S)
    assert change.state.spoken == ("M001",)


def test_end_intervention_with_no_one_speaking_is_refused() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), ["heard M001"])

    with pytest.raises(Conflict) as refused:
        rules.end_intervention(state, "mod", T0 + MIN)

    assert refused.value.message == "no one has the floor"


# --- the clock of the current intervention --------------------------------------------------

TimerAct = Callable[[FloorState], Change]

TIMER_ACTS: list[tuple[str, TimerAct]] = [
    ("start", lambda state: rules.start_timer(state, T0 + MIN)),
    ("pause", lambda state: rules.pause_timer(state, T0 + MIN)),
    ("resume", lambda state: rules.resume_timer(state, T0 + MIN)),
    ("add time", lambda state: rules.adjust_timer(state, 30 * S)),
    ("take time", lambda state: rules.adjust_timer(state, -30 * S)),
    ("reset", lambda state: rules.reset_timer(state, T0 + MIN)),
]


@pytest.mark.parametrize("act", [pytest.param(act, id=name) for name, act in TIMER_ACTS])
@pytest.mark.parametrize(
    "script",
    [
        pytest.param([], id="no one has spoken"),
        pytest.param(["heard M001"], id="after an intervention ended"),
        pytest.param(["request M001"], id="someone waiting"),
    ],
)
def test_timer_acts_with_no_one_speaking_are_refused(act: TimerAct, script: list[str]) -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), script)
    before = copy.deepcopy(state)

    with pytest.raises(Conflict) as refused:
        act(state)

    assert refused.value.message == "no one has the floor, so there is no clock to change"
    assert state == before


@pytest.mark.parametrize(
    ("steps", "at", "remaining", "phase", "timer_state"),
    [
        pytest.param(
            [("pause", 40 * S)], 5 * MIN, 140 * S, Phase.NORMAL, TimerState.PAUSED, id="paused"
        ),
        pytest.param(
            [("pause", 40 * S), ("resume", 100 * S)],
            130 * S,
            110 * S,
            Phase.NORMAL,
            TimerState.RUNNING,
            id="resumed",
        ),
        pytest.param(
            [("adjust", 60 * S)], 200 * S, 40 * S, Phase.NORMAL, TimerState.RUNNING, id="added"
        ),
        pytest.param(
            [("adjust", -60 * S)], 100 * S, 20 * S, Phase.WARNING, TimerState.RUNNING, id="taken"
        ),
        pytest.param([("reset", 0)], 100 * S, FLOOR_MS, Phase.NORMAL, TimerState.IDLE, id="reset"),
        pytest.param(
            [("reset", 0), ("start", 10 * S)],
            200 * S,
            -10 * S,
            Phase.OVERRUN,
            TimerState.RUNNING,
            id="reset and started again",
        ),
    ],
)
def test_timer_acts_change_the_speakers_clock(
    steps: list[Step], at: int, remaining: int, phase: Phase, timer_state: TimerState
) -> None:
    meeting = meeting_with()
    granted = T0 + 5 * MIN
    state = play(meeting, taken_up(meeting), ["request M001"])
    state = rules.call_next(meeting, state, "mod", granted).state

    state = run_clock(state, granted, steps)

    assert state.current is not None
    assert speaking(state) == "M001"
    assert timers.remaining(state.current.timer, granted + at) == remaining
    assert timers.phase(state.current.timer, granted + at) is phase
    assert state.current.timer.state is timer_state


@pytest.mark.parametrize(
    ("steps", "act", "error", "message"),
    [
        pytest.param([], "start", Conflict, "the timer is already running", id="start running"),
        pytest.param([], "resume", Conflict, "the timer is not paused", id="resume running"),
        pytest.param(
            [("pause", 10 * S)], "pause", Conflict, "the timer is not running", id="pause twice"
        ),
        pytest.param(
            [("reset", 0)], "pause", Conflict, "the timer is not running", id="pause after reset"
        ),
        pytest.param(
            [],
            "take all",
            Conflict,
            "the time limit cannot go below zero",
            id="take away all the time",
        ),
        pytest.param(
            [], "zero", Invalid, "the change of time must not be zero", id="a change of zero"
        ),
    ],
)
def test_illegal_clock_acts_are_refused(
    steps: list[Step], act: str, error: type[DomainError], message: str
) -> None:
    acts: dict[str, TimerAct] = {
        "start": lambda state: rules.start_timer(state, T0 + 7 * MIN),
        "resume": lambda state: rules.resume_timer(state, T0 + 7 * MIN),
        "pause": lambda state: rules.pause_timer(state, T0 + 7 * MIN),
        "take all": lambda state: rules.adjust_timer(state, -FLOOR_MS),
        "zero": lambda state: rules.adjust_timer(state, 0),
    }
    meeting = meeting_with()
    granted = T0 + 5 * MIN
    state = play(meeting, taken_up(meeting), ["request M001"])
    state = run_clock(rules.call_next(meeting, state, "mod", granted).state, granted, steps)
    before = copy.deepcopy(state)

    with pytest.raises(error) as refused:
        acts[act](state)

    assert type(refused.value) is error
    assert refused.value.message == message
    assert state == before


def test_adjust_reports_the_new_limit() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), ["request M001", "next"])

    change = rules.adjust_timer(state, 45 * S)

    assert details_json(change.details) == {"delta_ms": 45 * S, "limit_ms": FLOOR_MS + 45 * S}


# --- states are facts: never changed in place ----------------------------------------------


def busy_state(meeting: Meeting) -> FloorState:
    """Someone speaking, someone deferred, several kinds waiting, the clock paused."""
    state = play(
        meeting,
        taken_up(meeting),
        [
            "heard M005",
            *requests("M001", "M002", "VAT", "sh-ngo", "M003"),
            "defer M002",
            "next",
        ],
    )
    return rules.pause_timer(state, T0 + 5 * MIN).state


FloorAct = Callable[[Meeting, FloorState], Change]

SUCCESSFUL_ACTS: list[tuple[str, FloorAct]] = [
    ("close", lambda m, s: rules.close_floor(s)),
    ("request", lambda m, s: rules.request_floor(m, s, "PSE", T0 + 6 * MIN)),
    ("withdraw", lambda m, s: rules.withdraw_request(s, "VAT")),
    ("remove", lambda m, s: rules.remove_request(s, "VAT")),
    ("move", lambda m, s: rules.move_request(s, "sh-ngo", 1)),
    ("defer", lambda m, s: rules.defer_request(m, s, "M003")),
    ("next", lambda m, s: rules.call_next(m, s, "mod", T0 + 6 * MIN)),
    (
        "give delegation",
        lambda m, s: rules.give_floor(m, s, "mod", T0 + 6 * MIN, delegation_id="M003"),
    ),
    ("give panelist", lambda m, s: rules.give_floor(m, s, "mod", T0 + 6 * MIN, speaker_id="p-a")),
    ("give turn", lambda m, s: rules.give_floor(m, s, "mod", T0 + 6 * MIN, turn_id="panel-a")),
    ("end", lambda m, s: rules.end_intervention(s, "mod", T0 + 6 * MIN)),
    ("switch", lambda m, s: rules.switch_segment(s, None, T0 + 6 * MIN)),
    ("start item", lambda m, s: rules.start_item(m, s, "closing", "mod", T0 + 6 * MIN)),
    ("resume", lambda m, s: rules.resume_timer(s, T0 + 6 * MIN)),
    ("adjust", lambda m, s: rules.adjust_timer(s, 30 * S)),
    ("reset", lambda m, s: rules.reset_timer(s, T0 + 6 * MIN)),
]

REFUSED_ACTS: list[tuple[str, FloorAct]] = [
    ("open again", lambda m, s: rules.open_floor(s, T0 + 6 * MIN)),
    ("second request", lambda m, s: rules.request_floor(m, s, "VAT", T0 + 6 * MIN)),
    ("speaker asks", lambda m, s: rules.request_floor(m, s, "M001", T0 + 6 * MIN)),
    ("unknown asks", lambda m, s: rules.request_floor(m, s, "XYZ", T0 + 6 * MIN)),
    ("withdraw nothing", lambda m, s: rules.withdraw_request(s, "PSE")),
    ("move out of line", lambda m, s: rules.move_request(s, "VAT", 9)),
    ("give two", lambda m, s: rules.give_floor(m, s, "mod", T0, delegation_id="M2", turn_id="x")),
    ("give speaker", lambda m, s: rules.give_floor(m, s, "mod", T0, delegation_id="M001")),
    (
        "same segment",
        lambda m, s: rules.switch_segment(
            rules.switch_segment(s, None, T0).state, SegmentKind.PANELISTS, T0
        ),
    ),
    ("same item", lambda m, s: rules.start_item(m, s, "panel", "mod", T0 + 6 * MIN)),
    ("pause paused", lambda m, s: rules.pause_timer(s, T0 + 6 * MIN)),
    ("take all time", lambda m, s: rules.adjust_timer(s, -10 * MIN)),
]


@pytest.mark.parametrize("act", [pytest.param(act, id=name) for name, act in SUCCESSFUL_ACTS])
def test_an_act_returns_a_new_state_and_leaves_the_old_one_as_it_was(act: FloorAct) -> None:
    meeting = meeting_with()
    state = busy_state(meeting)
    before = copy.deepcopy(state)

    change = act(meeting, state)

    assert state == before
    assert change.state != state


@pytest.mark.parametrize("act", [pytest.param(act, id=name) for name, act in REFUSED_ACTS])
def test_a_refused_act_changes_nothing(act: FloorAct) -> None:
    meeting = meeting_with()
    state = busy_state(meeting)
    before = copy.deepcopy(state)

    with pytest.raises(DomainError):
        act(meeting, state)

    assert state == before


@pytest.mark.parametrize(
    ("thing", "field"),
    [
        pytest.param(FloorState(), "is_open", id="floor state"),
        pytest.param(Segment(SegmentKind.MEMBER_STATES, 1), "interventions", id="segment"),
        pytest.param(FloorRequest("M001", T0, 1), "deferred", id="floor request"),
        pytest.param(Change(FloorState(), Nothing()), "state", id="change"),
    ],
)
def test_floor_facts_are_frozen(thing: object, field: str) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(thing, field, None)


def test_the_intervention_and_its_record_are_frozen() -> None:
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), ["request M001", "next"])
    change = rules.end_intervention(state, "mod", T0 + MIN)
    assert state.current is not None
    assert change.ended is not None

    with pytest.raises(dataclasses.FrozenInstanceError):
        state.current.speaker_id = "M002"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.ended.overrun_ms = 0  # type: ignore[misc]


# --- refusals a screen says in its own language -----------------------------------------

NOW = T0 + 10 * MIN
Act = Callable[[Meeting, FloorState], object]


@pytest.mark.parametrize(
    ("script", "act", "reason", "params"),
    [
        pytest.param(
            ["close"],
            lambda m, s: rules.request_floor(m, s, "M001", NOW),
            "floor_not_open",
            {},
            id="request, floor closed",
        ),
        pytest.param(
            [], lambda m, s: rules.open_floor(s, NOW), "floor_already_open", {}, id="open twice"
        ),
        pytest.param(
            ["close"],
            lambda m, s: rules.close_floor(s),
            "floor_already_closed",
            {},
            id="close twice",
        ),
        pytest.param(
            ["request M001"],
            lambda m, s: rules.request_floor(m, s, "M001", NOW),
            "already_waiting",
            {"name": "Member State 1"},
            id="request twice",
        ),
        pytest.param(
            ["give M001"],
            lambda m, s: rules.request_floor(m, s, "M001", NOW),
            "has_floor",
            {"name": "Member State 1"},
            id="request while speaking",
        ),
        pytest.param(
            [],
            lambda m, s: rules.withdraw_request(s, "M001"),
            "not_waiting",
            {},
            id="withdraw, not waiting",
        ),
        pytest.param(
            [], lambda m, s: rules.call_next(m, s, "mod", NOW), "no_one_waiting", {}, id="next"
        ),
        pytest.param(
            ["switch panelists", "next", "next", "next"],
            lambda m, s: rules.call_next(m, s, "mod", NOW),
            "panelists_done",
            {},
            id="next, every panelist heard",
        ),
        pytest.param(
            ["give M001"],
            lambda m, s: rules.give_floor(m, s, "mod", NOW, delegation_id="M001"),
            "floor_taken",
            {"name": "Member State 1"},
            id="give to the speaker",
        ),
        pytest.param(
            [], lambda m, s: rules.end_intervention(s, "mod", NOW), "no_one_has_floor", {}, id="end"
        ),
        pytest.param(
            [],
            lambda m, s: rules.adjust_timer(s, 30_000),
            "no_clock",
            {},
            id="adjust, no clock",
        ),
        pytest.param(
            [],
            lambda m, s: rules.start_item(m, s, "panel", "mod", NOW),
            "item_under_way",
            {},
            id="take up twice",
        ),
    ],
)
def test_refusals_met_in_the_room_name_their_reason(
    script: list[str], act: Act, reason: str, params: dict[str, object]
) -> None:
    # The screens say these in their six languages (web/shared/api.js), by reason.
    meeting = meeting_with()
    state = taken_up(meeting)
    if script[:1] == ["close"]:
        state, script = rules.close_floor(state).state, script[1:]
    state = play(meeting, state, script)

    with pytest.raises(DomainError) as refused:
        act(meeting, state)

    assert refused.value.reason == reason
    assert refused.value.params == params


def test_reset_keeps_the_time_spoken_in_the_record() -> None:
    """Germany (M002) held the floor 36 s; the clock was reset after 23 s and ran 13 s more:
    the record says 36 s, one reset, and the limit given."""
    meeting = meeting_with()
    state = play(meeting, taken_up(meeting), requests("M002"))
    granted = T0 + MIN
    state = rules.call_next(meeting, state, "mod", granted).state
    state = rules.reset_timer(state, granted + 23 * S).state
    state = rules.start_timer(state, granted + 23 * S).state
    state = rules.adjust_timer(state, 30 * S).state
    assert state.current is not None
    assert timers.remaining(state.current.timer, granted + 36 * S) == FLOOR_MS + 30 * S - 13 * S

    ended = rules.end_intervention(state, "mod", granted + 36 * S).ended

    assert ended is not None
    assert (ended.spoken_ms, ended.resets, ended.added_ms) == (36 * S, 1, 30 * S)
    assert ended.limit_ms - ended.added_ms == FLOOR_MS
