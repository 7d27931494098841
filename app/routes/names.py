"""Names of a meeting's States in one of the six official languages, and the terms that find a
delegation in a picker, for the screens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.access.policy import Permission
from app.deps import MeetingsDep, require
from app.i18n.aliases import aliases
from app.i18n.names import Language, state_names
from app.routes.params import MeetingId

router = APIRouter(tags=["meetings"])


@router.get("/api/meetings/{meeting_id}/names", dependencies=[require(Permission.READ_MEETING)])
async def get_names(
    meeting_id: MeetingId,
    meetings: MeetingsDep,
    lang: Annotated[Language, Query(description="ar, zh, en, fr, ru or es")],
) -> dict[str, str]:
    """Delegation id → the State's short name in `lang` (the UN's, from UNTERM; in English,
    the registered name). Stakeholders are left out: they keep the names they
    registered with."""
    return state_names((await meetings.meeting(meeting_id)).delegations, lang)


@router.get(
    "/api/meetings/{meeting_id}/names/aliases", dependencies=[require(Permission.READ_MEETING)]
)
async def get_aliases(meeting_id: MeetingId, meetings: MeetingsDep) -> dict[str, list[str]]:
    """Delegation id → every term that finds it in a picker: its names in the six languages,
    a State's usual and former names ("Turkey", "UK") and ISO codes, a stakeholder's initials
    ("IOM"). The screens match them ignoring case and diacritics."""
    return aliases((await meetings.meeting(meeting_id)).delegations)
