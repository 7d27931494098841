"""Many websocket clients in one process, as light as they can be, so that the figures say
more about the server than about the clients: a bare asyncio protocol that parses frames by
hand, reads the version from the first bytes of each message (no JSON parsing), and answers
pings. The client side is still part of every figure."""

from __future__ import annotations

import asyncio
import base64
import gc
import os
import re
import socket
import struct
import time
from collections import defaultdict

VERSION = re.compile(rb'"version":(\d+)')


class Arrivals:
    """For each version: how many clients have it, and when the last one got it."""

    def __init__(self) -> None:
        self.count: dict[int, int] = defaultdict(int)
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.waiting: dict[int, tuple[int, asyncio.Event]] = {}

    def seen(self, version: int, now: float) -> None:
        self.count[version] += 1
        self.first.setdefault(version, now)
        self.last[version] = now
        waiter = self.waiting.get(version)
        if waiter is not None and self.count[version] >= waiter[0]:
            waiter[1].set()

    async def all_have(self, version: int, clients: int) -> float:
        """Wait until `clients` clients have `version`; the time the last one got it."""
        if self.count[version] < clients:
            event = asyncio.Event()
            self.waiting[version] = (clients, event)
            async with asyncio.timeout(30):
                await event.wait()
            del self.waiting[version]
        return self.last[version]


class Client(asyncio.Protocol):
    def __init__(self, arrivals: Arrivals, host: str, port: int, path: str) -> None:
        self.arrivals = arrivals
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}"
            "\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
        self.buffer = bytearray()
        self.upgraded = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.version = 0
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.upgraded.done():
            self.upgraded.set_exception(ConnectionError("closed during the handshake"))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded.done():
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if not self.buffer.startswith(b"HTTP/1.1 101"):
                self.upgraded.set_exception(ConnectionError(bytes(self.buffer[:80]).decode()))
                return
            del self.buffer[: end + 4]
            self.upgraded.set_result(None)
        self._frames()

    def _frames(self) -> None:
        buffer = self.buffer
        now = time.perf_counter()
        while len(buffer) >= 2:
            opcode, length = buffer[0] & 0x0F, buffer[1] & 0x7F
            start = 2
            if length == 126:
                if len(buffer) < 4:
                    return
                length, start = struct.unpack_from("!H", buffer, 2)[0], 4
            elif length == 127:
                if len(buffer) < 10:
                    return
                length, start = struct.unpack_from("!Q", buffer, 2)[0], 10
            if len(buffer) < start + length:
                return
            if opcode == 0x1:
                found = VERSION.search(buffer, start, min(start + length, start + 200))
                if found is not None:
                    version = int(found.group(1))
                    if version > self.version:
                        self.version = version
                        self.arrivals.seen(version, now)
            elif opcode == 0x9:  # ping: answer with a masked pong
                self._send(0xA, bytes(buffer[start : start + length]))
            del buffer[: start + length]

    def _send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        assert self.transport is not None
        assert len(payload) < 126
        self.transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.abort()


async def open_clients(
    arrivals: Arrivals, host: str, port: int, path: str, count: int, batch: int = 100
) -> list[Client]:
    loop = asyncio.get_running_loop()
    clients: list[Client] = []

    async def one() -> Client:
        _, client = await loop.create_connection(
            lambda: Client(arrivals, host, port, path), host, port
        )
        await client.upgraded
        return client

    for start in range(0, count, batch):
        clients += await asyncio.gather(*(one() for _ in range(min(batch, count - start))))
    # The thousands of client objects are the measuring instrument: kept out of this
    # process's cycle collections, whose pauses (10-20 ms at 2,000 clients) would otherwise
    # land on whichever change, ours or the baseline's, they happen to fall in.
    gc.collect()
    gc.freeze()
    return clients


def open_stalled(host: str, port: int, path: str) -> socket.socket:
    """A client that completes the handshake and then never reads again."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13"
            "\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    return sock
