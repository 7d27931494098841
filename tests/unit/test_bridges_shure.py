"""Shure DDS 5900 / MXC's adapter against the command strings of its manuals
(docs/bridges.md): `<command> <data><CR>` in, `<command> <data><CR><LF>` out."""

from __future__ import annotations

import pytest

from app.bridges.events import (
    Connected,
    Disconnected,
    MicOff,
    MicOn,
    MicState,
    OperatorMode,
    Refused,
    RequestOff,
    RequestOn,
    Resync,
)
from app.bridges.shure import ShureClient


def up(dump: bytes = b"mic_status_done\r\n") -> ShureClient:
    client = ShureClient()
    assert client.start() == [b"mic_status\r"]
    events = client.receive(dump)
    assert events[0] == Connected("shure")
    return client


def test_the_status_dump_is_one_snapshot_at_its_end() -> None:
    client = ShureClient()
    client.start()
    assert client.receive(b"mic_on 12\r\nmic_request_on 4\r\n") == []
    assert client.receive(b"mic_request_on 9\r\nmic_status_done\r\n") == [
        Connected("shure"),
        MicState((12,), (4, 9), ()),
    ]


def test_each_notification_gives_the_whole_state() -> None:
    client = up()
    assert client.receive(b"mic_request_on 12\r\n") == [MicState((), (12,), ())]
    assert client.receive(b"mic_request_on 4\r\n") == [MicState((), (12, 4), ())]
    # the unit grants: "mic_on", and "mic_request_off" for the seat leaving the list
    assert client.receive(b"mic_on 12\r\nmic_request_off 12\r\n") == [MicState((12,), (4,), ())]
    assert client.receive(b"mic_off 12\r\n") == [MicState((), (4,), ())]


def test_lines_may_end_in_cr_lf_or_both_arrive_in_pieces_and_in_any_case() -> None:
    client = up()
    assert client.receive(b"MIC_REQUEST_ON 3\r") == [MicState((), (3,), ())]
    assert client.receive(b"mic_request_on ") == []
    assert client.receive(b"7\nmic_request_on 8") == [MicState((), (3, 7), ())]
    assert client.receive(b"\r\n") == [MicState((), (3, 7, 8), ())]


def test_a_line_that_changes_nothing_reports_nothing() -> None:
    client = up(b"mic_on 5\r\nmic_status_done\r\n")
    assert client.receive(b"mic_on 5\r\n") == []
    assert client.receive(b"seat_number 12 active Delegate of Chile\r\n") == []


@pytest.mark.parametrize(
    ("command", "lines"),
    [
        (MicOn(212), [b"mic_on 212\r"]),
        (MicOff(212), [b"mic_off 212\r"]),
        (RequestOn(12), [b"mic_request_on 12\r"]),
        (RequestOff(12), [b"mic_request_off 12\r"]),
        (OperatorMode(2), [b"mic_mode manual\r", b"max_speakers 2\r"]),
        (Resync(), [b"mic_status\r"]),
    ],
)
def test_commands_are_the_documented_lines(command: object, lines: list[bytes]) -> None:
    assert up().send(command) == lines  # type: ignore[arg-type]


def test_a_request_off_for_a_speaking_seat_is_not_sent() -> None:
    client = up(b"mic_on 5\r\nmic_status_done\r\n")
    assert client.send(RequestOff(5)) == []


def test_a_command_error_and_an_unreadable_line_are_reported() -> None:
    client = up()
    assert client.receive(b"command_error unknown command\r\n") == [
        Refused(None, "the unit refused a command: unknown command")
    ]
    assert client.receive(b"mic_on twelve\r\n") == [
        Refused(None, "unreadable line from the unit: 'mic_on twelve'")
    ]
    assert client.receive(b"mic_on 70000\r\n")[0] == Refused(
        None, "unreadable line from the unit: 'mic_on 70000'"
    )
    assert client.state == MicState()


def test_an_endless_line_is_dropped_not_kept() -> None:
    client = up()
    events = client.receive(b"x" * 5000)
    assert events == [Refused(None, "a line longer than 1024 bytes was dropped")]
    assert client.receive(b"\r\nmic_request_on 2\r\n") == [MicState((), (2,), ())]


def test_an_outage_is_reported_once_and_the_next_dump_rebuilds_the_state() -> None:
    client = up(b"mic_on 5\r\nmic_request_on 6\r\nmic_status_done\r\n")
    assert client.lost("reset") == [Disconnected("reset")]
    assert client.lost("refused") == []
    client.start()
    assert client.receive(b"mic_request_on 6\r\nmic_status_done\r\n") == [
        Connected("shure"),
        MicState((), (6,), ()),
    ]


def test_max_speakers_outside_the_documented_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"1\.\.8"):
        up().send(OperatorMode(9))
