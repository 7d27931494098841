"""Bosch DICENTIS "Conference Protocol", sans-I/O: JSON text messages in and out.

The protocol (Bosch DICENTIS configuration manual V3.7; message shapes from open-source
clients that cite Bosch's ConferenceProtocol.chm): a secure websocket on port 31416, path
`/Dicentis/API`, subprotocol `DICENTIS_1_0`, usually behind a self-signed certificate.
Every message is `{"messageId", "operation", "parameters"}`; an answer repeats the request's
messageId; errors are `{"operation": "error", "parameters": {"message"}}`. Operations are
case-insensitive.

After `Login`, `RegisterEvents {"events": ["DiscussionListChanged"]}` arms the event; the
server then pushes `{"messageId": 0, "operation": "event", "parameters": {"events": [...]}}`
with names only, once: the event stays silent until it is re-armed by fetching its data
(`GetDiscussionList`). So every such event is answered at once with a `GetDiscussionList`,
whose answer is the full state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.bridges.events import (
    Command,
    Connected,
    Disconnected,
    Event,
    MicOff,
    MicOn,
    MicState,
    OperatorMode,
    Refused,
    RequestOff,
    RequestOn,
    Resync,
    check_seat,
)

SYSTEM = "dicentis"
DEFAULT_PORT = 31416
PATH = "/Dicentis/API"
SUBPROTOCOL = "DICENTIS_1_0"
EVENTS = ("DiscussionListChanged",)

LIVE = frozenset({"on", "mute"})
"""Microphone states of a seat that holds the floor (muted is still its turn)."""
REQUEST = "isrequest"
RESPONSE_REQUEST = "isresponserequest"


class DicentisError(ValueError):
    """A message that is not what the protocol describes."""


@dataclass(slots=True)
class Output:
    events: list[Event] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def parse_discussion_list(parameters: object) -> MicState:
    """`{"discussionList": [{"seatId", "microphoneState", "speakerType", ...}]}` → MicState:
    live seats (microphone on or muted), requests and response requests in the list's
    order."""
    entries = parameters.get("discussionList") if isinstance(parameters, dict) else None
    if not isinstance(entries, list):
        raise DicentisError(f"a discussion list is a list of seats, not {parameters!r}")
    speakers: list[int] = []
    requests: list[int] = []
    replies: list[int] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise DicentisError(f"a discussion list entry is an object, not {entry!r}")
        try:
            seat = check_seat(entry.get("seatId"))  # type: ignore[arg-type]
        except ValueError as error:
            raise DicentisError(f"discussion list: {error}") from None
        kind = str(entry.get("speakerType", "")).lower()
        if str(entry.get("microphoneState", "")).lower() in LIVE:
            speakers.append(seat)
        elif kind == REQUEST:
            requests.append(seat)
        elif kind == RESPONSE_REQUEST:
            replies.append(seat)
    return MicState(tuple(speakers), tuple(requests), tuple(replies))


class DicentisClient:
    """One bridge's conversation with one DICENTIS server, one websocket connection long;
    `start` again after a reconnect."""

    can_add_request = False
    """The documented operations cannot put a seat in request: only a delegate's press does.
    A request made from a tablet is therefore not mirrored on the desks."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.password = password
        self.logged_in = False
        self.state: MicState | None = None
        self._next_id = 1
        self._pending: dict[int, tuple[str, Command | None]] = {}

    def _message(
        self, operation: str, parameters: dict[str, Any], command: Command | None = None
    ) -> str:
        message_id = self._next_id
        self._next_id += 1
        self._pending[message_id] = (operation.lower(), command)
        return json.dumps(
            {"messageId": message_id, "operation": operation, "parameters": parameters}
        )

    def start(self) -> list[str]:
        """The first message on a new connection."""
        self.logged_in = False
        self._pending.clear()
        return [self._message("Login", {"user": self.user, "password": self.password})]

    def lost(self, reason: str) -> Output:
        out = Output()
        if self.logged_in:
            out.events.append(Disconnected(reason))
        self.logged_in = False
        for _, command in self._pending.values():
            if command is not None:
                out.events.append(Refused(command, f"not delivered: {reason}"))
        self._pending.clear()
        return out

    def send(self, command: Command) -> list[str]:
        match command:
            case MicOn(seat):
                seat = check_seat(seat)
                if self.state is not None and seat in self.state.requests:
                    return [self._message("GrantSpeech", {"seatIds": [seat]}, command)]
                return [self._message("AddSeatToSpeakers", {"seatId": seat}, command)]
            case MicOff(seat):
                return [self._message("RemoveSpeech", {"seatIds": [check_seat(seat)]}, command)]
            case RequestOff(seat):
                seat = check_seat(seat)
                if self.state is not None and seat in self.state.speakers:
                    return []  # removing a speaker from the list would cut the microphone
                return [self._message("RemoveSeatFromDiscussionList", {"seatId": seat}, command)]
            case RequestOn(_) | OperatorMode(_):
                return []  # not in the documented operations: see `can_add_request`
            case Resync():
                return [self._message("GetDiscussionList", {}, command)]
        raise AssertionError(f"unknown command {command!r}")

    def receive(self, text: str | bytes) -> Output:
        out = Output()
        try:
            message = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError):
            out.events.append(Refused(None, f"unreadable message: {text[:80]!r}"))
            return out
        if not isinstance(message, dict):
            out.events.append(Refused(None, f"a message is an object, not {message!r}"))
            return out
        operation = str(message.get("operation", "")).lower()
        parameters = message.get("parameters")
        parameters = parameters if isinstance(parameters, dict) else {}
        message_id = message.get("messageId")
        pending = self._pending.pop(message_id, None) if isinstance(message_id, int) else None
        if operation == "event":
            names = parameters.get("events")
            if isinstance(names, list) and "DiscussionListChanged" in names:
                out.messages += self.send(Resync())  # fetching it re-arms the event
            return out
        if operation == "error":
            self._error(pending, str(parameters.get("message", "")), out)
            return out
        if pending is None:
            return out
        asked, command = pending
        if asked == "login":
            self._logged_in(parameters, out)
        elif asked == "getdiscussionlist":
            try:
                state = parse_discussion_list(parameters)
            except DicentisError as error:
                out.events.append(Refused(command, str(error)))
                return out
            self.state = state
            out.events.append(state)
        return out

    def _logged_in(self, parameters: dict[str, Any], out: Output) -> None:
        if parameters.get("loggedIn") is not True:
            out.events.append(Refused(None, "login refused"))
            return
        self.logged_in = True
        out.events.append(Connected(SYSTEM))
        out.messages.append(self._message("RegisterEvents", {"events": list(EVENTS)}))
        out.messages += self.send(Resync())

    def _error(self, pending: tuple[str, Command | None] | None, reason: str, out: Output) -> None:
        if pending is not None and pending[0] == "login":
            out.events.append(Refused(None, f"login refused: {reason}"))
        else:
            out.events.append(Refused(pending[1] if pending else None, reason))
