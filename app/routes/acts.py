"""How an HTTP route does an act: `Acting` (the meeting of the path, the signed-in actor) takes
the route's command to the use case; the answer every act gives is the version it made and
what the record keeps of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel

from app.access.policy import Actor
from app.deps import ActorDep, MeetingsDep
from app.domain.acts import Command, details_json
from app.meetings.committer import Committed
from app.meetings.service import Meetings
from app.routes.params import MeetingId


class ActResult(BaseModel):
    version: int
    at: int
    details: dict[str, Any]


def act_result(committed: Committed) -> ActResult:
    details = details_json(committed.change.details)
    return ActResult(version=committed.version, at=committed.at, details=details)


@dataclass(frozen=True, slots=True)
class Acting:
    """One request's acts: the meeting of its path, done by its signed-in actor."""

    meetings: Meetings
    meeting_id: str
    actor: Actor

    async def __call__(self, command: Command) -> ActResult:
        return act_result(await self.meetings.act(self.meeting_id, command, self.actor))


async def _acting(meeting_id: MeetingId, meetings: MeetingsDep, actor: ActorDep) -> Acting:
    return Acting(meetings, meeting_id, actor)


ActingDep = Annotated[Acting, Depends(_acting)]


class ErrorBody(BaseModel):
    """What every refusal says: a code and a sentence (and, for malformed input, each problem).
    A refusal that a screen can meet in the room also names its reason, under which the
    screens keep the sentence in six languages, and the values for its places."""

    error: str
    message: str
    problems: list[str] | None = None
    reason: str | None = None
    params: dict[str, str | int] | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": ErrorBody,
        "description": description,
        # Said outright so that routes answering HTML or CSV document JSON errors too.
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }
    for status, description in (
        (400, "the request could not be read (not JSON, not UTF-8)"),
        (401, "not signed in"),
        (403, "not allowed for this role or meeting"),
        (404, "no such meeting, delegation, item or code"),
        (409, "a rule of the floor refused the act"),
        (422, "malformed input"),
        (429, "too many attempts"),
        (503, "the meeting store cannot be reached"),
    )
}
"""Documented on every operation, so clients (and schemathesis) know every answer."""
