"""Several app processes on one Redis, and the same app on a real 3-master Redis Cluster."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from app.meetings.store import key
from app.redis_server import find_redis_binary
from tests.cluster import LocalCluster
from tests.conftest import AppServer, RedisServer, app_env, bearer, tokens_for
from tests.factories import make_meeting
from tests.integration.helpers import put_meeting, recv_json, recv_until


def start_app(log_path: Path, **env: str) -> AppServer:
    server = AppServer(env=app_env(**env), demo=False)
    server.log_path = log_path
    server.start()
    return server


async def connect_meeting(server: AppServer, meeting_id: str) -> ClientConnection:
    ws = await connect(f"{server.ws_url}/ws/meetings/{meeting_id}")
    assert (await recv_json(ws))["type"] == "meeting"
    assert (await recv_json(ws))["type"] == "live"
    return ws


def chair_client(server: AppServer) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=300, max_keepalive_connections=300)
    headers = bearer(tokens_for(server.base_url).chair)
    return httpx.AsyncClient(base_url=server.base_url, timeout=30, limits=limits, headers=headers)


# --- two processes, one Redis ----------------------------------------------------------------


@pytest.fixture(scope="module")
def two_apps(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[AppServer, AppServer]]:
    logs = tmp_path_factory.mktemp("two-apps")
    url = redis_server.url(db=7)  # a database of its own: other tests lock out 127.0.0.1
    first = start_app(logs / "a.log", REDIS_URL=url)
    second = start_app(logs / "b.log", REDIS_URL=url)
    yield first, second
    first.stop()
    second.stop()


async def test_a_change_made_through_one_process_reaches_the_clients_of_the_other(
    two_apps: tuple[AppServer, AppServer],
) -> None:
    a, b = two_apps
    async with chair_client(a) as client:
        await put_meeting(client, make_meeting("two-procs", states=30))
        on_a = await connect_meeting(a, "two-procs")
        on_b = await connect_meeting(b, "two-procs")
        try:
            delays = []
            await client.post("/api/meetings/two-procs/items/panel/start")
            for n in range(1, 21):
                started = time.perf_counter()
                response = await client.post(
                    "/api/meetings/two-procs/floor/requests", json={"delegation_id": f"M{n:03d}"}
                )
                if n == 1:  # the floor is closed: open it and try again
                    assert response.status_code == 409
                    await client.post("/api/meetings/two-procs/floor/open")
                    response = await client.post(
                        "/api/meetings/two-procs/floor/requests", json={"delegation_id": "M001"}
                    )
                version = response.json()["version"]
                seen_b = await recv_until(on_b, "live", version)
                delays.append(time.perf_counter() - started)
                seen_a = await recv_until(on_a, "live", version)
                assert seen_a == seen_b
            assert [r["delegation_id"] for r in seen_b["floor"]["line"]] == [
                f"M{n:03d}" for n in range(1, 21)
            ]
        finally:
            await on_a.close()
            await on_b.close()
    delays.sort()
    print(
        f"\nact on A to client of B: p50 {delays[10] * 1e3:.1f} ms, max {delays[-1] * 1e3:.1f} ms"
    )


async def test_concurrent_acts_through_both_processes_are_all_kept_in_one_order(
    two_apps: tuple[AppServer, AppServer],
) -> None:
    a, b = two_apps
    async with chair_client(a) as on_a, chair_client(b) as on_b:
        await put_meeting(on_a, make_meeting("two-burst", states=100))
        await on_a.post("/api/meetings/two-burst/items/panel/start")
        await on_a.post("/api/meetings/two-burst/floor/open")
        responses = await asyncio.gather(
            *(
                (on_a if n % 2 else on_b).post(
                    "/api/meetings/two-burst/floor/requests", json={"delegation_id": f"M{n:03d}"}
                )
                for n in range(1, 101)
            )
        )
        assert [r.status_code for r in responses] == [201] * 100
        versions = sorted(r.json()["version"] for r in responses)
        assert versions == list(range(versions[0], versions[0] + 100))
        line = (await on_b.get("/api/meetings/two-burst")).json()["live"]["floor"]["line"]
        assert len(line) == 100


# --- a Redis Cluster ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    try:
        find_redis_binary()
    except RuntimeError as error:  # the only reason to skip: no binary to build one from
        pytest.skip(f"no redis-server to build a cluster from: {error}")
    cluster = LocalCluster(tmp_path_factory.mktemp("cluster"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def cluster_app(
    redis_cluster: LocalCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    server = start_app(
        tmp_path_factory.mktemp("cluster-app") / "app.log", REDIS_URL=redis_cluster.url
    )
    yield server
    server.stop()


@pytest.fixture
async def cluster_client(cluster_app: AppServer) -> AsyncIterator[httpx.AsyncClient]:
    async with chair_client(cluster_app) as client:
        yield client


def meetings_on_every_node(cluster: LocalCluster, prefix: str) -> list[str]:
    """Meeting ids whose slots are owned by different masters, one per master."""
    found: dict[int, str] = {}
    n = 0
    while len(found) < len(cluster.ports):
        meeting_id = f"{prefix}-{n}"
        found.setdefault(cluster.node_of(key(meeting_id, "version")), meeting_id)
        n += 1
    return list(found.values())


async def test_on_a_cluster_200_concurrent_requests_are_all_queued_once(
    redis_cluster: LocalCluster, cluster_client: httpx.AsyncClient
) -> None:
    client = cluster_client
    await put_meeting(client, make_meeting("c-burst", states=200))
    await client.post("/api/meetings/c-burst/items/panel/start")
    await client.post("/api/meetings/c-burst/floor/open")
    before = (await client.get("/api/meetings/c-burst")).json()["version"]
    ids = [f"M{n:03d}" for n in range(1, 201)]
    responses = await asyncio.gather(
        *(
            client.post("/api/meetings/c-burst/floor/requests", json={"delegation_id": d})
            for d in ids
        )
    )
    assert [r.status_code for r in responses] == [201] * 200
    assert sorted(r.json()["version"] for r in responses) == list(range(before + 1, before + 201))
    record = (await client.get("/api/meetings/c-burst/record", params={"after": before})).json()
    assert {e["details"]["delegation_id"] for e in record} == set(ids)


async def test_on_a_cluster_duplicates_and_retries_leave_one_request(
    cluster_client: httpx.AsyncClient,
) -> None:
    client = cluster_client
    await put_meeting(client, make_meeting("c-dupes", states=5))
    await client.post("/api/meetings/c-dupes/items/panel/start")
    await client.post("/api/meetings/c-dupes/floor/open")
    path = "/api/meetings/c-dupes/floor/requests"
    duplicates = await asyncio.gather(
        *(client.post(path, json={"delegation_id": "M003"}) for _ in range(50))
    )
    assert sorted(r.status_code for r in duplicates) == [201] + [409] * 49
    key_header = {"Idempotency-Key": "c-tablet-M004"}
    retries = await asyncio.gather(
        *(client.post(path, json={"delegation_id": "M004"}, headers=key_header) for _ in range(5))
    )
    assert {r.status_code for r in retries} == {201}
    assert len({r.text for r in retries}) == 1
    line = (await client.get("/api/meetings/c-dupes")).json()["live"]["floor"]["line"]
    assert [r["delegation_id"] for r in line] == ["M003", "M004"]


async def test_on_a_cluster_clients_of_meetings_on_every_node_see_each_change(
    redis_cluster: LocalCluster, cluster_app: AppServer, cluster_client: httpx.AsyncClient
) -> None:
    """The hub listens on one node; PUBLISH from the scripts on the other masters reaches it
    over the cluster bus."""
    client = cluster_client
    meeting_ids = meetings_on_every_node(redis_cluster, "c-room")
    assert len({redis_cluster.node_of(key(m, "version")) for m in meeting_ids}) == 3
    for meeting_id in meeting_ids:
        await put_meeting(client, make_meeting(meeting_id))
        url = f"{cluster_app.ws_url}/ws/meetings/{meeting_id}"
        async with connect(url) as first, connect(url) as second:
            for ws in (first, second):
                assert (await recv_json(ws))["type"] == "meeting"
                assert (await recv_json(ws))["type"] == "live"
            response = await client.post(f"/api/meetings/{meeting_id}/floor/open")
            version = response.json()["version"]
            seen = [await recv_until(ws, "live", version) for ws in (first, second)]
        assert seen[0] == seen[1]
        assert seen[0]["floor"]["is_open"] is True
