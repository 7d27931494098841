"""HTTP acts on the floor: requests, the line, who speaks, segments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, ConfigDict, Field

from app.deps import MeetingsDep
from app.queue.rules import SegmentKind
from app.routes.acts import ActResult, act_result

router = APIRouter(prefix="/api/meetings/{meeting_id}", tags=["floor"])

MeetingId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
DelegationId = Annotated[str, Path(min_length=1, max_length=64)]
MODERATOR = "moderator"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FloorRequestBody(Body):
    delegation_id: str = Field(min_length=1, max_length=64)


class RequestResult(ActResult):
    delegation_id: str
    place: int


class MoveBody(Body):
    place: int = Field(ge=1, le=10_000)


class GiveBody(Body):
    delegation_id: str | None = Field(default=None, min_length=1, max_length=64)
    speaker_id: str | None = Field(default=None, min_length=1, max_length=64)
    turn_id: str | None = Field(default=None, min_length=1, max_length=128)


class SegmentBody(Body):
    kind: SegmentKind | None = None


@router.post("/floor/open")
async def open_floor(meeting_id: MeetingId, meetings: MeetingsDep) -> ActResult:
    return act_result(await meetings.open_floor(meeting_id, MODERATOR))


@router.post("/floor/close")
async def close_floor(meeting_id: MeetingId, meetings: MeetingsDep) -> ActResult:
    return act_result(await meetings.close_floor(meeting_id, MODERATOR))


@router.post("/floor/requests", status_code=status.HTTP_201_CREATED)
async def request_floor(
    meeting_id: MeetingId, body: FloorRequestBody, meetings: MeetingsDep
) -> RequestResult:
    delegation_id = body.delegation_id
    committed = await meetings.request_floor(
        meeting_id, delegation_id, f"delegation:{delegation_id}"
    )
    place = committed.change.details["place"]
    assert isinstance(place, int)
    return RequestResult(
        **act_result(committed).model_dump(), delegation_id=delegation_id, place=place
    )


@router.delete("/floor/requests/{delegation_id}")
async def withdraw_request(
    meeting_id: MeetingId, delegation_id: DelegationId, meetings: MeetingsDep
) -> ActResult:
    by = f"delegation:{delegation_id}"
    return act_result(await meetings.withdraw_request(meeting_id, delegation_id, by))


@router.post("/floor/requests/{delegation_id}/remove")
async def remove_request(
    meeting_id: MeetingId, delegation_id: DelegationId, meetings: MeetingsDep
) -> ActResult:
    return act_result(await meetings.remove_request(meeting_id, delegation_id, MODERATOR))


@router.post("/floor/requests/{delegation_id}/move")
async def move_request(
    meeting_id: MeetingId, delegation_id: DelegationId, body: MoveBody, meetings: MeetingsDep
) -> ActResult:
    return act_result(await meetings.move_request(meeting_id, delegation_id, body.place, MODERATOR))


@router.post("/floor/requests/{delegation_id}/defer")
async def defer_request(
    meeting_id: MeetingId, delegation_id: DelegationId, meetings: MeetingsDep
) -> ActResult:
    return act_result(await meetings.defer_request(meeting_id, delegation_id, MODERATOR))


@router.post("/floor/next")
async def call_next(meeting_id: MeetingId, meetings: MeetingsDep) -> ActResult:
    return act_result(await meetings.call_next(meeting_id, MODERATOR))


@router.post("/floor/give")
async def give_floor(meeting_id: MeetingId, body: GiveBody, meetings: MeetingsDep) -> ActResult:
    return act_result(
        await meetings.give_floor(
            meeting_id,
            MODERATOR,
            delegation_id=body.delegation_id,
            speaker_id=body.speaker_id,
            turn_id=body.turn_id,
        )
    )


@router.post("/floor/end")
async def end_intervention(meeting_id: MeetingId, meetings: MeetingsDep) -> ActResult:
    return act_result(await meetings.end_intervention(meeting_id, MODERATOR))


@router.post("/floor/segment")
async def switch_segment(
    meeting_id: MeetingId, body: SegmentBody, meetings: MeetingsDep
) -> ActResult:
    return act_result(await meetings.switch_segment(meeting_id, body.kind, MODERATOR))


@router.post("/items/{item_id}/start")
async def start_item(
    meeting_id: MeetingId,
    item_id: Annotated[str, Path(min_length=1, max_length=128)],
    meetings: MeetingsDep,
) -> ActResult:
    return act_result(await meetings.start_item(meeting_id, item_id, MODERATOR))
