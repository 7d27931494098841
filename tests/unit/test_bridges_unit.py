"""The simulators' control unit: what a press and an operator's command do, and that a
command which changes nothing reports nothing (the documented silence of every system)."""

from __future__ import annotations

import pytest

from app.bridges.events import MicState
from app.bridges.simulators.unit import ControlUnit, Mode, UnknownSeat


def test_in_request_only_mode_a_press_requests_and_a_second_press_withdraws() -> None:
    unit = ControlUnit(seats=10, mode=Mode.ONLY_REQUEST)
    assert unit.press(4) == [("mic_request_on", 4)]
    assert unit.press(9) == [("mic_request_on", 9)]
    assert unit.state() == MicState((), (4, 9), ())
    assert unit.press(4) == [("mic_request_off", 4)]
    assert unit.state() == MicState((), (9,), ())


def test_without_cancelling_a_second_press_does_nothing() -> None:
    unit = ControlUnit(seats=10, mode=Mode.ONLY_REQUEST, allow_cancel_request=False)
    unit.press(4)
    assert unit.press(4) == []


def test_a_grant_takes_the_seat_out_of_the_list_and_a_speaker_cannot_switch_off() -> None:
    unit = ControlUnit(seats=10, mode=Mode.ONLY_REQUEST)
    unit.press(4)
    assert unit.mic_on(4) == [("mic_on", 4), ("mic_request_off", 4)]
    assert unit.press(4) == []  # only the operator ends a turn
    assert unit.mic_off(4) == [("mic_off", 4)]


@pytest.mark.parametrize(
    ("mode", "change"),
    [(Mode.REQUEST, "mic_on"), (Mode.DIRECT, "mic_on"), (Mode.ONLY_REQUEST, "mic_request_on")],
)
def test_what_a_press_does_depends_on_the_mode(mode: Mode, change: str) -> None:
    assert ControlUnit(seats=10, mode=mode).press(3) == [(change, 3)]


def test_operator_mode_ignores_presses() -> None:
    assert ControlUnit(seats=10, mode=Mode.OPERATOR).press(3) == []


def test_commands_that_change_nothing_report_nothing_and_keep_the_version() -> None:
    unit = ControlUnit(seats=10, max_speakers=1)
    unit.mic_on(1)
    version = unit.version
    assert unit.mic_on(1) == []
    assert unit.mic_on(2) == []  # the speakers are full
    assert unit.mic_off(3) == []
    assert unit.request_off(3) == []
    assert unit.version == version


def test_next_on_is_first_speaker_off_first_request_on() -> None:
    unit = ControlUnit(seats=10, mode=Mode.ONLY_REQUEST, max_speakers=1)
    unit.mic_on(1)
    unit.press(5)
    unit.press(6)
    assert unit.next_on() == [("mic_off", 1), ("mic_on", 5), ("mic_request_off", 5)]
    assert unit.state() == MicState((5,), (6,), ())


@pytest.mark.parametrize("seat", [0, 11, -1, True])
def test_a_seat_outside_the_unit_is_refused(seat: int) -> None:
    unit = ControlUnit(seats=10)
    with pytest.raises(UnknownSeat):
        unit.press(seat)
    assert unit.state() == MicState()
