"""What a consumer other than a screen hears of a meeting: its acts, one entry per version.

A microphone bridge or a recorder subscribes to a meeting (`Hub.subscribe`) and iterates over
its act entries (app/realtime/messages.py, `ActEntry`), in version order, each once. The hub
hands each commit's entries to every subscription without waiting for any: a subscription
that is not read keeps at most `limit` entries, dropping the oldest, and what it dropped is
said by a `Missed` in their place, with the versions to read again from the record
(`GET /api/meetings/{id}/record?after=first-1`). The same `Missed` says what went by while the
server could not hear its store (the bus keeps nothing for a listener that was away).
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass

from app.realtime.messages import ActEntry, ActsMessage

SUBSCRIPTION_LIMIT = 1000
"""Entries a subscription keeps for a consumer that does not read (a burst is 200 or so)."""


@dataclass(frozen=True, slots=True)
class Missed:
    """The entries of versions `first` to `last` were not delivered: the consumer fell behind
    (they were dropped, oldest first) or the server lost its store's bus meanwhile."""

    first: int
    last: int


Event = ActEntry | Missed


class Subscription:
    """One consumer's entries of one meeting: `async for event in subscription`."""

    def __init__(self, meeting_id: str, limit: int = SUBSCRIPTION_LIMIT) -> None:
        if limit < 2:
            raise ValueError("a subscription keeps at least two events (an entry and a marker)")
        self.meeting_id = meeting_id
        self._limit = limit
        self._events: deque[Event] = deque()
        self._last = 0
        """The last version handed to this subscription (0: none yet)."""
        self._wake = asyncio.Event()
        self._closed = False

    def offer(self, acts: ActsMessage) -> None:
        """Take a commit's entries; never waits."""
        if self._closed or not acts.entries:
            return
        if acts.base == 0:
            self._last = 0  # the meeting was created (again) by this commit: versions restart
        elif self._last and acts.base > self._last:
            self._queue(Missed(self._last + 1, acts.base))
        for entry in acts.entries:
            if entry.version <= self._last:
                continue  # already handed over (a commit heard twice)
            self._queue(entry)
            self._last = entry.version
        self._wake.set()

    def _queue(self, event: Event) -> None:
        """Append; past the limit, the oldest events become one `Missed` at the front."""
        events = self._events
        events.append(event)
        if len(events) <= self._limit:
            return
        gap = _as_missed(events.popleft())
        # The marker takes a place too: it joins the marker in front, else the next entry.
        gap = Missed(gap.first, _as_missed(events.popleft()).last)
        events.appendleft(gap)

    def close(self) -> None:
        self._closed = True
        self._wake.set()

    def pending(self) -> int:
        return len(self._events)

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Event:
        while not self._events:
            if self._closed:
                raise StopAsyncIteration
            self._wake.clear()
            await self._wake.wait()
        return self._events.popleft()


def _as_missed(event: Event) -> Missed:
    return event if isinstance(event, Missed) else Missed(event.version, event.version)
