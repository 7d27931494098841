"""The day against the clock: scheduled and actual times, running late, the forecast end of
the item under way. States are built through the floor's own acts, at the clock times the
room would see ("12:20" on 19 June 2017 in Geneva)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from app.agenda import timetable
from app.agenda.timetable import Delay, Slot, Status
from app.domain.model import (
    Day,
    FloorPolicy,
    Item,
    ItemKind,
    Meeting,
    SegmentKind,
    Turn,
    TurnKind,
)
from app.errors import Invalid
from app.queue import rules
from app.queue.rules import FloorState, ItemTimes
from tests.factories import make_meeting

S = 1000
MIN = 60 * S
DAY = "2017-06-19"


def at(clock: str, day: str = DAY) -> int:
    """A local time of the meeting's day in Geneva (UTC+2 in June) as server ms."""
    hours, minutes, seconds = (int(p) for p in f"{clock}:00".split(":")[:3])
    utc = datetime.fromisoformat(day).replace(hour=hours - 2, minute=minutes, second=seconds)
    return int(utc.replace(tzinfo=UTC).timestamp()) * S


def meeting(policy: FloorPolicy | None = None) -> Meeting:
    """Panel 1 (10:15-13:00, a floor, three panelists, concluding remarks), lunch, a side
    event in another room, the closing."""
    base = make_meeting(states=12, policy=policy)
    panel = replace(
        base.item("panel"),
        turns=(
            Turn("panel-opening", TurnKind.MODERATOR_OPENING, "Opening remarks", "mod"),
            Turn("panel-a", TurnKind.EXPERT_PRESENTATION, "Presentation", "p-a"),
            Turn("panel-concluding", TurnKind.MODERATOR_CONCLUDING, "Concluding remarks", "mod"),
        ),
    )
    lunch = Item("lunch", ItemKind.BREAK, "Lunch", "13:00", "15:00")
    side = Item("side", ItemKind.SIDE_EVENT, "Side event", "13:15", "14:45", room="Room XXIV")
    closing = base.item("closing")
    return replace(base, days=(Day(DAY, (panel, lunch, side, closing)),))


def play(m: Meeting, acts: Sequence[tuple[str, str]]) -> FloorState:
    """The moderator's log: ("10:27", "take up panel"), ("12:00", "open"),
    ("12:00", "requests 3") (M001, M002...), ("12:01", "next"), ("12:05", "close"),
    ("12:40", "give panel-concluding"), ("12:41", "panelists"), ("12:42", "end")."""
    state = FloorState()
    asked = 0
    for clock, act in acts:
        now = at(clock)
        match act.split():
            case ["take", "up", item_id]:
                state = rules.start_item(m, state, item_id, "mod", now).state
            case ["open"]:
                state = rules.open_floor(state, now).state
            case ["close"]:
                state = rules.close_floor(state).state
            case ["requests", count]:
                for _ in range(int(count)):
                    asked += 1
                    state = rules.request_floor(m, state, f"M{asked:03d}", now).state
            case ["next"]:
                state = rules.call_next(m, state, "mod", now).state
            case ["end"]:
                state = rules.end_intervention(state, "mod", now).state
            case ["panelists"]:
                state = rules.switch_segment(state, SegmentKind.PANELISTS, now).state
            case ["give", turn_id]:
                state = rules.give_floor(m, state, "mod", now, turn_id=turn_id).state
            case _:
                raise AssertionError(f"unknown act in a test script: {act!r}")
    return state


def test_a_programme_time_is_local_to_the_venue() -> None:
    assert timetable.scheduled_ms(DAY, "10:15", "Europe/Zurich") == 1_497_860_100_000
    assert timetable.scheduled_ms("2017-01-10", "10:15", "Europe/Zurich") == (
        timetable.scheduled_ms("2017-01-10", "09:15", "UTC")
    )


@pytest.mark.parametrize(
    ("day", "hhmm", "zone"),
    [(DAY, "25:00", "UTC"), ("2017-06-31", "10:00", "UTC"), (DAY, "10:00", "Mars/Olympus")],
)
def test_a_time_that_cannot_be_read_is_refused(day: str, hhmm: str, zone: str) -> None:
    with pytest.raises(Invalid, match="is not a date and time"):
        timetable.scheduled_ms(day, hhmm, zone)


