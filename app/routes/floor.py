"""HTTP acts on the floor: requests, the line, who speaks, segments. Each route parses,
authorises (app/access/policy.py) and calls one use case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, status
from pydantic import BaseModel, ConfigDict, Field

from app.access.policy import Actor, Role, authorize
from app.deps import AccessDep, ActorDep, MeetingsDep, require
from app.queue.rules import SegmentKind
from app.routes.acts import ActResult, act_result

router = APIRouter(prefix="/api/meetings/{meeting_id}", tags=["floor"])

MeetingId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
DelegationId = Annotated[str, Path(min_length=1, max_length=64)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="a tablet that retries sends the same key: it gets the first answer again",
    ),
]


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
async def open_floor(
    meeting_id: MeetingId, meetings: MeetingsDep, actor: Actor = require("floor.open")
) -> ActResult:
    return act_result(await meetings.open_floor(meeting_id, actor.label))


@router.post("/floor/close")
async def close_floor(
    meeting_id: MeetingId, meetings: MeetingsDep, actor: Actor = require("floor.close")
) -> ActResult:
    return act_result(await meetings.close_floor(meeting_id, actor.label))


@router.post("/floor/requests", status_code=status.HTTP_201_CREATED)
async def request_floor(
    meeting_id: MeetingId,
    body: FloorRequestBody,
    meetings: MeetingsDep,
    access: AccessDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> RequestResult:
    authorize(actor, "request.add", meeting_id, body.delegation_id)
    if actor.role is Role.DELEGATION:
        await access.count_floor_request(f"{meeting_id}:{actor.subject}")
    committed = await meetings.request_floor(
        meeting_id, body.delegation_id, actor.label, idempotency_key
    )
    place = committed.change.details["place"]
    assert isinstance(place, int)
    return RequestResult(
        **act_result(committed).model_dump(), delegation_id=body.delegation_id, place=place
    )


@router.delete("/floor/requests/{delegation_id}")
async def withdraw_request(
    meeting_id: MeetingId,
    delegation_id: DelegationId,
    meetings: MeetingsDep,
    actor: Actor = require("request.withdraw"),
) -> ActResult:
    return act_result(await meetings.withdraw_request(meeting_id, delegation_id, actor.label))


@router.post("/floor/requests/{delegation_id}/remove")
async def remove_request(
    meeting_id: MeetingId,
    delegation_id: DelegationId,
    meetings: MeetingsDep,
    actor: Actor = require("request.remove"),
) -> ActResult:
    return act_result(await meetings.remove_request(meeting_id, delegation_id, actor.label))


@router.post("/floor/requests/{delegation_id}/move")
async def move_request(
    meeting_id: MeetingId,
    delegation_id: DelegationId,
    body: MoveBody,
    meetings: MeetingsDep,
    actor: Actor = require("request.move"),
) -> ActResult:
    return act_result(
        await meetings.move_request(meeting_id, delegation_id, body.place, actor.label)
    )


@router.post("/floor/requests/{delegation_id}/defer")
async def defer_request(
    meeting_id: MeetingId,
    delegation_id: DelegationId,
    meetings: MeetingsDep,
    actor: Actor = require("request.defer"),
) -> ActResult:
    return act_result(await meetings.defer_request(meeting_id, delegation_id, actor.label))


@router.post("/floor/next")
async def call_next(
    meeting_id: MeetingId, meetings: MeetingsDep, actor: Actor = require("floor.next")
) -> ActResult:
    return act_result(await meetings.call_next(meeting_id, actor.label))


@router.post("/floor/give")
async def give_floor(
    meeting_id: MeetingId,
    body: GiveBody,
    meetings: MeetingsDep,
    actor: Actor = require("floor.give"),
) -> ActResult:
    return act_result(
        await meetings.give_floor(
            meeting_id,
            actor.label,
            delegation_id=body.delegation_id,
            speaker_id=body.speaker_id,
            turn_id=body.turn_id,
        )
    )


@router.post("/floor/end")
async def end_intervention(
    meeting_id: MeetingId, meetings: MeetingsDep, actor: Actor = require("floor.end")
) -> ActResult:
    return act_result(await meetings.end_intervention(meeting_id, actor.label))


@router.post("/floor/segment")
async def switch_segment(
    meeting_id: MeetingId,
    body: SegmentBody,
    meetings: MeetingsDep,
    actor: Actor = require("segment.switch"),
) -> ActResult:
    return act_result(await meetings.switch_segment(meeting_id, body.kind, actor.label))


@router.post("/items/{item_id}/start")
async def start_item(
    meeting_id: MeetingId,
    item_id: Annotated[str, Path(min_length=1, max_length=128)],
    meetings: MeetingsDep,
    actor: Actor = require("item.start"),
) -> ActResult:
    return act_result(await meetings.start_item(meeting_id, item_id, actor.label))
