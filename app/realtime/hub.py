"""Fan-out of meeting messages to the websocket clients of this process.

One pub/sub listener per process receives every meeting's messages from Redis. For each
client the hub keeps an outbox with one slot per kind of state message (a newer `live`
replaces an unsent older one, since each is a complete state) and a short queue for replies.
Handing a message to 2,000 clients is 2,000 slot writes; each client's own sender task does
the sending, so a client that stops reading delays nobody, holds at most one pending state,
and is dropped when a send stays stuck.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from redis.exceptions import RedisError

from app.meetings.store import EVENTS_PATTERN, meeting_id_of_channel
from app.redis_client import Listener, StoreClient

log = logging.getLogger(__name__)

Send = Callable[[str], Awaitable[None]]

PROBE_EVERY_S = 2.0
"""How often the listener makes sure Redis still answers (a hung server sends no error)."""


def status_message(store_ok: bool) -> str:
    return json.dumps({"type": "status", "store": "ok" if store_ok else "unreachable"})


class Connection:
    """One websocket client: its outbox and the task that drains it."""

    REPLIES_MAX = 32

    def __init__(self, send: Send, send_timeout_s: float, code_id: str | None = None) -> None:
        self.code_id = code_id
        """The access code the client signed in with: revoking it closes the connection."""
        self.revoked = False
        self._send = send
        self._send_timeout_s = send_timeout_s
        self._states: dict[str, tuple[int, str]] = {}
        """Newest unsent message per kind ("meeting", "live"), with its version."""
        self._sent_versions: dict[str, int] = {}
        self._replies: deque[str] = deque(maxlen=self.REPLIES_MAX)
        self._ready = asyncio.Event()
        self.closed = asyncio.Event()

    def offer_state(self, kind: str, version: int, text: str) -> None:
        """Queue a complete state; an older one of the same kind, not yet sent, is dropped."""
        if version <= self._sent_versions.get(kind, 0):
            return
        pending = self._states.get(kind)
        if pending is None or pending[0] < version:
            self._states[kind] = (version, text)
            self._ready.set()

    def offer_reply(self, text: str) -> None:
        self._replies.append(text)
        self._ready.set()

    def _take(self) -> str | None:
        # The meeting (roster, programme) goes before the live state that may refer to it.
        for kind in ("meeting", "live", "status"):
            pending = self._states.pop(kind, None)
            if pending is not None:
                self._sent_versions[kind] = pending[0]
                return pending[1]
        if self._replies:
            return self._replies.popleft()
        return None

    async def run_sender(self) -> None:
        """Send until closed; returns when a send is stuck past the timeout or fails."""
        try:
            while True:
                await self._ready.wait()
                self._ready.clear()
                while (text := self._take()) is not None:
                    # asyncio.timeout, unlike wait_for, makes no task per send.
                    async with asyncio.timeout(self._send_timeout_s):
                        await self._send(text)
        except (TimeoutError, OSError, RuntimeError) as error:
            log.info("dropping a websocket client: %s", type(error).__name__)
        finally:
            self.closed.set()


class Hub:
    def __init__(
        self,
        redis: StoreClient,
        on_resubscribe: Callable[[str], Awaitable[None]],
        pubsub: Listener | None = None,
    ) -> None:
        self.redis = redis
        self._rooms: dict[str, set[Connection]] = {}
        self._listener: asyncio.Task[None] | None = None
        self._on_resubscribe = on_resubscribe
        self._pubsub = pubsub
        self.subscribed = asyncio.Event()
        self.store_ok = True
        """False while Redis cannot be reached; every client is told when this changes."""
        self._status_version = 0

    def join(self, meeting_id: str, connection: Connection) -> None:
        self._rooms.setdefault(meeting_id, set()).add(connection)

    def leave(self, meeting_id: str, connection: Connection) -> None:
        room = self._rooms.get(meeting_id)
        if room is not None:
            room.discard(connection)
            if not room:
                del self._rooms[meeting_id]

    def count(self, meeting_id: str | None = None) -> int:
        if meeting_id is not None:
            return len(self._rooms.get(meeting_id, ()))
        return sum(len(room) for room in self._rooms.values())

    def deliver(self, meeting_id: str, text: str) -> None:
        header = _header(text)
        if header is None:
            return
        kind, version = header
        if kind == "revoked":
            self._close_revoked(json.loads(text).get("code_id"))
            return
        for connection in self._rooms.get(meeting_id, ()):
            connection.offer_state(kind, version, text)

    def _close_revoked(self, code_id: object) -> None:
        # Chair codes open every room, so look everywhere; revocations are rare.
        for room in self._rooms.values():
            for connection in room:
                if code_id is not None and connection.code_id == code_id:
                    connection.revoked = True
                    connection.closed.set()

    def offer_status(self, connection: Connection) -> None:
        """Tell a client whether the store can be reached, once that has ever changed."""
        if self._status_version:
            connection.offer_state("status", self._status_version, status_message(self.store_ok))

    def _set_store_ok(self, store_ok: bool) -> None:
        if store_ok == self.store_ok:
            return
        self.store_ok = store_ok
        self._status_version += 1
        for room in self._rooms.values():
            for connection in room:
                self.offer_status(connection)

    def start(self) -> None:
        self._listener = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener

    async def _listen(self) -> None:
        if self._pubsub is None:
            self._pubsub = Listener(self.redis)
        source = self._pubsub
        loop = asyncio.get_running_loop()
        delay = 0.1
        first = True
        while True:
            pubsub = None
            try:
                pubsub = await source.open()
                await pubsub.psubscribe(EVENTS_PATTERN)
                self.subscribed.set()
                if not first:
                    # Anything published while we were away is lost to pub/sub: catch up
                    # every room from the stored state.
                    for meeting_id in list(self._rooms):
                        await self._on_resubscribe(meeting_id)
                self._set_store_ok(True)
                first, delay = False, 0.1
                probed = loop.time()
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None and message["type"] == "pmessage":
                        name = _text(message["channel"])
                        self.deliver(meeting_id_of_channel(name), _text(message["data"]))
                    if loop.time() - probed > PROBE_EVERY_S:
                        await asyncio.wait_for(source.probe(), source.timeout_s)
                        probed = loop.time()
            except (RedisError, OSError) as error:  # TimeoutError is an OSError
                self.subscribed.clear()
                self._set_store_ok(False)
                first = False
                log.warning("pub/sub lost (%s); reconnecting in %.1f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
            finally:
                with contextlib.suppress(Exception):
                    if pubsub is not None:
                        await pubsub.aclose()  # type: ignore[no-untyped-call]
                    await source.close()


def _header(text: str) -> tuple[str, int] | None:
    try:
        body: dict[str, Any] = json.loads(text)
        return str(body["type"]), int(body["version"])
    except (ValueError, KeyError, TypeError):
        log.error("ignoring a malformed meeting message")
        return None


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
