"""floorkeeper broadcast casparcg | osc | simulate: the broadcast outputs from the command line.

Every option has a default from the environment (prefix FLOORKEEPER_BROADCAST_), so that a
machine in the broadcast room can be set up once:

    floorkeeper broadcast casparcg --server http://floorkeeper:8000 --meeting demo \\
        --host 10.0.0.20 --port 5250 --channel 1 --layer 20 --lang fr
    floorkeeper broadcast osc --server http://floorkeeper:8000 --meeting demo \\
        --host 10.0.0.21 --port 9000 --remaining
    floorkeeper broadcast simulate casparcg --port 5250   # prints what CasparCG would receive
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any, Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from app.broadcast import amcp, osc
from app.broadcast.drivers import AmcpConnection, CasparDriver, OscDriver
from app.broadcast.feed import Broadcast, run, socket_url
from app.broadcast.outputs import CasparConfig
from app.broadcast.simulators import AmcpSimulator, OscReceiver
from app.broadcast.words import language_of
from app.errors import Invalid
from app.i18n.names import LANGUAGES


class BroadcastSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLOORKEEPER_BROADCAST_", extra="ignore")

    server: str = "http://127.0.0.1:8000"
    """Floorkeeper's address."""
    meeting: str = "demo"
    lang: str = "en"
    casparcg_host: str = "127.0.0.1"
    casparcg_port: int = amcp.DEFAULT_PORT
    channel: int = 1
    layer: int = 20
    cg_layer: int = 1
    template: str = "floorkeeper/lower-third"
    data: Literal["json", "xml"] = "json"
    osc_host: str = "127.0.0.1"
    osc_port: int = osc.DEFAULT_PORT
    osc_remaining: bool = False
    """Also send /timer/remaining once a second, for tools that cannot count themselves."""


def _common(parser: argparse.ArgumentParser, defaults: BroadcastSettings) -> None:
    parser.add_argument("--server", default=defaults.server, help="Floorkeeper's address")
    parser.add_argument("--meeting", default=defaults.meeting)
    parser.add_argument("--lang", default=defaults.lang, choices=LANGUAGES)


def add_commands(commands: Any) -> None:
    defaults = BroadcastSettings()
    broadcast = commands.add_parser("broadcast", help="feed CasparCG or an OSC tool")
    outputs = broadcast.add_subparsers(dest="output", required=True)

    caspar = outputs.add_parser("casparcg", help="CG ADD / UPDATE / STOP on a CasparCG server")
    _common(caspar, defaults)
    caspar.add_argument("--host", default=defaults.casparcg_host)
    caspar.add_argument("--port", type=int, default=defaults.casparcg_port)
    caspar.add_argument("--channel", type=int, default=defaults.channel)
    caspar.add_argument("--layer", type=int, default=defaults.layer)
    caspar.add_argument("--cg-layer", type=int, default=defaults.cg_layer)
    caspar.add_argument("--template", default=defaults.template)
    caspar.add_argument("--data", choices=("json", "xml"), default=defaults.data)
    caspar.set_defaults(handler=casparcg_command)

    sender = outputs.add_parser("osc", help="OSC messages over UDP")
    _common(sender, defaults)
    sender.add_argument("--host", default=defaults.osc_host)
    sender.add_argument("--port", type=int, default=defaults.osc_port)
    sender.add_argument(
        "--remaining",
        action="store_true",
        default=defaults.osc_remaining,
        help="also send /timer/remaining once a second",
    )
    sender.set_defaults(handler=osc_command)

    simulate = outputs.add_parser("simulate", help="stand in for CasparCG or an OSC tool")
    simulate.add_argument("kind", choices=("casparcg", "osc"))
    simulate.add_argument("--host", default="127.0.0.1")
    simulate.add_argument("--port", type=int)
    simulate.set_defaults(handler=simulate_command)


async def _until_signalled(work: Any) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await work(stop)


def _refuse(message: str) -> int:
    print(f"floorkeeper broadcast: {message}", file=sys.stderr)
    return 2


def casparcg_command(args: argparse.Namespace) -> int:
    try:
        socket_url(args.server, args.meeting)
        config = CasparConfig(
            amcp.Target(args.channel, args.layer), args.template, args.cg_layer, args.data
        )
        # The template's name is checked by the command that carries it.
        amcp.CgAdd(config.target, config.template, None, True, config.cg_layer)
    except (ValueError, Invalid) as error:
        return _refuse(str(error))
    driver = CasparDriver(AmcpConnection(args.host, args.port), config)
    broadcast = Broadcast(language_of(args.lang), [driver])
    print(f"CasparCG at {args.host}:{args.port}, {config.target} layer {config.cg_layer}")

    async def work(stop: asyncio.Event) -> None:
        try:
            await run(args.server, args.meeting, broadcast, stop)
        finally:
            await driver.connection.close()

    asyncio.run(_until_signalled(work))
    return 0


def osc_command(args: argparse.Namespace) -> int:
    try:
        socket_url(args.server, args.meeting)
        osc.base(args.meeting)
    except (ValueError, Invalid) as error:
        return _refuse(str(error))
    driver = OscDriver(args.host, args.port)
    ticks = [driver.tick] if args.remaining else []
    broadcast = Broadcast(language_of(args.lang), [driver], ticks)
    print(f"OSC to {args.host}:{args.port} under /floorkeeper/{args.meeting}/")

    async def work(stop: asyncio.Event) -> None:
        try:
            await run(args.server, args.meeting, broadcast, stop)
        finally:
            driver.close()

    asyncio.run(_until_signalled(work))
    return 0


def simulate_command(args: argparse.Namespace) -> int:
    async def work(stop: asyncio.Event) -> None:
        if args.kind == "casparcg":
            simulator = AmcpSimulator(
                on_line=lambda line, answer: print(
                    f"<< {line}\n>> {answer.decode().strip()}", flush=True
                )
            )
            port = await simulator.start(args.host, args.port or amcp.DEFAULT_PORT)
            print(f"CasparCG simulator on {args.host}:{port}", flush=True)
            await stop.wait()
            await simulator.stop()
        else:
            receiver = OscReceiver(on_message=lambda m: print(m.address, *m.args, flush=True))
            port = await receiver.start(args.host, args.port or osc.DEFAULT_PORT)
            print(f"OSC receiver on {args.host}:{port}", flush=True)
            await stop.wait()
            receiver.stop()

    asyncio.run(_until_signalled(work))
    return 0
