"""Bosch DICENTIS's adapter against the Conference Protocol messages docs/bridges.md quotes
(Bosch's ConferenceProtocol.chm as open-source clients cite it)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.bridges.dicentis import DicentisClient
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

LOGIN_ANSWER = {
    "messageId": 1,
    "operation": "Login",
    "parameters": {"loggedIn": True, "token": "t", "userId": "u"},
}
EVENT = {"messageId": 0, "operation": "event", "parameters": {"events": ["DiscussionListChanged"]}}


def entry(seat: int, microphone: str, kind: str) -> dict[str, Any]:
    return {
        "seatId": seat,
        "participantId": 7,
        "screenLine": "…",
        "microphoneState": microphone,
        "speakerType": kind,
        "speechStartTime": 0,
        "remainingSpeechDuration": 300000,
        "totalSpeechTime": 0,
    }


def sent(messages: list[str]) -> list[tuple[str, dict[str, Any]]]:
    return [(m["operation"], m["parameters"]) for m in map(json.loads, messages)]


def logged_in() -> tuple[DicentisClient, list[str]]:
    client = DicentisClient("operator", "secret")
    client.start()
    out = client.receive(json.dumps(LOGIN_ANSWER))
    assert out.events == [Connected("dicentis")]
    return client, out.messages


def answer(client: DicentisClient, message: str, parameters: dict[str, Any]) -> list[object]:
    request = json.loads(message)
    reply = {
        "messageId": request["messageId"],
        "operation": request["operation"],
        "parameters": parameters,
    }
    return list(client.receive(json.dumps(reply)).events)


def test_login_is_the_first_message() -> None:
    client = DicentisClient("operator", "secret")
    (login,) = client.start()
    assert json.loads(login) == {
        "messageId": 1,
        "operation": "Login",
        "parameters": {"user": "operator", "password": "secret"},
    }


def test_after_login_the_event_is_registered_and_the_list_fetched() -> None:
    _, messages = logged_in()
    assert sent(messages) == [
        ("RegisterEvents", {"events": ["DiscussionListChanged"]}),
        ("GetDiscussionList", {}),
    ]


def test_the_discussion_list_is_the_whole_state() -> None:
    client, messages = logged_in()
    events = answer(
        client,
        messages[1],
        {
            "discussionList": [
                entry(6, "on", "isSpeaker"),
                entry(4, "off", "isRequest"),
                entry(9, "off", "isRequest"),
                entry(3, "off", "isResponseRequest"),
                entry(8, "mute", "isPrioritySpeaker"),
            ],
            "referenceTime": 0,
        },
    )
    assert events == [MicState((6, 8), (4, 9), (3,))]


def test_a_fire_once_event_is_answered_by_the_fetch_that_rearms_it() -> None:
    """Names only, once: silent until `GetDiscussionList` fetches its data."""
    client, _ = logged_in()
    out = client.receive(json.dumps(EVENT))
    assert out.events == []
    assert sent(out.messages) == [("GetDiscussionList", {})]


def test_operations_are_matched_whatever_their_case() -> None:
    client, messages = logged_in()
    request = json.loads(messages[1])
    reply = {
        "messageId": request["messageId"],
        "operation": "getdiscussionlist",
        "parameters": {"discussionList": [entry(2, "off", "isRequest")]},
    }
    assert client.receive(json.dumps(reply)).events == [MicState((), (2,), ())]


def test_a_grant_of_a_requesting_seat_is_grant_speech_else_add_seat_to_speakers() -> None:
    client, messages = logged_in()
    answer(
        client,
        messages[1],
        {"discussionList": [entry(4, "off", "isRequest"), entry(6, "on", "isSpeaker")]},
    )
    assert sent(client.send(MicOn(4))) == [("GrantSpeech", {"seatIds": [4]})]
    assert sent(client.send(MicOn(5))) == [("AddSeatToSpeakers", {"seatId": 5})]
    assert sent(client.send(MicOff(6))) == [("RemoveSpeech", {"seatIds": [6]})]
    assert sent(client.send(RequestOff(4))) == [("RemoveSeatFromDiscussionList", {"seatId": 4})]
    assert client.send(RequestOff(6)) == []  # a speaker leaving the list would lose the floor
    assert client.send(RequestOn(4)) == []
    assert client.send(OperatorMode()) == []
    assert sent(client.send(Resync())) == [("GetDiscussionList", {})]


def test_an_error_answers_the_command_it_refuses() -> None:
    client, _ = logged_in()
    (grant,) = client.send(MicOn(5))
    reply = {
        "messageId": json.loads(grant)["messageId"],
        "operation": "error",
        "parameters": {"message": "seat 5 is not in the meeting"},
    }
    assert client.receive(json.dumps(reply)).events == [
        Refused(MicOn(5), "seat 5 is not in the meeting")
    ]


def test_a_refused_login_is_reported_and_nothing_is_registered() -> None:
    client = DicentisClient("operator", "wrong")
    client.start()
    error = {"messageId": 1, "operation": "error", "parameters": {"message": "wrong password"}}
    out = client.receive(json.dumps(error))
    assert out.events == [Refused(None, "login refused: wrong password")]
    assert out.messages == []
    assert not client.logged_in


def test_a_lost_connection_reports_the_outage_and_the_commands_not_answered() -> None:
    client, _ = logged_in()
    client.send(MicOn(5))
    out = client.lost("reset")
    assert out.events[0] == Disconnected("reset")
    assert Refused(MicOn(5), "not delivered: reset") in out.events
    assert client.lost("again").events == []


@pytest.mark.parametrize("text", ["not json", "[]", "bad list"])
def test_an_unreadable_message_is_reported_and_changes_nothing(text: str) -> None:
    client, messages = logged_in()
    if text == "bad list":  # the answer to the fetch, with a list that is not one
        request = json.loads(messages[1])
        text = json.dumps(
            {
                "messageId": request["messageId"],
                "operation": "GetDiscussionList",
                "parameters": {"discussionList": "x"},
            }
        )
    events = client.receive(text).events
    assert len(events) == 1
    assert isinstance(events[0], Refused)
    assert client.state is None
