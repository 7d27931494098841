"""Televic CoCon (Plixus), sans-I/O: HTTP requests to make out, answers and events in.

The protocol (Televic "CoCon API Description" v6.9): REST/JSON over HTTP, port 8890, no
authentication. `GET /CoCon/Connect` gives an id; `/CoCon/Subscribe/?Model=Microphone&id=..`
subscribes it; events come by long poll on `/CoCon/Notification/id=<id>`, which answers one
JSON event, or HTTP 408 after 30 s without one, and must be re-opened at once; an id not
polled for 180 s expires and is answered HTTP 400. The document's best practice is one
Connect and one dedicated notification loop, not reconnecting in short intervals: so a lost
poll is retried with the same id, and only a 400 makes a new Connect (and a new subscription).

The adapter says which requests to make (`HttpGet`, on one of two lanes: the notification
loop, held open, and the commands) and turns each answer into events and further requests.
The driver (links.py) only moves bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlencode

from app.bridges.events import (
    ButtonPressed,
    Command,
    Connected,
    Disconnected,
    Event,
    MicOff,
    MicOn,
    MicState,
    ModeReported,
    OperatorMode,
    Refused,
    RequestOff,
    RequestOn,
    Resync,
    check_seat,
)

SYSTEM = "cocon"
DEFAULT_PORT = 8890
POLL_TIMEOUT_S = 30.0
"""The document's long-poll time-out: a notification request with no event answers 408."""
ID_EXPIRY_S = 180.0
"""An id not polled for this long expires (answered 400)."""
MODELS = ("Microphone",)

Lane = Literal["poll", "command"]
Purpose = Literal["connect", "subscribe", "state", "notification", "command"]

RESULTS = {0: None, 1: "bad value", -1: "exception in the control unit"}
"""A command's answer: 0 done, 1 a bad value, -1 an exception."""

OPERATOR_MODES = frozenset({"operator", "onlyrequest"})
"""CoCon modes in which a press cannot open a microphone by itself."""


@dataclass(frozen=True, slots=True)
class HttpGet:
    target: str
    """Path and query, as sent on the request line."""
    lane: Lane
    purpose: Purpose
    command: Command | None = None


@dataclass(slots=True)
class Output:
    events: list[Event] = field(default_factory=list)
    requests: list[HttpGet] = field(default_factory=list)


class CoConError(ValueError):
    """A body that is not what the document describes."""


def _get(
    path: str, lane: Lane, purpose: Purpose, command: Command | None = None, **query: object
) -> HttpGet:
    text = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in query.items()}
    return HttpGet(f"{path}/?{urlencode(text)}" if text else path, lane, purpose, command)


def parse_state(lists: object) -> MicState:
    """`{"Speakers":[6],"Requests":[4,9],"Replies":[]}` → MicState."""
    if not isinstance(lists, dict):
        raise CoConError(f"a microphone state is an object, not {lists!r}")

    def seats(key: str) -> tuple[int, ...]:
        value = lists.get(key, [])
        if not isinstance(value, list):
            raise CoConError(f"{key} is a list of seat numbers, not {value!r}")
        try:
            return tuple(check_seat(s) for s in value)
        except ValueError as error:
            raise CoConError(f"{key}: {error}") from None

    return MicState(seats("Speakers"), seats("Requests"), seats("Replies"))


def parse_notification(body: bytes) -> list[Event]:
    """One notification's JSON → the events the bridge cares about. Models the bridge does not
    use (Timer, Meeting_Agenda...) give none."""
    try:
        message = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CoConError(f"a notification is JSON, not {body[:80]!r}") from None
    if not isinstance(message, dict):
        raise CoConError(f"a notification is a JSON object, not {message!r}")
    events: list[Event] = []
    for name, value in message.items():
        if name == "MicrophoneState":
            events.append(parse_state(value))
        elif name == "MicButtonEvent":
            if not isinstance(value, dict) or value.get("Event") not in ("up", "down"):
                raise CoConError(f"a MicButtonEvent has a SeatNr and an Event up/down: {value!r}")
            try:
                seat = check_seat(value.get("SeatNr"))  # type: ignore[arg-type]
            except ValueError as error:
                raise CoConError(f"MicButtonEvent: {error}") from None
            events.append(ButtonPressed(seat, value["Event"] == "down"))
        elif name == "MicrophoneMode":
            mode = value.get("Mode") if isinstance(value, dict) else None
            if not isinstance(mode, str):
                raise CoConError(f"a MicrophoneMode names its Mode: {value!r}")
            events.append(ModeReported(mode, mode.lower() in OPERATOR_MODES))
    return events


def parse_result(body: bytes) -> int:
    """A command's answer: `0`, or `{"SetState": 0}` as some firmware words it."""
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CoConError(f"a command's answer is 0, 1 or -1, not {body[:80]!r}") from None
    if isinstance(value, dict) and len(value) == 1:
        (value,) = value.values()
    if isinstance(value, bool) or value not in RESULTS:
        raise CoConError(f"a command's answer is 0, 1 or -1, not {value!r}")
    return int(value)


