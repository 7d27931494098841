"""A Televic CoCon server: REST/JSON over HTTP, with its long poll, 408s and id expiry.

Speaks what "CoCon API Description" v6.9 documents (docs/bridges.md): `/CoCon/Connect`,
`/CoCon/Subscribe`, the long poll `/CoCon/Notification/id=<id>` (one JSON event per answer;
408 "Notification request timeout" after `poll_timeout_s` without one; 400 for an id not
polled for `id_expiry_s`), and the Microphone model's commands and events. Both durations
default to the document's 30 s and 180 s; tests shorten them.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import h11

from app.bridges.cocon import ID_EXPIRY_S, POLL_TIMEOUT_S
from app.bridges.simulators.base import Simulator
from app.bridges.simulators.unit import Change, ControlUnit, Mode, UnknownSeat

MODES = {
    "operator": Mode.OPERATOR,
    "directspeak": Mode.DIRECT,
    "request": Mode.REQUEST,
    "onlyrequest": Mode.ONLY_REQUEST,
}
MODE_NAMES = {
    Mode.OPERATOR: "Operator",
    Mode.DIRECT: "DirectSpeak",
    Mode.REQUEST: "Request",
    Mode.ONLY_REQUEST: "OnlyRequest",
}
MODELS = frozenset({"Room", "Microphone", "Meeting_Agenda", "Timer", "Delegate", "Interpretation"})


@dataclass
class Session:
    """One Connect's id: its subscriptions and the events waiting for its next poll."""

    id: str
    last_polled: float
    models: set[str] = field(default_factory=set)
    events: deque[bytes] = field(default_factory=deque)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    polling: int = 0


Answer = tuple[int, bytes]


def _json(value: object) -> Answer:
    return 200, json.dumps(value, separators=(",", ":")).encode()


def _bool(text: str | None) -> bool | None:
    return {"true": True, "false": False}.get((text or "").lower())


