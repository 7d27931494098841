"""Use cases of a meeting: read it, create or replace it, and act in it. An act is a command
(app/domain/acts.py), checked against the policy (app/access/policy.py) for the one who
sends it, and applied by the committer in its turn."""

from __future__ import annotations

import json
from typing import Any

from app.access.policy import Actor, authorize
from app.domain.acts import Command
from app.domain.model import Meeting
from app.errors import Invalid, NotFound
from app.meetings.committer import Committed, Committer, Submitted
from app.meetings.store import MeetingStore
from app.queue.rules import FloorState
from app.record.entry import Entry
from app.redis_client import StoreClient

RESERVED_IDS = frozenset({"access"})
"""Ids no meeting may take: `fk:{access}:events` carries the revocations of access codes."""


class Meetings:
    def __init__(self, store: MeetingStore, committer: Committer) -> None:
        self.store = store
        self.committer = committer

    @classmethod
    def on(cls, redis: StoreClient) -> Meetings:
        """The use cases on one Redis: its store and the committer of this process."""
        store = MeetingStore(redis)
        return cls(store, Committer(store))

    async def close(self) -> None:
        """Stop committing (at shutdown): acts still waiting are told to try again."""
        await self.committer.close()

    async def act(
        self,
        meeting_id: str,
        command: Command,
        actor: Actor,
        idempotency_key: str | None = None,
    ) -> Committed:
        """Do the act, if the actor may do it in this meeting (a delegation only for itself).
        With an idempotency key, a second call by the same actor (a tablet retrying after a
        timeout) gets the first call's answer and changes nothing."""
        authorize(actor, command.act, meeting_id, getattr(command, "delegation_id", None))
        submitted = Submitted(command, actor.label, idempotency_key)
        return await self.committer.submit(meeting_id, submitted)

    # --- reading -------------------------------------------------------------------

    async def snapshot(self, meeting_id: str) -> dict[str, Any]:
        messages = await self.store.messages(meeting_id)
        if messages is None:
            raise NotFound(f"there is no meeting '{meeting_id}'")
        meeting, live = (json.loads(m) for m in messages)
        return {
            "id": meeting_id,
            "version": live["version"],
            "meeting": meeting["meeting"],
            "live": live,
        }

    async def meeting_ids(self) -> list[str]:
        return await self.store.meeting_ids()

    async def find(self, meeting_id: str) -> Meeting | None:
        """The meeting, or None when there is none by this id."""
        loaded = await self.store.load(meeting_id)
        return loaded.meeting if loaded else None

    async def messages(self, meeting_id: str) -> tuple[str, str]:
        messages = await self.store.messages(meeting_id)
        if messages is None:
            raise NotFound(f"there is no meeting '{meeting_id}'")
        return messages

    async def meeting(self, meeting_id: str) -> Meeting:
        loaded = await self.store.load(meeting_id)
        if loaded is None:
            raise NotFound(f"there is no meeting '{meeting_id}'")
        return loaded.meeting

    async def meeting_and_floor(self, meeting_id: str) -> tuple[Meeting, FloorState]:
        loaded = await self.store.load(meeting_id)
        if loaded is None:
            raise NotFound(f"there is no meeting '{meeting_id}'")
        return loaded.meeting, loaded.floor

    async def record(self, meeting_id: str, after: int = 0) -> list[Entry]:
        if not await self.store.exists(meeting_id):
            raise NotFound(f"there is no meeting '{meeting_id}'")
        return await self.store.entries(meeting_id, after)

    async def put_meeting(self, meeting: Meeting, by: str) -> int:
        """Create the meeting, or replace its programme and roster; its new version."""
        if meeting.id in RESERVED_IDS:
            raise Invalid(
                f"the meeting id '{meeting.id}' is reserved: it names the channel of the "
                "access codes; choose another id"
            )
        return await self.committer.put_meeting(meeting, by)
