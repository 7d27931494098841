"""Meetings as a whole: list, snapshot, create or replace, the record; the programme as a
YAML file and the day against the clock; health and time."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from app.access.policy import Actor, Permission
from app.agenda.timetable import Delay, Status, timetable
from app.clock import clock_ms
from app.deps import MeetingsDep, ServicesDep, require
from app.domain.acts import Act
from app.domain.model import Meeting
from app.errors import Invalid, NotFound, TooLarge, UnsupportedMediaType
from app.meetings.store import entry_body
from app.programme import InvalidProgramme, dump_programme, load_programme
from app.routes.acts import ErrorBody
from app.routes.params import MeetingId

LINE = re.compile(r" \(line \d+(, column \d+)?\)")

router = APIRouter(tags=["meetings"])
Secretariat = Annotated[Actor, require(Act.PUT_MEETING)]
"""Who may create or replace a meeting."""

YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
MAX_PROGRAMME_BYTES = 2 * 1024 * 1024
"""The demo's programme, the whole UN membership written out, is about 20 KB."""


class MeetingSummary(BaseModel):
    id: str
    title: str
    room: str | None
    version: int
    item_id: str | None
    is_open: bool
    timetable: dict[str, Any] | None
    """The item under way against the clock, as of the meeting's last change (see the live
    message in docs/protocol.md)."""


class SlotBody(BaseModel):
    item_id: str
    title: str
    room: str | None
    status: Status
    scheduled_start: int
    scheduled_end: int
    actual_start: int | None
    actual_end: int | None
    late_ms: int | None
    delay: Delay | None
    says: str | None
    forecast_end: int | None


class TimetableBody(BaseModel):
    meeting_id: str
    room: str | None
    timezone: str
    at: int
    """The instant the table was computed for, server ms."""
    item_id: str | None
    items: list[SlotBody]


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
    for meeting_id in await meetings.meeting_ids():
        try:
            snapshot = await meetings.snapshot(meeting_id)
        except NotFound:  # deleted since it was listed
            continue
        floor = snapshot["live"]["floor"]
        summaries.append(
            MeetingSummary(
                id=meeting_id,
                title=snapshot["meeting"]["title"],
                room=snapshot["meeting"].get("room"),
                version=snapshot["version"],
                item_id=floor["item_id"],
                is_open=floor["is_open"],
                timetable=snapshot["live"].get("timetable"),
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
    actor: Secretariat,
) -> PutResult:
    if body.id != meeting_id:
        raise Invalid(
            f"the document's id '{body.id}' is not the meeting '{meeting_id}' in the path"
        )
    await asyncio.to_thread(check_meeting, body)  # a whole programme: off the event loop
    return PutResult(id=meeting_id, version=await meetings.put_meeting(body, actor.label))


def check_meeting(meeting: Meeting) -> None:
    """A JSON document gets the checks a programme file gets (times, order, overlaps, ids,
    references): it is written out as one and read back. Line numbers of that generated
    file would mean nothing to the sender, so the problems keep only their paths."""
    try:
        load_programme(dump_programme(meeting), meeting.id)
    except InvalidProgramme as refused:
        raise InvalidProgramme([LINE.sub("", problem) for problem in refused.problems]) from None


@router.get("/api/meetings/{meeting_id}/record", dependencies=[require(Permission.READ_RECORD)])
async def get_record(
    meeting_id: MeetingId, meetings: MeetingsDep, after: int = Query(default=0, ge=0, le=2**53)
) -> list[dict[str, Any]]:
    return [entry_body(entry) for entry in await meetings.record(meeting_id, after)]


_PROGRAMME_FILE = "a programme file, as `floorkeeper programme export` writes it"


@router.get(
    "/api/meetings/{meeting_id}/programme",
    response_class=Response,
    dependencies=[require(Permission.READ_MEETING)],
    responses={
        200: {
            "description": _PROGRAMME_FILE,
            "content": {"application/yaml": {"schema": {"type": "object"}}},
        }
    },
)
async def get_programme(meeting_id: MeetingId, meetings: MeetingsDep) -> Response:
    """The meeting's programme and roster as the YAML file the secretariat imports."""
    text = dump_programme(await meetings.meeting(meeting_id))
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{meeting_id}.yaml"'},
    )


@router.put(
    "/api/meetings/{meeting_id}/programme",
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": _PROGRAMME_FILE,
            "content": {t: {"schema": {"type": "object"}} for t in sorted(YAML_TYPES)},
        }
    },
    responses={
        413: {"model": ErrorBody, "description": f"over {MAX_PROGRAMME_BYTES} bytes"},
        415: {"model": ErrorBody, "description": "not sent as YAML"},
    },
)
async def put_programme(
    meeting_id: MeetingId,
    request: Request,
    meetings: MeetingsDep,
    actor: Secretariat,
) -> PutResult:
    """Create the meeting, or replace its programme and roster, from a YAML programme file.
    A malformed file is refused (422) with every problem, each naming its place and line."""
    text = await _yaml_body(request)
    meeting = await asyncio.to_thread(load_programme, text, meeting_id)
    return PutResult(id=meeting_id, version=await meetings.put_meeting(meeting, actor.label))


async def _yaml_body(request: Request) -> str:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in YAML_TYPES:
        raise UnsupportedMediaType(
            "send the programme file as YAML, with the header Content-Type: application/yaml"
        )
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_PROGRAMME_BYTES:
            raise TooLarge(f"a programme file may have at most {MAX_PROGRAMME_BYTES} bytes")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidProgramme([f"byte {error.start + 1}: the file is not UTF-8 text"]) from None


@router.get("/api/meetings/{meeting_id}/timetable", dependencies=[require(Permission.READ_MEETING)])
async def get_timetable(meeting_id: MeetingId, meetings: MeetingsDep) -> TimetableBody:
    """Every item of the programme against the clock, now: scheduled and actual times, how
    late the room is running, and when the item under way will end at the present pace."""
    meeting, floor = await meetings.meeting_and_floor(meeting_id)
    now = clock_ms()
    return TimetableBody(
        meeting_id=meeting_id,
        room=meeting.room,
        timezone=meeting.timezone,
        at=now,
        item_id=floor.item_id,
        items=[
            SlotBody(
                item_id=slot.item_id,
                title=slot.title,
                room=slot.room,
                status=slot.status,
                scheduled_start=slot.scheduled_start,
                scheduled_end=slot.scheduled_end,
                actual_start=slot.actual_start,
                actual_end=slot.actual_end,
                late_ms=slot.late_ms,
                delay=slot.delay,
                says=slot.says(),
                forecast_end=slot.forecast_end,
            )
            for slot in timetable(meeting, floor, now)
        ],
    )
