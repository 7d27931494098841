"""What the person saw when they pressed: an act that carries an expectation is applied only
if it still holds, so that a second press of the same button (a double click, a repeated key,
two consoles at once) is refused with what happened instead, and changes nothing.

Pure: the meeting, the floor and the command in, a `Conflict` out. An expectation left at
None is not checked (a script or a bridge that sends none gets the act as before); the empty
string means "nobody" (no one speaking, no item under way).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

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
from app.domain.model import Meeting
from app.errors import Conflict, NotFound
from app.queue.rules import FloorState, Intervention, place_of, proposed_next

NOBODY = ""


def check(meeting: Meeting, floor: FloorState, command: Command) -> None:
    """Raise `Conflict` if what the command expected no longer holds."""
    match command:
        case CallNext(expect_next=expected) if expected is not None:
            _expect_next(meeting, floor, expected)
        case (
            EndIntervention(expect_speaker=expected)
            | GiveFloor(expect_speaker=expected)
            | StartTimer(expect_speaker=expected)
            | PauseTimer(expect_speaker=expected)
            | ResumeTimer(expect_speaker=expected)
            | AdjustTimer(expect_speaker=expected)
            | ResetTimer(expect_speaker=expected)
        ) if expected is not None:
            _expect_speaker(meeting, floor, expected)
        case DeferRequest(delegation_id, expect_place=expected) if expected is not None:
            place = place_of(floor, delegation_id)
            if place is not None and place != expected:
                name = name_of(meeting, delegation_id)
                raise Conflict(
                    f"{name} is now number {place} in line, not {expected}: it was moved already",
                    "place_changed",
                    name=name,
                    place=place,
                )
        case SwitchSegment(expect_number=expected) if expected is not None:
            if floor.segment.number != expected:
                raise Conflict(
                    f"the segment has changed already: segment {floor.segment.number} is under way",
                    "segment_changed",
                    number=floor.segment.number,
                    kind=floor.segment.kind.value,
                )
        case StartItem(expect_item=expected) if expected is not None:
            if (floor.item_id or NOBODY) != expected:
                title = _item_title(meeting, floor.item_id)
                raise Conflict(
                    f"another item was taken up meanwhile: {title}", "item_changed", title=title
                )
        case _:
            return


def _expect_next(meeting: Meeting, floor: FloorState, expected: str) -> None:
    current = floor.current
    if current is not None and current.speaker_id == expected:
        raise _already_speaking(meeting, current)
    actual = proposed_next(meeting, floor)
    if actual != expected:
        name = name_of(meeting, expected)
        if actual is None:
            raise Conflict(
                f"{name} is no longer next, and no one else is waiting",
                "next_changed",
                name=name,
                next=NOBODY,
            )
        other = name_of(meeting, actual)
        raise Conflict(
            f"{name} is no longer next: {other} is", "next_changed", name=name, next=other
        )


def _expect_speaker(meeting: Meeting, floor: FloorState, expected: str) -> None:
    current = floor.current
    speaking = current.speaker_id if current is not None else NOBODY
    if speaking == expected:
        return
    if current is None:
        name = name_of(meeting, expected)
        raise Conflict(
            f"{name} no longer has the floor: the intervention has ended already",
            "intervention_ended",
            name=name,
        )
    raise Conflict(
        f"{current.name} has the floor now, given by {current.granted_by} at "
        f"{_clock(meeting, current.granted_at)}",
        "speaker_changed",
        name=current.name,
        by=current.granted_by,
        at=current.granted_at,
    )


def _already_speaking(meeting: Meeting, current: Intervention) -> Conflict:
    return Conflict(
        f"{current.name} already has the floor, given by {current.granted_by} at "
        f"{_clock(meeting, current.granted_at)}",
        "already_speaking",
        name=current.name,
        by=current.granted_by,
        at=current.granted_at,
    )


def name_of(meeting: Meeting, subject_id: str) -> str:
    """A delegation's, a panelist's or a turn's name as the screens show it."""
    for find in (meeting.delegation, meeting.speaker):
        try:
            return find(subject_id).name
        except NotFound:
            continue
    return subject_id


def _item_title(meeting: Meeting, item_id: str | None) -> str:
    if item_id is None:
        return "no item"
    try:
        return meeting.item(item_id).title
    except NotFound:
        return item_id


def _clock(meeting: Meeting, at_ms: int) -> str:
    """The time of day in the meeting's own zone, as the room's clocks show it."""
    try:
        zone = ZoneInfo(meeting.timezone)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    return datetime.fromtimestamp(at_ms / 1000, UTC).astimezone(zone).strftime("%H:%M:%S")
