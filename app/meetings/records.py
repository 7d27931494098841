"""Use cases of the record: read a meeting's durable record and hand it to the pure
functions of `report` (the record) and `exports` (its renderings). Every answer is computed
afresh from the stream, so it survives a restart."""

from __future__ import annotations

from typing import Any

from app.domain.model import Meeting
from app.meetings.service import Meetings
from app.record import exports, report
from app.record.entry import Entry


async def _load(
    meetings: Meetings, meeting_id: str, item_id: str | None
) -> tuple[Meeting, list[Entry]]:
    meeting = await meetings.meeting(meeting_id)
    if item_id is not None:
        meeting.item(item_id)  # NotFound before reading the whole record
    return meeting, await meetings.record(meeting_id)


async def interventions_csv(meetings: Meetings, meeting_id: str, item_id: str | None = None) -> str:
    meeting, entries = await _load(meetings, meeting_id, item_id)
    return exports.interventions_csv(report.intervention_rows(meeting, entries, item_id))


async def interventions_json(
    meetings: Meetings, meeting_id: str, item_id: str | None = None
) -> dict[str, Any]:
    meeting, entries = await _load(meetings, meeting_id, item_id)
    rows = report.intervention_rows(meeting, entries, item_id)
    return exports.interventions_json(meeting, rows, item_id)


async def summary(
    meetings: Meetings, meeting_id: str, item_id: str | None = None
) -> report.Summary:
    meeting, entries = await _load(meetings, meeting_id, item_id)
    return report.summarise(meeting, entries, item_id)


async def summary_json(
    meetings: Meetings, meeting_id: str, item_id: str | None = None
) -> dict[str, Any]:
    return exports.summary_json(await summary(meetings, meeting_id, item_id))


async def summary_svg(meetings: Meetings, meeting_id: str, item_id: str | None = None) -> str:
    return exports.region_chart_svg(await summary(meetings, meeting_id, item_id))


async def summary_page(meetings: Meetings, meeting_id: str, item_id: str) -> str:
    meeting, entries = await _load(meetings, meeting_id, item_id)
    rows = report.intervention_rows(meeting, entries, item_id)
    return exports.summary_page_html(meeting, report.summarise(meeting, entries, item_id), rows)
