"""Timer arithmetic: what the clock shows at a given `now`, and which acts change it.

A floor intervention of 3 minutes warned 30 seconds before the end is the running example.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from app.errors import Conflict, Invalid
from app.timers import rules as timers
from app.timers.rules import Phase, Timer, TimerState

LIMIT = 180_000
WARNING = 30_000
T0 = 1_000_000
"""An arbitrary server instant at which the speaker is given the floor."""

S = 1_000
MIN = 60_000


def floor_timer() -> Timer:
    return timers.new_timer(LIMIT, WARNING)


def running_from(offset: int = 0) -> Timer:
    return timers.start(floor_timer(), T0 + offset)


# --- new_timer ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit_ms", "warning_ms"),
    [
        pytest.param(180_000, 30_000, id="floor 3 min warned at 30 s"),
        pytest.param(420_000, 120_000, id="presentation 7 min warned at 5"),
        pytest.param(1, 0, id="smallest possible"),
        pytest.param(10_000, 0, id="no warning"),
        pytest.param(10_000, 9_999, id="warning just before the limit"),
    ],
)
def test_new_timer_is_idle_at_zero(limit_ms: int, warning_ms: int) -> None:
    timer = timers.new_timer(limit_ms, warning_ms)

    assert timer.state is TimerState.IDLE
    assert (timer.limit_ms, timer.warning_ms) == (limit_ms, warning_ms)
    assert timers.elapsed(timer, T0) == 0
    assert timers.remaining(timer, T0) == limit_ms
    assert timer.pauses == 0


@pytest.mark.parametrize(
    ("limit_ms", "warning_ms", "message"),
    [
        pytest.param(0, 0, "a time limit must be more than zero", id="zero limit"),
        pytest.param(-1_000, 0, "a time limit must be more than zero", id="negative limit"),
        pytest.param(
            10_000,
            10_000,
            "the warning must come before the end of the time limit",
            id="warning equal to the limit",
        ),
        pytest.param(
            10_000,
            20_000,
            "the warning must come before the end of the time limit",
            id="warning beyond the limit",
        ),
        pytest.param(
            10_000,
            -1,
            "the warning must come before the end of the time limit",
            id="negative warning",
        ),
    ],
)
def test_new_timer_refuses_impossible_limits(limit_ms: int, warning_ms: int, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        timers.new_timer(limit_ms, warning_ms)
    assert refused.value.message == message


# --- what the clock shows ---------------------------------------------------------------


@pytest.mark.parametrize("offset", [-5 * MIN, 0, 1, 150 * S, 180 * S, 181 * S, 10 * MIN])
def test_idle_timer_shows_the_full_limit_whatever_the_time(offset: int) -> None:
    timer = floor_timer()
    now = T0 + offset

    assert timers.elapsed(timer, now) == 0
    assert timers.remaining(timer, now) == LIMIT
    assert timers.overrun(timer, now) == 0
    assert timers.phase(timer, now) is Phase.NORMAL


@pytest.mark.parametrize(
    ("offset", "elapsed", "remaining", "overrun", "phase"),
    [
        pytest.param(-2 * S, 0, LIMIT, 0, Phase.NORMAL, id="clock skew before the start"),
        pytest.param(0, 0, LIMIT, 0, Phase.NORMAL, id="at the start"),
        pytest.param(1, 1, LIMIT - 1, 0, Phase.NORMAL, id="1 ms in"),
        pytest.param(60 * S, 60 * S, 120 * S, 0, Phase.NORMAL, id="1 min in"),
        pytest.param(
            150 * S - 1, 150 * S - 1, 30 * S + 1, 0, Phase.NORMAL, id="1 ms before the warning"
        ),
        pytest.param(150 * S, 150 * S, 30 * S, 0, Phase.WARNING, id="exactly at the warning"),
        pytest.param(170 * S, 170 * S, 10 * S, 0, Phase.WARNING, id="10 s left"),
        pytest.param(180 * S - 1, 180 * S - 1, 1, 0, Phase.WARNING, id="1 ms left"),
        pytest.param(180 * S, 180 * S, 0, 0, Phase.WARNING, id="exactly at zero"),
        pytest.param(180 * S + 1, 180 * S + 1, -1, 1, Phase.OVERRUN, id="1 ms over"),
        pytest.param(240 * S, 240 * S, -60 * S, 60 * S, Phase.OVERRUN, id="1 min over"),
        pytest.param(
            61 * MIN, 61 * MIN, LIMIT - 61 * MIN, 58 * MIN, Phase.OVERRUN, id="still counting"
        ),
    ],
)
def test_running_timer_counts_down_then_counts_overrun(
    offset: int, elapsed: int, remaining: int, overrun: int, phase: Phase
) -> None:
    timer = running_from(0)
    now = T0 + offset

    assert timers.elapsed(timer, now) == elapsed
    assert timers.remaining(timer, now) == remaining
    assert timers.overrun(timer, now) == overrun
    assert timers.phase(timer, now) is phase
    assert timer.state is TimerState.RUNNING


@pytest.mark.parametrize(
    ("paused_at", "remaining", "overrun", "phase"),
    [
        pytest.param(20 * S, 160 * S, 0, Phase.NORMAL, id="paused early"),
        pytest.param(150 * S, 30 * S, 0, Phase.WARNING, id="paused at the warning"),
        pytest.param(180 * S, 0, 0, Phase.WARNING, id="paused at zero"),
        pytest.param(200 * S, -20 * S, 20 * S, Phase.OVERRUN, id="paused in overrun"),
    ],
)
@pytest.mark.parametrize("later", [0, 1, 30 * S, 10 * MIN])
def test_paused_timer_shows_the_same_values_until_resumed(
    paused_at: int, remaining: int, overrun: int, phase: Phase, later: int
) -> None:
    timer = timers.pause(running_from(0), T0 + paused_at)
    now = T0 + paused_at + later

    assert timer.state is TimerState.PAUSED
    assert timers.elapsed(timer, now) == paused_at
    assert timers.remaining(timer, now) == remaining
    assert timers.overrun(timer, now) == overrun
    assert timers.phase(timer, now) is phase


@pytest.mark.parametrize(
    ("warning_ms", "offset", "phase"),
    [
        pytest.param(0, 179 * S, Phase.NORMAL, id="no warning: normal until zero"),
        pytest.param(0, 180 * S, Phase.WARNING, id="no warning: zero itself"),
        pytest.param(0, 180 * S + 1, Phase.OVERRUN, id="no warning: past zero"),
        pytest.param(LIMIT - 1, 0, Phase.NORMAL, id="warning at once: at the start"),
        pytest.param(LIMIT - 1, 1, Phase.WARNING, id="warning at once: 1 ms in"),
    ],
)
def test_phase_edges_for_other_warnings(warning_ms: int, offset: int, phase: Phase) -> None:
    timer = timers.start(timers.new_timer(LIMIT, warning_ms), T0)
    assert timers.phase(timer, T0 + offset) is phase


# --- pause and resume ------------------------------------------------------------------

Step = tuple[str, int]
"""An act ("pause", "resume", "start") and its offset from T0 in ms."""


def play(timer: Timer, steps: list[Step]) -> Timer:
    acts: dict[str, Callable[[Timer, int], Timer]] = {
        "start": timers.start,
        "pause": timers.pause,
        "resume": timers.resume,
        "stop": timers.stop,
    }
    for act, offset in steps:
        timer = acts[act](timer, T0 + offset)
    return timer


@pytest.mark.parametrize(
    ("steps", "now", "elapsed", "pauses", "state"),
    [
        pytest.param(
            [("start", 0), ("pause", 40 * S)], 100 * S, 40 * S, 1, TimerState.PAUSED, id="one pause"
        ),
        pytest.param(
            [("start", 0), ("pause", 40 * S), ("resume", 70 * S)],
            100 * S,
            70 * S,
            1,
            TimerState.RUNNING,
            id="the paused 30 s do not count",
        ),
        pytest.param(
            [("start", 0), ("pause", 10 * S), ("resume", 20 * S), ("pause", 50 * S)],
            5 * MIN,
            40 * S,
            2,
            TimerState.PAUSED,
            id="two pauses, paused now",
        ),
        pytest.param(
            [
                ("start", 0),
                ("pause", 10 * S),
                ("resume", 20 * S),
                ("pause", 50 * S),
                ("resume", 2 * MIN),
                ("pause", 2 * MIN + 5 * S),
                ("resume", 3 * MIN),
            ],
            5 * MIN,
            10 * S + 30 * S + 5 * S + 2 * MIN,
            3,
            TimerState.RUNNING,
            id="three pauses, running again",
        ),
        pytest.param(
            [("start", 0), ("pause", 0), ("resume", 0)],
            60 * S,
            60 * S,
            1,
            TimerState.RUNNING,
            id="a zero-length pause still counts as a pause",
        ),
        pytest.param(
            [("start", 5 * S), ("pause", 15 * S), ("start", 30 * S)],
            40 * S,
            20 * S,
            1,
            TimerState.RUNNING,
            id="start after a pause continues the count",
        ),
        pytest.param(
            [("start", 0), ("pause", 200 * S), ("resume", 5 * MIN)],
            5 * MIN + 10 * S,
            210 * S,
            1,
            TimerState.RUNNING,
            id="resumed in overrun keeps counting overrun",
        ),
        pytest.param(
            [("start", 0), ("stop", 90 * S)],
            5 * MIN,
            90 * S,
            0,
            TimerState.PAUSED,
            id="stop freezes the clock without counting a pause",
        ),
        pytest.param(
            [("start", 0), ("pause", 30 * S), ("stop", 90 * S)],
            5 * MIN,
            30 * S,
            1,
            TimerState.PAUSED,
            id="stop while paused changes nothing",
        ),
        pytest.param([("stop", 90 * S)], 5 * MIN, 0, 0, TimerState.IDLE, id="stop while idle"),
    ],
)
def test_pauses_accumulate_spoken_time(
    steps: list[Step], now: int, elapsed: int, pauses: int, state: TimerState
) -> None:
    timer = play(floor_timer(), steps)

    assert timers.elapsed(timer, T0 + now) == elapsed
    assert timers.remaining(timer, T0 + now) == LIMIT - elapsed
    assert timer.pauses == pauses
    assert timer.state is state


@pytest.mark.parametrize(
    ("steps", "act", "message"),
    [
        pytest.param([("start", 0)], "start", "the timer is already running", id="start running"),
        pytest.param(
            [("start", 0), ("pause", 5 * S), ("resume", 9 * S)],
            "start",
            "the timer is already running",
            id="start after resume",
        ),
        pytest.param([], "pause", "the timer is not running", id="pause idle"),
        pytest.param(
            [("start", 0), ("pause", 5 * S)],
            "pause",
            "the timer is not running",
            id="pause paused",
        ),
        pytest.param([], "resume", "the timer is not paused", id="resume idle"),
        pytest.param([("start", 0)], "resume", "the timer is not paused", id="resume running"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(
    steps: list[Step], act: str, message: str
) -> None:
    timer = play(floor_timer(), steps)
    before = dataclasses.replace(timer)

    with pytest.raises(Conflict) as refused:
        play(timer, [(act, 20 * S)])

    assert refused.value.message == message
    assert timer == before


# --- adjust -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit_ms", "warning_ms", "delta_ms", "new_limit", "new_warning"),
    [
        pytest.param(LIMIT, WARNING, 60 * S, 240 * S, WARNING, id="add one minute"),
        pytest.param(LIMIT, WARNING, 1, LIMIT + 1, WARNING, id="add 1 ms"),
        pytest.param(LIMIT, WARNING, -60 * S, 120 * S, WARNING, id="take one minute"),
        pytest.param(LIMIT, WARNING, -160 * S, 20 * S, 20 * S - 1, id="warning clamped"),
        pytest.param(LIMIT, WARNING, -(LIMIT - 1), 1, 0, id="down to 1 ms"),
        pytest.param(LIMIT, 0, -60 * S, 120 * S, 0, id="no warning stays none"),
    ],
)
def test_adjust_moves_the_limit(
    limit_ms: int, warning_ms: int, delta_ms: int, new_limit: int, new_warning: int
) -> None:
    timer = timers.adjust(timers.new_timer(limit_ms, warning_ms), delta_ms)

    assert timer.limit_ms == new_limit
    assert timer.warning_ms == new_warning
    assert timer.warning_ms < timer.limit_ms


@pytest.mark.parametrize(
    "delta_ms",
    [
        pytest.param(-LIMIT, id="exactly to zero"),
        pytest.param(-LIMIT - 1, id="1 ms below zero"),
        pytest.param(-10 * MIN, id="far below zero"),
    ],
)
def test_adjust_below_zero_is_refused(delta_ms: int) -> None:
    timer = running_from(0)

    with pytest.raises(Conflict) as refused:
        timers.adjust(timer, delta_ms)

    assert refused.value.message == "the time limit cannot go below zero"
    assert timer.limit_ms == LIMIT


@pytest.mark.parametrize(
    ("spoken", "delta_ms", "remaining", "phase"),
    [
        pytest.param(200 * S, 60 * S, 40 * S, Phase.NORMAL, id="overrun speaker given a minute"),
        pytest.param(200 * S, 30 * S, 10 * S, Phase.WARNING, id="overrun speaker given 30 s"),
        pytest.param(120 * S, -60 * S, 0, Phase.WARNING, id="time taken away down to zero"),
        pytest.param(120 * S, -90 * S, -30 * S, Phase.OVERRUN, id="time taken away into overrun"),
    ],
)
def test_adjust_while_running_changes_what_the_clock_shows(
    spoken: int, delta_ms: int, remaining: int, phase: Phase
) -> None:
    timer = timers.adjust(running_from(0), delta_ms)
    now = T0 + spoken

    assert timers.elapsed(timer, now) == spoken
    assert timers.remaining(timer, now) == remaining
    assert timers.phase(timer, now) is phase
    assert timer.state is TimerState.RUNNING


# --- reset -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([], id="idle"),
        pytest.param([("start", 0)], id="running"),
        pytest.param([("start", 0), ("pause", 200 * S)], id="paused in overrun"),
        pytest.param([("start", 0), ("pause", 5 * S), ("resume", 10 * S)], id="resumed"),
    ],
)
def test_reset_puts_the_clock_back_to_the_full_limit(steps: list[Step]) -> None:
    timer = timers.reset(play(floor_timer(), steps), T0 + 4 * MIN)

    for later in (4 * MIN, 10 * MIN):
        assert timers.elapsed(timer, T0 + later) == 0
        assert timers.remaining(timer, T0 + later) == LIMIT
        assert timers.phase(timer, T0 + later) is Phase.NORMAL
    assert timer.state is TimerState.IDLE
    restarted = timers.start(timer, T0 + 5 * MIN)
    assert timers.remaining(restarted, T0 + 6 * MIN) == LIMIT - MIN


# --- facts, not ticking values ---------------------------------------------------------------


def test_timer_is_frozen() -> None:
    timer = floor_timer()
    with pytest.raises(dataclasses.FrozenInstanceError):
        timer.limit_ms = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    "act",
    [
        pytest.param(lambda t: timers.start(t, T0), id="start"),
        pytest.param(lambda t: timers.adjust(t, 60 * S), id="adjust"),
        pytest.param(lambda t: timers.reset(t, T0), id="reset"),
        pytest.param(lambda t: timers.stop(t, T0), id="stop"),
    ],
)
def test_acts_return_a_new_timer_and_leave_the_old_one_alone(
    act: Callable[[Timer], Timer],
) -> None:
    timer = floor_timer()
    before = dataclasses.replace(timer)

    act(timer)

    assert timer == before
