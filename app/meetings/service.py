"""Use cases of a meeting: each names an act, who does it, and the pure rule that applies it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from app.errors import NotFound
from app.meetings.committer import Act, Committed, Committer, Rule
from app.meetings.model import Meeting
from app.meetings.store import Entry, MeetingStore
from app.queue import rules
from app.queue.rules import FloorState, SegmentKind


class Meetings:
    def __init__(self, store: MeetingStore, committer: Committer) -> None:
        self.store = store
        self.committer = committer

    async def _act(
        self,
        meeting_id: str,
        name: str,
        by: str,
        rule: Rule,
        idempotency_key: str | None = None,
        subject: Mapping[str, object] | None = None,
    ) -> Committed:
        act = Act(name, by, rule, idempotency_key, subject or {})
        return await self.committer.submit(meeting_id, act)

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
        return await self.committer.put_meeting(meeting, by)

    # --- the floor -------------------------------------------------------------------

    async def open_floor(self, meeting_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id, "floor.open", by, lambda m, f, now: rules.open_floor(f, now)
        )

    async def close_floor(self, meeting_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id, "floor.close", by, lambda m, f, now: rules.close_floor(f)
        )

    async def request_floor(
        self, meeting_id: str, delegation_id: str, by: str, idempotency_key: str | None = None
    ) -> Committed:
        """With an idempotency key, a second call (a tablet retrying after a timeout) gets
        the first call's answer and creates nothing."""
        return await self._act(
            meeting_id,
            "request.add",
            by,
            lambda m, f, now: rules.request_floor(m, f, delegation_id, now),
            idempotency_key=idempotency_key,
            subject={"delegation_id": delegation_id},
        )

    async def withdraw_request(self, meeting_id: str, delegation_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id,
            "request.withdraw",
            by,
            lambda m, f, now: rules.withdraw_request(f, delegation_id),
        )

    async def remove_request(self, meeting_id: str, delegation_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id,
            "request.remove",
            by,
            lambda m, f, now: rules.remove_request(f, delegation_id),
        )

    async def move_request(
        self, meeting_id: str, delegation_id: str, place: int, by: str
    ) -> Committed:
        return await self._act(
            meeting_id,
            "request.move",
            by,
            lambda m, f, now: rules.move_request(f, delegation_id, place),
        )

    async def defer_request(self, meeting_id: str, delegation_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id, "request.defer", by, lambda m, f, now: rules.defer_request(f, delegation_id)
        )

    async def call_next(self, meeting_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id, "floor.next", by, lambda m, f, now: rules.call_next(m, f, by, now)
        )

    async def give_floor(
        self,
        meeting_id: str,
        by: str,
        *,
        delegation_id: str | None = None,
        speaker_id: str | None = None,
        turn_id: str | None = None,
    ) -> Committed:
        return await self._act(
            meeting_id,
            "floor.give",
            by,
            lambda m, f, now: rules.give_floor(
                m, f, by, now, delegation_id=delegation_id, speaker_id=speaker_id, turn_id=turn_id
            ),
        )

    async def end_intervention(self, meeting_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id, "floor.end", by, lambda m, f, now: rules.end_intervention(f, by, now)
        )

    async def switch_segment(self, meeting_id: str, kind: SegmentKind | None, by: str) -> Committed:
        return await self._act(
            meeting_id, "segment.switch", by, lambda m, f, now: rules.switch_segment(f, kind, now)
        )

    async def start_item(self, meeting_id: str, item_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id, "item.start", by, lambda m, f, now: rules.start_item(m, f, item_id, by, now)
        )

    # --- the clock -----------------------------------------------------------------------

    async def start_timer(self, meeting_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id, "timer.start", by, lambda m, f, now: rules.start_timer(f, now)
        )

    async def pause_timer(self, meeting_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id, "timer.pause", by, lambda m, f, now: rules.pause_timer(f, now)
        )

    async def resume_timer(self, meeting_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id, "timer.resume", by, lambda m, f, now: rules.resume_timer(f, now)
        )

    async def adjust_timer(self, meeting_id: str, delta_ms: int, by: str) -> Committed:
        return await self._act(
            meeting_id, "timer.adjust", by, lambda m, f, now: rules.adjust_timer(f, delta_ms)
        )

    async def reset_timer(self, meeting_id: str, by: str) -> Committed:
        return await self._act(
            meeting_id, "timer.reset", by, lambda m, f, now: rules.reset_timer(f)
        )
