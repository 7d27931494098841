"""The lighter websocket protocol: its inbox keeps order and wakes its one consumer, and a
connection served over a real socket pair forgets its handshake once accepted and still
carries messages both ways."""

from __future__ import annotations

import asyncio
import base64
import os
import socket
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState
from websockets.frames import Frame, Opcode

from app.realtime.fastpath import SCOPE_KEY, expose_protocol, socket_writer, text_frame
from app.realtime.light_websocket import Inbox, LeanWebSocketProtocol


async def test_inbox_gives_items_in_order() -> None:
    inbox = Inbox()
    assert inbox.empty()
    for n in range(3):
        inbox.put_nowait(n)
    assert inbox.qsize() == 3
    assert [await inbox.get() for _ in range(3)] == [0, 1, 2]
    assert inbox.empty()


async def test_inbox_wakes_a_waiting_consumer() -> None:
    inbox = Inbox()
    waiting = asyncio.ensure_future(inbox.get())
    await asyncio.sleep(0)
    assert not waiting.done()
    inbox.put_nowait("hello")
    assert await asyncio.wait_for(waiting, 1) == "hello"


async def test_inbox_refuses_a_second_consumer_and_survives_a_cancelled_one() -> None:
    inbox = Inbox()
    first = asyncio.ensure_future(inbox.get())
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="another call"):
        await inbox.get()
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    inbox.put_nowait("after")  # nobody waits now: kept for the next get
    assert await inbox.get() == "after"


def _masked(text: str) -> bytes:
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=True, extensions=[])


async def _read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readexactly(2)
    length = head[1] & 0x7F
    if length == 126:
        length = int.from_bytes(await reader.readexactly(2), "big")
    return head[0] & 0x0F, await reader.readexactly(length)


async def test_a_connection_forgets_its_handshake_and_still_talks() -> None:
    protocols: list[Any] = []
    scopes: list[Any] = []

    async def echo(scope: Any, receive: Any, send: Any) -> None:
        scopes.append(scope)
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        while (message := await receive())["type"] == "websocket.receive":
            await send({"type": "websocket.send", "text": "echo " + message["text"]})

    config = Config(app=expose_protocol(echo), interface="asgi3", ws=LeanWebSocketProtocol)
    config.load()
    state = ServerState()
    loop = asyncio.get_running_loop()
    server_side, client_side = socket.socketpair()

    def make() -> LeanWebSocketProtocol:
        protocol = LeanWebSocketProtocol(config=config, server_state=state, app_state={})
        protocols.append(protocol)
        return protocol

    await loop.connect_accepted_socket(make, server_side)
    reader, writer = await asyncio.open_connection(sock=client_side)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            "GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert head.startswith(b"HTTP/1.1 101")

    protocol = protocols[0]
    assert isinstance(protocol.queue, Inbox)
    assert "request" not in protocol.__dict__
    assert "response" not in protocol.__dict__

    writer.write(_masked("one"))
    assert await asyncio.wait_for(_read_frame(reader), 5) == (0x1, b"echo one")

    # The fast path still recognises the protocol and writes to it.
    fast = socket_writer(scopes[0])
    assert fast is not None
    assert scopes[0]["extensions"][SCOPE_KEY] is protocol
    assert fast.write(text_frame("direct"))
    assert await asyncio.wait_for(_read_frame(reader), 5) == (0x1, b"direct")

    writer.close()
    await asyncio.wait_for(asyncio.gather(*state.tasks, return_exceptions=True), 5)
