"""uvicorn's websocket protocol, made lighter for connections that stay open for hours.

A hall of idle screens holds its connections all day, so what each keeps counts. uvicorn's
sans-I/O protocol keeps two things an idle connection does not need (measured with
tracemalloc, 1,000 connections):

- the handshake's request and response, with their headers (about 3 KiB), used once to
  accept the connection and never again;
- an `asyncio.Queue` for received messages: three deques of 64 slots each (about 2.3 KiB),
  where a single consumer (the ASGI app's `receive`) needs a list and one future.

`LeanWebSocketProtocol` drops the first after the accept and replaces the second with
`Inbox`. Everything else is uvicorn's own code, so `app/realtime/fastpath.py` still
recognises the protocol. If a later uvicorn renames the attributes dropped here, they are
left alone and a connection costs what it did before; if it uses its queue in a way `Inbox`
does not offer, tests/unit/test_light_websocket.py, which serves a connection over a real socket
pair, fails.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class Inbox:
    """The received ASGI events of one connection, for one consumer at a time (ASGI lets only
    the app's task call `receive`): `put_nowait`, `get`, `empty`, as uvicorn uses them."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)

    async def get(self) -> Any:
        while not self._items:
            if self._waiter is not None and not self._waiter.done():
                raise RuntimeError("receive() called while another call is waiting")
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websocket protocol with an `Inbox` for a queue, which forgets the handshake
    once the connection is accepted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = Inbox()  # type: ignore[assignment]

    async def send(self, message: Any) -> None:
        await super().send(message)
        if self.handshake_complete and "request" in self.__dict__:
            # Read only while accepting (uvicorn's handle_connect and send): not needed now.
            del self.request, self.response
