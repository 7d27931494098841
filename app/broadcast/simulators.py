"""Stand-ins for a CasparCG server and an OSC tool, to try the outputs without either.

`AmcpSimulator` is a real TCP server: it reads AMCP lines as CasparCG's tokenizer does and
answers CG commands as CasparCG 2.2 does (202 CG OK; 402 for a missing parameter; 403 for an
UPDATE, PLAY, STOP, NEXT or REMOVE on a layer where no template was added; 400 ERROR with the
line for a command it does not know). `OscReceiver` is a real UDP socket that decodes every
datagram. Both keep what they received, in order; `floorkeeper broadcast simulate` prints it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from app.broadcast import amcp, osc

_CG_ACTIONS = {"PLAY", "STOP", "NEXT", "REMOVE"}


@dataclass(slots=True)
class _Template:
    name: str
    data: str | None
    playing: bool


@dataclass(slots=True)
class AmcpSimulator:
    received: list[str] = field(default_factory=list)
    """Every command line, as it arrived, without its "\\r\\n"."""
    templates: dict[tuple[str, int], _Template] = field(default_factory=dict)
    """(channel-layer, cg layer) → the template there, its last data, whether it plays."""
    on_line: Callable[[str, bytes], None] | None = None
    _server: asyncio.Server | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _clients: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self._server = await asyncio.start_server(
            self._serve, host, port, limit=amcp.MAX_LINE_BYTES
        )
        bound: int = self._server.sockets[0].getsockname()[1]
        return bound

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._clients):
                writer.close()
            await self._server.wait_closed()
            self._server = None

    async def drop_clients(self) -> None:
        """Close every connection, as a server that restarts would."""
        for writer in list(self._clients):
            writer.close()
        self.templates.clear()

    async def wait_for(self, count: int, timeout_s: float = 10.0) -> list[str]:
        """The lines received, once there are at least `count` of them."""
        async with asyncio.timeout(timeout_s), self._changed:
            await self._changed.wait_for(lambda: len(self.received) >= count)
        return list(self.received)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._clients.add(writer)
        try:
            while raw := await reader.readuntil(amcp.LINE_END):
                line = raw[: -len(amcp.LINE_END)].decode("utf-8", errors="replace")
                answer = self.answer(line)
                async with self._changed:
                    self.received.append(line)
                    self._changed.notify_all()
                if self.on_line:
                    self.on_line(line, answer)
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._clients.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def answer(self, line: str) -> bytes:
        tokens = amcp.unquote(line)
        if tokens[:1] and tokens[0].upper() == "REQ":
            request_id, tokens = (tokens[1] if len(tokens) > 1 else ""), tokens[2:]
            return f"RES {request_id} ".encode() + self._answer(line, tokens)
        return self._answer(line, tokens)

    def _answer(self, line: str, tokens: list[str]) -> bytes:
        name = tokens[0].upper() if tokens else ""
        if name == "VERSION":
            return amcp.reply_line(201, "VERSION OK", ("2.3.0 Floorkeeper simulator",))
        if name != "CG" or len(tokens) < 3:
            return amcp.reply_line(400, "ERROR", (line,))
        where, action, params = tokens[1], tokens[2].upper(), tokens[3:]
        if action == "CLEAR":
            for key in [k for k in self.templates if k[0] == where]:
                del self.templates[key]
            return amcp.reply_line(202, "CG OK")
        if not params or not params[0].isdigit():
            return amcp.reply_line(402, "CG ERROR")
        key = (where, int(params[0]))
        if action == "ADD":
            if len(params) < 3:
                return amcp.reply_line(402, "CG ERROR")
            data = params[3] if len(params) > 3 else None
            self.templates[key] = _Template(params[1], data, params[2].startswith("1"))
            return amcp.reply_line(202, "CG OK")
        if action not in (*_CG_ACTIONS, "UPDATE"):
            return amcp.reply_line(400, "ERROR", (line,))
        template = self.templates.get(key)
        if template is None:
            return amcp.reply_line(403, "CG FAILED")  # "No CG proxy running on layer"
        if action == "UPDATE":
            if len(params) < 2:
                return amcp.reply_line(402, "CG ERROR")
            template.data = params[1]
        elif action in ("PLAY", "STOP"):
            template.playing = action == "PLAY"
        elif action == "REMOVE":
            del self.templates[key]
        return amcp.reply_line(202, "CG OK")


class OscReceiver(asyncio.DatagramProtocol):
    """A UDP socket that decodes each datagram into OSC messages and keeps them."""

    def __init__(self, on_message: Callable[[osc.Message], None] | None = None) -> None:
        self.messages: list[osc.Message] = []
        self.undecodable = 0
        self.on_message = on_message
        self._transport: asyncio.DatagramTransport | None = None
        self._changed = asyncio.Event()

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=(host, port))
        self._transport = transport
        bound: int = transport.get_extra_info("sockname")[1]
        return bound

    def stop(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        try:
            decoded = osc.decode(data)
        except Exception:  # a stray datagram on the port is counted, never fatal
            self.undecodable += 1
            return
        self.messages.extend(decoded)
        if self.on_message:
            for message in decoded:
                self.on_message(message)
        self._changed.set()

    async def wait_for(
        self, predicate: Callable[[list[osc.Message]], bool], timeout_s: float = 10.0
    ) -> list[osc.Message]:
        async with asyncio.timeout(timeout_s):
            while not predicate(self.messages):
                self._changed.clear()
                await self._changed.wait()
        return list(self.messages)
