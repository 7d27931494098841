"""Meetings as a whole: list, snapshot, create or replace, the record; health and time."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.access.policy import Actor
from app.deps import MeetingsDep, ServicesDep, require
from app.errors import Invalid, NotFound
from app.meetings.committer import clock_ms
from app.meetings.model import Meeting
from app.routes.floor import MeetingId

router = APIRouter(tags=["meetings"])


class MeetingSummary(BaseModel):
    id: str
    title: str
    version: int
    item_id: str | None
    is_open: bool


class PutResult(BaseModel):
    id: str
    version: int


@router.get("/healthz", response_model=None)
async def health(services: ServicesDep) -> dict[str, Any] | JSONResponse:
    try:
        await services.redis.ping()
        redis_ok = True
    except Exception:  # health reports; it never fails itself
        redis_ok = False
    body = {
        "app": "ok",
        "redis": "ok" if redis_ok else "unreachable",
        "embedded_redis": services.embedded is not None,
        "connections": services.hub.count(),
    }
    if not redis_ok:
        return JSONResponse(body, status_code=503)
    return body


@router.get("/api/time")
async def server_time() -> dict[str, int]:
    return {"server_time": clock_ms()}


@router.get("/api/meetings")
async def list_meetings(meetings: MeetingsDep) -> list[MeetingSummary]:
    summaries = []
    for meeting_id in await meetings.store.meeting_ids():
        try:
            snapshot = await meetings.snapshot(meeting_id)
        except NotFound:  # deleted since it was listed
            continue
        floor = snapshot["live"]["floor"]
        summaries.append(
            MeetingSummary(
                id=meeting_id,
                title=snapshot["meeting"]["title"],
                version=snapshot["version"],
                item_id=floor["item_id"],
                is_open=floor["is_open"],
            )
        )
    return summaries


@router.get("/api/meetings/{meeting_id}")
async def get_meeting(meeting_id: MeetingId, meetings: MeetingsDep) -> dict[str, Any]:
    return await meetings.snapshot(meeting_id)


@router.put("/api/meetings/{meeting_id}")
async def put_meeting(
    meeting_id: MeetingId,
    body: Meeting,
    meetings: MeetingsDep,
    actor: Actor = require("meeting.put"),
) -> PutResult:
    if body.id != meeting_id:
        raise Invalid(
            f"the document's id '{body.id}' is not the meeting '{meeting_id}' in the path"
        )
    return PutResult(id=meeting_id, version=await meetings.put_meeting(body, actor.label))


@router.get("/api/meetings/{meeting_id}/record", dependencies=[require("record.read")])
async def get_record(
    meeting_id: MeetingId, meetings: MeetingsDep, after: int = Query(default=0, ge=0)
) -> list[dict[str, Any]]:
    return [json.loads(entry.to_json()) for entry in await meetings.record(meeting_id, after)]
