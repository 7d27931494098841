"""The day against the clock: when each item of the programme was to run, when it did, how
late the room is running, and when the item under way will end at the present pace.

Pure: no Redis, no clock; `now` (server ms) is an argument. Scheduled times are the
programme's local "HH:MM" on the item's day, in the meeting's time zone; actual times are the
floor's facts (`FloorState.items`: when each item was taken up and when the next one was).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.model import Item, Meeting, SpeakerKind
from app.errors import DomainError, Invalid
from app.queue.forecast import Forecast, concluding_turns, forecast, forecast_input
from app.queue.rules import FloorState, ItemTimes
from app.timers import rules as timers

ON_TIME_MS = 60_000
"""Less than a minute either way is on time: the hall clock shows minutes."""


class Status(StrEnum):
    TO_COME = "to_come"
    UNDER_WAY = "under_way"
    DONE = "done"
    PASSED = "passed"
    """Never taken up, and a later item in its room was."""


class Delay(StrEnum):
    AHEAD = "ahead"
    ON_TIME = "on_time"
    LATE = "late"


@dataclass(frozen=True, slots=True)
class Slot:
    """One item of the programme against the clock."""

    item_id: str
    title: str
    room: str | None
    """None: the meeting's own room."""
    scheduled_start: int
    scheduled_end: int
    status: Status
    actual_start: int | None = None
    actual_end: int | None = None
    late_ms: int | None = None
    """How far behind the programme (negative: ahead). Under way: the later of its late start
    and its run past the scheduled end; done: its end against the scheduled end; to come: how
    long past its scheduled start it waits. None when there is nothing to say yet."""
    forecast_end: int | None = None
    """Under way only: when the item will end at the present pace."""

    @property
    def delay(self) -> Delay | None:
        return None if self.late_ms is None else delay_of(self.late_ms)

    def says(self) -> str | None:
        """The delay in the room's words: "running 12 min late", "ended on time"..."""
        if self.late_ms is None:
            return None
        minutes = (abs(self.late_ms) + 30_000) // 60_000
        done = self.status is Status.DONE
        match delay_of(self.late_ms):
            case Delay.LATE:
                return f"ended {minutes} min late" if done else f"running {minutes} min late"
            case Delay.AHEAD:
                return f"ended {minutes} min early" if done else f"{minutes} min ahead"
            case _:
                return "ended on time" if done else "on time"


def delay_of(late_ms: int) -> Delay:
    if late_ms >= ON_TIME_MS:
        return Delay.LATE
    if late_ms <= -ON_TIME_MS:
        return Delay.AHEAD
    return Delay.ON_TIME


def scheduled_ms(day: str, hhmm: str, timezone: str) -> int:
    """A local date and time of the programme as server ms."""
    try:
        hours, minutes = (int(part) for part in hhmm.split(":"))
        zone = ZoneInfo(timezone)
        local = datetime.combine(date.fromisoformat(day), time(hours, minutes), zone)
    except (ValueError, KeyError):  # a meeting document put as JSON is not checked as a file
        raise Invalid(f'"{day} {hhmm}" in "{timezone}" is not a date and time') from None
    return int(local.timestamp()) * 1000


def _dated_items(meeting: Meeting) -> Iterator[tuple[str, Item]]:
    for day in meeting.days:
        for item in day.items:
            yield day.date, item


def timetable(meeting: Meeting, floor: FloorState, now: int) -> tuple[Slot, ...]:
    """Every item of the programme, in programme order."""
    taken_up = {t.item_id: t for t in floor.items}
    zone = meeting.timezone
    dated = [
        (item, scheduled_ms(day, item.start, zone), scheduled_ms(day, item.end, zone))
        for day, item in _dated_items(meeting)
    ]
    # The latest scheduled start among the items taken up, per room: an item before it that
    # was never taken up has been passed over.
    latest: dict[str | None, int] = {}
    for item, start, _ in dated:
        if item.id in taken_up:
            latest[item.room] = max(start, latest.get(item.room, start))
    slots = []
    for item, start, end in dated:
        times = taken_up.get(item.id)
        if times is not None:
            slots.append(_taken_up(meeting, floor, item, times, start, end, now))
        elif start < latest.get(item.room, start):
            slots.append(Slot(item.id, item.title, item.room, start, end, Status.PASSED))
        else:
            # Only the meeting's own room waits for an item of its programme; one held
            # elsewhere (a side event) keeps its own clock.
            late = now - start if item.room is None and now > start else None
            slot = Slot(item.id, item.title, item.room, start, end, Status.TO_COME)
            slots.append(replace(slot, late_ms=late))
    return tuple(slots)


