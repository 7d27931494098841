"""What the three simulators share: the control unit, its presses, fault switches, and
watchers (the desk page) told of every change."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from app.bridges.simulators.unit import Change, ControlUnit

Watcher = Callable[[], None]


class Simulator:
    system = ""

    def __init__(self, unit: ControlUnit, host: str = "127.0.0.1", port: int = 0) -> None:
        self.unit = unit
        self.host = host
        self.port = port
        """0 picks a free port at start; `port` then holds the real one."""
        self.watchers: list[Watcher] = []
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[object]] = set()
        self.commands_seen: list[str] = []
        """Every command received, in the protocol's words, so that a test can tell what was
        asked of the unit (for instance, that nothing switched a microphone off)."""

    # --- the room ---------------------------------------------------------------------------

    def press(self, seat: int) -> list[Change]:
        """A delegate presses the desk's microphone button."""
        changes = self.unit.press(seat)
        self.pressed(seat)
        self.publish(changes)
        return changes

    def pressed(self, seat: int) -> None:
        """The button event itself, for protocols that report it (CoCon)."""

    def publish(self, changes: list[Change]) -> None:
        """Tell the protocol's clients and the watchers of what changed (nothing if nothing)."""
        if not changes:
            return
        self.notify(changes)
        for watcher in list(self.watchers):
            watcher()

    def notify(self, changes: list[Change]) -> None:
        raise NotImplementedError

    # --- serving ----------------------------------------------------------------------------

    async def start(self) -> None:
        raise NotImplementedError

    async def _listen(
        self, handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], object]
    ) -> None:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self._writers.add(writer)
            task = asyncio.current_task()
            if task is not None:
                self._handlers.add(task)
            try:
                await handler(reader, writer)  # type: ignore[misc]
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                self._writers.discard(writer)
                if task is not None:
                    self._handlers.discard(task)
                writer.close()
                with contextlib.suppress(ConnectionError):
                    await writer.wait_closed()

        self._server = await asyncio.start_server(serve, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    def drop_connections(self) -> int:
        """Cut every client's connection now (the unit keeps its state). Returns how many."""
        writers = list(self._writers)
        for writer in writers:
            writer.transport.abort()
        return len(writers)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self.drop_connections()
            await asyncio.gather(*self._handlers, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None
