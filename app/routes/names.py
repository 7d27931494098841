"""Names of a meeting's States in one of the six official languages, for the screens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.access.policy import Permission
from app.deps import MeetingsDep, require
from app.i18n.names import Language, state_names
from app.routes.params import MeetingId

router = APIRouter(tags=["meetings"])


@router.get("/api/meetings/{meeting_id}/names", dependencies=[require(Permission.READ_MEETING)])
async def get_names(
    meeting_id: MeetingId,
    meetings: MeetingsDep,
    lang: Annotated[Language, Query(description="ar, zh, en, fr, ru or es")],
) -> dict[str, str]:
    """Delegation id → the State's short name in `lang` (from the ISO 3166 catalogues; in
    English, the registered name). Stakeholders are left out: they keep the names they
    registered with."""
    return state_names((await meetings.meeting(meeting_id)).delegations, lang)
