"""Sessions on a real Redis, seen from two app processes: signing out, a revoked or reissued
code and an expired session stop at once, on every process, however often the session was
used before (a cache of sessions would have to keep this)."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from app.access.lockout import Attempt
from app.access.policy import Actor, Role
from app.access.service import Access

M = "sessions"

DEVICE = Attempt("device", "127.0.0.1")


@pytest.fixture
async def two_processes(redis: Redis) -> tuple[Access, Access]:
    """Two app processes' views of access, on one Redis."""
    return Access(redis, "secret-token"), Access(redis, "secret-token")


async def signed_in(access: Access, subject: str = "M001") -> tuple[str, Actor]:
    await access.issue(M, [(Role.DELEGATION, subject)])
    grant = next(g for g in await access.codes(M) if g.subject == subject)
    return await access.sign_in(M, grant.code, DEVICE)


async def test_a_session_holds_on_every_process(
    two_processes: tuple[Access, Access],
) -> None:
    one, other = two_processes
    token, actor = await signed_in(one)
    for access in (one, other, one, other):
        assert await access.actor(token) == actor
    assert await one.actor("not-a-token") is None


@pytest.mark.parametrize("where", ["same process", "other process"])
async def test_signing_out_stops_the_session_at_once(
    two_processes: tuple[Access, Access], where: str
) -> None:
    one, other = two_processes
    token, _ = await signed_in(one)
    assert await one.actor(token) is not None
    assert await other.actor(token) is not None
    await (one if where == "same process" else other).sign_out(token)
    assert await one.actor(token) is None
    assert await other.actor(token) is None


async def test_a_revoked_or_reissued_code_stops_its_remembered_sessions(
    two_processes: tuple[Access, Access],
) -> None:
    one, other = two_processes
    revoked, _ = await signed_in(one, "M001")
    reissued, _ = await signed_in(one, "M002")
    kept, kept_actor = await signed_in(one, "M003")
    for token in (revoked, reissued, kept):
        assert await other.actor(token) is not None

    await one.revoke(M, "delegation:M001")
    new = await one.reissue(M, "delegation:M002")

    assert await other.actor(revoked) is None
    assert await other.actor(reissued) is None
    assert await other.actor(kept) == kept_actor
    # The new code opens a new session; the old one stays shut.
    token, _ = await other.sign_in(M, new.code, DEVICE)
    assert await one.actor(token) is not None
    assert await one.actor(reissued) is None


async def test_an_expired_session_stops(redis: Redis, two_processes: tuple[Access, Access]) -> None:
    one, _ = two_processes
    token, _ = await signed_in(one)
    assert await one.actor(token) is not None
    keys = [k async for k in redis.scan_iter("fk:session:*")]
    assert len(keys) == 1
    await redis.delete(*keys)  # as its TTL would
    assert await one.actor(token) is None


async def test_the_secretariats_session_has_no_code_and_holds_until_signed_out(
    two_processes: tuple[Access, Access],
) -> None:
    one, other = two_processes
    token, actor = await one.sign_in(None, "secret-token", DEVICE)
    assert actor.role is Role.SECRETARIAT
    assert await other.actor(token) == actor
    assert await other.actor(token) == actor
    await one.sign_out(token)
    assert await other.actor(token) is None
