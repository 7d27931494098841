"""OSC (Open Sound Control 1.0) messages for show-control tools, sans I/O.

The encoding is python-osc's (`pythonosc`, maintained, pure Python, typed): it writes the
address, the type tag string and the arguments, each padded to four bytes, as the OSC 1.0
specification lays them out. This module chooses the addresses and the arguments, and reads
datagrams back (the UDP receiver of the simulator).

Addresses, under `/floorkeeper/<meeting>/`:

- `speaker`  s name on the plate, s speaker id, s kind (delegation, panelist, scripted),
  s group ("" if none), s language of delivery ("" if unknown), i intervention number
  (0 when nobody has the floor: then the strings are empty).
- `next`     s name, s id (both "" when no one is waiting).
- `timer`    the facts, sent when they change, never as a tick: s state (idle, running,
  paused, none), i limit ms, i warning ms, h started at (server ms, 0 unless running),
  i elapsed ms before that start, i remaining ms at `at`, h at (server ms).
- `timer/remaining`  i remaining ms, s the hall display's digits ("2:59", "+0:04"),
  s phase: only for tools that cannot count themselves, once a second when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from pythonosc.osc_bundle import OscBundle
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import ArgValue, OscMessageBuilder

from app.broadcast.plate import Plate, countdown
from app.errors import Invalid

DEFAULT_PORT = 9000
# OSC 1.0: these may not appear in an OSC method's name.
_RESERVED = set(" #*,/?[]{}")

Arg = tuple[str, ArgValue]
"""A type tag ("s", "i", "h", "f", "d", "T", "F", "N") and its value."""


def check_part(part: str) -> str:
    """One part of an address: printable ASCII without the characters OSC reserves."""
    if not part or any(c in _RESERVED or not (32 < ord(c) < 127) for c in part):
        raise Invalid(f"'{part}' cannot be part of an OSC address")
    return part


def encode(address: str, args: list[Arg]) -> bytes:
    """One OSC message as a datagram."""
    if not address.startswith("/"):
        raise Invalid("an OSC address starts with '/'")
    for part in address[1:].split("/"):
        check_part(part)
    builder = OscMessageBuilder(address=address)
    for tag, value in args:
        builder.add_arg(value, tag)
    return builder.build().dgram


@dataclass(frozen=True, slots=True)
class Message:
    address: str
    args: tuple[object, ...]


def decode(datagram: bytes) -> list[Message]:
    """The messages of one datagram: a message, or a bundle (flattened, nested ones too)."""
    if OscBundle.dgram_is_bundle(datagram):
        found: list[Message] = []
        for content in OscBundle(datagram):
            found.extend(decode(content.dgram))
        return found
    if OscMessage.dgram_is_message(datagram):
        message = OscMessage(datagram)
        return [Message(message.address, tuple(message.params))]
    raise ValueError("not an OSC packet: it starts with neither '/' nor '#bundle'")


# --- Floorkeeper's messages ---------------------------------------------------------------


def base(meeting_id: str) -> str:
    return f"/floorkeeper/{check_part(meeting_id)}"


def speaker_message(sign: Plate) -> bytes:
    return encode(
        f"{base(sign.meeting_id)}/speaker",
        [
            ("s", sign.name),
            ("s", sign.speaker_id or ""),
            ("s", sign.speaker_kind or ""),
            ("s", sign.group or ""),
            ("s", sign.language or ""),
            ("i", sign.number or 0),
        ],
    )


def next_message(sign: Plate) -> bytes:
    following = sign.next
    return encode(
        f"{base(sign.meeting_id)}/next",
        [("s", following.name if following else ""), ("s", following.id if following else "")],
    )


def timer_message(sign: Plate, now: int) -> bytes:
    timer = sign.timer
    if timer is None:
        args: list[Arg] = [("s", "none"), ("i", 0), ("i", 0), ("h", 0), ("i", 0), ("i", 0)]
    else:
        args = [
            ("s", timer.state),
            ("i", timer.limit_ms),
            ("i", timer.warning_ms),
            ("h", timer.started_at or 0),
            ("i", timer.elapsed_ms),
            ("i", countdown(timer, now).remaining_ms),
        ]
    return encode(f"{base(sign.meeting_id)}/timer", [*args, ("h", now)])


def remaining_message(sign: Plate, now: int) -> bytes | None:
    """The once-a-second reading, or None when there is no clock to read."""
    if sign.timer is None:
        return None
    reading = countdown(sign.timer, now)
    return encode(
        f"{base(sign.meeting_id)}/timer/remaining",
        [("i", reading.remaining_ms), ("s", reading.digits), ("s", reading.phase)],
    )
