"""The per-client outbox: newest state wins, a stuck client is dropped, nobody waits."""

from __future__ import annotations

import asyncio
import json

from app.realtime.hub import Connection, Hub


def live(version: int) -> str:
    return json.dumps({"type": "live", "version": version})


class Recorder:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, text: str) -> None:
        self.sent.append(text)


class Stuck:
    """A client whose socket never drains."""

    def __init__(self) -> None:
        self.attempts = 0

    async def send(self, text: str) -> None:
        self.attempts += 1
        await asyncio.Event().wait()


async def _noop(meeting_id: str) -> None:
    return None


def versions(sent: list[str]) -> list[int]:
    return [json.loads(text)["version"] for text in sent]


async def test_unsent_states_coalesce_to_the_newest() -> None:
    recorder = Recorder()
    connection = Connection(recorder.send, send_timeout_s=1)
    for version in (3, 1, 5, 4):
        connection.offer_state("live", version, live(version))
    sender = asyncio.create_task(connection.run_sender())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    sender.cancel()
    assert versions(recorder.sent) == [5]


async def test_an_older_state_after_a_newer_one_is_never_sent() -> None:
    recorder = Recorder()
    connection = Connection(recorder.send, send_timeout_s=1)
    sender = asyncio.create_task(connection.run_sender())
    connection.offer_state("live", 7, live(7))
    await asyncio.sleep(0.01)
    connection.offer_state("live", 6, live(6))
    connection.offer_state("live", 8, live(8))
    await asyncio.sleep(0.01)
    sender.cancel()
    assert versions(recorder.sent) == [7, 8]


async def test_a_stuck_client_holds_one_state_delays_nobody_and_is_dropped() -> None:
    hub = Hub(redis=None, on_resubscribe=_noop)  # type: ignore[arg-type]  # no Redis needed to fan out
    stuck = Stuck()
    stuck_connection = Connection(stuck.send, send_timeout_s=0.2)
    readers = [Recorder() for _ in range(50)]
    connections = [Connection(r.send, send_timeout_s=0.2) for r in readers]
    for connection in (stuck_connection, *connections):
        hub.join("m", connection)
    tasks = [asyncio.create_task(c.run_sender()) for c in (stuck_connection, *connections)]
    for version in range(1, 101):
        hub.deliver("m", live(version))
        await asyncio.sleep(0)
    await asyncio.sleep(0.01)
    assert all(versions(r.sent)[-1] == 100 for r in readers)
    assert stuck.attempts == 1
    # While stuck, its outbox keeps one state (the newest), not a hundred.
    assert len(stuck_connection._states) == 1
    await asyncio.wait_for(stuck_connection.closed.wait(), timeout=5)
    for task in tasks:
        task.cancel()


async def test_replies_are_bounded() -> None:
    connection = Connection(Recorder().send, send_timeout_s=1)
    for n in range(1000):
        connection.offer_reply(json.dumps({"type": "pong", "n": n}))
    assert len(connection._replies) == Connection.REPLIES_MAX
