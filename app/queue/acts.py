"""One pure function applies every act of the floor: the command names the act and its
arguments, `apply` picks the rule (app/queue/rules.py). No Redis, no asyncio, no clock:
`now` (server ms) and `by` (who, as the record names them) are arguments.
"""

from __future__ import annotations

from typing import assert_never

from app.domain.acts import (
    AdjustTimer,
    CallNext,
    CloseFloor,
    Command,
    DeferRequest,
    EndIntervention,
    GiveFloor,
    MoveRequest,
    OpenFloor,
    PauseTimer,
    RemoveRequest,
    RequestFloor,
    ResetTimer,
    ResumeTimer,
    StartItem,
    StartTimer,
    SwitchSegment,
    WithdrawRequest,
)
from app.domain.model import Meeting
from app.queue import expect, rules
from app.queue.rules import Change, FloorState


def apply(meeting: Meeting, floor: FloorState, command: Command, by: str, now: int) -> Change:
    """The new state and what the record keeps, or a `DomainError` and nothing changed."""
    expect.check(meeting, floor, command)
    match command:
        case OpenFloor():
            return rules.open_floor(floor, now)
        case CloseFloor():
            return rules.close_floor(floor)
        case RequestFloor(delegation_id):
            return rules.request_floor(meeting, floor, delegation_id, now)
        case WithdrawRequest(delegation_id):
            return rules.withdraw_request(floor, delegation_id)
        case RemoveRequest(delegation_id):
            return rules.remove_request(floor, delegation_id)
        case MoveRequest(delegation_id, place):
            return rules.move_request(floor, delegation_id, place)
        case DeferRequest(delegation_id, _):
            return rules.defer_request(meeting, floor, delegation_id)
        case CallNext():
            return rules.call_next(meeting, floor, by, now)
        case GiveFloor(delegation_id, speaker_id, turn_id, _):
            return rules.give_floor(
                meeting,
                floor,
                by,
                now,
                delegation_id=delegation_id,
                speaker_id=speaker_id,
                turn_id=turn_id,
            )
        case EndIntervention():
            return rules.end_intervention(floor, by, now)
        case SwitchSegment(kind, _):
            return rules.switch_segment(floor, kind, now)
        case StartItem(item_id, _):
            return rules.start_item(meeting, floor, item_id, by, now)
        case StartTimer():
            return rules.start_timer(floor, now)
        case PauseTimer():
            return rules.pause_timer(floor, now)
        case ResumeTimer():
            return rules.resume_timer(floor, now)
        case AdjustTimer(delta_ms, _):
            return rules.adjust_timer(floor, delta_ms)
        case ResetTimer():
            return rules.reset_timer(floor, now)
        case _:
            assert_never(command)
