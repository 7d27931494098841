"""Shure DDS 5900 / DCS 6000 / MXC, sans-I/O: text lines over TCP, port 3142.

The protocol (Shure DDS 5900 and DCS 6000 manuals, MXC command strings): lines
`<command> <data><CR>` in, `<command> <data><CR><LF>` out, case-insensitive; the unit
understands CR, LF or both. "A reply to a command is produced only if actions are taken":
`mic_on 12` for a microphone already on gets no answer. The unit reports each change with
the same verbs (`mic_on 12`, `mic_request_on 12`, `mic_off 12`, ...), and `mic_status`
streams the whole state, ending with `mic_status_done`.

The unit speaks in deltas; the adapter keeps the state they add up to and reports it whole
(`MicState`) after each, so that the bridge reconciles from snapshots as with the others.
During a status dump the state is rebuilt from nothing and reported once, at its end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

SYSTEM = "shure"
DEFAULT_PORT = 3142
MAX_LINE = 1024
"""A longer line is not the unit's: the buffer is dropped and the fact reported."""
MAX_SPEAKERS = (1, 8)


@dataclass(slots=True)
class Seats:
    speakers: list[int] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    replies: list[int] = field(default_factory=list)

    def freeze(self) -> MicState:
        return MicState(tuple(self.speakers), tuple(self.requests), tuple(self.replies))


def _add(seats: list[int], seat: int) -> None:
    if seat not in seats:
        seats.append(seat)


def _drop(seats: list[int], seat: int) -> None:
    if seat in seats:
        seats.remove(seat)


SEAT_VERBS = frozenset(
    {"mic_on", "mic_off", "mic_request_on", "mic_request_off", "mic_reply_on", "mic_reply_off"}
)


def _apply(seats: Seats, verb: str, seat: int) -> None:
    """One notification of the unit on the state it adds to."""
    if verb == "mic_on":  # a request granted leaves the list (the unit says so too)
        _drop(seats.requests, seat)
        _add(seats.speakers, seat)
    elif verb == "mic_off":
        _drop(seats.speakers, seat)
    elif verb == "mic_request_on":
        _add(seats.requests, seat)
    elif verb == "mic_request_off":
        _drop(seats.requests, seat)
    elif verb == "mic_reply_on":
        _add(seats.replies, seat)
    elif verb == "mic_reply_off":
        _drop(seats.replies, seat)


def encode(command: Command) -> list[bytes]:
    match command:
        case MicOn(seat):
            return [f"mic_on {check_seat(seat)}\r".encode()]
        case MicOff(seat):
            return [f"mic_off {check_seat(seat)}\r".encode()]
        case RequestOn(seat):
            return [f"mic_request_on {check_seat(seat)}\r".encode()]
        case RequestOff(seat):
            return [f"mic_request_off {check_seat(seat)}\r".encode()]
        case OperatorMode(max_speakers):
            low, high = MAX_SPEAKERS
            if not low <= max_speakers <= high:
                raise ValueError(f"max_speakers is {low}..{high}, not {max_speakers}")
            return [b"mic_mode manual\r", f"max_speakers {max_speakers}\r".encode()]
        case Resync():
            return [b"mic_status\r"]
    raise AssertionError(f"unknown command {command!r}")


class ShureClient:
    """One bridge's conversation with one Shure control unit, one TCP connection long;
    `start` again after a reconnect."""

    def __init__(self) -> None:
        self._buffer = b""
        self._seats = Seats()
        self._dump: Seats | None = None
        self.up = False
        self.state: MicState | None = None

    def start(self) -> list[bytes]:
        """The first lines on a new connection: the whole state, streamed."""
        self._buffer = b""
        self._dump = Seats()
        return encode(Resync())

    def send(self, command: Command) -> list[bytes]:
        if isinstance(command, Resync):
            self._dump = Seats()
        elif isinstance(command, RequestOff) and command.seat in self._seats.speakers:
            return []  # never a cut: the line says request, the seat is speaking
        return encode(command)

    def lost(self, reason: str) -> list[Event]:
        was_up, self.up = self.up, False
        self._dump = None
        return [Disconnected(reason)] if was_up else []

    def receive(self, data: bytes) -> list[Event]:
        self._buffer += data
        events: list[Event] = []
        *lines, self._buffer = (
            self._buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        )
        if len(self._buffer) > MAX_LINE:
            events.append(Refused(None, f"a line longer than {MAX_LINE} bytes was dropped"))
            self._buffer = b""
        before = self.state
        for raw in lines:
            if raw.strip():
                events += self._line(raw.decode("ascii", "replace").strip())
        # one snapshot per chunk: `mic_on 12` and its `mic_request_off 12` are one change
        states = [e for e in events if isinstance(e, MicState)]
        events = [e for e in events if not isinstance(e, MicState)]
        if states and (states[-1] != before or any(isinstance(e, Connected) for e in events)):
            events.append(states[-1])
        return events

    def _line(self, line: str) -> list[Event]:
        verb, _, data = line.partition(" ")
        verb = verb.lower()
        if verb == "mic_status_done":
            return self._dump_done()
        if verb == "command_error":
            return [Refused(None, f"the unit refused a command: {data}")]
        if verb == "mic_all_requests_off":
            target = self._dump if self._dump is not None else self._seats
            target.requests.clear()
            return self._changed()
        if verb not in SEAT_VERBS:
            return []  # seat_number, audio and the rest: nothing the bridge uses
        try:
            seat = check_seat(int(data.split()[0]))
        except (ValueError, IndexError):
            return [Refused(None, f"unreadable line from the unit: {line!r}")]
        _apply(self._dump if self._dump is not None else self._seats, verb, seat)
        return self._changed()

    def _changed(self) -> list[Event]:
        if self._dump is not None or not self.up:
            return []  # the dump's end reports the whole state
        self.state = self._seats.freeze()
        return [self.state]

    def _dump_done(self) -> list[Event]:
        if self._dump is None:
            return []
        self._seats, self._dump = self._dump, None
        events: list[Event] = []
        if not self.up:
            self.up = True
            events.append(Connected(SYSTEM))
        self.state = self._seats.freeze()
        events.append(self.state)
        return events
