"""Fan-out of meeting messages to the websocket clients of this process.

One pub/sub listener per process receives every meeting's messages from Redis. For each
message the hub encodes one websocket frame and writes it to the socket of every client that
keeps up, without awaiting any (app/realtime/fastpath.py). A client that falls behind gets an
outbox with one slot per kind of state message (a newer `live` replaces an unsent older one,
since each is a complete state) and a short queue for replies, drained by a sender task of its
own; so a client that stops reading delays nobody, holds at most one pending state, and is
dropped when a send stays stuck. A connection whose delivery fails in any other way is
dropped too, and the listener goes on with the others.

Consumers other than screens (a microphone bridge, a recorder) `subscribe` to a meeting and
get each commit's act entries (app/realtime/subscriptions.py), never waited for either.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

from pydantic import ValidationError
from redis.exceptions import RedisError

from app.meetings.store import EVENTS_PATTERN, meeting_id_of_channel
from app.realtime import messages
from app.realtime.collector import connections_changed
from app.realtime.fastpath import text_frame
from app.realtime.subscriptions import SUBSCRIPTION_LIMIT, Subscription
from app.redis_client import Listener, StoreClient, as_text

log = logging.getLogger(__name__)

Send = Callable[[str], Awaitable[None]]

PROBE_EVERY_S = 2.0
"""How often the listener makes sure Redis still answers (a hung server sends no error)."""


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

    def drop(self) -> None:
        """Close at once, without a closing handshake: its delivery failed, its socket's state
        is not known."""
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.abort()
        self.close()

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
        for kind in messages.STATE_TYPES:
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
        self._subscriptions: dict[str, set[Subscription]] = {}
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

    @contextlib.asynccontextmanager
    async def subscribe(
        self, meeting_id: str, limit: int = SUBSCRIPTION_LIMIT
    ) -> AsyncIterator[Subscription]:
        """`async with hub.subscribe(id) as events: async for event in events`: each act
        entry of the meeting once, in version order, from now on (app/realtime/subscriptions.py)."""
        subscription = Subscription(meeting_id, limit)
        self._subscriptions.setdefault(meeting_id, set()).add(subscription)
        try:
            yield subscription
        finally:
            subscription.close()
            subscribed = self._subscriptions.get(meeting_id)
            if subscribed is not None:
                subscribed.discard(subscription)
                if not subscribed:
                    del self._subscriptions[meeting_id]

    def deliver(self, meeting_id: str, text: str) -> None:
        """Hand a message of the meeting's channel to its clients (a state) or to its
        subscriptions (the acts of a commit)."""
        header = _header(text)
        if header is None:
            return
        kind, version = header
        if kind == "acts":
            self._deliver_acts(meeting_id, text)
            return
        if kind not in messages.STATE_TYPES:
            log.error("ignoring a meeting message of unknown type %r", kind)
            return
        room = self._rooms.get(meeting_id)
        if room:
            _fan_out(room, kind, version, text)

    def _deliver_acts(self, meeting_id: str, text: str) -> None:
        subscriptions = self._subscriptions.get(meeting_id)
        if not subscriptions:
            return
        try:
            acts = messages.parse_bus(text)
        except ValidationError:
            log.error("ignoring a malformed acts message")
            return
        if isinstance(acts, messages.ActsMessage):
            for subscription in subscriptions:
                subscription.offer(acts)

    def control(self, text: str) -> None:
        """A message of the control channel: a revoked code closes its connections."""
        try:
            message = messages.parse_bus(text)
        except ValidationError:
            log.error("ignoring a malformed control message")
            return
        if isinstance(message, messages.RevokedMessage):
            self._close_revoked(message.code_id)

    def _close_revoked(self, code_id: str) -> None:
        # Chair codes open every room, so look everywhere; revocations are rare.
        for room in self._rooms.values():
            for connection in room:
                if connection.code_id == code_id:
                    connection.revoked = True
                    connection.close()

    def offer_status(self, connection: Connection) -> None:
        """Tell a client whether the store can be reached, once that has ever changed."""
        if self._status_version:
            text = messages.status_message(self.store_ok)
            connection.offer_state("status", self._status_version, text)

    def _set_store_ok(self, store_ok: bool) -> None:
        if store_ok == self.store_ok:
            return
        self.store_ok = store_ok
        self._status_version += 1
        text = messages.status_message(store_ok)
        for room in self._rooms.values():
            _fan_out(room, "status", self._status_version, text)

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
                await pubsub.subscribe(messages.CONTROL_CHANNEL)
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
                    if message is not None:
                        self._dispatch(message)
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
            except Exception:  # a bug: listen again rather than leave every screen frozen
                self.subscribed.clear()
                first = False
                log.exception("pub/sub listener failed; listening again in %.1f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
            finally:
                with contextlib.suppress(Exception):
                    if pubsub is not None:
                        await pubsub.aclose()  # type: ignore[no-untyped-call]
                    await source.close()

    def _dispatch(self, message: dict[str, Any]) -> None:
        """One message of the bus; whatever goes wrong with it is logged and passed over."""
        try:
            if message["type"] == "pmessage":
                name = as_text(message["channel"])
                self.deliver(meeting_id_of_channel(name), as_text(message["data"]))
            elif message["type"] == "message":
                self.control(as_text(message["data"]))
        except Exception:
            log.exception("ignoring a pub/sub message that could not be delivered")


def _fan_out(room: set[Connection], kind: str, version: int, text: str) -> None:
    """Offer a state to every connection of a room, the frame encoded once for all (as
    websockets.broadcast does). A connection whose delivery fails is dropped; the others, and
    the listener, go on."""
    frame = text_frame(text)
    failed = []
    for connection in room:
        try:
            connection.offer_state(kind, version, text, frame)
        except Exception:
            log.exception("dropping a websocket client: its delivery failed")
            failed.append(connection)
    for connection in failed:
        with contextlib.suppress(Exception):
            connection.drop()


def _header(text: str) -> tuple[str, int] | None:
    """The type of a meeting's message, and the version of a state (0 for the others)."""
    try:
        body: dict[str, Any] = json.loads(text)
        kind = str(body["type"])
        return kind, int(body["version"]) if kind != "acts" else 0
    except (ValueError, KeyError, TypeError):
        log.error("ignoring a malformed meeting message")
        return None
