"""The outputs' I/O, kept thin: a TCP connection to a CasparCG server, a UDP socket for OSC.

Each driver takes the plates in turn (`show`), asks the pure rules of app/broadcast/outputs.py
what to send, and sends it. A CasparCG server that goes away is reconnected at the next plate
(with a back-off), and its template is added again, since a restarted server has none.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from app.broadcast import amcp, osc
from app.broadcast.outputs import CasparConfig, casparcg_commands, osc_messages
from app.broadcast.plate import Plate

log = logging.getLogger(__name__)


class AmcpError(Exception):
    """CasparCG refused a command (4xx, 5xx) or could not be reached."""


@dataclass(slots=True)
class AmcpConnection:
    """One command at a time, each answered before the next is sent (AMCP replies carry no
    reference to their command unless REQ is used, which servers before 2.2 do not know)."""

    host: str
    port: int = amcp.DEFAULT_PORT
    timeout_s: float = 5.0
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None
    _parser: amcp.ReplyParser = field(default_factory=amcp.ReplyParser)
    _replies: list[amcp.Reply] = field(default_factory=list)

    @property
    def connected(self) -> bool:
        return self._writer is not None and not self._writer.is_closing()

    async def connect(self) -> None:
        async with asyncio.timeout(self.timeout_s):
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        self._parser = amcp.ReplyParser()
        self._replies = []

    async def send(self, command: amcp.Command) -> amcp.Reply:
        if not self.connected:
            await self.connect()
        assert self._reader is not None
        assert self._writer is not None
        try:
            self._writer.write(amcp.encode(command))
            async with asyncio.timeout(self.timeout_s):
                await self._writer.drain()
                while not self._replies:
                    chunk = await self._reader.read(65536)
                    if not chunk:
                        raise ConnectionResetError("CasparCG closed the connection")
                    self._replies.extend(self._parser.feed(chunk))
        except (OSError, TimeoutError, amcp.ProtocolError):
            await self.close()
            raise
        return self._replies.pop(0)

    async def close(self) -> None:
        writer, self._writer, self._reader = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


@dataclass(slots=True)
class CasparDriver:
    connection: AmcpConnection
    config: CasparConfig = field(default_factory=CasparConfig)
    sent: Plate | None = None
    """The plate the server shows (None: nothing yet, or unknown after a lost connection)."""
    first_backoff_s: float = 1.0
    """After a failure, the next plates are skipped for this long, doubling up to 30 s."""
    retry_after: float = 0.0
    _backoff_s: float = 0.0

    async def show(self, sign: Plate, now: int) -> list[amcp.Reply]:
        if time.monotonic() < self.retry_after:
            return []
        replies = []
        try:
            for command in casparcg_commands(self.sent, sign, self.config, now):
                reply = await self.connection.send(command)
                replies.append(reply)
                if not reply.ok:
                    log.warning("CasparCG refused %s: %s", command.line()[:120], reply)
        except (OSError, TimeoutError, amcp.ProtocolError) as error:
            log.warning("CasparCG at %s:%s: %s", self.connection.host, self.connection.port, error)
            self.sent = None  # a restarted server shows nothing: add the template again
            self._backoff_s = min(max(self._backoff_s * 2, self.first_backoff_s), 30.0)
            self.retry_after = time.monotonic() + self._backoff_s
            return replies
        self._backoff_s = 0.0
        self.sent = sign
        return replies


class _Sender(asyncio.DatagramProtocol):
    def error_received(self, exc: Exception) -> None:
        # A tool not listening yet answers with ICMP port unreachable: not our failure.
        log.debug("OSC: %s", exc)


@dataclass(slots=True)
class OscDriver:
    host: str
    port: int = osc.DEFAULT_PORT
    sent: Plate | None = None
    _transport: asyncio.DatagramTransport | None = None

    async def open(self) -> None:
        loop = asyncio.get_running_loop()
        self._transport, _ = await loop.create_datagram_endpoint(
            _Sender, remote_addr=(self.host, self.port)
        )

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def send(self, datagram: bytes) -> None:
        if self._transport is None:
            raise RuntimeError("the OSC socket is not open")
        self._transport.sendto(datagram)

    async def show(self, sign: Plate, now: int) -> int:
        """Send what changed; the number of datagrams sent."""
        if self._transport is None:
            await self.open()
        datagrams = osc_messages(self.sent, sign, now)
        for datagram in datagrams:
            self.send(datagram)
        self.sent = sign
        return len(datagrams)

    def tick(self, now: int) -> bool:
        """The once-a-second remaining time, for tools that need it; False if no clock."""
        datagram = osc.remaining_message(self.sent, now) if self.sent else None
        if datagram is None or self._transport is None:
            return False
        self.send(datagram)
        return True
