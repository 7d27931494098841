"""Keeping Python's cycle collector off the long-lived websocket connections.

A full (oldest-generation) collection walks every container object of the process: with
1,000-2,000 connections, each holding its protocol, transport, scope, Starlette objects and
coroutine frames, it stops the process for 100-300 ms, and one falling inside a broadcast sets
that broadcast's p99. CPython runs one whenever the objects that survived into the oldest
generation have grown by a quarter since the last, which is what a room filling up does.

`gc.freeze()` moves every object alive at that moment into a permanent generation that no
collection walks. The app's own objects are frozen once at start-up, and the connections
each time their number has grown by a quarter since the last freeze, so the collections that
remain walk only what is new. The price: an object frozen is never examined by the cycle
collector again. Reference counting still frees everything that is not in a cycle, which is
nearly all of what a closed connection leaves; what was in a cycle stays until the freeze is
undone. So when the connections fall to half of what they were at the last freeze (a meeting
ending, a reconnection storm), everything is unfrozen and collected once, at a moment when
no broadcast is waiting on the largest crowd, and frozen again later as the room refills.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)

GROWTH = 1.25
"""Freeze again when the connections have grown by this factor since the last freeze."""
FIRST_AT = 100
"""Below this many connections a full collection is short: no need to freeze for them."""


class Collector:
    __slots__ = ("_frozen_at",)

    def __init__(self) -> None:
        self._frozen_at = 0
        """The number of connections at the last freeze."""

    def connections_changed(self, count: int) -> None:
        if count >= max(FIRST_AT, self._frozen_at * GROWTH):
            gc.collect(1)  # the young generations only (short): garbage must not be frozen
            gc.freeze()
            self._frozen_at = count
        elif self._frozen_at - count >= max(FIRST_AT // 2, self._frozen_at // 2):
            frozen = gc.get_freeze_count()
            gc.unfreeze()
            found = gc.collect()
            gc.freeze()  # the app's own objects again, and the connections that remain
            log.info(
                "connections down to %d from %d: %d objects collected of %d frozen",
                count,
                self._frozen_at,
                found,
                frozen,
            )
            self._frozen_at = count


_collector: Collector | None = None


def manage_collector() -> None:
    """For a server process (floorkeeper serve), not a test run that shares its process:
    freeze what start-up made (modules, the app, its schemas), then follow the connections."""
    global _collector
    gc.collect()
    gc.freeze()
    _collector = Collector()


def connections_changed(count: int) -> None:
    if _collector is not None:
        _collector.connections_changed(count)
