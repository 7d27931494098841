"""The capacity forecast: which waiting requests are heard before the slot ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from app.domain.model import FloorPolicy, SegmentKind, SpeakerKind
from app.errors import Invalid
from app.queue.forecast import (
    ExpectedTurn,
    ForecastInput,
    Suggestion,
    average_floor_ms,
    forecast,
    forecast_input,
    pace_ms,
)
from app.queue.rules import (
    FloorRequest,
    FloorState,
    InterventionRecord,
    ItemTimes,
    Segment,
)
from tests.factories import make_meeting

NOW = 1_497_860_100_000  # 19 June 2017, 10:15 in Geneva
S = 1000
MIN = 60 * S
CLOSE = Suggestion.CLOSE_THE_FLOOR
FITS = Suggestion.LINE_FITS


@dataclass(frozen=True)
class Case:
    id: str
    waiting: int
    minutes_left: float
    given: dict[str, Any] = field(default_factory=dict)
    starts: tuple[int, ...] = ()
    """Expected start of each waiting request, in seconds after now."""
    heard: int = 0
    spare_s: int = 0
    room_for: int = 0
    suggestion: Suggestion = FITS


CASES = [
    Case(
        "early: three waiting, twenty minutes left",
        waiting=3,
        minutes_left=20,
        starts=(0, 180, 360),
        heard=3,
        spare_s=11 * 60,
        room_for=3,
    ),
    Case(
        "on time: the last request ends as the slot ends",
        waiting=4,
        minutes_left=12,
        starts=(0, 180, 360, 540),
        heard=4,
        spare_s=0,
        room_for=0,
        suggestion=CLOSE,
    ),
    Case(
        "late: at the observed 2.5 minutes, four of six fit",
        waiting=6,
        minutes_left=12,
        given={"observed_average_ms": 150 * S},
        starts=(0, 150, 300, 450, 600, 750),
        heard=4,
        spare_s=-3 * 60,
        suggestion=CLOSE,
    ),
    Case(
        "late: the current speaker's minute pushes the second request out",
        waiting=2,
        minutes_left=6,
        given={"current_remaining_ms": 60 * S},
        starts=(60, 240),
        heard=1,
        spare_s=-60,
        suggestion=CLOSE,
    ),
    Case(
        "the current speaker overrunning is assumed to stop now",
        waiting=2,
        minutes_left=6,
        given={"current_remaining_ms": -40 * S},
        starts=(0, 180),
        heard=2,
        suggestion=CLOSE,
    ),
    Case(
        "no one waiting, ten minutes left",
        waiting=0,
        minutes_left=10,
        spare_s=600,
        room_for=3,
    ),
    Case(
        "no one waiting, the slot is over",
        waiting=0,
        minutes_left=-1,
        spare_s=-60,
        suggestion=CLOSE,
    ),
    Case(
        "the slot is already over: no one is heard",
        waiting=2,
        minutes_left=-5,
        starts=(0, 180),
        spare_s=-11 * 60,
        suggestion=CLOSE,
    ),
    Case(
        "a panelist segment comes after the floor segment's second intervention",
        waiting=3,
        minutes_left=24,
        given={"panelist_segments": 1, "floor_segment_size": 2, "heard_in_segment": 1},
        starts=(0, 180 + 540, 900),
        heard=3,
        spare_s=6 * 60,
        room_for=2,
    ),
    Case(
        "panelist segments not yet due are kept back before the end",
        waiting=3,
        minutes_left=15,
        given={"panelist_segments": 1, "floor_segment_size": None},
        starts=(0, 180, 360),
        heard=2,
        spare_s=-3 * 60,
        suggestion=CLOSE,
    ),
    Case(
        "in a panelist segment, the remaining responses come first",
        waiting=2,
        minutes_left=20,
        given={
            "current_remaining_ms": 120 * S,
            "responses_before_floor": 2,
            "response_ms": 180 * S,
        },
        starts=(480, 660),
        heard=2,
        spare_s=360,
        room_for=2,
    ),
    Case(
        "a segment not kept back comes only between requests that are heard",
        waiting=6,
        minutes_left=40,
        given={
            "panelist_segments": 1,
            "response_ms": 300 * S,
            "reserved_ms": 22 * MIN,
            "keep_back_segments": False,
        },
        starts=(0, 180, 360, 540, 720, 900 + 900),
        heard=5,
        spare_s=-15 * 60,
        suggestion=CLOSE,
    ),
    Case(
        "the concluding remarks are kept back",
        waiting=3,
        minutes_left=15,
        given={"reserved_ms": 7 * MIN},
        starts=(0, 180, 360),
        heard=2,
        spare_s=-60,
        suggestion=CLOSE,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_forecast(case: Case) -> None:
    ids = tuple(f"M{n:03d}" for n in range(1, case.waiting + 1))
    given = ForecastInput(
        waiting=ids, slot_end=NOW + int(case.minutes_left * MIN), now=NOW, **case.given
    )
    result = forecast(given)
    assert [(t.starts_at - NOW) // S for t in result.turns] == list(case.starts)
    assert result.heard == case.heard
    assert result.not_heard == ids[case.heard :]
    assert [t.heard for t in result.turns] == [n < case.heard for n in range(case.waiting)]
    assert result.spare_ms == case.spare_s * S
    assert result.room_for == case.room_for
    assert result.suggestion is case.suggestion


def test_each_turn_names_its_place_and_ends_one_intervention_later() -> None:
    result = forecast(ForecastInput(waiting=("MEX", "CHE"), slot_end=NOW + 30 * MIN, now=NOW))
    assert result.turns == (
        ExpectedTurn(1, "MEX", NOW, NOW + 180 * S, heard=True),
        ExpectedTurn(2, "CHE", NOW + 180 * S, NOW + 360 * S, heard=True),
    )
    assert result.intervention_ms == 180 * S
    assert result.floor_free_at == NOW


def test_planned_panelist_time_is_reported() -> None:
    result = forecast(
        ForecastInput(
            waiting=(),
            slot_end=NOW + 60 * MIN,
            now=NOW,
            panelist_segments=2,
            panelists=3,
            response_ms=4 * MIN,
            responses_before_floor=1,
        )
    )
    assert result.panelist_ms == 7 * 4 * MIN
    assert result.floor_free_at == NOW + 4 * MIN
    assert result.spare_ms == 60 * MIN - 28 * MIN


def _record(number: int, item_id: str, kind: SpeakerKind, spoken_s: int) -> InterventionRecord:
    return InterventionRecord(
        number=number,
        speaker_kind=kind,
        speaker_id=f"S{number}",
        name=f"Speaker {number}",
        item_id=item_id,
        segment_kind=None,
        segment_number=None,
        granted_at=0,
        ended_at=spoken_s * S,
        spoken_ms=spoken_s * S,
        limit_ms=180 * S,
        overrun_ms=max(0, spoken_s - 180) * S,
        pauses=0,
        out_of_turn=False,
        granted_by="moderator",
        ended_by="moderator",
    )


def test_the_average_counts_floor_interventions_of_the_item_only() -> None:
    records = [
        _record(1, "panel", SpeakerKind.SCRIPTED, 420),
        _record(2, "panel", SpeakerKind.DELEGATION, 150),
        _record(3, "panel", SpeakerKind.PANELIST, 300),
        _record(4, "panel", SpeakerKind.DELEGATION, 200),
        _record(5, "other", SpeakerKind.DELEGATION, 60),
    ]
    assert average_floor_ms(records, "panel") == 175 * S
    assert average_floor_ms(records, "closing") is None


@pytest.mark.parametrize(
    "given",
    [
        {"floor_limit_ms": 0},
        {"observed_average_ms": -1},
        {"panelists": -1},
        {"reserved_ms": -1},
        {"floor_segment_size": 0},
    ],
)
def test_nonsense_input_is_refused(given: dict[str, Any]) -> None:
    with pytest.raises(Invalid):
        ForecastInput(waiting=(), slot_end=NOW, now=NOW, **given)


def test_the_pace_is_the_average_the_floor_kept_for_the_item() -> None:
    assert pace_ms(None) is None
    assert pace_ms(ItemTimes("panel", NOW)) is None
    assert pace_ms(ItemTimes("panel", NOW, None, 3, 500 * S)) == 166_667


MS, PANELISTS = SegmentKind.MEMBER_STATES, SegmentKind.PANELISTS


ROUND = 3 * 300 * S
"""The test panel's three panelists, 5 min each."""


