"""The wire protocol: every message between the server and its clients, and on the pub/sub bus
between the server's processes, as a typed model with its encoding. docs/protocol.md describes
each one; tests/unit/test_messages.py checks the two against each other.

Three families:

- to a websocket client (`ServerMessage`): the meeting's states (`meeting`, `live`), the store's
  `status`, and the answers to a client's own messages (`clock`, `pong`, `error`);
- from a websocket client (`ClientMessage`): `clock`, `ping`, parsed as a discriminated union
  on `type`;
- on the bus only, never sent to a socket: `acts`, what each commit did (for consumers other
  than screens: `Hub.subscribe`), published on the meeting's channel beside its new state, and
  `revoked`, on the control channel, which is no meeting's.

A model is built by the server from values it trusts; `encode` gives its text, as compact JSON
(no spaces, non-ASCII as is). Incoming text is parsed by `parse_client` and `parse_bus`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.domain.model import Meeting
from app.queue.rules import FloorState

CONTROL_CHANNEL = "fk:control"
"""The pub/sub channel of messages that concern no one meeting (a revoked access code)."""


class _Message(BaseModel):
    # A domain dataclass given to a model is kept as it is, not validated again: the server
    # built it, and a live message is made on every change.
    model_config = ConfigDict(frozen=True, extra="forbid", revalidate_instances="never")

    def encode(self) -> str:
        return self.model_dump_json()


# --- to a websocket client ----------------------------------------------------------------


class MeetingMessage(_Message):
    """The programme, roster and policy of a meeting, as of `version`."""

    type: Literal["meeting"] = "meeting"
    meeting_id: str
    version: int
    meeting: Meeting


class ProposalReason(_Message):
    code: Literal["interventions", "minutes", "no_one_waiting", "panelists_done"]
    count: int


class Timetable(_Message):
    """The item under way against the programme (app/programme/timetable.py)."""

    item_id: str
    scheduled_start: int
    scheduled_end: int
    actual_start: int | None
    late_ms: int | None
    delay: Literal["late", "on_time", "ahead"] | None
    forecast_end: int | None


class Forecast(_Message):
    """How many of the waiting requests fit before the item's scheduled end."""

    heard: int
    not_heard: list[str]
    fits: bool
    suggestion: Literal["close the floor", "the line fits"]
    leftover_ms: int


class LiveMessage(_Message):
    """The floor as of `version`, and what the policy and the clock make of it at `at`."""

    type: Literal["live"] = "live"
    meeting_id: str
    version: int
    base: int
    """The version before the commit that made this one: a client at `base` missed nothing."""
    at: int
    floor: FloorState
    next: list[str]
    proposal: str | None
    proposal_reason: ProposalReason | None
    timetable: Timetable | None
    forecast: Forecast | None


class StatusMessage(_Message):
    """Whether the server can reach its store; sent when that changes."""

    type: Literal["status"] = "status"
    store: Literal["ok", "unreachable"]


class ClockReply(_Message):
    type: Literal["clock"] = "clock"
    client: float
    """The client's clock (ms) as it sent it."""
    server: int


class Pong(_Message):
    type: Literal["pong"] = "pong"


class ErrorMessage(_Message):
    """A message refused, or the reason before the server closes the socket."""

    type: Literal["error"] = "error"
    code: str
    message: str


ServerMessage = Annotated[
    MeetingMessage | LiveMessage | StatusMessage | ClockReply | Pong | ErrorMessage,
    Field(discriminator="type"),
]
server_message: TypeAdapter[
    MeetingMessage | LiveMessage | StatusMessage | ClockReply | Pong | ErrorMessage
] = TypeAdapter(ServerMessage)


# --- from a websocket client ------------------------------------------------------------------


class ClockRequest(_Message):
    type: Literal["clock"]
    client: float = Field(description="the client's clock (ms), echoed back")


class Ping(_Message):
    type: Literal["ping"]


ClientMessage = Annotated[ClockRequest | Ping, Field(discriminator="type")]
client_message: TypeAdapter[ClockRequest | Ping] = TypeAdapter(ClientMessage)


def parse_client(text: str) -> ClockRequest | Ping:
    """A client's message; raises pydantic's ValidationError when it is not one."""
    return client_message.validate_json(text)


# --- on the bus only ------------------------------------------------------------------------


class ActEntry(_Message):
    """One act as the record keeps it: what happened, who did it, at which version."""

    version: int
    at: int
    by: str
    act: str
    details: dict[str, Any]


class ActsMessage(_Message):
    """The acts of one commit, in version order, published after its new state."""

    type: Literal["acts"] = "acts"
    meeting_id: str
    base: int
    """The version before this commit (0: the meeting was created by it)."""
    entries: list[ActEntry]


class RevokedMessage(_Message):
    """An access code was revoked or reissued: connections signed in with it close."""

    type: Literal["revoked"] = "revoked"
    code_id: str


BusMessage = Annotated[ActsMessage | RevokedMessage, Field(discriminator="type")]
bus_message: TypeAdapter[ActsMessage | RevokedMessage] = TypeAdapter(BusMessage)


def parse_bus(text: str | bytes) -> ActsMessage | RevokedMessage:
    return bus_message.validate_json(text)


# --- what each side sends, by type, for the checks of the screens and the documentation ----

SERVER_TYPES: dict[str, type[_Message]] = {
    "meeting": MeetingMessage,
    "live": LiveMessage,
    "status": StatusMessage,
    "clock": ClockReply,
    "pong": Pong,
    "error": ErrorMessage,
}
CLIENT_TYPES: dict[str, type[_Message]] = {"clock": ClockRequest, "ping": Ping}
BUS_TYPES: dict[str, type[_Message]] = {"acts": ActsMessage, "revoked": RevokedMessage}
STATE_TYPES = ("meeting", "live", "status")
"""The messages that are complete states: a newer one replaces an unsent older one."""


# --- the messages as the server makes them --------------------------------------------------


def meeting_message(meeting: Meeting, version: int) -> str:
    return MeetingMessage(meeting_id=meeting.id, version=version, meeting=meeting).encode()


def live_message(
    meeting_id: str, floor: FloorState, version: int, base: int, at: int, extra: dict[str, Any]
) -> str:
    """`extra`: what the policy and the clock make of the floor (`next`, `proposal`,
    `proposal_reason`, `timetable`, `forecast`)."""
    return LiveMessage(
        meeting_id=meeting_id, version=version, base=base, at=at, floor=floor, **extra
    ).encode()


def acts_message(meeting_id: str, base: int, entries: list[ActEntry]) -> str:
    return ActsMessage(meeting_id=meeting_id, base=base, entries=entries).encode()


def status_message(store_ok: bool) -> str:
    return StatusMessage(store="ok" if store_ok else "unreachable").encode()


def error_message(message: str, code: str = "invalid") -> str:
    return ErrorMessage(code=code, message=message).encode()


def clock_reply(client: float, server: int) -> str:
    return ClockReply(client=client, server=server).encode()


PONG = Pong().encode()


def revoked_message(code_id: str) -> str:
    return RevokedMessage(code_id=code_id).encode()
