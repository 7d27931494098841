"""kill -9 of the app: the queue and the running timer are intact; the embedded Redis dies
with the app and is found again, with its data, on the next start."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from tests.conftest import AppServer, RedisServer, app_env, bearer, tokens_for, wait_for
from tests.factories import make_meeting
from tests.integration.helpers import meeting_json


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is dead for our purpose.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _run_a_floor(base_url: str) -> dict[str, object]:
    tokens = tokens_for(base_url)
    with httpx.Client(base_url=base_url, timeout=10, headers=bearer(tokens.chair)) as client:
        body = meeting_json(make_meeting("crash"))
        put = client.put("/api/meetings/crash", json=body, headers=bearer(tokens.secretariat))
        assert put.is_success
        client.post("/api/meetings/crash/items/panel/start")
        client.post("/api/meetings/crash/floor/open")
        for delegation_id in ("M001", "M002", "VAT", "M003"):
            client.post("/api/meetings/crash/floor/requests", json={"delegation_id": delegation_id})
        assert client.post("/api/meetings/crash/floor/next").is_success
        live: dict[str, object] = client.get("/api/meetings/crash").json()["live"]
        return live


def test_kill_9_keeps_the_queue_and_the_running_timer(redis_server: RedisServer) -> None:
    server = AppServer(env=app_env(REDIS_URL=redis_server.url(db=3)), demo=False)
    server.start()
    try:
        before = _run_a_floor(server.base_url)
        server.restart()
        with httpx.Client(base_url=server.base_url, timeout=10) as client:
            after = client.get("/api/meetings/crash").json()["live"]
    finally:
        server.stop()
    assert after == before
    floor = after["floor"]
    assert [r["delegation_id"] for r in floor["line"]] == ["M002", "M003", "VAT"]
    timer = floor["current"]["timer"]
    assert timer["state"] == "running"
    # The facts are unchanged, so the remaining time is what it would have been.
    assert timer["started_at"] == before["floor"]["current"]["timer"]["started_at"]  # type: ignore[index]


def test_embedded_redis_dies_with_the_app_and_its_data_survives(tmp_path: Path) -> None:
    env = app_env(FLOORKEEPER_DATA_DIR=str(tmp_path))
    server = AppServer(env=env, demo=False)
    server.start()
    try:
        before = _run_a_floor(server.base_url)
        pidfile = tmp_path / "redis" / "redis.pid"
        redis_pid = int(pidfile.read_text())
        assert _pid_alive(redis_pid)
        server.kill()
        wait_for(lambda: not _pid_alive(redis_pid), "redis-server outlived the app", seconds=15)
        server.start()
        with httpx.Client(base_url=server.base_url, timeout=10) as client:
            health = client.get("/healthz").json()
            after = client.get("/api/meetings/crash").json()["live"]
        assert health["embedded_redis"] is True
        assert after == before
    finally:
        server.stop()
    wait_for(
        lambda: not _pid_alive(int(pidfile.read_text() or 0)) if pidfile.exists() else True,
        "redis-server outlived a clean stop",
        seconds=15,
    )
