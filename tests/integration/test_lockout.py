"""Wrong codes limited without locking the room out (app/access/lockout.py), on the running
app: a guessing device locks only itself, 200 guesses at once evaluate no more than the
bound, and a known device signs in whatever others guess."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from app.access.lockout import DEVICE_MAX, PREFIX_MAX
from tests.conftest import AppServer, RedisServer, Tokens, bearer

M = "demo"
DELEGATIONS = ("delegation:ESP", "delegation:FRA")


@pytest.fixture(autouse=True)
async def fresh_buckets(redis_server: RedisServer) -> AsyncIterator[None]:
    """The app's sign-in counters emptied before and after, so that no other test meets
    the bounds these tests fill."""
    client = Redis.from_url(redis_server.url(db=0))

    async def empty() -> None:
        keys = [key async for key in client.scan_iter("fk:{signin}:*")]
        if keys:
            await client.delete(*keys)

    await empty()
    yield
    await empty()
    await client.aclose()


@pytest.fixture
async def codes(live_server: AppServer, tokens: Tokens) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=30) as client:
        issued = await client.post(
            f"/api/meetings/{M}/access/codes", headers=bearer(tokens.secretariat)
        )
        assert issued.status_code == 200, issued.text
        return {entry["subject"]: entry["code"] for entry in issued.json()}


def _wrong(real: str, n: int, same_half: bool = True) -> str:
    """A wrong code: `real`'s first half and another second half, or another first half."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    tail = "".join(alphabet[(n // 31**i) % 31] for i in range(4))
    if same_half:
        guess = f"{real[:4]}-{tail}"
        return guess if guess != real else f"{real[:4]}-ZZZZ"
    return f"{tail}-{real[5:]}"


async def test_a_guessing_device_locks_only_itself_out(
    live_server: AppServer, codes: dict[str, str]
) -> None:
    real = codes[DELEGATIONS[0]]
    async with httpx.AsyncClient(base_url=live_server.base_url) as device:  # keeps its cookie
        answers = [
            await device.post(
                "/api/session", json={"code": _wrong(real, n, False), "meeting_id": M}
            )
            for n in range(DEVICE_MAX + 1)
        ]
        assert [a.status_code for a in answers] == [401] * DEVICE_MAX + [429]
        assert "too many wrong codes from this device" in answers[-1].json()["message"]
        assert answers[-1].json()["reason"] == "too_many_codes"
    async with httpx.AsyncClient(base_url=live_server.base_url) as tablet:  # same address
        signed_in = await tablet.post("/api/session", json={"code": real, "meeting_id": M})
        assert signed_in.status_code == 201
        assert f"delegation:{signed_in.json()['subject']}" == DELEGATIONS[0]


async def test_200_guesses_at_once_evaluate_no_more_than_the_bound(
    live_server: AppServer, codes: dict[str, str]
) -> None:
    real = codes[DELEGATIONS[1]]
    base = live_server.base_url
    async with httpx.AsyncClient(base_url=base) as tablet:
        assert (await tablet.post("/api/session", json={"code": real, "meeting_id": M})).is_success
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:

            async def guess(n: int) -> int:
                body = {"code": _wrong(real, n), "meeting_id": M}
                return (await client.post("/api/session", json=body)).status_code

            client.cookies.clear()
            statuses = await asyncio.gather(*(guess(n) for n in range(200)))
        assert statuses.count(401) == PREFIX_MAX
        assert statuses.count(429) == 200 - PREFIX_MAX
        # The half of the code under attack is refused to new devices; the delegation's own
        # tablet, known since it signed in, still signs in.
        async with httpx.AsyncClient(base_url=base) as newcomer:
            refused = await newcomer.post("/api/session", json={"code": real, "meeting_id": M})
            assert refused.status_code == 429
            assert "starting like this one" in refused.json()["message"]
        again = await tablet.post("/api/session", json={"code": real, "meeting_id": M})
        assert again.status_code == 201
