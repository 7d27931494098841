"""The per-client outbox: newest state wins, a stuck client is dropped, nobody waits; idle
clients are written to directly, and a client that falls behind goes through its outbox."""

from __future__ import annotations

import asyncio
import json

from app.realtime.fastpath import text_frame
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
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert versions(recorder.sent) == [5]


async def test_an_older_state_after_a_newer_one_is_never_sent() -> None:
    recorder = Recorder()
    connection = Connection(recorder.send, send_timeout_s=1)
    connection.offer_state("live", 7, live(7))
    await asyncio.sleep(0.01)
    connection.offer_state("live", 6, live(6))
    connection.offer_state("live", 8, live(8))
    await asyncio.sleep(0.01)
    assert versions(recorder.sent) == [7, 8]


async def test_a_stuck_client_holds_one_state_and_delays_nobody() -> None:
    hub = Hub(redis=None, on_resubscribe=_noop)  # type: ignore[arg-type]  # no Redis needed to fan out
    stuck = Stuck()
    # A timeout no busy machine reaches during the test: the drop is the next test's.
    stuck_connection = Connection(stuck.send, send_timeout_s=60)
    readers = [Recorder() for _ in range(50)]
    connections = [Connection(r.send, send_timeout_s=60) for r in readers]
    for connection in (stuck_connection, *connections):
        hub.join("m", connection)
    for version in range(1, 101):
        hub.deliver("m", live(version))
        await asyncio.sleep(0)
    await asyncio.sleep(0.01)
    assert all(versions(r.sent)[-1] == 100 for r in readers)
    assert stuck.attempts == 1
    # While stuck, its outbox keeps one state (the newest), not a hundred.
    assert len(stuck_connection._states) == 1
    await stuck_connection.stop()


async def test_a_stuck_client_is_dropped_after_the_send_timeout_and_the_room_goes_on() -> None:
    hub = Hub(redis=None, on_resubscribe=_noop)  # type: ignore[arg-type]
    stuck_connection = Connection(Stuck().send, send_timeout_s=0.05)
    reader = Recorder()
    for connection in (stuck_connection, Connection(reader.send, send_timeout_s=60)):
        hub.join("m", connection)
    dropped = asyncio.Event()
    stuck_connection.on_close(dropped.set)
    hub.deliver("m", live(1))
    await asyncio.wait_for(dropped.wait(), timeout=5)
    assert stuck_connection.closed
    hub.deliver("m", live(2))
    await asyncio.sleep(0.01)
    assert versions(reader.sent) == [1, 2]


async def test_replies_are_bounded() -> None:
    connection = Connection(Recorder().send, send_timeout_s=1)
    for n in range(1000):
        connection.offer_reply(json.dumps({"type": "pong", "n": n}))
    assert len(connection._replies or ()) == Connection.REPLIES_MAX


class Socket:
    """A client's socket as the fast path sees it: takes whole frames while it keeps up."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []
        self.keeping_up = True
        self.aborted = False

    def write(self, frame: bytes) -> bool:
        if self.keeping_up:
            self.frames.append(frame)
        return self.keeping_up

    def abort(self) -> None:
        self.aborted = True


class Gate:
    """A slow client's ASGI send: each send waits until the gate opens."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.open = asyncio.Event()

    async def send(self, text: str) -> None:
        await self.open.wait()
        self.sent.append(text)


def frame_versions(frames: list[bytes]) -> list[int]:
    return [json.loads(frame[2:] if frame[1] < 126 else frame[4:])["version"] for frame in frames]


async def test_an_idle_client_is_written_to_at_once_with_the_rooms_one_frame() -> None:
    hub = Hub(redis=None, on_resubscribe=_noop)  # type: ignore[arg-type]
    sockets = [Socket() for _ in range(3)]
    recorder = Recorder()
    for socket in sockets:
        hub.join("m", Connection(recorder.send, send_timeout_s=1, writer=socket))
    hub.deliver("m", live(1))
    # Written before any await, without the ASGI send, the same bytes for everyone.
    assert recorder.sent == []
    assert [frame_versions(s.frames) for s in sockets] == [[1], [1], [1]]
    assert sockets[0].frames[0] is sockets[1].frames[0] is sockets[2].frames[0]
    assert sockets[0].frames[0] == text_frame(live(1))


async def test_a_state_written_directly_counts_as_sent() -> None:
    socket = Socket()
    connection = Connection(Recorder().send, send_timeout_s=1, writer=socket)
    connection.offer_state("live", 5, live(5))
    connection.offer_state("live", 4, live(4))
    socket.keeping_up = False
    connection.offer_state("live", 3, live(3))
    await asyncio.sleep(0.01)
    assert frame_versions(socket.frames) == [5]
    assert connection._states == {}


