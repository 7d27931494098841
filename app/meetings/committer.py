"""Applies acts to a meeting one after another and stores them in group commits.

Acts for one meeting queue up in this process; one worker per meeting takes all that wait,
applies the pure rules to each in turn (each gets its own version and record entry), and
stores the lot with one atomic script: one round trip and one fsync for a burst of 200
requests. If another process changed the meeting meanwhile, the batch is applied again to
the fresh state, so no act is lost or applied twice.

Redis may go away in the middle of a commit. A batch carries one commit id into the log, so
that after a lost reply the committer can tell whether the commit was stored (and answer as
it would have) or not (and try again, for a few seconds, before answering 503). An act sent
with an idempotency key keeps its answer in the same commit; a retry gets that answer again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from redis.exceptions import ConnectionError, RedisError

from app.agenda import timetable
from app.clock import clock_ms
from app.domain.acts import (
    Act,
    Command,
    MeetingPut,
    command_json,
    details_json,
    parse_details,
)
from app.domain.model import Meeting
from app.errors import DomainError, Invalid, NotFound, StoreUnreachable, Unavailable
from app.meetings.store import Loaded, MeetingStore
from app.queue import rules
from app.queue.acts import apply
from app.queue.rules import Change, FloorState
from app.realtime.messages import live_message, meeting_message
from app.record.entry import Entry

log = logging.getLogger(__name__)

MAX_BATCH = 500
MAX_WAITING = 5_000
"""Acts that may wait for one meeting in this process; beyond, a flood is refused (503)
instead of growing memory. A burst of 200 tablets is far below it."""
TOO_MANY_WAITING = "the meeting has too many acts waiting to be stored; try again in a moment"
MAX_ATTEMPTS = 20
TOO_BUSY = "the meeting is too busy to change right now; try again"
STORE_RETRY_S = 3.0
"""How long a batch keeps trying while Redis cannot be reached (a restart takes < 1 s)."""


@dataclass(frozen=True, slots=True)
class Submitted:
    """A command as it waits for its turn: who sent it, and the key of a client that may
    send it again (the same key from the same actor gets the same answer)."""

    command: Command
    by: str
    idempotency_key: str | None = None

    @property
    def answer_key(self) -> str | None:
        """Keys are scoped by who sends them: a neighbour cannot claim another's key."""
        return None if self.idempotency_key is None else f"{self.by}/{self.idempotency_key}"


@dataclass(frozen=True, slots=True)
class Committed:
    version: int
    at: int
    change: Change
    replayed: bool = False
    """The answer given before to the same idempotency key; nothing was changed now."""

    def answer_json(self, command: Command) -> str:
        body = {
            "act": command.act.value,
            "command": command_json(command),
            "version": self.version,
            "at": self.at,
            "details": details_json(self.change.details),
        }
        return json.dumps(body, separators=(",", ":"))


@dataclass(slots=True)
class _Pending:
    act: Submitted
    future: asyncio.Future[Committed] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def live_extra(meeting: Meeting, floor: FloorState, now: int) -> dict[str, Any]:
    """What clients need beyond the stored facts: the policy's view of who comes next, and
    the item under way against the clock and its line's forecast (as of this commit)."""
    reason = rules.switch_reason(meeting, floor, now)
    return {
        "next": rules.upcoming(meeting, floor, 5),
        "proposal": reason.text if reason else None,
        "proposal_reason": {"code": reason.code, "count": reason.count} if reason else None,
        **timetable.live_fields(meeting, floor, now),
    }


