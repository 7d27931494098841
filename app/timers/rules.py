"""Timer arithmetic. A timer is a set of facts; what it shows is computed for a given `now`.

No clock is read here: every function takes `now` in server milliseconds.
A timer never stops by itself at zero: past the limit it counts overrun.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from app.errors import Conflict, Invalid


class TimerState(StrEnum):
    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"


class Phase(StrEnum):
    NORMAL = "normal"
    WARNING = "warning"
    OVERRUN = "overrun"


@dataclass(frozen=True, slots=True)
class Timer:
    limit_ms: int
    warning_ms: int
    state: TimerState = TimerState.IDLE
    started_at: int | None = None
    """Server instant (ms) of the last start or resume; None unless running."""
    elapsed_ms: int = 0
    """Time spoken before `started_at`, since the last reset."""
    pauses: int = 0
    reset_ms: int = 0
    """Time spoken before the clock was reset: still spoken, and the record keeps it."""
    resets: int = 0
    added_ms: int = 0
    """Time added (negative: taken away) to the limit the intervention was given."""


def new_timer(limit_ms: int, warning_ms: int) -> Timer:
    if limit_ms <= 0:
        raise Invalid("a time limit must be more than zero")
    if not 0 <= warning_ms < limit_ms:
        raise Invalid("the warning must come before the end of the time limit")
    return Timer(limit_ms=limit_ms, warning_ms=warning_ms)


def elapsed(timer: Timer, now: int) -> int:
    if timer.state is TimerState.RUNNING and timer.started_at is not None:
        return timer.elapsed_ms + max(0, now - timer.started_at)
    return timer.elapsed_ms


def remaining(timer: Timer, now: int) -> int:
    """Negative once the speaker is past the limit."""
    return timer.limit_ms - elapsed(timer, now)


def overrun(timer: Timer, now: int) -> int:
    return max(0, -remaining(timer, now))


def phase(timer: Timer, now: int) -> Phase:
    left = remaining(timer, now)
    if left < 0:
        return Phase.OVERRUN
    if left <= timer.warning_ms:
        return Phase.WARNING
    return Phase.NORMAL


def start(timer: Timer, now: int) -> Timer:
    if timer.state is TimerState.RUNNING:
        raise Conflict("the timer is already running")
    return replace(timer, state=TimerState.RUNNING, started_at=now)


def pause(timer: Timer, now: int) -> Timer:
    if timer.state is not TimerState.RUNNING:
        raise Conflict("the timer is not running")
    return replace(
        timer,
        state=TimerState.PAUSED,
        started_at=None,
        elapsed_ms=elapsed(timer, now),
        pauses=timer.pauses + 1,
    )


def resume(timer: Timer, now: int) -> Timer:
    if timer.state is not TimerState.PAUSED:
        raise Conflict("the timer is not paused")
    return start(timer, now)


def adjust(timer: Timer, delta_ms: int) -> Timer:
    """Add time (positive) or take it away (negative) by moving the limit."""
    limit = timer.limit_ms + delta_ms
    if limit <= 0:
        raise Conflict("the time limit cannot go below zero")
    return replace(
        timer,
        limit_ms=limit,
        warning_ms=min(timer.warning_ms, limit - 1),
        added_ms=timer.added_ms + delta_ms,
    )


def reset(timer: Timer, now: int) -> Timer:
    """Put the clock back to the full limit for the same speaker. What was spoken stays
    spoken: it moves to `reset_ms`, which the record adds to the time spoken."""
    return replace(
        timer,
        state=TimerState.IDLE,
        started_at=None,
        elapsed_ms=0,
        reset_ms=timer.reset_ms + elapsed(timer, now),
        resets=timer.resets + 1,
    )


def spoken(timer: Timer, now: int) -> int:
    """Everything the speaker has spoken, resets included (`elapsed` is since the last one)."""
    return timer.reset_ms + elapsed(timer, now)


def stop(timer: Timer, now: int) -> Timer:
    """Freeze the timer at `now` (used when an intervention ends)."""
    if timer.state is TimerState.RUNNING:
        return replace(
            timer, state=TimerState.PAUSED, started_at=None, elapsed_ms=elapsed(timer, now)
        )
    return timer