@pytest.mark.parametrize(
    ("late_ms", "status", "delay", "says"),
    [
        (12 * MIN, Status.UNDER_WAY, Delay.LATE, "running 12 min late"),
        (90 * S, Status.UNDER_WAY, Delay.LATE, "running 2 min late"),
        (MIN, Status.UNDER_WAY, Delay.LATE, "running 1 min late"),
        (59 * S, Status.UNDER_WAY, Delay.ON_TIME, "on time"),
        (0, Status.UNDER_WAY, Delay.ON_TIME, "on time"),
        (-59 * S, Status.UNDER_WAY, Delay.ON_TIME, "on time"),
        (-3 * MIN, Status.UNDER_WAY, Delay.AHEAD, "3 min ahead"),
        (5 * MIN, Status.DONE, Delay.LATE, "ended 5 min late"),
        (20 * S, Status.DONE, Delay.ON_TIME, "ended on time"),
        (-2 * MIN, Status.DONE, Delay.AHEAD, "ended 2 min early"),
        (4 * MIN, Status.TO_COME, Delay.LATE, "running 4 min late"),
        (None, Status.TO_COME, None, None),
    ],
)
def test_the_delay_in_the_rooms_words(
    late_ms: int | None, status: Status, delay: Delay | None, says: str | None
) -> None:
    slot = Slot("panel", "Panel 1", None, at("10:15"), at("13:00"), status, late_ms=late_ms)

    assert slot.delay == delay
    assert slot.says() == says


@dataclass(frozen=True)
class Case:
    id: str
    acts: list[tuple[str, str]]
    now: str
    late_min: float
    delay: Delay
    forecast_end: str
    heard: int | None = None
    """The forecast of the line: how many of the waiting are heard (None: no one waits)."""
    not_heard: tuple[str, ...] = ()


