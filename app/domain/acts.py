"""The acts of a meeting: each has one name (`Act`), one command carrying what the person
asked for, and one record of what happened (its details). The rule that applies a command
is `app.queue.acts.apply`; who may send it is `app.access.policy`.

Pure data. The durable record's schema is here: every details class below, written and read
by `details_json` and `parse_details`, the one place that turns them into JSON and back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields
from enum import Enum, StrEnum
from typing import Any, ClassVar

from app.domain.model import SegmentKind


class Act(StrEnum):
    """Every act of a meeting, by the name that the record, the policy and the answers use."""

    PUT_MEETING = "meeting.put"
    OPEN_FLOOR = "floor.open"
    CLOSE_FLOOR = "floor.close"
    REQUEST_FLOOR = "request.add"
    WITHDRAW_REQUEST = "request.withdraw"
    REMOVE_REQUEST = "request.remove"
    MOVE_REQUEST = "request.move"
    DEFER_REQUEST = "request.defer"
    CALL_NEXT = "floor.next"
    GIVE_FLOOR = "floor.give"
    END_INTERVENTION = "floor.end"
    SWITCH_SEGMENT = "segment.switch"
    START_ITEM = "item.start"
    START_TIMER = "timer.start"
    PAUSE_TIMER = "timer.pause"
    RESUME_TIMER = "timer.resume"
    ADJUST_TIMER = "timer.adjust"
    RESET_TIMER = "timer.reset"


# --- commands: what the person asked for -------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenFloor:
    act: ClassVar[Act] = Act.OPEN_FLOOR


@dataclass(frozen=True, slots=True)
class CloseFloor:
    act: ClassVar[Act] = Act.CLOSE_FLOOR


@dataclass(frozen=True, slots=True)
class RequestFloor:
    act: ClassVar[Act] = Act.REQUEST_FLOOR
    delegation_id: str


@dataclass(frozen=True, slots=True)
class WithdrawRequest:
    act: ClassVar[Act] = Act.WITHDRAW_REQUEST
    delegation_id: str


@dataclass(frozen=True, slots=True)
class RemoveRequest:
    act: ClassVar[Act] = Act.REMOVE_REQUEST
    delegation_id: str


@dataclass(frozen=True, slots=True)
class MoveRequest:
    act: ClassVar[Act] = Act.MOVE_REQUEST
    delegation_id: str
    place: int
    """1-based place in the line."""


@dataclass(frozen=True, slots=True)
class DeferRequest:
    act: ClassVar[Act] = Act.DEFER_REQUEST
    delegation_id: str
    expect_place: int | None = None
    """The place the person saw it in; a second press finds it moved and is refused."""


@dataclass(frozen=True, slots=True)
class CallNext:
    act: ClassVar[Act] = Act.CALL_NEXT
    expect_next: str | None = None
    """The speaker the person saw proposed as next; refused if someone else is next now."""


@dataclass(frozen=True, slots=True)
class GiveFloor:
    """Out of turn to a delegation or a panelist, or a programme turn: exactly one of three."""

    act: ClassVar[Act] = Act.GIVE_FLOOR
    delegation_id: str | None = None
    speaker_id: str | None = None
    turn_id: str | None = None
    expect_speaker: str | None = None
    """Who the person saw speaking ("" for no one); the act is refused if that changed."""


@dataclass(frozen=True, slots=True)
class EndIntervention:
    act: ClassVar[Act] = Act.END_INTERVENTION
    expect_speaker: str | None = None
    """Who the person saw speaking ("" for no one); the act is refused if that changed."""


@dataclass(frozen=True, slots=True)
class SwitchSegment:
    """Without a kind: Member States <-> panelists."""

    act: ClassVar[Act] = Act.SWITCH_SEGMENT
    kind: SegmentKind | None = None
    expect_number: int | None = None
    """The segment the person saw under way; refused once another has begun."""


@dataclass(frozen=True, slots=True)
class StartItem:
    act: ClassVar[Act] = Act.START_ITEM
    item_id: str
    expect_item: str | None = None
    """The item the person saw under way ("" for none); refused if another was taken up."""


@dataclass(frozen=True, slots=True)
class StartTimer:
    act: ClassVar[Act] = Act.START_TIMER
    expect_speaker: str | None = None
    """Who the person saw speaking ("" for no one); the act is refused if that changed."""


@dataclass(frozen=True, slots=True)
class PauseTimer:
    act: ClassVar[Act] = Act.PAUSE_TIMER
    expect_speaker: str | None = None
    """Who the person saw speaking ("" for no one); the act is refused if that changed."""


@dataclass(frozen=True, slots=True)
class ResumeTimer:
    act: ClassVar[Act] = Act.RESUME_TIMER
    expect_speaker: str | None = None
    """Who the person saw speaking ("" for no one); the act is refused if that changed."""


@dataclass(frozen=True, slots=True)
class AdjustTimer:
    act: ClassVar[Act] = Act.ADJUST_TIMER
    delta_ms: int
    """Time to add (negative: to take away)."""
    expect_speaker: str | None = None
    """Who the person saw speaking ("" for no one); the act is refused if that changed."""


@dataclass(frozen=True, slots=True)
class ResetTimer:
    act: ClassVar[Act] = Act.RESET_TIMER
    expect_speaker: str | None = None
    """Who the person saw speaking ("" for no one); the act is refused if that changed."""


Command = (
    OpenFloor
    | CloseFloor
    | RequestFloor
    | WithdrawRequest
    | RemoveRequest
    | MoveRequest
    | DeferRequest
    | CallNext
    | GiveFloor
    | EndIntervention
    | SwitchSegment
    | StartItem
    | StartTimer
    | PauseTimer
    | ResumeTimer
    | AdjustTimer
    | ResetTimer
)
"""An act of the floor, as `app.queue.acts.apply` takes it. (`meeting.put` replaces the
meeting itself and has no command: the secretariat sends the whole document.)"""


def command_json(command: Command) -> dict[str, Any]:
    """The command's arguments, as an idempotent act's kept answer names them. What the
    person expected (`expect_*`) is not an argument: a retry that saw more is the same act."""
    return {
        f.name: _plain(getattr(command, f.name))
        for f in fields(command)
        if not f.name.startswith("expect_")
    }


# --- details: what the record keeps of each act --------------------------------------------


def _key(name: str) -> Mapping[str, str]:
    """A field written under another key in the record (`from` is a Python keyword)."""
    return {"key": name}


def _read(parse: Callable[[Any], Any]) -> Mapping[str, Callable[[Any], Any]]:
    """A field whose JSON value is turned back into its type by `parse`."""
    return {"parse": parse}


@dataclass(frozen=True, slots=True)
class Nothing:
    """The record keeps only the act's name, who and when (open the floor, end, the clock)."""


