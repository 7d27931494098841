"""HTTP acts on the clock of the current intervention."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app.domain.acts import AdjustTimer, PauseTimer, ResetTimer, ResumeTimer, StartTimer
from app.routes.acts import ActingDep, ActResult

router = APIRouter(prefix="/api/meetings/{meeting_id}/timer", tags=["timer"])


class ClockBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expect_speaker: str | None = Field(
        default=None,
        max_length=128,
        description="whose clock the person saw ('' for no one): refused (409) if that changed",
    )


class AdjustBody(ClockBody):
    delta_s: int = Field(ge=-3600, le=3600, description="seconds to add (negative: remove)")


@router.post("/start")
async def start_timer(act: ActingDep, body: ClockBody | None = None) -> ActResult:
    return await act(StartTimer((body or ClockBody()).expect_speaker))


@router.post("/pause")
async def pause_timer(act: ActingDep, body: ClockBody | None = None) -> ActResult:
    return await act(PauseTimer((body or ClockBody()).expect_speaker))


@router.post("/resume")
async def resume_timer(act: ActingDep, body: ClockBody | None = None) -> ActResult:
    return await act(ResumeTimer((body or ClockBody()).expect_speaker))


@router.post("/reset")
async def reset_timer(act: ActingDep, body: ClockBody | None = None) -> ActResult:
    return await act(ResetTimer((body or ClockBody()).expect_speaker))


@router.post("/adjust")
async def adjust_timer(body: AdjustBody, act: ActingDep) -> ActResult:
    return await act(AdjustTimer(body.delta_s * 1000, body.expect_speaker))
