"""The broadcast outputs against the real app on a real Redis: a scripted panel, and exactly what
the CasparCG simulator (TCP) and the OSC receiver (UDP) were sent, written out."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from app.broadcast import amcp
from app.broadcast.drivers import AmcpConnection, CasparDriver, OscDriver
from app.broadcast.feed import Broadcast, Follower, run, socket_url
from app.broadcast.osc import Message
from app.broadcast.outputs import CasparConfig
from app.broadcast.simulators import AmcpSimulator, OscReceiver
from tests.conftest import AppServer, Tokens, bearer
from tests.factories import make_meeting
from tests.integration.helpers import put_meeting


@pytest.fixture
async def client(live_server: AppServer, tokens: Tokens) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=live_server.base_url, timeout=30, headers=bearer(tokens.chair)
    ) as c:
        yield c


def timer_states(messages: list[Message]) -> list[object]:
    return [m.args[0] for m in messages if m.address.endswith("/timer")]


def command(line: str) -> tuple[str, ...]:
    """A CG line as (action, the name on the plate, the clock's state) or (action,)."""
    tokens = amcp.unquote(line)
    if tokens[2] in ("ADD", "UPDATE"):
        data = json.loads(tokens[-1])
        return (tokens[2], data["f0"], data["timer"]["state"])
    return (tokens[2],)


async def test_a_panel_reaches_casparcg_and_osc(
    live_server: AppServer, client: httpx.AsyncClient
) -> None:
    meeting_id = f"bc-{uuid.uuid4().hex[:8]}"
    await put_meeting(client, make_meeting(meeting_id))
    acts = f"/api/meetings/{meeting_id}"
    simulator = AmcpSimulator()
    receiver = OscReceiver()
    caspar = CasparDriver(
        AmcpConnection("127.0.0.1", await simulator.start()),
        CasparConfig(amcp.Target(1, 20), "floorkeeper/lower-third", 1),
    )
    sender = OscDriver("127.0.0.1", await receiver.start())
    broadcast = Broadcast("en", [caspar, sender])
    stop = asyncio.Event()
    feeding = asyncio.create_task(run(live_server.base_url, meeting_id, broadcast, stop))

    async def act(path: str, body: dict[str, str] | None = None) -> None:
        response = await client.post(f"{acts}{path}", json=body or {})
        assert response.status_code in (200, 201), response.text

    async def sent(count: int) -> list[tuple[str, ...]]:
        return [command(line) for line in await simulator.wait_for(count)]

    try:
        async with asyncio.timeout(20):
            await broadcast.shown.wait()  # following the meeting before anything happens
        await act("/items/panel/start")
        await act("/floor/open")
        await act("/floor/requests", {"delegation_id": "M001"})
        await act("/floor/requests", {"delegation_id": "M002"})
        await act("/floor/next")  # Member State 1 has the floor
        assert await sent(1) == [("ADD", "Member State 1", "running")]
        await act("/floor/next")  # Member State 2
        assert (await sent(2))[1:] == [("UPDATE", "Member State 2", "running")]
        await act("/timer/pause")
        assert (await sent(3))[2:] == [("UPDATE", "Member State 2", "paused")]
        await act("/floor/end")
        assert (await sent(4))[3:] == [("STOP",)]
        # The floor's end: the last of its datagrams is the timer's, back to "none".
        messages = await receiver.wait_for(lambda got: timer_states(got)[1:][-1:] == ["none"])
    finally:
        stop.set()
        await feeding
        await caspar.connection.close()
        sender.close()
        await simulator.stop()
        receiver.stop()

    assert simulator.received[0].startswith('CG 1-20 ADD 1 "floorkeeper/lower-third" 1 "{')
    assert [reply for reply in simulator.received if "STOP" in reply] == ["CG 1-20 STOP 1"]
    base = f"/floorkeeper/{meeting_id}"
    speakers = [m.args[:3] for m in messages if m.address == f"{base}/speaker"]
    assert speakers == [
        ("", "", ""),
        ("Member State 1", "M001", "delegation"),
        ("Member State 2", "M002", "delegation"),
        ("", "", ""),
    ]
    assert timer_states(messages) == ["none", "running", "running", "paused", "none"]
    nexts = [m.args[0] for m in messages if m.address == f"{base}/next"]
    # The requests came in a burst: a state between them may be skipped (a screen keeps the
    # newest), the plates given the floor never are.
    assert nexts[0] == ""
    assert nexts[-2:] == ["Member State 2", ""]


async def test_the_feed_follows_the_server_clock_and_refuses_a_bad_address(
    live_server: AppServer, client: httpx.AsyncClient
) -> None:
    meeting_id = f"bc-{uuid.uuid4().hex[:8]}"
    await put_meeting(client, make_meeting(meeting_id))
    states: list[int] = []

    async def on_state(_roster: object, live: object) -> None:
        states.append(getattr(live, "version", -1))

    follower = Follower(live_server.base_url, meeting_id, on_state)
    stop = asyncio.Event()
    task = asyncio.create_task(follower.run(stop))
    try:
        async with asyncio.timeout(20):
            await follower.connected.wait()
            await follower.clock.measured.wait()
    finally:
        stop.set()
        await task
    # The server and this test share a machine: the measured offset is near zero.
    assert abs(follower.clock.offset_ms) < 500
    assert states
    with pytest.raises(ValueError, match="not the address"):
        socket_url("ftp://example.org", meeting_id)
    assert socket_url("https://fk.example.org/room", "demo") == (
        "wss://fk.example.org/room/ws/meetings/demo"
    )
