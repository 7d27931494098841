"""What every conference system reports and is told, in the bridge's own words.

Each adapter (cocon, dicentis, shure) turns its wire messages into these events and these
commands into its wire messages. Every system reports its whole microphone state after a
change, and nothing when a command changed nothing, so the central event is `MicState`: a
full snapshot, from which the bridge reconciles, never a stream of deltas alone.
"""

from __future__ import annotations

from dataclasses import dataclass

SEAT_MIN = 1
SEAT_MAX = 65535
"""Seat numbers the control units accept (Shure's documented range; CoCon and DICENTIS
number seats within it)."""


def check_seat(seat: int) -> int:
    """A seat number a control unit can address, or ValueError naming what was wrong."""
    if isinstance(seat, bool) or not isinstance(seat, int):
        raise ValueError(f"a seat number is a whole number, not {seat!r}")
    if not SEAT_MIN <= seat <= SEAT_MAX:
        raise ValueError(f"seat {seat} is out of range ({SEAT_MIN}-{SEAT_MAX})")
    return seat


# --- events: from the conference system ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class MicState:
    """The control unit's whole microphone state."""

    speakers: tuple[int, ...] = ()
    """Seats whose microphone is live."""
    requests: tuple[int, ...] = ()
    """Seats in request, in the unit's order."""
    replies: tuple[int, ...] = ()
    """Seats asking to reply (CoCon's replies, DICENTIS's response requests)."""


@dataclass(frozen=True, slots=True)
class ButtonPressed:
    """A desk's microphone button went down or up (CoCon reports it; the state follows)."""

    seat: int
    down: bool


@dataclass(frozen=True, slots=True)
class Connected:
    """The link is up, subscribed, and a full `MicState` follows at once."""

    system: str


@dataclass(frozen=True, slots=True)
class Disconnected:
    """The link is down; the driver retries. Reported once per outage."""

    reason: str


@dataclass(frozen=True, slots=True)
class Refused:
    """The control unit answered a command with an error (nothing changed)."""

    command: Command | None
    reason: str


@dataclass(frozen=True, slots=True)
class ModeReported:
    """The unit's microphone mode; `operator` says whether only an operator's command (the
    bridge's) opens a microphone, as a bridge needs."""

    mode: str
    operator: bool


Event = MicState | ButtonPressed | Connected | Disconnected | Refused | ModeReported


# --- commands: to the conference system -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class MicOn:
    seat: int


@dataclass(frozen=True, slots=True)
class MicOff:
    seat: int


@dataclass(frozen=True, slots=True)
class RequestOn:
    """Put a seat in the unit's request list (to mirror Floorkeeper's line)."""

    seat: int


@dataclass(frozen=True, slots=True)
class RequestOff:
    """Take a seat out of the unit's request list. Never switches a live microphone off: an
    adapter drops it for a seat it knows to be speaking."""

    seat: int


@dataclass(frozen=True, slots=True)
class OperatorMode:
    """Put the unit in its operator / request-only mode: a press makes a request, and only
    the bridge's command opens a microphone."""

    max_speakers: int = 4


@dataclass(frozen=True, slots=True)
class Resync:
    """Ask the unit for its whole state again (a `MicState` follows)."""


Command = MicOn | MicOff | RequestOn | RequestOff | OperatorMode | Resync
