"""Websocket clients of a meeting: same change, same version; late joiners; stalled clients;
the hub's listener on a real Redis; a subscriber to the acts beside the screens."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from app.meetings.store import channel
from app.realtime.hub import Connection, Hub
from app.realtime.messages import ActEntry
from app.realtime.subscriptions import Missed
from app.redis_client import Listener
from tests.conftest import AppServer, RedisServer, Tokens, bearer
from tests.factories import make_meeting
from tests.integration.helpers import StalledClient, put_meeting, recv_json, recv_until


@pytest.fixture
async def client(live_server: AppServer, tokens: Tokens) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=live_server.base_url, timeout=30, headers=bearer(tokens.chair)
    ) as c:
        yield c


async def test_two_clients_see_the_same_change_with_the_same_version(
    live_server: AppServer, client: httpx.AsyncClient
) -> None:
    await put_meeting(client, make_meeting("ws-two"))
    url = f"{live_server.ws_url}/ws/meetings/ws-two"
    async with connect(url) as first, connect(url) as second:
        for ws in (first, second):
            assert (await recv_json(ws))["type"] == "meeting"
            assert (await recv_json(ws))["type"] == "live"
        version = (await client.post("/api/meetings/ws-two/floor/open")).json()["version"]
        seen = [await recv_until(ws, "live", version) for ws in (first, second)]
    assert seen[0] == seen[1]
    assert seen[0]["version"] == version
    assert seen[0]["floor"]["is_open"] is True


async def test_a_late_client_gets_the_current_state_at_once(
    live_server: AppServer, client: httpx.AsyncClient
) -> None:
    await put_meeting(client, make_meeting("ws-late"))
    await client.post("/api/meetings/ws-late/items/panel/start")
    await client.post("/api/meetings/ws-late/floor/open")
    await client.post("/api/meetings/ws-late/floor/requests", json={"delegation_id": "M002"})
    expected = (await client.get("/api/meetings/ws-late")).json()
    async with connect(f"{live_server.ws_url}/ws/meetings/ws-late") as ws:
        meeting = await recv_json(ws)
        live = await recv_json(ws)
    assert meeting["meeting"]["title"] == "Test session"
    assert live == expected["live"]
    assert [r["delegation_id"] for r in live["floor"]["line"]] == ["M002"]


async def test_clock_sync_ping_and_garbage(
    live_server: AppServer, client: httpx.AsyncClient
) -> None:
    await put_meeting(client, make_meeting("ws-clock"))
    async with connect(f"{live_server.ws_url}/ws/meetings/ws-clock") as ws:
        await recv_json(ws)
        await recv_json(ws)
        sent = time.time() * 1000
        await ws.send(json.dumps({"type": "clock", "client": sent}))
        reply = await recv_json(ws)
        assert reply["type"] == "clock"
        assert reply["client"] == sent
        assert abs(reply["server"] - sent) < 60_000
        for garbage in ("not json", '{"type": "shout"}', "[1,2]", b"\x00\x01"):
            await ws.send(garbage)
            error = await recv_json(ws)
            assert error["type"] == "error"
            assert error["message"]
        await ws.send('{"type": "ping"}')
        assert await recv_json(ws) == {"type": "pong"}


async def test_unknown_meeting_is_refused_with_a_reason(live_server: AppServer) -> None:
    async with connect(f"{live_server.ws_url}/ws/meetings/nowhere") as ws:
        error = await recv_json(ws)
        assert error == {
            "type": "error",
            "code": "not_found",
            "message": "there is no meeting 'nowhere'",
        }
        await ws.wait_closed()
        assert ws.close_code == 4404


async def test_a_client_that_stops_reading_does_not_hold_back_the_others(
    live_server: AppServer, client: httpx.AsyncClient
) -> None:
    """A client that never reads: the others still get every state as it is made, and the
    server drops the stalled client instead of buffering for it."""
    await put_meeting(client, make_meeting("ws-stall", states=150))
    await client.post("/api/meetings/ws-stall/items/panel/start")
    await client.post("/api/meetings/ws-stall/floor/open")
    stalled = StalledClient("127.0.0.1", live_server.port, "/ws/meetings/ws-stall")
    stalled.open()
    try:
        async with connect(f"{live_server.ws_url}/ws/meetings/ws-stall") as reader:
            await recv_json(reader)
            await recv_json(reader)
            lags = []
            # 150 requests then 150 moves: live messages of up to ~10 kB, megabytes in all.
            for n in range(1, 151):
                body = {"delegation_id": f"M{n:03d}"}
                path = "/api/meetings/ws-stall/floor/requests"
                version = (await client.post(path, json=body)).json()["version"]
                await recv_until(reader, "live", version)
            for n in range(150):
                started = time.perf_counter()
                path = f"/api/meetings/ws-stall/floor/requests/M{1 + (n * 7) % 150:03d}/move"
                version = (await client.post(path, json={"place": 1 + n})).json()["version"]
                assert (await recv_until(reader, "live", version))["version"] == version
                lags.append(time.perf_counter() - started)
        health = (await client.get("/healthz")).json()
        print(f"\nconnections still open: {health['connections']}")
    finally:
        stalled.close()
    lags.sort()
    print(
        f"reader lag beside a stalled client: p50 {lags[75] * 1e3:.1f} ms,"
        f" max {lags[-1] * 1e3:.1f} ms"
    )


async def test_oversized_frames_and_foreign_origins_are_refused_without_harm(
    live_server: AppServer, client: httpx.AsyncClient
) -> None:
    await put_meeting(client, make_meeting("ws-garbage"))
    url = f"{live_server.ws_url}/ws/meetings/ws-garbage"
    async with connect(url) as bystander:
        await recv_json(bystander)
        await recv_json(bystander)
        async with connect(url, max_size=None) as vandal:
            await recv_json(vandal)
            await recv_json(vandal)
            await vandal.send("x" * 1_000_000)
            await vandal.wait_closed()
            assert vandal.close_code == 1009  # message too big
        with pytest.raises(InvalidStatus):
            async with connect(url, origin=Origin("http://evil.example")):
                pass
        version = (await client.post("/api/meetings/ws-garbage/floor/open")).json()["version"]
        assert (await recv_until(bystander, "live", version))["floor"]["is_open"] is True
    health = (await client.get("/healthz")).json()
    assert health["app"] == "ok"


class _Socket:
    """A websocket client's socket as the hub's fast path sees it."""

    def __init__(self, fails: bool = False) -> None:
        self.frames: list[bytes] = []
        self.fails = fails

    def write(self, frame: bytes) -> bool:
        if self.fails:
            raise RuntimeError("a bug in this client's delivery")
        self.frames.append(frame)
        return True

    def abort(self) -> None:
        pass


async def _nothing(meeting_id: str) -> None:
    return None


async def _until(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "never came"
        await asyncio.sleep(0.01)


def _frame_versions(socket: _Socket) -> list[int]:
    return [
        json.loads(frame[2:] if frame[1] < 126 else frame[4:])["version"] for frame in socket.frames
    ]


async def _send_nowhere(text: str) -> None:
    raise AssertionError("every client here keeps up: nothing takes the slow path")


async def test_the_listener_goes_on_after_one_clients_delivery_fails(redis: Redis) -> None:
    """Before, any error but Redis's or the OS's ended the pub/sub listener: HTTP went on
    working and every screen of the process froze."""
    hub = Hub(redis, _nothing, Listener(redis))
    hub.start()
    try:
        await asyncio.wait_for(hub.subscribed.wait(), 10)
        broken, sound = _Socket(fails=True), _Socket()
        faulty = Connection(_send_nowhere, 10, writer=broken)
        hub.join("hub-fault", faulty)
        hub.join("hub-fault", Connection(_send_nowhere, 10, writer=sound))
        for version in (1, 2, 3):
            body = {"type": "live", "meeting_id": "hub-fault", "version": version}
            await redis.publish(channel("hub-fault"), json.dumps(body))
        await _until(lambda: len(sound.frames) == 3)
        assert _frame_versions(sound) == [1, 2, 3]
        assert faulty.closed
    finally:
        await hub.stop()


async def test_a_subscriber_sees_each_acts_entry_once_in_order_and_a_slow_one_delays_no_screen(
    live_server: AppServer, redis_server: RedisServer, client: httpx.AsyncClient
) -> None:
    """A consumer beside the screens (a microphone bridge, a recorder): its own hub on the
    server's Redis, as another process of the deployment would have."""
    await put_meeting(client, make_meeting("ws-subscribe", states=40))
    redis = Redis.from_url(redis_server.url(db=0))
    hub = Hub(redis, _nothing, Listener(redis))
    hub.start()
    try:
        await asyncio.wait_for(hub.subscribed.wait(), 10)
        screen = _Socket()
        hub.join("ws-subscribe", Connection(_send_nowhere, 10, writer=screen))
        async with (
            hub.subscribe("ws-subscribe") as reader,
            hub.subscribe("ws-subscribe", limit=5) as sleeper,  # never read until the end
        ):
            path = "/api/meetings/ws-subscribe"
            answers = [await client.post(f"{path}/items/panel/start")]
            answers.append(await client.post(f"{path}/floor/open"))
            # Forty requests at once: the committer stores them in few commits.
            requests = [
                client.post(f"{path}/floor/requests", json={"delegation_id": f"M{n:03d}"})
                for n in range(1, 41)
            ]
            answers += await asyncio.gather(*requests)
            answers.append(await client.post(f"{path}/floor/next"))
            assert all(a.status_code in (200, 201) for a in answers), [a.text for a in answers]
            by_version = {a.json()["version"]: a for a in answers}
            last = max(by_version)

            seen: list[ActEntry] = []
            async for event in reader:
                assert isinstance(event, ActEntry), event
                seen.append(event)
                if event.version == last:
                    break
            assert [e.version for e in seen] == sorted(by_version)
            acts = [e.act for e in seen]
            assert acts[:2] == ["item.start", "floor.open"]
            assert acts[-1] == "floor.next"
            assert sorted(e.details["delegation_id"] for e in seen[2:-1]) == [
                f"M{n:03d}" for n in range(1, 41)
            ]
            assert all(e.by for e in seen)
            # The screen of the same hub got the newest state meanwhile.
            await _until(lambda: bool(screen.frames) and _frame_versions(screen)[-1] == last)
            assert _frame_versions(screen) == sorted(set(_frame_versions(screen)))

            # The one that never read kept five events: a marker, then the newest four.
            assert sleeper.pending() == 5
            kept = [await anext(sleeper) for _ in range(5)]
            assert isinstance(kept[0], Missed)
            assert (kept[0].first, kept[0].last) == (min(by_version), last - 4)
            assert [e.version for e in kept[1:] if isinstance(e, ActEntry)] == list(
                range(last - 3, last + 1)
            )
    finally:
        await hub.stop()
        await redis.aclose()
