"""OSC messages, sans I/O: the OSC 1.0 specification's own examples, and Floorkeeper's addresses."""

from __future__ import annotations

import pytest

from app.broadcast import osc
from app.broadcast.osc import Message
from app.broadcast.plate import Person, Plate, TimerFacts
from app.errors import Invalid

# The OSC 1.0 specification, "Examples": the message "/oscillator/4/frequency" with the float
# 440.0, and "/foo" with 1000, -1, "hello", 1.234 and 5.678, byte by byte.
FREQUENCY = bytes.fromhex(
    "2f6f7363 696c6c61 746f722f 342f6672 65717565 6e637900 2c660000 43dc0000".replace(" ", "")
)
FOO = bytes.fromhex(
    (
        "2f666f6f 00000000 2c696973 66660000 000003e8 ffffffff 68656c6c 6f000000 3f9df3b6 40b5b22d"
    ).replace(" ", "")
)


def test_the_specifications_examples_are_written_byte_for_byte() -> None:
    assert osc.encode("/oscillator/4/frequency", [("f", 440.0)]) == FREQUENCY
    foo: list[osc.Arg] = [("i", 1000), ("i", -1), ("s", "hello"), ("f", 1.234), ("f", 5.678)]
    assert osc.encode("/foo", foo) == FOO


def test_the_specifications_examples_are_read_back() -> None:
    assert osc.decode(FREQUENCY) == [Message("/oscillator/4/frequency", (440.0,))]
    (foo,) = osc.decode(FOO)
    assert foo.address == "/foo"
    assert foo.args[:3] == (1000, -1, "hello")
    assert foo.args[3] == pytest.approx(1.234)
    assert foo.args[4] == pytest.approx(5.678)


def test_a_bundle_is_read_as_its_messages() -> None:
    # "#bundle", the time tag 1 (immediately), then each element's size and bytes.
    bundle = b"#bundle\x00" + (1).to_bytes(8, "big")
    for element in (FREQUENCY, FOO):
        bundle += len(element).to_bytes(4, "big") + element
    assert [m.address for m in osc.decode(bundle)] == ["/oscillator/4/frequency", "/foo"]


def test_what_is_not_osc_is_refused() -> None:
    with pytest.raises(ValueError, match="not an OSC packet"):
        osc.decode(b"hello")


@pytest.mark.parametrize("address", ["nope", "/a b", "/a/#", "/a//b", "/with/é", "/star*"])
def test_addresses_osc_reserves_characters_of_are_refused(address: str) -> None:
    with pytest.raises(Invalid):
        osc.encode(address, [])


def plate(**changes: object) -> Plate:
    values: dict[str, object] = {
        "lang": "fr",
        "direction": "ltr",
        "meeting_id": "demo",
        "version": 12,
        "speaking": True,
        "name": "France, au nom de l'Union européenne",
        "speaker": "France",
        "group": "l'Union européenne",
        "detail": "État Membre",
        "speaker_id": "FRA",
        "speaker_kind": "delegation",
        "number": 4,
        "language": "fr",
        "timer": TimerFacts(
            limit_ms=180_000,
            warning_ms=30_000,
            state="running",
            started_at=1_700_000_000_000,
            elapsed_ms=5_000,
        ),
        "next": Person("MEX", "Mexique", "État Membre"),
    }
    values.update(changes)
    return Plate(**values)  # type: ignore[arg-type]


def test_speaker_next_and_timer_messages() -> None:
    sign = plate()
    now = 1_700_000_010_000  # 10 s after the start, 5 s spoken before: 165 s left
    assert osc.decode(osc.speaker_message(sign)) == [
        Message(
            "/floorkeeper/demo/speaker",
            (
                "France, au nom de l'Union européenne",
                "FRA",
                "delegation",
                "l'Union européenne",
                "fr",
                4,
            ),
        )
    ]
    assert osc.decode(osc.next_message(sign)) == [
        Message("/floorkeeper/demo/next", ("Mexique", "MEX"))
    ]
    assert osc.decode(osc.timer_message(sign, now)) == [
        Message(
            "/floorkeeper/demo/timer",
            ("running", 180_000, 30_000, 1_700_000_000_000, 5_000, 165_000, now),
        )
    ]
    assert osc.decode(osc.remaining_message(sign, now) or b"") == [
        Message("/floorkeeper/demo/timer/remaining", (165_000, "2:45", "normal"))
    ]


def test_the_server_instants_are_64_bit_integers_on_the_wire() -> None:
    datagram = osc.timer_message(plate(), 1_700_000_010_000)
    assert b",siihiih\x00" in datagram


def test_an_empty_floor_sends_empty_strings_and_no_reading() -> None:
    sign = plate(
        speaking=False,
        name="",
        speaker="",
        group=None,
        detail="",
        speaker_id=None,
        speaker_kind=None,
        number=None,
        language=None,
        timer=None,
        next=None,
    )
    assert osc.decode(osc.speaker_message(sign)) == [
        Message("/floorkeeper/demo/speaker", ("", "", "", "", "", 0))
    ]
    assert osc.decode(osc.next_message(sign)) == [Message("/floorkeeper/demo/next", ("", ""))]
    assert osc.decode(osc.timer_message(sign, 5))[0].args == ("none", 0, 0, 0, 0, 0, 5)
    assert osc.remaining_message(sign, 5) is None
