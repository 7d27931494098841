"""Fan-out of meeting messages to the websocket clients of this process.

One pub/sub listener per process receives every meeting's messages from Redis. For each
message the hub encodes one websocket frame and writes it to the socket of every client that
keeps up, without awaiting any (app/realtime/fastpath.py). A client that falls behind gets an
outbox with one slot per kind of state message (a newer `live` replaces an unsent older one,
since each is a complete state) and a short queue for replies, drained by a sender task of its
own; so a client that stops reading delays nobody, holds at most one pending state, and is
dropped when a send stays stuck.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from redis.exceptions import RedisError

from app.meetings.store import EVENTS_PATTERN, meeting_id_of_channel
from app.realtime.collector import connections_changed
from app.realtime.fastpath import text_frame
from app.redis_client import Listener, StoreClient, as_text

log = logging.getLogger(__name__)

Send = Callable[[str], Awaitable[None]]

PROBE_EVERY_S = 2.0
"""How often the listener makes sure Redis still answers (a hung server sends no error)."""


def status_message(store_ok: bool) -> str:
    return json.dumps({"type": "status", "store": "ok" if store_ok else "unreachable"})


class Writer(Protocol):
    """Writes a whole frame to the client's socket now, or refuses (app/realtime/fastpath.py)."""

    def write(self, frame: bytes) -> bool: ...

    def abort(self) -> None: ...


class Connection:
    """One websocket client: what it has been sent, and an outbox for when it falls behind.

    While the client keeps up, each message is written to its socket at once (`writer`), as
    one frame encoded for the whole room. When the socket refuses (its buffer is full) the
    message goes to the outbox, and a sender task, started then, sends the outbox through the
    ordinary ASGI path until it is empty; meanwhile nothing is written directly, so the client
    gets its messages in order. The sender task ends when the outbox is empty: an idle
    connection has no task of its own besides the websocket route's.
    """

    __slots__ = (
        "_on_close",
        "_replies",
        "_send",
        "_send_timeout_s",
        "_sender",
        "_sent_versions",
        "_states",
        "_writer",
        "closed",
        "code_id",
        "revoked",
    )

    REPLIES_MAX = 32

    def __init__(
        self,
        send: Send,
        send_timeout_s: float,
        code_id: str | None = None,
        writer: Writer | None = None,
    ) -> None:
        self.code_id = code_id
        """The access code the client signed in with: revoking it closes the connection."""
        self.revoked = False
        self.closed = False
        self._send = send
        self._writer = writer
        self._send_timeout_s = send_timeout_s
        self._states: dict[str, tuple[int, str]] = {}
        """Newest unsent message per kind ("meeting", "live", "status"), with its version."""
        self._sent_versions: dict[str, int] = {}
        self._replies: deque[str] | None = None
        self._sender: asyncio.Task[None] | None = None
        self._on_close: Callable[[], object] | None = None

    def offer_state(self, kind: str, version: int, text: str, frame: bytes | None = None) -> None:
        """Send a complete state now if the client keeps up, else queue it; an older one of
        the same kind, not yet sent, is dropped. `frame`: `text` already encoded."""
        if self.closed or version <= self._sent_versions.get(kind, 0):
            return
        if self._write(text, frame):
            self._sent_versions[kind] = version
            return
        pending = self._states.get(kind)
        if pending is None or pending[0] < version:
            self._states[kind] = (version, text)
            self._start_sender()

    def offer_reply(self, text: str) -> None:
        if self.closed or self._write(text, None):
            return
        if self._replies is None:
            self._replies = deque(maxlen=self.REPLIES_MAX)
        self._replies.append(text)
        self._start_sender()

    def on_close(self, callback: Callable[[], object] | None) -> None:
        """Call `callback` (once) when the connection is to be closed: its client was dropped
        or its code revoked."""
        self._on_close = callback

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._states.clear()
        if self._on_close is not None:
            callback, self._on_close = self._on_close, None
            callback()

    async def stop(self) -> None:
        """The client is gone: end the sender task, if one is running."""
        self.closed = True
        self._on_close = None
        sender = self._sender
        if sender is not None:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    def _write(self, text: str, frame: bytes | None) -> bool:
        # Only while the sender is idle, which means the outbox is empty: a message written
        # now must not overtake one still queued, nor one the sender is sending.
        if self._sender is not None or self._writer is None:
            return False
        return self._writer.write(frame if frame is not None else text_frame(text))

    def _start_sender(self) -> None:
        if self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(self._run_sender())

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

    async def _run_sender(self) -> None:
        """Send the outbox until it is empty; drop the client when a send is stuck past the
        timeout or fails."""
        try:
            while (text := self._take()) is not None:
                # asyncio.timeout, unlike wait_for, makes no task per send.
                async with asyncio.timeout(self._send_timeout_s):
                    await self._send(text)
        except TimeoutError:
            log.info("dropping a websocket client: no message taken in %ss", self._send_timeout_s)
            if self._writer is not None:
                self._writer.abort()  # its buffer is full: a closing handshake would wait forever
            self.close()
        except Exception as error:  # a failed send: the client is gone or going
            log.info("dropping a websocket client: %s", type(error).__name__)
            self.close()
        finally:
            # No await since the outbox was found empty: nothing can have been queued since.
            self._sender = None


class Hub:
    def __init__(
        self,
        redis: StoreClient,
        on_resubscribe: Callable[[str], Awaitable[None]],
        pubsub: Listener | None = None,
    ) -> None:
        self.redis = redis
        self._rooms: dict[str, set[Connection]] = {}
        self._count = 0
        self._listener: asyncio.Task[None] | None = None
        self._on_resubscribe = on_resubscribe
        self._pubsub = pubsub
        self.subscribed = asyncio.Event()
        self.store_ok = True
        """False while Redis cannot be reached; every client is told when this changes."""
        self._status_version = 0

    def join(self, meeting_id: str, connection: Connection) -> None:
        room = self._rooms.setdefault(meeting_id, set())
        if connection not in room:
            room.add(connection)
            self._count += 1
            connections_changed(self._count)

    def leave(self, meeting_id: str, connection: Connection) -> None:
        room = self._rooms.get(meeting_id)
        if room is not None and connection in room:
            room.discard(connection)
            if not room:
                del self._rooms[meeting_id]
            self._count -= 1
            connections_changed(self._count)

    def count(self, meeting_id: str | None = None) -> int:
        if meeting_id is not None:
            return len(self._rooms.get(meeting_id, ()))
        return self._count

    def deliver(self, meeting_id: str, text: str) -> None:
        header = _header(text)
        if header is None:
            return
        kind, version = header
        if kind == "revoked":
            self._close_revoked(json.loads(text).get("code_id"))
            return
        room = self._rooms.get(meeting_id)
        if not room:
            return
        frame = text_frame(text)  # once for the room, as websockets.broadcast does
        for connection in room:
            connection.offer_state(kind, version, text, frame)

    def _close_revoked(self, code_id: object) -> None:
        # Chair codes open every room, so look everywhere; revocations are rare.
        for room in self._rooms.values():
            for connection in room:
                if code_id is not None and connection.code_id == code_id:
                    connection.revoked = True
                    connection.close()

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
                        name = as_text(message["channel"])
                        self.deliver(meeting_id_of_channel(name), as_text(message["data"]))
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
