"""HTTP acts on the floor: requests, the line, who speaks, segments. Each route names its
command; `Acting` takes it to the use case, which checks the policy (app/access/policy.py)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from app.access.policy import Role, authorize
from app.deps import AccessDep
from app.domain.acts import (
    Act,
    CallNext,
    CloseFloor,
    DeferRequest,
    EndIntervention,
    FloorRequested,
    GiveFloor,
    MoveRequest,
    OpenFloor,
    RemoveRequest,
    RequestFloor,
    StartItem,
    SwitchSegment,
    WithdrawRequest,
)
from app.domain.model import SegmentKind
from app.routes.acts import ActingDep, ActResult, act_result
from app.routes.params import DelegationId, IdempotencyKey, ItemId

router = APIRouter(prefix="/api/meetings/{meeting_id}", tags=["floor"])


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FloorRequestBody(Body):
    delegation_id: str = Field(min_length=1, max_length=64)


class RequestResult(ActResult):
    delegation_id: str
    place: int


class MoveBody(Body):
    place: int = Field(ge=1, le=10_000)


ExpectSpeaker = Field(
    default=None,
    max_length=128,
    description="who the person saw speaking ('' for no one): refused (409) if that changed",
)


class SpeakerBody(Body):
    expect_speaker: str | None = ExpectSpeaker


class GiveBody(SpeakerBody):
    delegation_id: str | None = Field(default=None, min_length=1, max_length=64)
    speaker_id: str | None = Field(default=None, min_length=1, max_length=64)
    turn_id: str | None = Field(default=None, min_length=1, max_length=128)


class NextBody(Body):
    expect_next: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        description="the speaker the person saw as next: refused (409) if someone else is",
    )


class DeferBody(Body):
    expect_place: int | None = Field(
        default=None, ge=1, le=10_000, description="the place the person saw: refused if moved"
    )


class SegmentBody(Body):
    kind: SegmentKind | None = None
    expect_number: int | None = Field(
        default=None, ge=1, description="the segment the person saw under way"
    )


class StartItemBody(Body):
    expect_item: str | None = Field(
        default=None, max_length=128, description="the item the person saw ('' for none)"
    )


@router.post("/floor/open")
async def open_floor(act: ActingDep) -> ActResult:
    return await act(OpenFloor())


@router.post("/floor/close")
async def close_floor(act: ActingDep) -> ActResult:
    return await act(CloseFloor())


@router.post("/floor/requests", status_code=status.HTTP_201_CREATED)
async def request_floor(
    body: FloorRequestBody, act: ActingDep, access: AccessDep, key: IdempotencyKey = None
) -> RequestResult:
    """201 with the place in line. A tablet is slowed down if it keeps asking (429)."""
    actor, meeting_id = act.actor, act.meeting_id
    authorize(actor, Act.REQUEST_FLOOR, meeting_id, body.delegation_id)
    if actor.role is Role.DELEGATION:
        await access.count_floor_request(f"{meeting_id}:{actor.subject}")
    committed = await act.meetings.act(meeting_id, RequestFloor(body.delegation_id), actor, key)
    details = committed.change.details
    assert isinstance(details, FloorRequested)
    answer = act_result(committed).model_dump()
    return RequestResult(**answer, delegation_id=details.delegation_id, place=details.place)


@router.delete("/floor/requests/{delegation_id}")
async def withdraw_request(delegation_id: DelegationId, act: ActingDep) -> ActResult:
    return await act(WithdrawRequest(delegation_id))


@router.post("/floor/requests/{delegation_id}/remove")
async def remove_request(delegation_id: DelegationId, act: ActingDep) -> ActResult:
    return await act(RemoveRequest(delegation_id))


@router.post("/floor/requests/{delegation_id}/move")
async def move_request(delegation_id: DelegationId, body: MoveBody, act: ActingDep) -> ActResult:
    return await act(MoveRequest(delegation_id, body.place))


@router.post("/floor/requests/{delegation_id}/defer")
async def defer_request(
    delegation_id: DelegationId, act: ActingDep, body: DeferBody | None = None
) -> ActResult:
    return await act(DeferRequest(delegation_id, (body or DeferBody()).expect_place))


@router.post("/floor/next")
async def call_next(act: ActingDep, body: NextBody | None = None) -> ActResult:
    return await act(CallNext((body or NextBody()).expect_next))


@router.post("/floor/give")
async def give_floor(body: GiveBody, act: ActingDep) -> ActResult:
    return await act(
        GiveFloor(body.delegation_id, body.speaker_id, body.turn_id, body.expect_speaker)
    )


@router.post("/floor/end")
async def end_intervention(act: ActingDep, body: SpeakerBody | None = None) -> ActResult:
    return await act(EndIntervention((body or SpeakerBody()).expect_speaker))


@router.post("/floor/segment")
async def switch_segment(body: SegmentBody, act: ActingDep) -> ActResult:
    return await act(SwitchSegment(body.kind, body.expect_number))


@router.post("/items/{item_id}/start")
async def start_item(
    item_id: ItemId, act: ActingDep, body: StartItemBody | None = None
) -> ActResult:
    return await act(StartItem(item_id, (body or StartItemBody()).expect_item))
