"""Found by reading, each fixed with a test that failed before: two secretariats replacing a
meeting at once, a meeting named like the access channel, a flood of acts, the set of
meetings written apart from the meeting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError

from app.access.policy import Actor, Role
from app.domain.acts import RequestFloor, StartItem
from app.errors import DomainError, Invalid, Unavailable
from app.meetings.committer import TOO_MANY_WAITING, Committed, Committer
from app.meetings.service import Meetings
from app.meetings.store import MeetingStore
from tests.conftest import AppServer, RedisServer, Tokens, bearer
from tests.factories import make_meeting
from tests.integration.helpers import meeting_json

CHAIR = Actor(Role.CHAIR)


@pytest.fixture
async def meetings(redis: Redis) -> AsyncIterator[Meetings]:
    service = Meetings.on(redis)
    yield service
    await service.close()


async def test_replacements_at_once_each_get_their_own_version_and_the_last_one_stands(
    redis: Redis, meetings: Meetings
) -> None:
    titles = [f"Session, version {n}" for n in range(6)]
    versions = await asyncio.gather(
        *(
            meetings.put_meeting(replace(make_meeting("race"), title=t), "secretariat")
            for t in titles
        )
    )
    # Before: a writer that lost the race took the winner's log entry for its own (both had
    # an empty commit id) and was told its programme was stored when it was not.
    assert sorted(versions) == list(range(1, len(titles) + 1))
    stored = await meetings.meeting("race")
    assert stored.title == titles[versions.index(max(versions))]


async def test_a_meeting_may_not_take_the_access_channels_name(
    live_server: AppServer, tokens: Tokens
) -> None:
    headers = bearer(tokens.secretariat)
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as client:
        body = meeting_json(make_meeting("access"))
        refused = await client.put("/api/meetings/access", json=body, headers=headers)
        assert refused.status_code == 422
        assert "reserved" in refused.json()["message"]
        assert (await client.get("/api/meetings/access")).status_code == 404


async def test_the_access_name_is_refused_to_every_way_in(meetings: Meetings) -> None:
    with pytest.raises(Invalid, match="is reserved"):
        await meetings.put_meeting(make_meeting("access"), "secretariat")
    assert await meetings.find("access") is None


async def test_a_flood_of_acts_is_refused_beyond_what_may_wait(redis: Redis) -> None:
    store = MeetingStore(redis)
    meetings = Meetings(store, Committer(store, max_waiting=5))
    await meetings.put_meeting(make_meeting("flood", states=30), "secretariat")
    await meetings.act("flood", StartItem("panel"), CHAIR)
    # All twenty arrive before the meeting's worker runs: five may wait, fifteen may not.
    outcomes: list[Any] = await asyncio.gather(
        *(meetings.act("flood", RequestFloor(f"M{n:03d}"), CHAIR) for n in range(1, 21)),
        return_exceptions=True,
    )
    await meetings.close()
    refused = [o for o in outcomes if isinstance(o, Unavailable)]
    taken = [o for o in outcomes if not isinstance(o, Unavailable)]
    assert len(refused) == 15
    assert {(e.status_code, e.message, e.reason) for e in refused} == {
        (503, TOO_MANY_WAITING, "try_again")
    }
    # The five taken were applied (the floor is closed: each refused by the rule, not lost).
    assert len(taken) == 5
    assert all(isinstance(o, DomainError | Committed) for o in taken)


class CutAfterTheScript(Redis):
    """A real Redis client whose connection drops right after a script: every SADD fails."""

    async def sadd(self, name: Any, *values: Any) -> Any:
        raise ConnectionError("connection lost")


async def test_a_new_meeting_is_listed_in_the_same_commit(redis_server: RedisServer) -> None:
    url = redis_server.url(db=1)
    client = Redis.from_url(url)
    await client.flushdb()
    cut = CutAfterTheScript.from_url(url)
    meetings = Meetings.on(cut)
    version = await meetings.put_meeting(make_meeting("listed"), "secretariat")
    await meetings.close()
    await cut.aclose()
    plain = Meetings.on(client)
    assert version == 1
    assert await plain.meeting_ids() == ["listed"]
    await plain.close()
    await client.aclose()
