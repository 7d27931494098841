"""HTTP acts on the clock of the current intervention."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app.access.policy import Actor
from app.deps import MeetingsDep, require
from app.routes.acts import ActResult, act_result
from app.routes.floor import MeetingId

router = APIRouter(prefix="/api/meetings/{meeting_id}/timer", tags=["timer"])
CAN_CHANGE = "timer.change"


class AdjustBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    delta_s: int = Field(ge=-3600, le=3600, description="seconds to add (negative: remove)")


@router.post("/start")
async def start_timer(
    meeting_id: MeetingId, meetings: MeetingsDep, actor: Actor = require(CAN_CHANGE)
) -> ActResult:
    return act_result(await meetings.start_timer(meeting_id, actor.label))


@router.post("/pause")
async def pause_timer(
    meeting_id: MeetingId, meetings: MeetingsDep, actor: Actor = require(CAN_CHANGE)
) -> ActResult:
    return act_result(await meetings.pause_timer(meeting_id, actor.label))


@router.post("/resume")
async def resume_timer(
    meeting_id: MeetingId, meetings: MeetingsDep, actor: Actor = require(CAN_CHANGE)
) -> ActResult:
    return act_result(await meetings.resume_timer(meeting_id, actor.label))


@router.post("/reset")
async def reset_timer(
    meeting_id: MeetingId, meetings: MeetingsDep, actor: Actor = require(CAN_CHANGE)
) -> ActResult:
    return act_result(await meetings.reset_timer(meeting_id, actor.label))


@router.post("/adjust")
async def adjust_timer(
    meeting_id: MeetingId,
    body: AdjustBody,
    meetings: MeetingsDep,
    actor: Actor = require(CAN_CHANGE),
) -> ActResult:
    return act_result(await meetings.adjust_timer(meeting_id, body.delta_s * 1000, actor.label))
