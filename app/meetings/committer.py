"""Applies acts to a meeting one after another and stores them in group commits.

Acts for one meeting queue up in this process; one worker per meeting takes all that wait,
applies the pure rules to each in turn (each gets its own version and record entry), and
stores the lot with one atomic script: one round trip and one fsync for a burst of 200
requests. If another process changed the meeting meanwhile, the batch is applied again to
the fresh state, so no act is lost or applied twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from redis.exceptions import RedisError

from app.errors import DomainError, NotFound, Unavailable
from app.meetings.model import Meeting
from app.meetings.store import Entry, Loaded, MeetingStore, live_message, meeting_message
from app.queue import rules
from app.queue.rules import Change, FloorState

log = logging.getLogger(__name__)

MAX_BATCH = 500
MAX_ATTEMPTS = 20


def clock_ms() -> int:
    return time.time_ns() // 1_000_000


Rule = Callable[[Meeting, FloorState, int], Change]


@dataclass(frozen=True, slots=True)
class Act:
    name: str
    by: str
    rule: Rule


@dataclass(frozen=True, slots=True)
class Committed:
    version: int
    at: int
    change: Change


@dataclass(slots=True)
class _Pending:
    act: Act
    future: asyncio.Future[Committed] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def live_extra(meeting: Meeting, floor: FloorState, now: int) -> dict[str, Any]:
    """What clients need beyond the stored facts: the policy's view of who comes next."""
    return {
        "next": rules.upcoming(meeting, floor, 5),
        "proposal": rules.switch_proposal(meeting, floor, now),
    }


class Committer:
    def __init__(self, store: MeetingStore, clock: Callable[[], int] = clock_ms) -> None:
        self.store = store
        self.clock = clock
        self._queues: dict[str, list[_Pending]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}

    async def submit(self, meeting_id: str, act: Act) -> Committed:
        pending = _Pending(act)
        self._queues.setdefault(meeting_id, []).append(pending)
        if meeting_id not in self._workers:
            self._workers[meeting_id] = asyncio.create_task(self._work(meeting_id))
        # The act is applied even if the caller goes away: shield it from cancellation.
        return await asyncio.shield(pending.future)

    async def close(self) -> None:
        for task in list(self._workers.values()):
            task.cancel()
        await asyncio.gather(*self._workers.values(), return_exceptions=True)

    async def _work(self, meeting_id: str) -> None:
        queue = self._queues[meeting_id]
        try:
            while queue:
                batch = queue[:MAX_BATCH]
                del queue[:MAX_BATCH]
                try:
                    await self._commit_batch(meeting_id, batch)
                except RedisError as error:
                    log.warning("meeting %s: store unreachable: %s", meeting_id, error)
                    _fail(batch, Unavailable("the meeting store cannot be reached; try again"))
                except Exception as error:  # a bug must not leave callers waiting forever
                    log.exception("meeting %s: commit failed", meeting_id)
                    _fail(batch, Unavailable(f"the change could not be stored: {error}"))
        finally:
            # The loop ends only on an empty queue or on cancellation (shutdown).
            self._workers.pop(meeting_id, None)
            self._queues.pop(meeting_id, None)
            _fail(queue, Unavailable("the server is shutting down; try again"))

    async def _commit_batch(self, meeting_id: str, batch: list[_Pending]) -> None:
        for _ in range(MAX_ATTEMPTS):
            loaded = await self.store.load(meeting_id)
            if loaded is None:
                _fail(batch, NotFound(f"there is no meeting '{meeting_id}'"))
                return
            outcomes, entries, floor, version = self._apply(loaded, batch)
            if not entries:
                _settle(batch, outcomes)
                return
            now = entries[-1].at
            text = live_message(
                meeting_id,
                floor,
                version,
                loaded.version,
                now,
                live_extra(loaded.meeting, floor, now),
            )
            if await self.store.commit(meeting_id, loaded.version, entries, text):
                _settle(batch, outcomes)
                return
        _fail(batch, Unavailable("the meeting is too busy to change right now; try again"))

    def _apply(
        self, loaded: Loaded, batch: list[_Pending]
    ) -> tuple[list[Committed | DomainError], list[Entry], FloorState, int]:
        floor, version = loaded.floor, loaded.version
        outcomes: list[Committed | DomainError] = []
        entries: list[Entry] = []
        for pending in batch:
            now = self.clock()
            try:
                change = pending.act.rule(loaded.meeting, floor, now)
            except DomainError as error:
                outcomes.append(error)
                continue
            version += 1
            floor = change.state
            entries.append(
                Entry(version, now, pending.act.by, pending.act.name, change.details, change.ended)
            )
            outcomes.append(Committed(version, now, change))
        return outcomes, entries, floor, version

    async def put_meeting(self, meeting: Meeting, by: str) -> int:
        """Create a meeting, or replace its programme and roster keeping its live floor."""
        for _ in range(MAX_ATTEMPTS):
            loaded = await self.store.load(meeting.id)
            base = loaded.version if loaded else 0
            floor = loaded.floor if loaded else FloorState()
            floor = _fit_floor(meeting, floor)
            version, now = base + 1, self.clock()
            entry = Entry(version, now, by, "meeting.put", {"title": meeting.title})
            live = live_message(
                meeting.id, floor, version, base, now, live_extra(meeting, floor, now)
            )
            text = meeting_message(meeting, version)
            if await self.store.commit(meeting.id, base, [entry], live, text):
                return version
        raise Unavailable("the meeting is too busy to change right now; try again")


def _fit_floor(meeting: Meeting, floor: FloorState) -> FloorState:
    """Drop what a new roster or programme no longer knows."""
    known = {d.id for d in meeting.delegations}
    line = tuple(r for r in floor.line if r.delegation_id in known)
    try:
        if floor.item_id is not None:
            meeting.item(floor.item_id)
        item_id = floor.item_id
    except NotFound:
        item_id = None
    return replace(floor, line=line, item_id=item_id)


def _settle(batch: list[_Pending], outcomes: list[Committed | DomainError]) -> None:
    for pending, outcome in zip(batch, outcomes, strict=True):
        if pending.future.done():
            continue
        if isinstance(outcome, DomainError):
            pending.future.set_exception(outcome)
        else:
            pending.future.set_result(outcome)


def _fail(batch: list[_Pending], error: DomainError) -> None:
    for pending in batch:
        if not pending.future.done():
            pending.future.set_exception(error)
