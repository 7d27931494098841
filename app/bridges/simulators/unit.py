"""A conference system's control unit: seats, live microphones, the request list. Pure.

What every vendor's unit does, as far as a bridge can tell: a press of a desk's button in a
request mode puts the seat in the request list (or takes it out again, where cancelling is
allowed); an operator's command turns a microphone on (taking the seat out of the list) or
off; and a command that changes nothing reports nothing. Each method returns the changes it
made, in order, as `(verb, seat)` pairs in Shure's words (the simulators word them in their
own protocol); an empty list means nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.bridges.events import MicState

Change = tuple[str, int]
"""("mic_on" | "mic_off" | "mic_request_on" | "mic_request_off", seat)."""


class Mode(StrEnum):
    OPERATOR = "operator"
    """Only the operator opens a microphone; a press does nothing."""
    REQUEST = "request"
    """A press opens the microphone if there is room, else makes a request."""
    ONLY_REQUEST = "only_request"
    """A press makes a request; only the operator opens a microphone (what a bridge wants)."""
    DIRECT = "direct"
    """A press opens the microphone at once (up to the maximum)."""


class UnknownSeat(ValueError):
    pass


@dataclass
class ControlUnit:
    seats: int = 200
    """Seats 1 to `seats` exist."""
    mode: Mode = Mode.REQUEST
    max_speakers: int = 4
    max_requests: int = 250
    allow_cancel_request: bool = True
    speakers: list[int] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    replies: list[int] = field(default_factory=list)
    version: int = 0
    """Counts the changes, so that a watcher can tell whether anything happened."""

    def state(self) -> MicState:
        return MicState(tuple(self.speakers), tuple(self.requests), tuple(self.replies))

    def check(self, seat: int) -> int:
        if isinstance(seat, bool) or not isinstance(seat, int) or not 1 <= seat <= self.seats:
            raise UnknownSeat(f"there is no seat {seat!r} (seats 1-{self.seats})")
        return seat

    def _done(self, changes: list[Change]) -> list[Change]:
        if changes:
            self.version += 1
        return changes

    # --- a delegate at the desk -------------------------------------------------------------

    def press(self, seat: int) -> list[Change]:
        """The desk's microphone button."""
        self.check(seat)
        if seat in self.speakers:
            return []  # switching off by the desk is disabled in the operator modes
        if seat in self.requests:
            return self.request_off(seat) if self.allow_cancel_request else []
        if self.mode is Mode.OPERATOR:
            return []
        if self.mode is Mode.DIRECT or (
            self.mode is Mode.REQUEST and len(self.speakers) < self.max_speakers
        ):
            return self.mic_on(seat)
        return self.request_on(seat)

    # --- the operator (the bridge) ----------------------------------------------------------

    def mic_on(self, seat: int) -> list[Change]:
        self.check(seat)
        if seat in self.speakers or len(self.speakers) >= self.max_speakers:
            return []
        changes: list[Change] = []
        if seat in self.requests:
            self.requests.remove(seat)
            changes.append(("mic_request_off", seat))
        self.speakers.append(seat)
        changes.insert(0, ("mic_on", seat))
        return self._done(changes)

    def mic_off(self, seat: int) -> list[Change]:
        self.check(seat)
        if seat not in self.speakers:
            return []
        self.speakers.remove(seat)
        return self._done([("mic_off", seat)])

    def request_on(self, seat: int) -> list[Change]:
        self.check(seat)
        if seat in self.speakers or seat in self.requests:
            return []
        if len(self.requests) >= self.max_requests:
            return []
        self.requests.append(seat)
        return self._done([("mic_request_on", seat)])

    def request_off(self, seat: int) -> list[Change]:
        self.check(seat)
        if seat not in self.requests:
            return []
        self.requests.remove(seat)
        return self._done([("mic_request_off", seat)])

    def off(self, seat: int) -> list[Change]:
        """Neither speaking nor requesting (CoCon's SetState Off)."""
        return self.mic_off(seat) + self.request_off(seat)

    def next_on(self) -> list[Change]:
        """First speaker off, first request on."""
        changes: list[Change] = []
        if self.speakers:
            changes += self.mic_off(self.speakers[0])
        if self.requests:
            changes += self.mic_on(self.requests[0])
        return changes

    def all_speakers_off(self) -> list[Change]:
        changes: list[Change] = []
        for seat in list(self.speakers):
            changes += self.mic_off(seat)
        return changes

    def all_requests_off(self) -> list[Change]:
        changes: list[Change] = []
        for seat in list(self.requests):
            changes += self.request_off(seat)
        return changes