def current_slot(meeting: Meeting, floor: FloorState, now: int) -> Slot | None:
    """The item under way, or None. Computes nothing for the other items."""
    if floor.item_id is None:
        return None
    for day, item in _dated_items(meeting):
        if item.id == floor.item_id:
            start = scheduled_ms(day, item.start, meeting.timezone)
            end = scheduled_ms(day, item.end, meeting.timezone)
            times = next((t for t in floor.items if t.item_id == item.id), None)
            if times is None:  # a floor stored before items kept their times
                times = ItemTimes(item.id, now)
            return _taken_up(meeting, floor, item, times, start, end, now)
    return None


def _taken_up(
    meeting: Meeting,
    floor: FloorState,
    item: Item,
    times: ItemTimes,
    start: int,
    end: int,
    now: int,
) -> Slot:
    slot = Slot(item.id, item.title, item.room, start, end, Status.DONE, times.started_at)
    if times.ended_at is not None:
        return replace(slot, actual_end=times.ended_at, late_ms=times.ended_at - end)
    if item.id != floor.item_id:  # not ended, yet not under way: nothing to say of it
        return slot
    return replace(
        slot,
        status=Status.UNDER_WAY,
        late_ms=max(times.started_at - start, now - end),
        forecast_end=forecast_end(meeting, floor, item, times, start, end, now),
    )


def floor_forecast(meeting: Meeting, floor: FloorState, now: int) -> Forecast | None:
    """The capacity forecast of the waiting line, for an item under way that has a floor."""
    slot_end = _slot_end(meeting, floor)
    if slot_end is None:
        return None
    return forecast(forecast_input(meeting, floor, slot_end, now))


def _slot_end(meeting: Meeting, floor: FloorState) -> int | None:
    if floor.item_id is None:
        return None
    for day, item in _dated_items(meeting):
        if item.id == floor.item_id:
            return scheduled_ms(day, item.end, meeting.timezone) if item.has_floor else None
    return None


def forecast_end(
    meeting: Meeting,
    floor: FloorState,
    item: Item,
    times: ItemTimes,
    start: int,
    end: int,
    now: int,
) -> int:
    """When the item under way will end at the present pace.

    In its concluding turns: when they are spoken. In its interactive discussion: when the
    waiting line is heard (at the pace of the interventions so far), with the panelists'
    responses and the concluding turns still due; no earlier than the scheduled end while
    the floor stays open, since requests keep coming. Otherwise: its scheduled length from
    its actual start, or the current speaker's time if that runs later."""
    current = floor.current
    remaining = max(0, timers.remaining(current.timer, now)) if current is not None else 0
    concluding = item.turns[len(item.turns) - concluding_turns(item) :]
    ids = [turn.id for turn in concluding]
    if current is not None and current.turn_id in ids:
        after = concluding[ids.index(current.turn_id) + 1 :]
        return now + remaining + sum(meeting.limit_for(t.kind, t).limit_s * 1000 for t in after)
    if item.has_floor and _discussing(floor):
        planned = forecast(forecast_input(meeting, floor, end, now))
        heard_by = end - planned.spare_ms
        return max(heard_by, end) if floor.is_open else heard_by
    return max(times.started_at + (end - start), now + remaining)


def _discussing(floor: FloorState) -> bool:
    """Whether the item's interactive discussion has begun."""
    current = floor.current
    return (
        floor.is_open
        or bool(floor.line)
        or bool(floor.spoken)
        or floor.segment.interventions > 0
        or (current is not None and current.speaker_kind is not SpeakerKind.SCRIPTED)
    )


def live_fields(meeting: Meeting, floor: FloorState, now: int) -> dict[str, Any]:
    """The item under way against the clock, and the forecast of its line, for the live
    message: a few numbers, since that message goes to every client on every change."""
    try:
        slot = current_slot(meeting, floor, now)
        planned = floor_forecast(meeting, floor, now) if slot is not None else None
    except DomainError:  # a programme without readable times has no timetable
        slot = planned = None
    return {
        "timetable": None
        if slot is None
        else {
            "item_id": slot.item_id,
            "scheduled_start": slot.scheduled_start,
            "scheduled_end": slot.scheduled_end,
            "actual_start": slot.actual_start,
            "late_ms": slot.late_ms,
            "delay": None if slot.delay is None else slot.delay.value,
            "forecast_end": slot.forecast_end,
        },
        "forecast": None
        if planned is None
        else {
            "heard": planned.heard,
            "not_heard": list(planned.not_heard),
            "fits": not planned.not_heard,
            "suggestion": planned.suggestion.value,
            "leftover_ms": planned.spare_ms,
        },
    }