class Committer:
    def __init__(
        self,
        store: MeetingStore,
        clock: Callable[[], int] = clock_ms,
        max_waiting: int = MAX_WAITING,
    ) -> None:
        self.store = store
        self.clock = clock
        self.max_waiting = max_waiting
        self._queues: dict[str, list[_Pending]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}

    async def submit(self, meeting_id: str, act: Submitted) -> Committed:
        queue = self._queues.setdefault(meeting_id, [])
        if len(queue) >= self.max_waiting:
            raise Unavailable(TOO_MANY_WAITING, "try_again")
        pending = _Pending(act)
        queue.append(pending)
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
                    _fail(batch, StoreUnreachable())
                except Exception as error:  # a bug must not leave callers waiting forever
                    log.exception("meeting %s: commit failed", meeting_id)
                    _fail(batch, Unavailable(f"the change could not be stored: {error}"))
        finally:
            # The loop ends only on an empty queue or on cancellation (shutdown).
            self._workers.pop(meeting_id, None)
            self._queues.pop(meeting_id, None)
            _fail(queue, Unavailable("the server is shutting down; try again", "try_again"))

    async def _commit_batch(self, meeting_id: str, batch: list[_Pending]) -> None:
        commit_id = uuid.uuid4().hex
        uncertain: list[tuple[int, list[Committed | DomainError]]] = []
        """Attempts whose reply was lost: the version they would have made, their outcomes."""
        deadline = time.monotonic() + STORE_RETRY_S
        conflicts = 0
        while True:
            try:
                loaded = await self.store.load(meeting_id)
                if loaded is None:
                    _fail(batch, NotFound(f"there is no meeting '{meeting_id}'"))
                    return
                for first_version, earlier in uncertain:
                    if first_version <= loaded.version and await self.store.was_committed(
                        meeting_id, first_version, commit_id
                    ):
                        _settle(batch, earlier)
                        return
                keys = [k for p in batch if (k := p.act.answer_key) is not None]
                answers = await self.store.answers(meeting_id, keys) if keys else {}
                outcomes, entries, floor, version, new_answers = self._apply(loaded, batch, answers)
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
                try:
                    stored = await self.store.commit(
                        meeting_id,
                        loaded.version,
                        entries,
                        text,
                        commit_id=commit_id,
                        answers=new_answers,
                    )
                except RedisError:
                    uncertain.append((loaded.version + 1, outcomes))
                    raise
                if stored:
                    _settle(batch, outcomes)
                    return
                conflicts += 1
                if conflicts >= MAX_ATTEMPTS:
                    _fail(batch, Unavailable(TOO_BUSY, "try_again"))
                    return
            except ConnectionError:
                # A restarting server refuses connections for a moment; a hung one has
                # already cost a socket timeout and is not waited for again.
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)

    def _apply(
        self, loaded: Loaded, batch: list[_Pending], answers: dict[str, str]
    ) -> tuple[list[Committed | DomainError], list[Entry], FloorState, int, dict[str, str]]:
        floor, version = loaded.floor, loaded.version
        outcomes: list[Committed | DomainError] = []
        entries: list[Entry] = []
        new_answers: dict[str, str] = {}
        for pending in batch:
            act, now = pending.act, self.clock()
            key = act.answer_key
            if key is not None and key in answers | new_answers:
                outcomes.append(_replay(act.command, (answers | new_answers)[key], floor))
                continue
            try:
                change = apply(loaded.meeting, floor, act.command, act.by, now)
            except DomainError as error:
                outcomes.append(error)
                continue
            version += 1
            floor = change.state
            entries.append(
                Entry(version, now, act.by, act.command.act, change.details, change.ended)
            )
            committed = Committed(version, now, change)
            outcomes.append(committed)
            if key is not None:
                new_answers[key] = committed.answer_json(act.command)
        return outcomes, entries, floor, version, new_answers

    async def put_meeting(self, meeting: Meeting, by: str) -> int:
        """Create a meeting, or replace its programme and roster keeping its live floor."""
        for _ in range(MAX_ATTEMPTS):
            loaded = await self.store.load(meeting.id)
            base = loaded.version if loaded else 0
            floor = loaded.floor if loaded else FloorState()
            floor = _fit_floor(meeting, floor)
            version, now = base + 1, self.clock()
            entry = Entry(version, now, by, Act.PUT_MEETING, MeetingPut(meeting.title))
            live = live_message(
                meeting.id, floor, version, base, now, live_extra(meeting, floor, now)
            )
            text = meeting_message(meeting, version)
            # A commit id of its own: a writer that lost the race must not take the winner's
            # entry for its own stored commit.
            commit_id = uuid.uuid4().hex
            if await self.store.commit(meeting.id, base, [entry], live, text, commit_id=commit_id):
                return version
        raise Unavailable(TOO_BUSY, "try_again")


def _replay(command: Command, answer: str, floor: FloorState) -> Committed | DomainError:
    """The answer stored for an idempotency key, if it was given to the same command."""
    body = json.loads(answer)
    if body["act"] != command.act or body.get("command") != command_json(command):
        return Invalid("this Idempotency-Key was already used for another act; use a new one")
    details = parse_details(command.act, body["details"])
    return Committed(body["version"], body["at"], Change(floor, details), replayed=True)


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
