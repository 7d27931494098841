"""Concurrent acts on the real app and Redis: nothing lost, nothing doubled, no gaps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from tests.conftest import AppServer, Tokens, bearer, tokens_for
from tests.factories import make_meeting
from tests.integration.helpers import meeting_json, put_meeting


@pytest.fixture
async def client(live_server: AppServer, tokens: Tokens) -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=300, max_keepalive_connections=300)
    async with httpx.AsyncClient(
        base_url=live_server.base_url, limits=limits, timeout=30, headers=bearer(tokens.chair)
    ) as c:
        yield c


async def open_meeting(client: httpx.AsyncClient, meeting_id: str, states: int) -> None:
    await put_meeting(client, make_meeting(meeting_id, states=states))
    assert (await client.post(f"/api/meetings/{meeting_id}/items/panel/start")).status_code == 200
    assert (await client.post(f"/api/meetings/{meeting_id}/floor/open")).status_code == 200


async def test_200_concurrent_requests_are_all_queued_in_arrival_order(
    client: httpx.AsyncClient,
) -> None:
    await open_meeting(client, "burst", states=200)
    before = (await client.get("/api/meetings/burst")).json()["version"]
    ids = [f"M{n:03d}" for n in range(1, 201)]
    responses = await asyncio.gather(
        *(client.post("/api/meetings/burst/floor/requests", json={"delegation_id": d}) for d in ids)
    )
    assert [r.status_code for r in responses] == [201] * 200
    versions = sorted(r.json()["version"] for r in responses)
    assert versions == list(range(before + 1, before + 201)), "versions must have no gap or twin"

    live = (await client.get("/api/meetings/burst")).json()["live"]
    line = [r["delegation_id"] for r in live["floor"]["line"]]
    by_version = [
        r.json()["delegation_id"] for r in sorted(responses, key=lambda r: r.json()["version"])
    ]
    assert len(line) == 200
    assert line == by_version, "the line is the order in which requests were accepted"
    assert live["version"] == before + 200

    record = (await client.get("/api/meetings/burst/record", params={"after": before})).json()
    assert [e["v"] for e in record] == list(range(before + 1, before + 201))
    assert {e["details"]["delegation_id"] for e in record} == set(ids)


async def test_50_concurrent_duplicates_leave_exactly_one_request(
    client: httpx.AsyncClient,
) -> None:
    await open_meeting(client, "dupes", states=5)
    responses = await asyncio.gather(
        *(
            client.post("/api/meetings/dupes/floor/requests", json={"delegation_id": "M003"})
            for _ in range(50)
        )
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 49
    refused = next(r for r in responses if r.status_code == 409).json()
    assert refused == {
        "error": "conflict",
        "message": "Member State 3 already has a pending request",
        "reason": "already_waiting",
        "params": {"name": "Member State 3"},
    }
    line = (await client.get("/api/meetings/dupes")).json()["live"]["floor"]["line"]
    assert [r["delegation_id"] for r in line] == ["M003"]


@pytest.mark.parametrize("waiting", [1, 2])
async def test_two_concurrent_next_never_grant_one_request_twice(
    client: httpx.AsyncClient, waiting: int
) -> None:
    meeting_id = f"next{waiting}"
    await open_meeting(client, meeting_id, states=5)
    for n in range(1, waiting + 1):
        await client.post(
            f"/api/meetings/{meeting_id}/floor/requests", json={"delegation_id": f"M00{n}"}
        )
    first, second = await asyncio.gather(
        client.post(f"/api/meetings/{meeting_id}/floor/next"),
        client.post(f"/api/meetings/{meeting_id}/floor/next"),
    )
    granted = [r.json()["details"]["speaker_id"] for r in (first, second) if r.status_code == 200]
    refused = [r for r in (first, second) if r.status_code != 200]
    assert len(set(granted)) == len(granted), "the same request was granted twice"
    if waiting == 1:
        assert len(granted) == 1
        assert refused[0].status_code == 409
        assert refused[0].json()["message"] == "no one is waiting for the floor in this segment"
    else:
        assert sorted(granted) == ["M001", "M002"]
    record = (await client.get(f"/api/meetings/{meeting_id}/record")).json()
    grants = [e["details"]["speaker_id"] for e in record if e["act"] == "floor.next"]
    assert sorted(grants) == sorted(granted)


async def test_bad_input_is_refused_and_changes_nothing(client: httpx.AsyncClient) -> None:
    await open_meeting(client, "bad", states=3)
    before = (await client.get("/api/meetings/bad")).json()
    cases = [
        ("post", "/api/meetings/bad/floor/requests", {"delegation_id": "NOPE"}, 404),
        ("post", "/api/meetings/bad/floor/requests", {"delegation": "M001"}, 422),
        ("post", "/api/meetings/bad/floor/requests", {"delegation_id": ""}, 422),
        ("post", "/api/meetings/bad/floor/requests", ["M001"], 422),
        ("post", "/api/meetings/bad/floor/requests/M001/move", {"place": 1}, 404),
        ("post", "/api/meetings/bad/floor/requests/M001/move", {"place": "first"}, 422),
        ("post", "/api/meetings/bad/timer/adjust", {"delta_s": 30}, 409),
        ("post", "/api/meetings/bad/timer/adjust", {"delta_s": 10**9}, 422),
        ("post", "/api/meetings/bad/floor/give", {}, 422),
        ("post", "/api/meetings/bad/floor/give", {"delegation_id": "M001", "turn_id": "x"}, 422),
        ("post", "/api/meetings/bad/floor/segment", {"kind": "chairs"}, 422),
        ("post", "/api/meetings/bad/floor/next", None, 409),
        ("post", "/api/meetings/bad/floor/end", None, 409),
        ("post", "/api/meetings/bad/items/nope/start", None, 404),
        ("delete", "/api/meetings/bad/floor/requests/M001", None, 404),
        ("post", "/api/meetings/nowhere/floor/open", None, 404),
        ("get", "/api/meetings/nowhere", None, 404),
        ("put", "/api/meetings/bad", {"id": "bad"}, 403),  # a chair may not replace it
    ]
    for method, path, body, status in cases:
        response = await client.request(method, path, json=body)
        assert response.status_code == status, (method, path, body, response.text)
        message = response.json()["message"]
        assert isinstance(message, str)
        assert message
    after = (await client.get("/api/meetings/bad")).json()
    assert after == before


async def test_a_json_meeting_gets_the_programme_checks(client: httpx.AsyncClient) -> None:
    meeting = make_meeting("checked")
    day = meeting.days[0]
    broken_item = replace(day.items[0], start="14:00", end="13:00")
    broken = replace(meeting, days=(replace(day, items=(broken_item, *day.items[1:])),))
    secretariat = bearer(tokens_for(str(client.base_url).rstrip("/")).secretariat)
    response = await client.put(
        "/api/meetings/checked", json=meeting_json(broken), headers=secretariat
    )
    assert response.status_code == 422
    message = response.json()["message"]
    assert message.startswith("days[0].items[0]")
    assert "line" not in message
    assert (await client.get("/api/meetings/checked")).status_code == 404


async def test_two_consoles_calling_next_at_once_advance_the_line_once(
    client: httpx.AsyncClient,
) -> None:
    """The moderator and the chair both press "next" on what they saw (M001 proposed): one
    advance, one refusal that says who has the floor, and the record has one intervention."""
    await open_meeting(client, "twice", states=5)
    for delegation in ("M001", "M002", "M003"):
        answer = await client.post(
            "/api/meetings/twice/floor/requests", json={"delegation_id": delegation}
        )
        assert answer.status_code == 201
    before = (await client.get("/api/meetings/twice")).json()["version"]
    responses = await asyncio.gather(
        *(
            client.post("/api/meetings/twice/floor/next", json={"expect_next": "M001"})
            for _ in range(5)
        )
    )
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409, 409]
    refused = next(r for r in responses if r.status_code == 409).json()
    assert refused["reason"] == "already_speaking"
    assert refused["params"]["name"] == "Member State 1"
    assert refused["message"].startswith("Member State 1 already has the floor, given by chair")

    live = (await client.get("/api/meetings/twice")).json()["live"]
    assert live["version"] == before + 1
    assert live["floor"]["current"]["speaker_id"] == "M001"
    assert [r["delegation_id"] for r in live["floor"]["line"]] == ["M002", "M003"]
    # Without an expectation (a script), "next" is applied as before.
    assert (await client.post("/api/meetings/twice/floor/next")).status_code == 200
    record = (await client.get("/api/meetings/twice/record", params={"after": before})).json()
    assert [e["act"] for e in record] == ["floor.next", "floor.next"]
    assert [e["ended"]["speaker_id"] for e in record if e.get("ended")] == ["M001"]