def command_request(command: Command) -> HttpGet:
    match command:
        case MicOn(seat):
            return _get(
                "/CoCon/Microphone/SetState",
                "command",
                "command",
                command,
                State="On",
                SeatNr=check_seat(seat),
            )
        case MicOff(seat) | RequestOff(seat):
            return _get(
                "/CoCon/Microphone/SetState",
                "command",
                "command",
                command,
                State="Off",
                SeatNr=check_seat(seat),
            )
        case RequestOn(seat):
            return _get(
                "/CoCon/Microphone/SetState",
                "command",
                "command",
                command,
                State="Request",
                SeatNr=check_seat(seat),
            )
        case OperatorMode(max_speakers):
            return _get(
                "/CoCon/Microphone/SetMicrophoneMode",
                "command",
                "command",
                command,
                Mode="OnlyRequest",
                MaxNrActive=max_speakers,
                AllowRequest=True,
                AllowCancelRequest=True,  # a second press withdraws, as on a tablet
                FIFO=False,
                AllowSwitchOffMic=False,  # only the moderator's act ends a turn
            )
        case Resync():
            return HttpGet("/CoCon/Microphone/GetState", "command", "state", command)
    raise AssertionError(f"unknown command {command!r}")


class CoConClient:
    """One bridge's conversation with one CoCon server."""

    def __init__(self, models: tuple[str, ...] = MODELS) -> None:
        self.models = models
        self.id: str | None = None
        self.up = False
        """Whether the last notification or state request was answered."""
        self.state: MicState | None = None
        """The last full state seen, to keep `RequestOff` away from live microphones."""
        self._resyncing = False

    def connect(self) -> list[HttpGet]:
        """The first request, and the one after an expired id."""
        self.id = None
        return [HttpGet("/CoCon/Connect", "command", "connect")]

    def send(self, command: Command) -> list[HttpGet]:
        """The request for a command; none for a `RequestOff` of a seat that is speaking,
        since CoCon's Off would switch its microphone off."""
        if (
            isinstance(command, RequestOff)
            and self.state is not None
            and command.seat in self.state.speakers
        ):
            return []
        return [command_request(command)]

    def poll(self) -> HttpGet:
        assert self.id is not None
        return HttpGet(f"/CoCon/Notification/id={self.id}", "poll", "notification")

    def receive(self, request: HttpGet, status: int, body: bytes) -> Output:
        """An answer to `request`."""
        out = Output()
        if request.purpose == "connect":
            self._connected(status, body, out)
        elif request.purpose == "subscribe":
            if status != 200 or body.strip() in (b"1", b"-1"):
                self._down(f"subscription refused: HTTP {status} {body[:80]!r}", out)
                out.requests += self.connect()
        elif request.purpose == "state":
            self._state(status, body, out)
        elif request.purpose == "notification":
            self._notification(request, status, body, out)
        else:
            self._result(request, status, body, out)
        return out

    def lost(self, request: HttpGet, reason: str) -> Output:
        """The connection carrying `request` failed (refused, reset, cut mid-answer). The
        driver retries the returned requests after its backoff."""
        out = Output()
        self._down(reason, out)
        if request.purpose == "notification" and self.id is not None:
            out.requests.append(self.poll())  # the id lives 180 s unpolled: keep it
        elif request.purpose == "command":
            out.events.append(Refused(request.command, f"not delivered: {reason}"))
        else:
            out.requests += self.connect()
        return out

    def _down(self, reason: str, out: Output) -> None:
        if self.up:
            self.up = False
            out.events.append(Disconnected(reason))

    def _connected(self, status: int, body: bytes, out: Output) -> None:
        try:
            answer = json.loads(body) if status == 200 else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            answer = None
        if not (
            isinstance(answer, dict)
            and answer.get("Connect") is True
            and isinstance(answer.get("id"), str)
            and answer["id"]
        ):
            self._down(f"Connect refused: HTTP {status} {body[:80]!r}", out)
            out.requests += self.connect()
            return
        self.id = answer["id"]
        out.requests += [
            _get("/CoCon/Subscribe", "command", "subscribe", Model=m, id=self.id)
            for m in self.models
        ]
        # After the subscription: the state then, and every change after it by notification.
        out.requests += [command_request(Resync()), self.poll()]

    def _state(self, status: int, body: bytes, out: Output) -> None:
        self._resyncing = False
        try:
            answer = json.loads(body) if status == 200 else None
            lists = answer["GetState"]["State"]  # type: ignore[index]
            state = parse_state(lists)
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, CoConError):
            self._down(f"GetState answered HTTP {status} {body[:80]!r}", out)
            return
        if not self.up:
            self.up = True
            out.events.append(Connected(SYSTEM))
        self.state = state
        out.events.append(state)

    def _notification(self, request: HttpGet, status: int, body: bytes, out: Output) -> None:
        if self.id is None or request.target != self.poll().target:
            return  # an answer for an id given up since: its loop is over
        if status == 400:  # the id expired: a new Connect, subscriptions and state
            self._down("notification id expired (HTTP 400)", out)
            out.requests += self.connect()
            return
        if status not in (200, 408):
            self._down(f"notification answered HTTP {status}", out)
            out.requests.append(self.poll())
            return
        if not self.up and not self._resyncing:  # back after an outage: events were missed
            self._resyncing = True
            out.requests.append(command_request(Resync()))
        if status == 200:
            try:
                events = parse_notification(body)
            except CoConError as error:
                out.events.append(Refused(None, f"unreadable notification: {error}"))
                events = []
            for event in events:
                if isinstance(event, MicState):
                    self.state = event
            out.events += events
        out.requests.append(self.poll())

    def _result(self, request: HttpGet, status: int, body: bytes, out: Output) -> None:
        if status != 200:
            out.events.append(Refused(request.command, f"HTTP {status} {body[:80]!r}"))
            return
        try:
            reason = RESULTS[parse_result(body)]
        except CoConError as error:
            reason = str(error)
        if reason is not None:
            out.events.append(Refused(request.command, reason))
