"""The conference-system links over real sockets, against the simulators: each protocol's
quirks (CoCon's 408 and 400, an answer cut mid-event, DICENTIS's fire-once events and
login, Shure's silence when nothing changed) and a reconnection after a drop."""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Subprotocol

from app.bridges.events import (
    Connected,
    Disconnected,
    Event,
    MicOn,
    MicState,
    OperatorMode,
    Refused,
    RequestOn,
)
from app.bridges.links import (
    Backoff,
    CoConLink,
    DicentisLink,
    HttpLane,
    Link,
    ShureLink,
    client_context,
)
from app.bridges.simulators.base import Simulator
from app.bridges.simulators.cocon import CoConSimulator
from app.bridges.simulators.dicentis import CERTIFICATE, DicentisSimulator
from app.bridges.simulators.shure import ShureSimulator
from app.bridges.simulators.unit import ControlUnit, Mode

E = TypeVar("E", bound=Event)
DICENTIS = Subprotocol("DICENTIS_1_0")
FAST = Backoff(first=0.05, most=0.2)
WAIT_S = 20.0
"""Generous: a bound on a hang, not a measure of speed."""


class Seen:
    """Every event a link handed on, and a way to wait for one."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._changed = asyncio.Condition()

    async def sink(self, event: Event) -> None:
        async with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    async def until(self, test: Callable[[Event], bool], after: int = 0) -> Event:
        async def found() -> Event:
            async with self._changed:
                while True:
                    for event in self.events[after:]:
                        if test(event):
                            return event
                    await self._changed.wait()

        return await asyncio.wait_for(found(), WAIT_S)

    async def state(self, test: Callable[[MicState], bool], after: int = 0) -> MicState:
        event = await self.until(lambda e: isinstance(e, MicState) and test(e), after)
        assert isinstance(event, MicState)
        return event

    def count(self, kind: type[Event]) -> int:
        return sum(isinstance(e, kind) for e in self.events)


async def running(link: Link) -> tuple[Seen, asyncio.Task[None]]:
    seen = Seen()
    task = asyncio.create_task(link.run(seen.sink))
    await seen.until(lambda e: isinstance(e, Connected))
    await seen.until(lambda e: isinstance(e, MicState))
    return seen, task


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.fixture
async def cocon_sim() -> AsyncIterator[CoConSimulator]:
    sim = CoConSimulator(ControlUnit(seats=200), poll_timeout_s=0.2, id_expiry_s=0.5)
    await sim.start()
    yield sim
    await sim.stop()


@pytest.fixture
async def dicentis_sim() -> AsyncIterator[DicentisSimulator]:
    sim = DicentisSimulator(ControlUnit(seats=200), user="operator", password="secret")
    await sim.start()
    yield sim
    await sim.stop()


@pytest.fixture
async def shure_sim() -> AsyncIterator[ShureSimulator]:
    sim = ShureSimulator(ControlUnit(seats=200))
    await sim.start()
    yield sim
    await sim.stop()


def cocon_link(sim: CoConSimulator) -> CoConLink:
    return CoConLink("127.0.0.1", sim.port, poll_timeout_s=0.2, backoff=FAST)


def dicentis_link(sim: DicentisSimulator, password: str = "secret") -> DicentisLink:
    tls = client_context(str(CERTIFICATE))
    return DicentisLink("127.0.0.1", sim.port, "operator", password, tls, backoff=FAST)


def shure_link(sim: ShureSimulator) -> ShureLink:
    return ShureLink("127.0.0.1", sim.port, backoff=FAST)


LINKS: dict[str, Callable[[Simulator], Link]] = {
    "cocon": cocon_link,  # type: ignore[dict-item]
    "dicentis": dicentis_link,  # type: ignore[dict-item]
    "shure": shure_link,  # type: ignore[dict-item]
}


SIMULATORS: dict[str, Callable[[ControlUnit], Simulator]] = {
    "cocon": lambda unit: CoConSimulator(unit, poll_timeout_s=0.2, id_expiry_s=0.5),
    "dicentis": lambda unit: DicentisSimulator(unit, user="operator", password="secret"),
    "shure": ShureSimulator,
}


@pytest.fixture(params=sorted(SIMULATORS))
async def sim(request: pytest.FixtureRequest) -> AsyncIterator[Simulator]:
    simulator = SIMULATORS[request.param](ControlUnit(seats=200))
    await simulator.start()
    yield simulator
    await simulator.stop()


# --- every system ---------------------------------------------------------------------------


async def test_presses_are_seen_in_the_units_order(sim: Simulator) -> None:
    sim.unit.mode = Mode.ONLY_REQUEST
    seen, task = await running(LINKS[sim.system](sim))
    sim.press(12)
    sim.press(4)
    assert (await seen.state(lambda s: s.requests == (12, 4))).speakers == ()
    await stop(task)


async def test_commands_change_the_unit_and_its_state_comes_back(sim: Simulator) -> None:
    sim.unit.mode = Mode.ONLY_REQUEST
    link = LINKS[sim.system](sim)
    seen, task = await running(link)
    sim.press(12)
    await seen.state(lambda s: s.requests == (12,))
    await link.send([MicOn(12)])
    state = await seen.state(lambda s: s.speakers == (12,))
    assert state.requests == ()
    assert sim.unit.speakers == [12]
    await stop(task)


async def test_a_dropped_connection_is_reported_once_then_reconnected_and_resynced(
    sim: Simulator,
) -> None:
    link = LINKS[sim.system](sim)
    seen, task = await running(link)
    mark = len(seen.events)
    assert sim.drop_connections() >= 1
    sim.unit.request_on(7)  # while the bridge is away: no event reaches it, the state will
    state = await seen.state(lambda s: s.requests == (7,), after=mark)
    assert state.speakers == ()
    assert seen.count(Disconnected) == 1
    assert seen.count(Connected) == 2
    await stop(task)


# --- Televic CoCon ----------------------------------------------------------------------------


async def test_cocon_long_poll_408s_are_reopened_on_the_same_id(cocon_sim: CoConSimulator) -> None:
    seen, task = await running(cocon_link(cocon_sim))
    for _ in range(int(WAIT_S / 0.05)):  # each 408 after 0.2 s without an event
        if cocon_sim.timeouts >= 3:
            break
        await asyncio.sleep(0.05)
    assert cocon_sim.timeouts >= 3
    cocon_sim.press(3)
    await seen.state(lambda s: s.speakers == (3,))  # the unit's own request mode: room to speak
    assert cocon_sim.connects == 1  # no reconnecting in short intervals
    assert seen.count(Disconnected) == 0
    await stop(task)


async def test_cocon_an_expired_id_answered_400_reconnects_and_resubscribes(
    cocon_sim: CoConSimulator,
) -> None:
    seen, task = await running(cocon_link(cocon_sim))
    cocon_sim.expire_all()
    await seen.until(lambda e: e == Disconnected("notification id expired (HTTP 400)"))
    await seen.until(lambda e: isinstance(e, Connected), after=2)
    assert cocon_sim.connects == 2
    mark = len(seen.events)
    cocon_sim.unit.mode = Mode.ONLY_REQUEST
    cocon_sim.press(9)  # reaches the bridge only through the new subscription
    await seen.state(lambda s: s.requests == (9,), after=mark)
    await stop(task)


async def test_cocon_an_id_left_unpolled_expires(cocon_sim: CoConSimulator) -> None:
    lane = HttpLane("127.0.0.1", cocon_sim.port)
    _, body = await lane.get("/CoCon/Connect", 5)
    session = json.loads(body)["id"]
    assert (await lane.get(f"/CoCon/Notification/id={session}", 5))[0] == 408
    await asyncio.sleep(cocon_sim.id_expiry_s * 2)  # unpolled longer than the expiry
    assert await lane.get(f"/CoCon/Notification/id={session}", 5) == (
        400,
        b"Unknown or expired id",
    )
    lane.close()


async def test_cocon_an_event_cut_mid_answer_is_recovered_from_the_state(
    cocon_sim: CoConSimulator,
) -> None:
    link = cocon_link(cocon_sim)
    seen, task = await running(link)
    cocon_sim.cut_next_event = True
    await link.send([RequestOn(21)])  # its one MicrophoneState event is cut in half
    await seen.until(lambda e: isinstance(e, Disconnected))
    state = await seen.state(lambda s: s.requests == (21,))
    assert not cocon_sim.cut_next_event
    assert seen.count(Connected) == 2
    assert state == MicState((), (21,), ())
    await stop(task)


async def test_cocon_a_restarted_server_gets_a_new_connect(cocon_sim: CoConSimulator) -> None:
    seen, task = await running(cocon_link(cocon_sim))
    await cocon_sim.stop()  # forgets its ids, as a restart does
    cocon_sim.unit.request_on(5)
    await cocon_sim.start()
    await seen.state(lambda s: s.requests == (5,))
    assert cocon_sim.connects == 2
    await stop(task)


async def test_cocon_operator_mode_is_set_and_reported(cocon_sim: CoConSimulator) -> None:
    link = cocon_link(cocon_sim)
    seen, task = await running(link)
    await link.send([OperatorMode(2)])
    await seen.until(lambda e: getattr(e, "mode", None) == "OnlyRequest")
    assert cocon_sim.unit.mode is Mode.ONLY_REQUEST
    assert cocon_sim.unit.max_speakers == 2
    await stop(task)


# --- Bosch DICENTIS ---------------------------------------------------------------------------


async def test_dicentis_events_fire_once_until_the_list_is_fetched(
    dicentis_sim: DicentisSimulator,
) -> None:
    """The simulator's quirk itself, seen by a plain websocket client."""
    url = f"wss://127.0.0.1:{dicentis_sim.port}/Dicentis/API"
    tls = client_context(str(CERTIFICATE))
    async with connect(url, ssl=tls, subprotocols=[Subprotocol("DICENTIS_1_0")]) as ws:

        async def ask(message_id: int, operation: str, **parameters: object) -> dict[str, object]:
            body = {"messageId": message_id, "operation": operation, "parameters": parameters}
            await ws.send(json.dumps(body))
            answer: dict[str, object] = json.loads(await ws.recv())
            return answer

        login = await ask(1, "Login", user="operator", password="secret")
        assert login["parameters"] == {
            "loggedIn": True,
            "token": login["parameters"]["token"],  # type: ignore[index]
            "userId": "operator",
        }
        await ask(2, "registerEVENTS", events=["DiscussionListChanged"])
        dicentis_sim.press(1)
        dicentis_sim.press(2)  # the event already fired: silent
        event = json.loads(await ws.recv())
        assert event == {
            "messageId": 0,
            "operation": "event",
            "parameters": {"events": ["DiscussionListChanged"]},
        }
        listed = await ask(3, "GetDiscussionList")  # re-arms it
        seats = [e["seatId"] for e in listed["parameters"]["discussionList"]]  # type: ignore[index]
        assert seats == [1, 2]
        assert dicentis_sim.events_pushed == 1
        dicentis_sim.press(3)
        assert json.loads(await ws.recv())["operation"] == "event"
        assert dicentis_sim.events_pushed == 2


