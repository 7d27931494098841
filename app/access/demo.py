"""Codes for trying the demo by hand: issued at start in development mode and written to a
private file (never to the log), so that `make run` is enough to run a panel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.access.policy import Role
from app.access.service import Access, subjects_of
from app.domain.model import Meeting

CHAIRS = [(Role.CHAIR, "cofacilitator-1"), (Role.CHAIR, "cofacilitator-2")]


def write_private(path: Path, text: str) -> None:
    """A file only its owner can read: made with those rights before anything is written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(text)


async def demo_codes(access: Access, meetings: Sequence[Meeting]) -> str:
    """Issue every demo meeting's codes (keeping those already issued) and list them."""
    await access.issue(None, CHAIRS)
    lines = ["# Floorkeeper demo access codes (development mode). Keep private.", ""]
    lines += [f"chair (every room)  {g.subject_key:<28} {g.code}" for g in await access.codes(None)]
    for meeting in meetings:
        meeting_id = meeting.id
        await access.issue(meeting_id, subjects_of(meeting))
        lines += ["", f"[{meeting_id}] {meeting.title[:70]}"]
        grants = await access.codes(meeting_id)
        order = {Role.MODERATOR: 0, Role.DISPLAY: 1, Role.PANELIST: 2, Role.DELEGATION: 3}
        for grant in sorted(grants, key=lambda g: (order.get(g.role, 9), g.subject_key)):
            lines.append(f"{grant.role.value:<19} {grant.subject_key:<28} {grant.code}")
    return "\n".join(lines) + "\n"