class CoConSimulator(Simulator):
    system = "cocon"

    def __init__(
        self,
        unit: ControlUnit,
        host: str = "127.0.0.1",
        port: int = 0,
        poll_timeout_s: float = POLL_TIMEOUT_S,
        id_expiry_s: float = ID_EXPIRY_S,
    ) -> None:
        super().__init__(unit, host, port)
        self.poll_timeout_s = poll_timeout_s
        self.id_expiry_s = id_expiry_s
        self.sessions: dict[str, Session] = {}
        self.connects = 0
        """How many Connects were answered (a bridge should make one, not one per poll)."""
        self.timeouts = 0
        """How many notification requests were answered 408."""
        self.cut_next_event = False
        """Fault switch: the next notification with an event is cut mid-answer."""

    async def start(self) -> None:
        await self._listen(self._serve)

    async def stop(self) -> None:
        """Like a restart of the server: the ids are forgotten."""
        self.expire_all()
        await super().stop()

    # --- events -----------------------------------------------------------------------------

    def _emit(self, model: str, event: object) -> None:
        body = json.dumps(event, separators=(",", ":")).encode()
        for session in self.sessions.values():
            if model in session.models:
                session.events.append(body)
                session.arrived.set()

    def notify(self, changes: list[Change]) -> None:
        state = self.unit.state()
        self._emit(
            "Microphone",
            {
                "MicrophoneState": {
                    "Speakers": list(state.speakers),
                    "Requests": list(state.requests),
                    "Replies": list(state.replies),
                }
            },
        )

    def pressed(self, seat: int) -> None:
        for event in ("down", "up"):
            self._emit("Microphone", {"MicButtonEvent": {"SeatNr": seat, "Event": event}})

    def expire_all(self) -> None:
        """Forget every id, as the server does with ids left unpolled (the next poll: 400)."""
        sessions, self.sessions = list(self.sessions.values()), {}
        for session in sessions:
            session.arrived.set()  # a poll held open now is answered 400 at once

    def _session(self, session_id: str) -> Session | None:
        session = self.sessions.get(session_id)
        if session is None:
            return None
        if not session.polling and time.monotonic() - session.last_polled > self.id_expiry_s:
            del self.sessions[session_id]
            return None
        return session

    # --- HTTP -------------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = h11.Connection(h11.SERVER)
        while True:
            request = await self._next(connection, reader)
            if request is None:
                return
            target = request.target.decode("latin-1")
            self.commands_seen.append(target)
            cut = False
            if request.method != b"GET":
                status, body = 405, b"only GET"
            elif target.lower().startswith("/cocon/notification/"):
                status, body = await self._notification(target)
                cut = status == 200 and self.cut_next_event
                self.cut_next_event = self.cut_next_event and not cut
            else:
                status, body = self._route(target)
            kind = b"application/json" if status == 200 else b"text/plain"
            headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
            writer.write(connection.send(h11.Response(status_code=status, headers=headers)) or b"")
            if cut:  # the fault: half the event, then the connection is gone
                writer.write(body[: len(body) // 2])
                await writer.drain()
                writer.transport.abort()
                return
            writer.write(connection.send(h11.Data(data=body)) or b"")
            writer.write(connection.send(h11.EndOfMessage()) or b"")
            await writer.drain()
            if connection.our_state is h11.MUST_CLOSE:
                return
            connection.start_next_cycle()

    @staticmethod
    async def _next(connection: h11.Connection, reader: asyncio.StreamReader) -> h11.Request | None:
        request: h11.Request | None = None
        while True:
            event = connection.next_event()
            if event is h11.NEED_DATA:
                data = await reader.read(65536)
                connection.receive_data(data)
                if not data and request is None:
                    return None
                continue
            if isinstance(event, h11.Request):
                request = event
            elif isinstance(event, h11.EndOfMessage):
                return request
            elif isinstance(event, h11.ConnectionClosed):
                return None

    async def _notification(self, target: str) -> Answer:
        tail = urlsplit(target).path.rstrip("/").rsplit("/", 1)[-1]
        session_id = tail[3:] if tail.lower().startswith("id=") else ""
        session = self._session(session_id)
        if session is None:
            return 400, b"Unknown or expired id"
        session.polling += 1
        try:
            if not session.events:
                session.arrived.clear()
                try:
                    await asyncio.wait_for(session.arrived.wait(), self.poll_timeout_s)
                except TimeoutError:
                    self.timeouts += 1
                    return 408, b"Notification request timeout"
            if session.id not in self.sessions or not session.events:
                return 400, b"Unknown or expired id"
            return 200, session.events.popleft()
        finally:
            session.polling -= 1
            session.last_polled = time.monotonic()

    def _route(self, target: str) -> Answer:
        parts = urlsplit(target)
        path = parts.path.rstrip("/").lower()
        query = dict(parse_qsl(parts.query))
        if path == "/cocon/connect":
            self.connects += 1
            session = Session(str(uuid.uuid4()), time.monotonic())
            self.sessions[session.id] = session
            return _json({"Connect": True, "id": session.id})
        if path == "/cocon/subscribe":
            subscriber = self._session(query.get("id", ""))
            model = query.get("Model", "")
            if subscriber is None:
                return 400, b"Unknown or expired id"
            if model not in MODELS:
                return _json(1)
            subscriber.models.add(model)
            return _json(0)
        try:
            return self._microphone(path.removeprefix("/cocon/microphone/"), query)
        except UnknownSeat:
            return _json(1)

    def _microphone(self, command: str, query: dict[str, str]) -> Answer:
        unit = self.unit
        if command == "getstate":
            state = unit.state()
            lists = {
                "Speakers": list(state.speakers),
                "Requests": list(state.requests),
                "Replies": list(state.replies),
            }
            return _json({"GetState": {"State": lists}})
        if command == "setstate":
            seat_text = query.get("SeatNr", "")
            if not seat_text.isdigit():
                return _json(1)
            seat = unit.check(int(seat_text))
            actions = {
                "on": unit.mic_on,
                "off": unit.off,
                "request": unit.request_on,
                "toggle": unit.mic_off if seat in unit.speakers else unit.mic_on,
            }
            action = actions.get(query.get("State", "").lower())
            if action is None:
                return _json(1)
            self.publish(action(seat))
            return _json(0)
        if command == "activatenextmicrophone":
            self.publish(unit.next_on())
            return _json(0)
        if command == "clearmicrophonelist":
            clear = {
                "speakersandrequests": lambda: unit.all_speakers_off() + unit.all_requests_off(),
                "speakers": unit.all_speakers_off,
                "requests": unit.all_requests_off,
            }.get(query.get("Type", "").lower())
            if clear is None:
                return _json(1)
            self.publish(clear())
            return _json(0)
        if command == "setmicrophonemode":
            return self._set_mode(query)
        return 404, b"Unknown command"

    def _set_mode(self, query: dict[str, str]) -> Answer:
        mode = MODES.get(query.get("Mode", "").lower())
        max_text = query.get("MaxNrActive", str(self.unit.max_speakers))
        cancel = _bool(query.get("AllowCancelRequest", "true"))
        if mode is None or not max_text.isdigit() or not 1 <= int(max_text) <= 25 or cancel is None:
            return _json(1)
        self.unit.mode, self.unit.max_speakers = mode, int(max_text)
        self.unit.allow_cancel_request = cancel
        event = {
            "MicrophoneMode": {
                "Mode": MODE_NAMES[mode],
                "MaxNrActive": self.unit.max_speakers,
                "AllowRequest": True,
                "AllowCancelRequest": cancel,
            }
        }
        self._emit("Microphone", event)
        return _json(0)
