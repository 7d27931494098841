"""Televic CoCon's adapter against the examples of "CoCon API Description" v6.9, as
docs/bridges.md quotes them: the bodies below are the document's, byte for byte."""

from __future__ import annotations

import pytest

from app.bridges import cocon
from app.bridges.cocon import CoConClient, HttpGet
from app.bridges.events import (
    ButtonPressed,
    Connected,
    Disconnected,
    MicOff,
    MicOn,
    MicState,
    ModeReported,
    OperatorMode,
    Refused,
    RequestOff,
    RequestOn,
    Resync,
)

CONNECT = b'{"Connect":true,"id":"3f5b8afe-6efb-4428-8762-e39d42a0762d"}'
ID = "3f5b8afe-6efb-4428-8762-e39d42a0762d"
MICROPHONE_STATE = b'{"MicrophoneState":{"Speakers":[6],"Requests":[4,9],"Replies":[]}}'
BUTTON = b'{"MicButtonEvent":{"SeatNr":2,"Event":"down"}}'
MODE = (
    b'{"MicrophoneMode":{"Mode":"OnlyRequest","MaxNrActive":4,"AllowRequest":true,'
    b'"AllowCancelRequest":false,"FIFO":false,"ActivationType":"Toggle",'
    b'"AllowSwitchOffMic":true,"ReplyRequest":false}}'
)
STATE = b'{"GetState":{"State":{"Speakers":[5],"Requests":[4],"Replies":[]}}}'
RUNNING = (
    b'{"MicStateChangedInRunningMeeting":{"SeatNr":1,"State":"On","User":{"Id":463,'
    b'"FirstName":"A","Title":"B","Groups":[{"Id":21,"Name":"C"}],"SeatNumber":1}}}'
)


def connected() -> tuple[CoConClient, list[HttpGet]]:
    """A client after Connect, its subscription and its first state."""
    client = CoConClient()
    (connect,) = client.connect()
    out = client.receive(connect, 200, CONNECT)
    state = next(r for r in out.requests if r.purpose == "state")
    done = client.receive(state, 200, STATE)
    assert done.events == [Connected("cocon"), MicState((5,), (4,), ())]
    return client, out.requests


def test_connect_subscribes_the_id_then_reads_the_state_and_opens_the_long_poll() -> None:
    client = CoConClient()
    (connect,) = client.connect()
    assert (connect.target, connect.lane) == ("/CoCon/Connect", "command")
    out = client.receive(connect, 200, CONNECT)
    assert [(r.target, r.lane) for r in out.requests] == [
        (f"/CoCon/Subscribe/?Model=Microphone&id={ID}", "command"),
        ("/CoCon/Microphone/GetState", "command"),
        (f"/CoCon/Notification/id={ID}", "poll"),
    ]
    assert out.events == []  # up only once the state is known


def test_the_documented_events_become_typed_events() -> None:
    client, _ = connected()
    poll = client.poll()
    assert client.receive(poll, 200, MICROPHONE_STATE).events == [MicState((6,), (4, 9), ())]
    assert client.receive(poll, 200, BUTTON).events == [ButtonPressed(2, down=True)]
    assert client.receive(poll, 200, MODE).events == [ModeReported("OnlyRequest", operator=True)]
    assert client.receive(poll, 200, RUNNING).events == []  # the MicrophoneState says it all
    assert client.state == MicState((6,), (4, 9), ())


@pytest.mark.parametrize("status", [200, 408])
def test_every_answer_of_the_long_poll_reopens_it_at_once(status: int) -> None:
    client, _ = connected()
    body = MICROPHONE_STATE if status == 200 else b"Notification request timeout"
    out = client.receive(client.poll(), status, body)
    assert out.requests == [client.poll()]


def test_a_408_is_no_outage() -> None:
    client, _ = connected()
    out = client.receive(client.poll(), 408, b"Notification request timeout")
    assert out.events == []
    assert client.up


