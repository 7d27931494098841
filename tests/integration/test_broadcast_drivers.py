"""The drivers over real sockets: the CasparCG simulator (TCP) and the OSC receiver (UDP) record
exactly what a scripted panel sends."""

from __future__ import annotations

import json

import pytest

from app.broadcast import amcp
from app.broadcast.drivers import AmcpConnection, CasparDriver, OscDriver
from app.broadcast.outputs import CasparConfig
from app.broadcast.simulators import AmcpSimulator, OscReceiver
from tests.unit.test_broadcast_outputs import panel

CONFIG = CasparConfig(amcp.Target(1, 20), "floorkeeper/lower-third", 1)


async def test_casparcg_receives_add_update_stop_and_answers_each() -> None:
    simulator = AmcpSimulator()
    port = await simulator.start()
    driver = CasparDriver(AmcpConnection("127.0.0.1", port), CONFIG)
    replies = []
    try:
        for now, sign in panel():
            replies += await driver.show(sign, now)
        received = await simulator.wait_for(4)
    finally:
        await driver.connection.close()
        await simulator.stop()
    heads = [amcp.unquote(line)[:6] for line in received]
    assert heads == [
        ["CG", "1-20", "ADD", "1", "floorkeeper/lower-third", "1"],
        ["CG", "1-20", "UPDATE", "1", heads[1][4]],
        ["CG", "1-20", "UPDATE", "1", heads[2][4]],
        ["CG", "1-20", "STOP", "1"],
    ]
    names = [json.loads(amcp.unquote(line)[-1])["f0"] for line in received[:3]]
    assert names == ["France", "France", "Mexico"]
    assert [str(reply) for reply in replies] == ["202 CG OK"] * 4
    template = simulator.templates["1-20", 1]
    assert (template.name, template.playing) == ("floorkeeper/lower-third", False)


async def test_the_simulator_refuses_what_casparcg_refuses() -> None:
    simulator = AmcpSimulator()
    connection = AmcpConnection("127.0.0.1", await simulator.start())
    try:
        update = amcp.CgUpdate(amcp.Target(1, 20), "{}")
        assert str(await connection.send(update)) == "403 CG FAILED"  # nothing added there
        stop = amcp.CgLayerCommand(amcp.Target(1, 30), amcp.CgAction.STOP)
        assert str(await connection.send(stop)) == "403 CG FAILED"
        added = amcp.CgAdd(amcp.Target(1, 20), "lt", "{}")
        assert str(await connection.send(added)) == "202 CG OK"
        assert str(await connection.send(update)) == "202 CG OK"
    finally:
        await connection.close()
        await simulator.stop()


async def test_a_restarted_casparcg_gets_the_template_added_again() -> None:
    simulator = AmcpSimulator()
    port = await simulator.start()
    driver = CasparDriver(AmcpConnection("127.0.0.1", port), CONFIG, first_backoff_s=0)
    (start, empty), (granted, france), (paused_at, paused) = panel()[:3]
    try:
        await driver.show(empty, start)
        await driver.show(france, granted)
        await simulator.drop_clients()  # the server restarts: its templates are gone
        await driver.show(paused, paused_at)  # fails: the connection was closed
        assert driver.sent is None
        await driver.show(paused, paused_at)  # a new connection, and the template again
        received = await simulator.wait_for(2)
        shown = simulator.templates["1-20", 1]
    finally:
        await driver.connection.close()
        await simulator.stop()
    assert [amcp.unquote(line)[2] for line in received] == ["ADD", "ADD"]
    assert shown.playing
    assert json.loads(shown.data or "")["timer"]["state"] == "paused"


async def test_the_osc_receiver_gets_each_address_when_it_changes() -> None:
    receiver = OscReceiver()
    driver = OscDriver("127.0.0.1", await receiver.start())
    sent = 0
    try:
        for now, sign in panel():
            sent += await driver.show(sign, now)
        messages = await receiver.wait_for(lambda got: len(got) >= sent)
        last = panel()[-2]
        driver.sent = last[1]
        assert driver.tick(last[0] + 1_000)
        ticked = await receiver.wait_for(lambda got: len(got) > sent)
    finally:
        driver.close()
        receiver.stop()
    assert sent == 12
    assert [m.address.rsplit("/", 1)[1] for m in messages] == [
        "speaker",
        "next",
        "timer",
        "speaker",
        "next",
        "timer",
        "timer",
        "speaker",
        "next",
        "timer",
        "speaker",
        "timer",
    ]
    assert messages[3].args == ("France", "FRA", "delegation", "", "", 3)
    assert ticked[-1].address == "/floorkeeper/demo/timer/remaining"
    assert ticked[-1].args == (109_000, "1:49", "normal")


@pytest.mark.parametrize("junk", [b"hello", b"#bundle\x00\x01"])
async def test_a_stray_datagram_is_counted_not_fatal(junk: bytes) -> None:
    receiver = OscReceiver()
    port = await receiver.start()
    driver = OscDriver("127.0.0.1", port)
    await driver.open()
    try:
        driver.send(junk)
        driver.send(b"/ok\x00,\x00\x00\x00")
        messages = await receiver.wait_for(lambda got: len(got) >= 1)
    finally:
        driver.close()
        receiver.stop()
    assert [m.address for m in messages] == ["/ok"]
    assert receiver.undecodable == 1
