"""A consumer's act entries: each once, in version order; one that does not read keeps a
bounded number, and what it lost is named by a marker in its place."""

from __future__ import annotations

import asyncio

import pytest

from app.realtime.messages import ActEntry, ActsMessage
from app.realtime.subscriptions import Event, Missed, Subscription


def acts(base: int, *versions: int) -> ActsMessage:
    entries = [
        ActEntry(version=v, at=1000 + v, by="moderator", act="floor.next", details={})
        for v in versions
    ]
    return ActsMessage(meeting_id="m", base=base, entries=entries)


def shown(events: list[Event]) -> list[int | tuple[int, int]]:
    return [(e.first, e.last) if isinstance(e, Missed) else e.version for e in events]


async def take(subscription: Subscription, count: int) -> list[Event]:
    return [await asyncio.wait_for(anext(subscription), 5) for _ in range(count)]


async def test_entries_come_once_in_version_order() -> None:
    subscription = Subscription("m")
    subscription.offer(acts(0, 1))
    subscription.offer(acts(1, 2, 3))
    subscription.offer(acts(1, 2, 3))  # the same commit heard twice (a resync)
    subscription.offer(acts(3, 4))
    assert shown(await take(subscription, 4)) == [1, 2, 3, 4]
    assert subscription.pending() == 0


async def test_a_reader_waiting_is_woken_by_the_next_commit() -> None:
    subscription = Subscription("m")
    waiting = asyncio.ensure_future(anext(subscription))
    await asyncio.sleep(0)
    assert not waiting.done()
    subscription.offer(acts(4, 5))
    assert shown([await asyncio.wait_for(waiting, 5)]) == [5]


async def test_a_reader_that_does_not_read_keeps_the_newest_and_a_marker_for_the_rest() -> None:
    subscription = Subscription("m", limit=10)
    for version in range(1, 101):
        subscription.offer(acts(version - 1, version))
    assert subscription.pending() == 10
    events = await take(subscription, 10)
    assert shown(events) == [(1, 91), *range(92, 101)]


async def test_a_gap_in_the_versions_is_named_where_it_falls() -> None:
    subscription = Subscription("m")
    subscription.offer(acts(0, 1, 2))
    subscription.offer(acts(6, 7))  # 3 to 6 went by while the bus was not heard
    assert shown(await take(subscription, 4)) == [1, 2, (3, 6), 7]


async def test_a_meeting_created_again_starts_its_versions_again() -> None:
    subscription = Subscription("m")
    subscription.offer(acts(0, 1, 2, 3))
    subscription.offer(acts(0, 1))
    assert shown(await take(subscription, 4)) == [1, 2, 3, 1]


async def test_closing_ends_the_iteration_after_what_is_kept() -> None:
    subscription = Subscription("m")
    subscription.offer(acts(0, 1))
    subscription.close()
    assert shown([e async for e in subscription]) == [1]


def test_a_limit_too_small_for_an_entry_and_its_marker_is_refused() -> None:
    with pytest.raises(ValueError, match="at least two"):
        Subscription("m", limit=1)
