"""Writing one pre-encoded frame straight to an idle client's socket, as
`websockets.broadcast` does.

A change of a meeting goes to every client of its room. Through Starlette and uvicorn each
send is a coroutine, an ASGI message dict, a frame built by the websocket protocol and a
write: about twice what the write alone costs. Every client gets the same bytes, so the hub
encodes the frame once (`text_frame`) and writes it synchronously to every connection whose
socket is keeping up (`SocketWriter.write`). A client that is not keeping up is refused here
and goes through its outbox instead (app/realtime/hub.py).

The socket is reached through uvicorn's websocket protocol object, which `expose_protocol`
puts into the scope. Any other server (or another of uvicorn's websocket implementations)
gets no writer, and every message takes the ordinary ASGI path.
"""

from __future__ import annotations

import struct
from collections.abc import Awaitable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

SCOPE_KEY = "floorkeeper.protocol"
WRITE_BUFFER_LIMIT = 64 * 1024
"""Bytes waiting in the transport beyond which a client counts as not keeping up."""


def text_frame(text: str) -> bytes:
    """A server's unmasked, unfragmented text frame (RFC 6455, 5.2)."""
    payload = text.encode()
    length = len(payload)
    if length < 126:
        return bytes((0x81, length)) + payload
    if length < 65536:
        return struct.pack("!BBH", 0x81, 126, length) + payload
    return struct.pack("!BBQ", 0x81, 127, length) + payload


class SocketWriter:
    """Writes whole frames to one client's transport while its connection is open, takes
    no extension, and its buffer is nearly empty; refuses otherwise."""

    __slots__ = ("_protocol",)

    def __init__(self, protocol: WebSocketsSansIOProtocol) -> None:
        self._protocol = protocol

    def write(self, frame: bytes) -> bool:
        protocol = self._protocol
        transport = protocol.transport
        if (
            protocol.close_sent
            or protocol.disconnected
            or not protocol.writable.is_set()
            or protocol.conn.state is not State.OPEN
            or protocol.conn.extensions  # a compressed connection needs its own frames
            or transport.is_closing()
            or transport.get_write_buffer_size() >= WRITE_BUFFER_LIMIT
        ):
            return False
        # uvicorn also writes each frame whole and synchronously, so frames never interleave.
        transport.write(frame)
        return True

    def abort(self) -> None:
        """Drop the connection now: a client that stopped reading will never take a close."""
        self._protocol.transport.abort()


def socket_writer(scope: Scope) -> SocketWriter | None:
    protocol = scope.get("extensions", {}).get(SCOPE_KEY)
    return SocketWriter(protocol) if isinstance(protocol, WebSocketsSansIOProtocol) else None


def expose_protocol(app: ASGIApp) -> ASGIApp:
    """The app, with uvicorn's websocket protocol object in each websocket scope. A plain
    function returning the app's coroutine, not a coroutine of its own: that would be one
    more frame held by every connection for its whole life (so uvicorn must be told the
    interface: asgi3)."""

    def wrapped(scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        if scope["type"] == "websocket":
            protocol: Any = getattr(send, "__self__", None)
            if isinstance(protocol, WebSocketsSansIOProtocol):
                extensions = scope.get("extensions")
                if extensions is None:
                    extensions = scope["extensions"] = {}
                extensions[SCOPE_KEY] = protocol
        return app(scope, receive, send)

    return wrapped