def test_an_expired_id_answered_400_makes_a_new_connect_and_subscription() -> None:
    client, _ = connected()
    out = client.receive(client.poll(), 400, b"Unknown or expired id")
    assert out.events == [Disconnected("notification id expired (HTTP 400)")]
    assert [r.target for r in out.requests] == ["/CoCon/Connect"]
    again = client.receive(out.requests[0], 200, b'{"Connect":true,"id":"second"}')
    assert again.requests[0].target == "/CoCon/Subscribe/?Model=Microphone&id=second"
    back = client.receive(again.requests[1], 200, STATE)
    assert back.events == [Connected("cocon"), MicState((5,), (4,), ())]


def test_a_lost_poll_keeps_its_id_and_reads_the_state_again_when_back() -> None:
    """The document: one Connect, no reconnecting in short intervals; the id lives 180 s."""
    client, _ = connected()
    poll = client.poll()
    lost = client.lost(poll, "connection reset")
    assert lost.events == [Disconnected("connection reset")]
    assert lost.requests == [poll]
    assert client.lost(poll, "refused").events == []  # one outage, reported once
    back = client.receive(poll, 408, b"Notification request timeout")
    assert [r.target for r in back.requests] == ["/CoCon/Microphone/GetState", poll.target]
    assert client.receive(back.requests[0], 200, STATE).events[0] == Connected("cocon")


def test_an_answer_for_an_id_given_up_is_ignored() -> None:
    client, _ = connected()
    old = client.poll()
    client.receive(old, 400, b"")
    assert client.receive(old, 200, MICROPHONE_STATE).events == []


@pytest.mark.parametrize(
    ("command", "target"),
    [
        (MicOn(9), "/CoCon/Microphone/SetState/?State=On&SeatNr=9"),
        (MicOff(9), "/CoCon/Microphone/SetState/?State=Off&SeatNr=9"),
        (RequestOn(9), "/CoCon/Microphone/SetState/?State=Request&SeatNr=9"),
        (RequestOff(9), "/CoCon/Microphone/SetState/?State=Off&SeatNr=9"),
        (Resync(), "/CoCon/Microphone/GetState"),
        (
            OperatorMode(4),
            "/CoCon/Microphone/SetMicrophoneMode/?Mode=OnlyRequest&MaxNrActive=4"
            "&AllowRequest=true&AllowCancelRequest=true&FIFO=false&AllowSwitchOffMic=false",
        ),
    ],
)
def test_commands_are_the_documented_requests(command: object, target: str) -> None:
    assert cocon.command_request(command).target == target  # type: ignore[arg-type]


def test_a_request_off_never_switches_a_speaking_seat_off() -> None:
    """CoCon's Off also ends a turn: for a seat the unit says is speaking, nothing is sent."""
    client, _ = connected()  # seat 5 speaks, seat 4 requests
    assert client.send(RequestOff(5)) == []
    assert [r.target for r in client.send(RequestOff(4))] == [
        "/CoCon/Microphone/SetState/?State=Off&SeatNr=4"
    ]


@pytest.mark.parametrize(
    ("body", "refusal"),
    [
        (b"0", None),
        (b"1", "bad value"),
        (b"-1", "exception in the control unit"),
        (b'{"SetState":0}', None),
        (b'{"SetState":1}', "bad value"),
    ],
)
def test_a_command_answered_1_or_minus_1_is_reported_refused(
    body: bytes, refusal: str | None
) -> None:
    client, _ = connected()
    (request,) = client.send(MicOn(3))
    events = client.receive(request, 200, body).events
    assert events == ([] if refusal is None else [Refused(MicOn(3), refusal)])


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1,2]",
        b'{"MicrophoneState":{"Speakers":"6"}}',
        b'{"MicrophoneState":{"Speakers":[0]}}',
        b'{"MicButtonEvent":{"SeatNr":2,"Event":"left"}}',
    ],
)
def test_an_unreadable_notification_is_reported_and_the_loop_goes_on(body: bytes) -> None:
    client, _ = connected()
    out = client.receive(client.poll(), 200, body)
    assert len(out.events) == 1
    assert isinstance(out.events[0], Refused)
    assert out.requests == [client.poll()]
    assert client.state == MicState((5,), (4,), ())  # unchanged


def test_a_seat_out_of_range_is_refused_before_anything_is_sent() -> None:
    client, _ = connected()
    with pytest.raises(ValueError, match="out of range"):
        client.send(MicOn(0))
