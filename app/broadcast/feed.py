"""The broadcast outputs as clients of Floorkeeper's public websocket, as any screen is.

`follow` keeps one connection to `/ws/meetings/{id}`: it takes the `meeting` and `live`
messages, measures the offset to the server's clock as the screens do (several exchanges,
the lowest round trip kept, again every minute), and reconnects by itself with a growing
pause. `run` turns each state into a plate and hands it to the drivers, and once a second
offers the last plate again (a CasparCG server that came back gets its template again) and
sends OSC's optional reading of the remaining time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import quote, urlsplit, urlunsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from app.broadcast.plate import LiveView, Plate, Roster, plate, read_live, read_meeting
from app.i18n.names import Language

log = logging.getLogger(__name__)

CLOCK_SAMPLES = 5
RESYNC_S = 60.0
BACKOFF_S = (1.0, 2.0, 3.0, 5.0)


def socket_url(server: str, meeting_id: str) -> str:
    """http://host:8000 → ws://host:8000/ws/meetings/<id> (https → wss)."""
    parts = urlsplit(server if "://" in server else f"http://{server}")
    if parts.scheme not in ("http", "https", "ws", "wss") or not parts.netloc:
        raise ValueError(f"'{server}' is not the address of a Floorkeeper server")
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    path = f"{parts.path.rstrip('/')}/ws/meetings/{quote(meeting_id, safe='')}"
    return urlunsplit((scheme, parts.netloc, path, "", ""))


@dataclass(slots=True)
class ServerClock:
    """Offset of the server's clock to this machine's, from request/answer exchanges."""

    offset_ms: float = 0.0
    synced: bool = False
    measured: asyncio.Event = field(default_factory=asyncio.Event)
    _best_rtt: float = float("inf")

    def add(self, sent_ms: float, server_ms: float, received_ms: float) -> None:
        rtt = received_ms - sent_ms
        if rtt < 0:
            return
        if rtt <= self._best_rtt:
            self._best_rtt = rtt
            self.offset_ms = server_ms - (sent_ms + received_ms) / 2
            self.synced = True
            self.measured.set()

    def restart(self) -> None:
        """A new connection may be another server process: measure afresh."""
        self._best_rtt = float("inf")

    def now(self) -> int:
        return round(time.time() * 1000 + self.offset_ms)


class Output(Protocol):
    async def show(self, sign: Plate, now: int) -> object: ...


@dataclass(slots=True)
class Follower:
    server: str
    meeting_id: str
    on_state: Callable[[Roster, LiveView], Awaitable[None]]
    clock: ServerClock = field(default_factory=ServerClock)
    roster: Roster | None = None
    version: int = 0
    fresh: bool = True
    """The first live message of a connection is taken whatever its version (the meeting may
    have been replaced); after it, one not newer than the last is old news."""
    connected: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop` is set: connect, follow, and after a failure wait and connect again."""
        url = socket_url(self.server, self.meeting_id)
        attempt = 0
        while not stop.is_set():
            try:
                async with connect(url, open_timeout=10, max_size=4 * 1024 * 1024) as socket:
                    attempt = 0
                    self.fresh = True
                    self.clock.restart()
                    await self._follow(socket, stop)
            except (OSError, TimeoutError, WebSocketException) as error:
                log.warning("Floorkeeper at %s: %s", url, error)
            finally:
                self.connected.clear()
            pause = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)]
            attempt += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)

    async def _follow(self, socket: ClientConnection, stop: asyncio.Event) -> None:
        syncing = asyncio.create_task(self._sync(socket))
        stopping = asyncio.create_task(stop.wait())
        try:
            while not stop.is_set():
                receiving = asyncio.ensure_future(socket.recv())
                done, _ = await asyncio.wait(
                    {receiving, stopping}, return_when=asyncio.FIRST_COMPLETED
                )
                if receiving not in done:
                    receiving.cancel()
                    return
                await self._take(receiving.result())
        finally:
            syncing.cancel()
            stopping.cancel()

    async def _sync(self, socket: ClientConnection) -> None:
        while True:
            for _ in range(CLOCK_SAMPLES):
                await socket.send(json.dumps({"type": "clock", "client": time.time() * 1000}))
                await asyncio.sleep(0.2)
            await asyncio.sleep(RESYNC_S)

    async def _take(self, text: str | bytes) -> None:
        message = json.loads(text)
        kind = message.get("type")
        if kind == "clock":
            self.clock.add(float(message["client"]), float(message["server"]), time.time() * 1000)
        elif kind == "meeting":
            self.roster = Roster(read_meeting(message))
        elif kind == "live" and self.roster is not None:
            live = read_live(message)
            if live.version <= self.version and not self.fresh:
                return
            self.fresh = False
            self.version = live.version
            self.connected.set()
            await self.on_state(self.roster, live)
        elif kind == "error":
            log.warning("Floorkeeper: %s", message.get("message"))


@dataclass(slots=True)
class Broadcast:
    """The drivers fed with the plates of one meeting in one language."""

    lang: Language
    outputs: Sequence[Output]
    ticks: Sequence[Callable[[int], object]] = ()
    """Called once a second with the server's time (OSC's reading of the remaining time)."""
    clock: ServerClock = field(default_factory=ServerClock)
    last: Plate | None = None
    shown: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once the first plate was offered to the outputs."""
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def take(self, roster: Roster, live: LiveView) -> None:
        self.last = plate(roster, live, self.lang)
        await self._show()
        self.shown.set()

    async def _show(self) -> None:
        if self.last is None:
            return
        async with self._lock:
            for output in self.outputs:
                await output.show(self.last, self.clock.now())

    async def every_second(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
            if stop.is_set():
                return
            await self._show()
            for tick in self.ticks:
                tick(self.clock.now())


async def run(
    server: str, meeting_id: str, broadcast: Broadcast, stop: asyncio.Event | None = None
) -> None:
    """Follow the meeting and feed the outputs until `stop` is set (or for ever)."""
    stop = stop or asyncio.Event()
    follower = Follower(server, meeting_id, broadcast.take, broadcast.clock)
    async with asyncio.TaskGroup() as tasks:
        tasks.create_task(follower.run(stop))
        tasks.create_task(broadcast.every_second(stop))