@pytest.mark.parametrize(
    ("kind", "interventions", "heard", "waiting", "size", "segments", "before", "reserved"),
    [
        pytest.param(MS, 0, (), 0, 5, 0, 0, ROUND, id="no one yet: a last round is kept back"),
        pytest.param(MS, 0, (), 12, 5, 2, 0, ROUND, id="twelve waiting: after 5, after 10"),
        pytest.param(MS, 3, (), 2, 5, 0, 0, ROUND, id="five in the segment: only the last round"),
        pytest.param(MS, 4, (), 2, 5, 1, 0, ROUND, id="a round falls between the two waiting"),
        pytest.param(MS, 7, (), 0, 5, 0, 0, ROUND, id="past the size, none waiting: last round"),
        pytest.param(
            MS, 0, (), 12, None, 0, 0, ROUND, id="no switch by count: one round at the end"
        ),
        pytest.param(PANELISTS, 1, ("p-a",), 0, 5, 0, 2, 0, id="the last round is being given"),
        pytest.param(PANELISTS, 1, ("p-a",), 6, 5, 1, 2, ROUND, id="a round, six waiting, a round"),
    ],
)
def test_the_input_plans_the_panelists_rounds_from_the_floor(
    kind: SegmentKind,
    interventions: int,
    heard: tuple[str, ...],
    waiting: int,
    size: int | None,
    segments: int,
    before: int,
    reserved: int,
) -> None:
    meeting = make_meeting(states=12, policy=FloorPolicy(switch_after_interventions=size))
    floor = FloorState(
        item_id="panel",
        is_open=True,
        segment=Segment(kind, 2, NOW, interventions, heard),
        line=tuple(FloorRequest(f"M{n:03d}", NOW, n) for n in range(1, waiting + 1)),
        items=(ItemTimes("panel", NOW, None, 2, 300 * S),),
    )

    given = forecast_input(meeting, floor, NOW + 60 * MIN, NOW)

    assert given.panelist_segments == segments
    assert given.responses_before_floor == before
    # The test panel has no concluding remarks: only the panelists' last round is kept back.
    assert given.reserved_ms == reserved
    assert not given.keep_back_segments
    assert given.heard_in_segment == (0 if kind is PANELISTS else interventions)
    assert given.waiting == tuple(r.delegation_id for r in floor.line)
    assert (given.panelists, given.response_ms, given.floor_limit_ms) == (3, 300 * S, 180 * S)
    assert given.observed_average_ms == 150 * S
    assert given.current_remaining_ms is None


def test_there_is_no_forecast_without_an_item_under_way() -> None:
    with pytest.raises(Invalid, match="no agenda item is under way"):
        forecast_input(make_meeting(), FloorState(), NOW, NOW)
