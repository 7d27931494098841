"""Nothing lost, nobody waits: Redis killed or hung, tablets that retry, clients that stall.

Each test runs its own app (and, where it kills Redis, its own Redis), so that the shared
live server never sees an outage."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.conftest import AppServer, RedisServer, Tokens, app_env, bearer, sign_in, tokens_for
from tests.factories import make_meeting
from tests.integration.crash_trials import run_trials
from tests.integration.helpers import StalledClient, put_meeting, recv_json

CRASH_TRIALS = int(os.environ.get("FLOORKEEPER_CRASH_TRIALS", "20"))


async def wait_for(condition: Any, what: str, seconds: float = 30) -> None:
    """Poll an async condition until it holds; fail with `what` after the deadline."""
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def recv_type(ws: ClientConnection, kind: str, **fields: object) -> dict[str, Any]:
    while True:
        body = await recv_json(ws)
        if body.get("type") == kind and all(body.get(k) == v for k, v in fields.items()):
            return body


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.kill()


def start_app(tmp_path: Path, **env: str) -> AppServer:
    server = AppServer(env=app_env(FLOORKEEPER_DATA_DIR=str(tmp_path / "data"), **env), demo=False)
    server.log_path = tmp_path / "app.log"
    server.start()
    return server


@pytest.fixture
async def chair_client(live_server: AppServer, tokens: Tokens) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=live_server.base_url, timeout=30, headers=bearer(tokens.chair)
    ) as client:
        yield client


async def open_meeting(client: httpx.AsyncClient, meeting_id: str, states: int = 6) -> None:
    await put_meeting(client, make_meeting(meeting_id, states=states))
    assert (await client.post(f"/api/meetings/{meeting_id}/items/panel/start")).is_success
    assert (await client.post(f"/api/meetings/{meeting_id}/floor/open")).is_success


# --- retries ---------------------------------------------------------------------------------


async def test_a_tablet_that_retries_with_its_key_gets_the_same_answer_and_one_request(
    chair_client: httpx.AsyncClient,
) -> None:
    client = chair_client
    await open_meeting(client, "idem")
    path = "/api/meetings/idem/floor/requests"
    key = {"Idempotency-Key": "tablet-M002-0001"}
    first = await client.post(path, json={"delegation_id": "M002"}, headers=key)
    again = await client.post(path, json={"delegation_id": "M002"}, headers=key)
    # Ten retries at once, as a flaky network may deliver them.
    burst = await asyncio.gather(
        *(client.post(path, json={"delegation_id": "M002"}, headers=key) for _ in range(10))
    )
    assert first.status_code == 201
    for response in (again, *burst):
        assert response.status_code == 201
        assert response.json() == first.json()
    # Without the key, the rule "one pending request per delegation" still holds.
    plain = await client.post(path, json={"delegation_id": "M002"})
    assert plain.status_code == 409
    # The same key for another delegation is a client bug, and is said so.
    reused = await client.post(path, json={"delegation_id": "M003"}, headers=key)
    assert reused.status_code == 422
    assert "Idempotency-Key" in reused.json()["message"]

    line = (await client.get("/api/meetings/idem")).json()["live"]["floor"]["line"]
    assert [r["delegation_id"] for r in line] == ["M002"]
    record = (await client.get("/api/meetings/idem/record")).json()
    assert [e["details"]["delegation_id"] for e in record if e["act"] == "request.add"] == ["M002"]


async def test_a_key_is_its_senders_own_and_a_neighbour_using_the_same_gets_its_own_answer(
    live_server: AppServer, tokens: Tokens, chair_client: httpx.AsyncClient
) -> None:
    client, base = chair_client, live_server.base_url
    await open_meeting(client, "idem-own")
    issued = await client.post(
        "/api/meetings/idem-own/access/codes", headers=bearer(tokens.secretariat)
    )
    codes = {c["subject"]: c["code"] for c in issued.json()}
    first_tablet = bearer(sign_in(base, codes["delegation:M001"], "idem-own"))
    neighbour = bearer(sign_in(base, codes["delegation:M002"], "idem-own"))
    path = "/api/meetings/idem-own/floor/requests"
    key = {"Idempotency-Key": "request-1"}  # guessable: each tablet's first request
    first = await client.post(path, json={"delegation_id": "M001"}, headers=first_tablet | key)
    theirs = await client.post(path, json={"delegation_id": "M002"}, headers=neighbour | key)
    again = await client.post(path, json={"delegation_id": "M001"}, headers=first_tablet | key)

    assert first.status_code == 201
    assert theirs.status_code == 201, theirs.text
    assert (theirs.json()["delegation_id"], theirs.json()["place"]) == ("M002", 2)
    assert again.json() == first.json()
    line = (await client.get("/api/meetings/idem-own")).json()["live"]["floor"]["line"]
    assert [r["delegation_id"] for r in line] == ["M001", "M002"]


async def test_concurrent_first_sends_of_one_key_create_one_request(
    chair_client: httpx.AsyncClient,
) -> None:
    client = chair_client
    await open_meeting(client, "idem-race")
    path = "/api/meetings/idem-race/floor/requests"
    key = {"Idempotency-Key": "race-1"}
    responses = await asyncio.gather(
        *(client.post(path, json={"delegation_id": "M001"}, headers=key) for _ in range(20))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.text for r in responses}) == 1
    record = (await client.get("/api/meetings/idem-race/record")).json()
    assert sum(e["act"] == "request.add" for e in record) == 1


async def test_a_malformed_key_is_refused(chair_client: httpx.AsyncClient) -> None:
    await open_meeting(chair_client, "idem-bad")
    response = await chair_client.post(
        "/api/meetings/idem-bad/floor/requests",
        json={"delegation_id": "M001"},
        headers={"Idempotency-Key": "has spaces in it"},
    )
    assert response.status_code == 422
    assert response.json()["message"]


# --- Redis killed, Redis away, Redis hung ---------------------------------------------------


async def test_redis_kill_9_loses_no_acknowledged_change(tmp_path: Path) -> None:
    """kill -9 of the embedded redis-server in the middle of bursts of requests, again and
    again (FLOORKEEPER_CRASH_TRIALS, 20 by default): every request the app answered 201 is
    in the record and in the line after the supervisor has started Redis again."""
    server = start_app(tmp_path)
    try:
        report = await run_trials(server.base_url, tmp_path / "data", CRASH_TRIALS)
    finally:
        server.stop()
    recovery = sorted(report.recovery_s)
    print(
        f"\n{report.trials} trials: {report.acknowledged} acknowledged, {report.refused}"
        f" answered 503, {len(report.lost)} lost, {len(report.doubled)} doubled;"
        f" back in {recovery[len(recovery) // 2]:.2f} s (median), {recovery[-1]:.2f} s (max)"
    )
    assert report.trials == CRASH_TRIALS
    assert report.lost == []
    assert report.doubled == []
    assert report.acknowledged > 0


async def test_while_redis_is_away_the_api_says_503_screens_are_told_and_all_resumes(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    server = start_app(tmp_path, REDIS_URL=own_redis.url(), FLOORKEEPER_REDIS_TIMEOUT_S="1")
    try:
        tokens = tokens_for(server.base_url)
        async with httpx.AsyncClient(
            base_url=server.base_url, timeout=30, headers=bearer(tokens.chair)
        ) as client:
            await open_meeting(client, "away")
            async with connect(f"{server.ws_url}/ws/meetings/away") as ws:
                await recv_type(ws, "meeting")
                before = await recv_type(ws, "live")

                own_redis.kill()
                response = await client.post(
                    "/api/meetings/away/floor/requests", json={"delegation_id": "M001"}
                )
                assert response.status_code == 503
                assert response.json() == {
                    "error": "unavailable",
                    "message": "the meeting store cannot be reached; try again",
                    "reason": "store_unavailable",
                    "params": {},
                }
                assert (await recv_type(ws, "status")) == {"type": "status", "store": "unreachable"}
                health = await client.get("/healthz")
                assert health.status_code == 503
                assert health.json()["redis"] == "unreachable"

                # A screen that connects now is told why it gets no state.
                async with connect(f"{server.ws_url}/ws/meetings/away") as late:
                    assert (await recv_json(late)) == {"type": "status", "store": "unreachable"}
                    assert (await recv_json(late))["code"] == "unavailable"
                    await late.wait_closed()
                    assert late.close_code == 1013

                own_redis.start()  # same directory: the append-only file is read back
                # The hub reconnects by itself and says so; the screen already has the
                # newest state (nothing changed meanwhile), so none is sent again.
                assert (await recv_type(ws, "status")) == {"type": "status", "store": "ok"}

                async def accepted() -> bool:
                    response = await client.post(
                        "/api/meetings/away/floor/requests", json={"delegation_id": "M001"}
                    )
                    return response.status_code == 201

                await wait_for(accepted, "the app to take requests again")
                live = await recv_type(ws, "live", version=before["version"] + 1)
                assert [r["delegation_id"] for r in live["floor"]["line"]] == ["M001"]
    finally:
        server.stop()


async def test_a_hung_redis_answers_503_instead_of_hanging(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    server = start_app(tmp_path, REDIS_URL=own_redis.url(), FLOORKEEPER_REDIS_TIMEOUT_S="1")
    assert own_redis.process is not None
    try:
        tokens = tokens_for(server.base_url)
        async with httpx.AsyncClient(
            base_url=server.base_url, timeout=60, headers=bearer(tokens.chair)
        ) as client:
            await open_meeting(client, "hung")
            own_redis.process.send_signal(signal.SIGSTOP)
            try:
                response = await client.post(
                    "/api/meetings/hung/floor/requests", json={"delegation_id": "M001"}
                )
                assert response.status_code == 503
                assert response.json()["message"]
            finally:
                own_redis.process.send_signal(signal.SIGCONT)

            async def accepted() -> bool:
                response = await client.post(
                    "/api/meetings/hung/floor/requests", json={"delegation_id": "M002"}
                )
                return response.status_code == 201

            await wait_for(accepted, "the app to take requests again")
    finally:
        server.stop()


# --- clients that stop reading ---------------------------------------------------------------


async def test_a_client_that_stops_reading_is_dropped_after_the_send_timeout(
    tmp_path: Path, own_redis: RedisServer
) -> None:
    server = start_app(tmp_path, REDIS_URL=own_redis.url(), FLOORKEEPER_SEND_TIMEOUT_S="0.5")
    stalled = StalledClient("127.0.0.1", server.port, "/ws/meetings/stall")
    try:
        tokens = tokens_for(server.base_url)
        async with httpx.AsyncClient(
            base_url=server.base_url, timeout=30, headers=bearer(tokens.chair)
        ) as client:
            meeting = make_meeting("stall", states=1000)
            await put_meeting(client, meeting)

            async def connections() -> int:
                count: int = (await client.get("/healthz")).json()["connections"]
                return count

            stalled.open()
            await wait_for(lambda: _equals(connections, 1), "the stalled client to be counted")
            # Each new programme is a meeting message of ~150 kB: a few dozen fill the
            # kernel's buffers (up to 4 MiB) and the next send gets stuck.
            for _ in range(200):
                await put_meeting(client, meeting)
                if await connections() == 0:
                    break
            await wait_for(lambda: _equals(connections, 0), "the stalled client to be dropped")
    finally:
        stalled.close()
        server.stop()


async def _equals(probe: Any, expected: int) -> bool:
    return bool(await probe() == expected)


def test_the_protocol_documents_the_status_message() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()
    for sentence in ('{"type": "status", "store": "unreachable"}', "Idempotency-Key"):
        assert sentence in text
