"""The record for people: interventions as CSV or JSON, the summary of an item as JSON, an
SVG chart and a printable page. Read-only; computed from the durable record each time."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from app.access.policy import Permission
from app.deps import MeetingsDep, require
from app.http.headers import self_contained_page
from app.meetings import records
from app.record import exports
from app.routes.params import MeetingId

# The record names who did what: for the people who run the meeting, not the public.
router = APIRouter(
    prefix="/api/meetings/{meeting_id}",
    tags=["record"],
    dependencies=[require(Permission.READ_RECORD)],
)

ItemFilter = Annotated[
    str | None,
    Query(min_length=1, max_length=128, description="Only this agenda item; all when absent"),
]
ItemId = Annotated[str, Path(min_length=1, max_length=128)]


def _filename(meeting_id: str, item_id: str | None, name: str) -> str:
    parts = [meeting_id, item_id, name] if item_id else [meeting_id, name]
    return re.sub(r"[^A-Za-z0-9_.-]", "_", "-".join(parts))


@router.get("/record/interventions.csv", response_class=Response)
async def interventions_csv(
    meeting_id: MeetingId, meetings: MeetingsDep, item_id: ItemFilter = None
) -> Response:
    text = await records.interventions_csv(meetings, meeting_id, item_id)
    filename = _filename(meeting_id, item_id, "interventions.csv")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/record/interventions.json")
async def interventions_json(
    meeting_id: MeetingId, meetings: MeetingsDep, item_id: ItemFilter = None
) -> dict[str, Any]:
    return await records.interventions_json(meetings, meeting_id, item_id)


@router.get("/record/summary.json")
async def summary_json(
    meeting_id: MeetingId, meetings: MeetingsDep, item_id: ItemFilter = None
) -> dict[str, Any]:
    """One item's summary; the whole meeting's without `item_id`."""
    return await records.summary_json(meetings, meeting_id, item_id)


@router.get("/record/summary.svg", response_class=Response)
async def summary_svg(
    meeting_id: MeetingId, meetings: MeetingsDep, item_id: ItemFilter = None
) -> Response:
    text = await records.summary_svg(meetings, meeting_id, item_id)
    return Response(text, media_type="image/svg+xml; charset=utf-8")


@router.get("/items/{item_id}/summary", response_class=HTMLResponse)
async def summary_page(
    meeting_id: MeetingId, item_id: ItemId, meetings: MeetingsDep
) -> HTMLResponse:
    page = await records.summary_page(meetings, meeting_id, item_id)
    return HTMLResponse(page, headers=self_contained_page(exports.PAGE_CSS))