@dataclass(frozen=True, slots=True)
class MeetingPut:
    title: str


@dataclass(frozen=True, slots=True)
class FloorClosed:
    waiting: int
    """Requests left in the line, kept for when the floor opens again."""


@dataclass(frozen=True, slots=True)
class FloorRequested:
    delegation_id: str
    place: int


@dataclass(frozen=True, slots=True)
class RequestWithdrawn:
    delegation_id: str


@dataclass(frozen=True, slots=True)
class RequestRemoved:
    delegation_id: str
    requested_at: int


@dataclass(frozen=True, slots=True)
class RequestMoved:
    delegation_id: str
    from_place: int = field(metadata=_key("from"))
    to_place: int = field(metadata=_key("to"))


@dataclass(frozen=True, slots=True)
class RequestDeferred:
    delegation_id: str
    place: int | None = None
    """Its place in line after the deferral (records written before it was kept have none)."""


@dataclass(frozen=True, slots=True)
class NextCalled:
    speaker_id: str
    """The delegation or panelist the policy picked."""


@dataclass(frozen=True, slots=True)
class FloorGiven:
    """Only the one that was named is written."""

    delegation_id: str | None = None
    speaker_id: str | None = None
    turn_id: str | None = None


@dataclass(frozen=True, slots=True)
class SegmentSwitched:
    kind: SegmentKind = field(metadata=_read(SegmentKind))
    number: int


@dataclass(frozen=True, slots=True)
class ItemStarted:
    item_id: str
    not_heard: tuple[str, ...] = field(default=(), metadata=_read(tuple))
    """Delegations still waiting when the previous item ended: their requests are dropped."""


@dataclass(frozen=True, slots=True)
class TimerAdjusted:
    delta_ms: int
    limit_ms: int
    """The intervention's limit after the change."""


Details = (
    Nothing
    | MeetingPut
    | FloorClosed
    | FloorRequested
    | RequestWithdrawn
    | RequestRemoved
    | RequestMoved
    | RequestDeferred
    | NextCalled
    | FloorGiven
    | SegmentSwitched
    | ItemStarted
    | TimerAdjusted
)

DETAILS: dict[Act, type[Details]] = {
    Act.PUT_MEETING: MeetingPut,
    Act.OPEN_FLOOR: Nothing,
    Act.CLOSE_FLOOR: FloorClosed,
    Act.REQUEST_FLOOR: FloorRequested,
    Act.WITHDRAW_REQUEST: RequestWithdrawn,
    Act.REMOVE_REQUEST: RequestRemoved,
    Act.MOVE_REQUEST: RequestMoved,
    Act.DEFER_REQUEST: RequestDeferred,
    Act.CALL_NEXT: NextCalled,
    Act.GIVE_FLOOR: FloorGiven,
    Act.END_INTERVENTION: Nothing,
    Act.SWITCH_SEGMENT: SegmentSwitched,
    Act.START_ITEM: ItemStarted,
    Act.START_TIMER: Nothing,
    Act.PAUSE_TIMER: Nothing,
    Act.RESUME_TIMER: Nothing,
    Act.ADJUST_TIMER: TimerAdjusted,
    Act.RESET_TIMER: Nothing,
}
"""What the record keeps of each act: the schema of the `details` of a record entry."""


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _json_key(f: Field[Any]) -> str:
    key: str = f.metadata.get("key", f.name)
    return key


def details_json(details: Details) -> dict[str, Any]:
    """The details as the record, the answers and the screens carry them. A field left at
    None is not written (a floor given to a turn names only the turn)."""
    return {
        _json_key(f): _plain(getattr(details, f.name))
        for f in fields(details)
        if getattr(details, f.name) is not None
    }


def parse_details(act: Act, body: Mapping[str, Any]) -> Details:
    """The typed details of a record entry read back; a key it does not know is passed over."""
    cls = DETAILS[act]
    values: dict[str, Any] = {}
    for f in fields(cls):
        key = _json_key(f)
        if key not in body:
            if f.default is MISSING:
                raise ValueError(f"the record of {act.value} has no '{key}'")
            continue
        parse = f.metadata.get("parse")
        values[f.name] = parse(body[key]) if parse else body[key]
    return cls(**values)