# Under way, an item is late by its late start, or by how far it has run past its end; the
# forecast end says where the present pace leads. The panel's floor: 3 min an intervention
# (until one is heard), three panelists who answer 5 min each after every five interventions
# heard and once at the end, 7 min of concluding remarks.
CASES = [
    Case(
        "early: taken up 3 min ahead, presentations under way",
        [("10:12", "take up panel")],
        now="10:30",
        late_min=-3,
        delay=Delay.AHEAD,
        forecast_end="12:57",
    ),
    Case(
        "on time: taken up half a minute late",
        [("10:15:30", "take up panel")],
        now="10:20",
        late_min=0.5,
        delay=Delay.ON_TIME,
        forecast_end="13:00:30",
    ),
    Case(
        "late: taken up at 10:27, the whole panel still to come",
        [("10:27", "take up panel")],
        now="10:40",
        late_min=12,
        delay=Delay.LATE,
        forecast_end="13:12",
    ),
    Case(
        "late: past its end, still under way",
        [("10:15", "take up panel")],
        now="13:04",
        late_min=4,
        delay=Delay.LATE,
        forecast_end="13:04",
    ),
    Case(
        "on time: the floor is open and the line fits before 13:00",
        [("10:15", "take up panel"), ("12:00", "open"), ("12:00", "requests 3")],
        now="12:00",
        late_min=0,
        delay=Delay.ON_TIME,
        forecast_end="13:00",
        heard=3,
    ),
    Case(
        "late: six waiting at 12:20, five heard, the panel ending at 13:15",
        [("10:15", "take up panel"), ("12:20", "open"), ("12:20", "requests 6")],
        now="12:20",
        late_min=0,
        delay=Delay.ON_TIME,
        # Five are heard by 12:35, the panelists answer, the moderator concludes at 12:57.
        forecast_end="13:15",
        heard=5,
        not_heard=("M006",),
    ),
    Case(
        "late: twelve waiting at noon, seven heard with a round after the fifth",
        [("10:15", "take up panel"), ("12:00", "open"), ("12:00", "requests 12")],
        now="12:00",
        late_min=0,
        delay=Delay.ON_TIME,
        # 12 interventions, rounds after the 5th and the 10th and at the end, the concluding.
        forecast_end="13:28",
        heard=7,
        not_heard=("M008", "M009", "M010", "M011", "M012"),
    ),
    Case(
        "early: the floor closed on two, the panel ends before 13:00",
        [
            ("10:15", "take up panel"),
            ("12:00", "open"),
            ("12:00", "requests 3"),
            ("12:01", "next"),
            ("12:02", "close"),
        ],
        now="12:02",
        # M001 has 2 min left, then M002 and M003, the panelists and the concluding remarks.
        late_min=0,
        delay=Delay.ON_TIME,
        forecast_end="12:32",
        heard=2,
    ),
    Case(
        "the pace of the floor so far: 2 min an intervention",
        [
            ("10:15", "take up panel"),
            ("11:00", "open"),
            ("11:00", "requests 4"),
            ("11:00", "next"),
            ("11:02", "next"),
            ("11:04", "end"),
            ("11:04", "close"),
        ],
        now="11:04",
        late_min=0,
        delay=Delay.ON_TIME,
        # M003 and M004 at 2 min, the panelists 15 min, the concluding remarks 7 min.
        forecast_end="11:30",
        heard=2,
    ),
    Case(
        "the concluding remarks under way: the panel ends with them",
        [
            ("10:15", "take up panel"),
            ("12:00", "open"),
            ("12:50", "close"),
            ("12:51", "give panel-concluding"),
        ],
        now="12:53",
        late_min=0,
        delay=Delay.ON_TIME,
        forecast_end="12:58",
        heard=0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_item_under_way_against_the_clock(case: Case) -> None:
    m = meeting()
    state = play(m, case.acts)
    now = at(case.now)

    slot = timetable.current_slot(m, state, now)
    planned = timetable.floor_forecast(m, state, now)

    assert slot is not None
    assert slot.status is Status.UNDER_WAY
    assert (slot.scheduled_start, slot.scheduled_end) == (at("10:15"), at("13:00"))
    assert slot.actual_start == at(case.acts[0][0])
    assert slot.late_ms == int(case.late_min * MIN)
    assert slot.delay is case.delay
    assert slot.forecast_end == at(case.forecast_end)
    assert planned is not None
    assert planned.heard == (case.heard or 0)
    assert planned.not_heard == case.not_heard


def test_the_whole_day_done_under_way_to_come_and_passed_over() -> None:
    m = meeting()
    state = play(m, [("10:20", "take up panel"), ("13:05", "take up closing")])
    now = at("17:55")

    slots = {slot.item_id: slot for slot in timetable.timetable(m, state, now)}

    assert [s.status for s in slots.values()] == [
        Status.DONE,
        Status.PASSED,
        Status.TO_COME,
        Status.UNDER_WAY,
    ]
    panel = slots["panel"]
    assert (panel.actual_start, panel.actual_end) == (at("10:20"), at("13:05"))
    assert panel.says() == "ended 5 min late"
    assert slots["lunch"].late_ms is None
    # A side event in another room keeps its own clock: nothing is said of it here.
    assert slots["side"].room == "Room XXIV"
    assert slots["side"].late_ms is None
    closing = slots["closing"]
    assert closing.says() == "5 min ahead"
    # Taken up long ago and not ended: it ends no earlier than now.
    assert closing.forecast_end == now


def test_an_item_not_yet_taken_up_is_late_once_its_time_has_come() -> None:
    m = meeting()

    before, after = (
        {s.item_id: s for s in timetable.timetable(m, FloorState(), at(clock))}
        for clock in ("10:00", "10:27")
    )

    assert before["panel"].status is Status.TO_COME
    assert before["panel"].late_ms is None
    assert after["panel"].says() == "running 12 min late"
    assert after["panel"].forecast_end is None


def test_no_item_under_way_no_timetable_in_the_live_message() -> None:
    assert timetable.live_fields(meeting(), FloorState(), at("10:00")) == {
        "timetable": None,
        "forecast": None,
    }


def test_the_live_message_carries_the_item_under_way_and_its_forecast() -> None:
    m = meeting()
    state = play(m, [("10:27", "take up panel"), ("12:20", "open"), ("12:20", "requests 6")])

    fields = timetable.live_fields(m, state, at("12:20"))

    assert fields == {
        "timetable": {
            "item_id": "panel",
            "scheduled_start": at("10:15"),
            "scheduled_end": at("13:00"),
            "actual_start": at("10:27"),
            "late_ms": 12 * MIN,
            "delay": "late",
            "forecast_end": at("13:15"),
        },
        "forecast": {
            "heard": 5,
            "not_heard": ["M006"],
            "fits": False,
            "suggestion": "close the floor",
            "leftover_ms": -15 * MIN,
        },
    }


def test_an_item_without_a_floor_has_no_forecast() -> None:
    m = meeting()
    state = play(m, [("17:50", "take up closing")])

    fields = timetable.live_fields(m, state, at("17:52"))

    assert fields["timetable"]["forecast_end"] == at("18:00")
    assert fields["forecast"] is None


def test_a_meeting_whose_times_cannot_be_read_has_no_timetable() -> None:
    m = replace(meeting(), timezone="Nowhere/Atlantis")
    state = play(meeting(), [("10:15", "take up panel")])

    assert timetable.live_fields(m, state, at("10:20")) == {"timetable": None, "forecast": None}


def test_a_floor_stored_before_items_kept_their_times_counts_from_now() -> None:
    state = FloorState(item_id="panel")

    slot = timetable.current_slot(meeting(), state, at("10:30"))

    assert slot is not None
    assert slot.actual_start == at("10:30")
    assert slot.late_ms == 15 * MIN


def test_an_item_taken_up_again_is_under_way_from_its_new_start() -> None:
    m = meeting()
    state = play(
        m, [("10:15", "take up panel"), ("10:20", "take up closing"), ("10:30", "take up panel")]
    )

    slots = {s.item_id: s for s in timetable.timetable(m, state, at("10:31"))}

    assert slots["panel"].actual_start == at("10:30")
    assert slots["panel"].status is Status.UNDER_WAY
    assert state.items[0] == ItemTimes("closing", at("10:20"), at("10:30"))
    assert slots["closing"].status is Status.DONE