async def test_a_client_that_falls_behind_goes_through_its_outbox_in_order_then_back() -> None:
    socket = Socket()
    gate = Gate()
    connection = Connection(gate.send, send_timeout_s=1, writer=socket)
    connection.offer_state("live", 1, live(1))
    socket.keeping_up = False  # its buffer is full
    connection.offer_state("live", 2, live(2))
    assert connection._sender is not None
    socket.keeping_up = True  # the buffer drains, but the outbox is not empty yet
    connection.offer_state("live", 3, live(3))
    connection.offer_state("live", 4, live(4))
    await asyncio.sleep(0.01)
    # Nothing overtook the queued state; newer ones coalesced behind it.
    assert frame_versions(socket.frames) == [1]
    gate.open.set()
    await asyncio.sleep(0.01)
    assert versions(gate.sent) == [4]
    assert connection._sender is None
    connection.offer_state("live", 5, live(5))
    assert frame_versions(socket.frames) == [1, 5]  # the direct path again


async def test_replies_take_the_direct_path_too_and_queue_behind_states() -> None:
    socket = Socket()
    gate = Gate()
    connection = Connection(gate.send, send_timeout_s=1, writer=socket)
    connection.offer_reply('{"type":"pong"}')
    assert socket.frames == [text_frame('{"type":"pong"}')]
    socket.keeping_up = False
    connection.offer_state("live", 1, live(1))
    socket.keeping_up = True
    connection.offer_reply('{"type":"pong","n":2}')
    gate.open.set()
    await asyncio.sleep(0.01)
    assert gate.sent == [live(1), '{"type":"pong","n":2}']
    assert len(socket.frames) == 1


async def test_a_stalled_client_is_aborted_after_the_send_timeout_and_sent_nothing_more() -> None:
    socket = Socket()
    socket.keeping_up = False
    stuck = Stuck()
    connection = Connection(stuck.send, send_timeout_s=0.05, writer=socket)
    dropped = asyncio.Event()
    connection.on_close(dropped.set)
    connection.offer_state("live", 1, live(1))
    await asyncio.wait_for(dropped.wait(), timeout=5)
    assert socket.aborted
    assert connection.closed
    await asyncio.sleep(0)
    assert connection._sender is None
    socket.keeping_up = True
    connection.offer_state("live", 2, live(2))
    assert socket.frames == []


async def test_stop_ends_a_running_sender() -> None:
    connection = Connection(Stuck().send, send_timeout_s=10)
    connection.offer_state("live", 1, live(1))
    await asyncio.sleep(0)
    assert connection._sender is not None
    await connection.stop()
    assert connection._sender is None


class Broken(Socket):
    """A socket whose write fails with an error that is neither Redis's nor the OS's."""

    def write(self, frame: bytes) -> bool:
        raise RuntimeError("a bug in one client's delivery")


async def test_a_client_whose_delivery_fails_is_dropped_and_the_room_still_gets_every_state() -> (
    None
):
    hub = Hub(redis=None, on_resubscribe=_noop)  # type: ignore[arg-type]
    broken = Broken()
    faulty = Connection(Recorder().send, send_timeout_s=1, writer=broken)
    sockets = [Socket() for _ in range(3)]
    for connection in (faulty, *(Connection(Recorder().send, 1, writer=s) for s in sockets)):
        hub.join("m", connection)
    hub.deliver("m", live(1))  # raised out of the listener before: every screen froze
    hub.deliver("m", live(2))
    assert [frame_versions(s.frames) for s in sockets] == [[1, 2]] * 3
    assert faulty.closed
    assert broken.aborted


async def test_a_message_of_unknown_type_or_malformed_reaches_no_one() -> None:
    hub = Hub(redis=None, on_resubscribe=_noop)  # type: ignore[arg-type]
    socket = Socket()
    hub.join("m", Connection(Recorder().send, send_timeout_s=1, writer=socket))
    hub.deliver("m", json.dumps({"type": "shout", "version": 1}))
    hub.deliver("m", "not json")
    hub.deliver("m", json.dumps({"type": "acts", "meeting_id": "m", "base": 0, "entries": []}))
    hub.deliver("m", live(1))
    assert frame_versions(socket.frames) == [1]


def revoked(code_id: str) -> str:
    return json.dumps({"type": "revoked", "code_id": code_id})


async def test_a_revocation_closes_the_connections_of_its_code_in_every_room() -> None:
    hub = Hub(redis=None, on_resubscribe=_noop)  # type: ignore[arg-type]
    mine = [Connection(Recorder().send, 1, code_id="c1") for _ in range(2)]
    other = Connection(Recorder().send, 1, code_id="c2")
    hub.join("a", mine[0])
    hub.join("b", mine[1])
    hub.join("b", other)
    hub.control(revoked("c1"))
    hub.control("garbage")
    assert [c.revoked and c.closed for c in mine] == [True, True]
    assert not other.closed
