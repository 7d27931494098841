"""Thin asyncio drivers: each runs one adapter against a real connection.

A link owns the socket, the reconnection and its backoff, and nothing else: what to send
and what an answer means is the adapter's (cocon.py, dicentis.py, shure.py). `run(sink)`
runs until cancelled, handing every event to `sink`; `send(commands)` passes commands on
while the link is up and drops them while it is down (the adapter says so with a `Refused`,
and the bridge reconciles from the next full state after `Connected`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import h11
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidHandshake, WebSocketException
from websockets.typing import Subprotocol

from app.bridges import cocon, dicentis, shure
from app.bridges.events import Command, Event, Resync

log = logging.getLogger(__name__)

Sink = Callable[[Event], Awaitable[None]]


class LinkError(Exception):
    """The connection failed: refused, reset, cut mid-answer, or silent too long."""


@dataclass
class Backoff:
    """Waits between attempts: `first`, doubled each failure up to `most`, reset on success."""

    first: float = 0.2
    most: float = 10.0
    _next: float = 0.0

    def reset(self) -> None:
        self._next = 0.0

    def delay(self) -> float:
        self._next = self.first if self._next == 0 else min(self._next * 2, self.most)
        return self._next

    async def wait(self) -> None:
        await asyncio.sleep(self.delay())


class Link:
    system = ""

    async def run(self, sink: Sink) -> None:
        raise NotImplementedError

    async def send(self, commands: Iterable[Command]) -> None:
        raise NotImplementedError


# --- Televic CoCon: HTTP long poll ------------------------------------------------------------


class HttpLane:
    """One kept-alive HTTP/1.1 connection (h11), one request at a time."""

    def __init__(self, host: str, port: int, retry_stale: bool = False) -> None:
        self.host = host
        self.port = port
        self.retry_stale = retry_stale
        """Try once more on a fresh connection when a kept-alive one fails (the server may
        have closed it while idle). Not for the notification loop: a failure there may have
        lost an event, which the adapter recovers by reading the whole state."""
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._http: h11.Connection | None = None

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].transport.abort()
        self._streams = None
        self._http = None

    async def get(self, target: str, wait_s: float) -> tuple[int, bytes]:
        reused = self._streams is not None
        try:
            return await asyncio.wait_for(self._get(target), wait_s)
        except (OSError, TimeoutError, h11.ProtocolError, LinkError) as error:
            self.close()
            if reused and self.retry_stale and not isinstance(error, TimeoutError):
                return await self.get(target, wait_s)
            raise LinkError(str(error) or type(error).__name__) from error

    async def _get(self, target: str) -> tuple[int, bytes]:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
            self._http = h11.Connection(h11.CLIENT)
        reader, writer = self._streams
        http = self._http
        assert http is not None
        headers = [("Host", f"{self.host}:{self.port}"), ("Accept", "application/json")]
        writer.write(
            (http.send(h11.Request(method="GET", target=target, headers=headers)) or b"")
            + (http.send(h11.EndOfMessage()) or b"")
        )
        await writer.drain()
        status = 0
        body = bytearray()
        while True:
            event = http.next_event()
            if event is h11.NEED_DATA:
                http.receive_data(await reader.read(65536))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed):
                raise LinkError("the server closed the connection")
        if h11.MUST_CLOSE in (http.our_state, http.their_state):
            self.close()
        else:
            http.start_next_cycle()
        return status, bytes(body)


class CoConLink(Link):
    """The document's best practice: one Connect, one dedicated notification loop (its own
    connection, held open by the long poll), and the commands on a second connection."""

    system = cocon.SYSTEM

    def __init__(
        self,
        host: str,
        port: int = cocon.DEFAULT_PORT,
        poll_timeout_s: float = cocon.POLL_TIMEOUT_S,
        command_timeout_s: float = 5.0,
        backoff: Backoff | None = None,
    ) -> None:
        self.adapter = cocon.CoConClient()
        self.poll_lane = HttpLane(host, port)
        self.command_lane = HttpLane(host, port, retry_stale=True)
        self.poll_wait_s = poll_timeout_s + 10.0
        """How long a notification request may stay unanswered: longer than the server's
        own time-out, after which it would have answered 408."""
        self.command_timeout_s = command_timeout_s
        self.backoff = backoff or Backoff()
        self._commands: asyncio.Queue[cocon.HttpGet] = asyncio.Queue()
        self._poll: cocon.HttpGet | None = None
        self._poll_wanted = asyncio.Event()
        self._sink: Sink | None = None

    async def run(self, sink: Sink) -> None:
        self._sink = sink
        await self._dispatch(cocon.Output(requests=self.adapter.connect()))
        try:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self._poll_loop())
                tasks.create_task(self._command_loop())
        finally:
            self.poll_lane.close()
            self.command_lane.close()

    async def send(self, commands: Iterable[Command]) -> None:
        for command in commands:
            for request in self.adapter.send(command):
                self._commands.put_nowait(request)

    async def _dispatch(self, out: cocon.Output) -> None:
        for request in out.requests:
            if request.lane == "poll":
                self._poll = request
                self._poll_wanted.set()
            else:
                self._commands.put_nowait(request)
        assert self._sink is not None
        for event in out.events:
            await self._sink(event)

    async def _poll_loop(self) -> None:
        while True:
            await self._poll_wanted.wait()
            self._poll_wanted.clear()
            request, self._poll = self._poll, None
            if request is None:
                continue
            try:
                status, body = await self.poll_lane.get(request.target, self.poll_wait_s)
            except LinkError as error:
                await self._dispatch(self.adapter.lost(request, f"notification: {error}"))
                await self.backoff.wait()
                continue
            await self._dispatch(self.adapter.receive(request, status, body))
            if status in (200, 408):
                self.backoff.reset()
            elif status != 400:
                await self.backoff.wait()

    async def _command_loop(self) -> None:
        while True:
            request = await self._commands.get()
            try:
                status, body = await self.command_lane.get(request.target, self.command_timeout_s)
            except LinkError as error:
                await self._dispatch(self.adapter.lost(request, f"{request.purpose}: {error}"))
                await self.backoff.wait()
                continue
            await self._dispatch(self.adapter.receive(request, status, body))


# --- Bosch DICENTIS: secure websocket ---------------------------------------------------------


def client_context(cafile: str | None = None, verify: bool = True) -> ssl.SSLContext:
    """TLS for a DICENTIS server: verified against `cafile` (its self-signed certificate, as
    a DICENTIS server usually has), or the system's authorities; `verify=False` accepts any
    certificate (a technician's first try, never a room's setting)."""
    context = ssl.create_default_context(cafile=cafile)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class DicentisLink(Link):
    system = dicentis.SYSTEM

    def __init__(
        self,
        host: str,
        port: int = dicentis.DEFAULT_PORT,
        user: str = "",
        password: str = "",
        tls: ssl.SSLContext | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self.url = f"wss://{host}:{port}{dicentis.PATH}"
        self.adapter = dicentis.DicentisClient(user, password)
        self.tls = tls or client_context()
        self.backoff = backoff or Backoff()
        self._connection: ClientConnection | None = None

    async def run(self, sink: Sink) -> None:
        while True:
            reason = await self._session(sink)
            for event in self.adapter.lost(reason).events:
                await sink(event)
            await self.backoff.wait()

    async def _session(self, sink: Sink) -> str:
        try:
            async with connect(
                self.url,
                ssl=self.tls,
                subprotocols=[Subprotocol(dicentis.SUBPROTOCOL)],
                compression=None,
                open_timeout=10,
                ping_interval=10,
                ping_timeout=10,
            ) as connection:
                self._connection = connection
                for message in self.adapter.start():
                    await connection.send(message)
                async for text in connection:
                    out = self.adapter.receive(text)
                    for message in out.messages:
                        await connection.send(message)
                    for event in out.events:
                        if self.adapter.logged_in:
                            self.backoff.reset()
                        await sink(event)
                return "the server closed the connection"
        except (OSError, TimeoutError, InvalidHandshake, WebSocketException) as error:
            return str(error) or type(error).__name__
        finally:
            self._connection = None

    async def send(self, commands: Iterable[Command]) -> None:
        connection = self._connection
        if connection is None or not self.adapter.logged_in:
            return
        with contextlib.suppress(WebSocketException, OSError):
            for command in commands:
                for message in self.adapter.send(command):
                    await connection.send(message)


# --- Shure DDS / MXC: text lines over TCP -----------------------------------------------------


class ShureLink(Link):
    system = shure.SYSTEM

    def __init__(
        self,
        host: str,
        port: int = shure.DEFAULT_PORT,
        probe_after_s: float = 30.0,
        backoff: Backoff | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.probe_after_s = probe_after_s
        """A unit silent for this long is asked for its state; silent as long again, it is
        taken for gone (a pulled cable sends no FIN)."""
        self.adapter = shure.ShureClient()
        self.backoff = backoff or Backoff()
        self._writer: asyncio.StreamWriter | None = None

    async def run(self, sink: Sink) -> None:
        while True:
            reason = await self._session(sink)
            for event in self.adapter.lost(reason):
                await sink(event)
            await self.backoff.wait()

    async def _session(self, sink: Sink) -> str:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port), 10
            )
        except (OSError, TimeoutError) as error:
            return str(error) or type(error).__name__
        self._writer = writer
        try:
            writer.write(b"".join(self.adapter.start()))
            probed = False
            while True:
                try:
                    data = await asyncio.wait_for(reader.read(65536), self.probe_after_s)
                except TimeoutError:
                    if probed:
                        return f"the unit said nothing for {2 * self.probe_after_s:g} s"
                    probed = True
                    writer.write(b"".join(self.adapter.send(Resync())))
                    continue
                probed = False
                if not data:
                    return "the unit closed the connection"
                for event in self.adapter.receive(data):
                    if self.adapter.up:
                        self.backoff.reset()
                    await sink(event)
        except (OSError, TimeoutError) as error:
            return str(error) or type(error).__name__
        finally:
            self._writer = None
            writer.transport.abort()

    async def send(self, commands: Iterable[Command]) -> None:
        writer = self._writer
        if writer is None:
            return
        writer.write(b"".join(line for c in commands for line in self.adapter.send(c)))