async def test_dicentis_a_burst_of_presses_all_reach_the_bridge(
    dicentis_sim: DicentisSimulator,
) -> None:
    seen, task = await running(dicentis_link(dicentis_sim))
    for seat in range(1, 201):  # the simulator's DICENTIS is in its request-only mode
        dicentis_sim.press(seat)
    state = await seen.state(lambda s: len(s.requests) == 200)
    assert state.requests == tuple(range(1, 201))
    await stop(task)


async def test_dicentis_a_wrong_password_is_reported_and_never_connects(
    dicentis_sim: DicentisSimulator,
) -> None:
    seen = Seen()
    task = asyncio.create_task(dicentis_link(dicentis_sim, password="wrong").run(seen.sink))
    refusal = await seen.until(lambda e: isinstance(e, Refused))
    assert refusal == Refused(None, "login refused: wrong user name or password")
    assert seen.count(Connected) == 0
    await stop(task)


async def test_dicentis_requires_its_subprotocol(dicentis_sim: DicentisSimulator) -> None:
    url = f"wss://127.0.0.1:{dicentis_sim.port}/Dicentis/API"
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, ssl=client_context(str(CERTIFICATE))):
            pass
    assert refused.value.response.status_code == 400
    url = url.replace("/Dicentis/API", "/Other")
    with pytest.raises(InvalidStatus) as elsewhere:
        async with connect(url, ssl=client_context(str(CERTIFICATE)), subprotocols=[DICENTIS]):
            pass
    assert elsewhere.value.response.status_code == 404


async def test_dicentis_an_unknown_certificate_is_refused(dicentis_sim: DicentisSimulator) -> None:
    """Verified by default: the technician gives the server's certificate (--cafile)."""
    url = f"wss://127.0.0.1:{dicentis_sim.port}/Dicentis/API"
    with pytest.raises(ssl.SSLCertVerificationError):
        async with connect(url, ssl=client_context(), subprotocols=[DICENTIS]):
            pass


# --- Shure DDS / MXC --------------------------------------------------------------------------


async def test_shure_answers_only_when_an_action_is_taken(shure_sim: ShureSimulator) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", shure_sim.port)
    writer.write(b"mic_on 12\rmic_on 12\rMIC_OFF 13\rmic_status\r")
    lines: list[bytes] = []
    while not lines or lines[-1] != b"mic_status_done\r\n":
        lines.append(await asyncio.wait_for(reader.readline(), WAIT_S))
    assert lines == [b"mic_on 12\r\n", b"mic_on 12\r\n", b"mic_status_done\r\n"]
    writer.write(b"mic_shout 3\n")
    assert await asyncio.wait_for(reader.readline(), WAIT_S) == b"command_error unknown command\r\n"
    writer.close()
