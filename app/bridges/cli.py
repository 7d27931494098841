"""floorkeeper simulate cocon|dicentis|shure: a conference system on this machine."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from app.bridges.simulators.base import Simulator
from app.bridges.simulators.cocon import CoConSimulator
from app.bridges.simulators.dicentis import DicentisSimulator
from app.bridges.simulators.shure import ShureSimulator
from app.bridges.simulators.unit import ControlUnit

SYSTEMS = ("cocon", "dicentis", "shure")
PORTS = {"cocon": 8890, "dicentis": 31416, "shure": 3142}
"""Each system's documented port."""


def make_simulator(args: argparse.Namespace) -> Simulator:
    unit = ControlUnit(seats=args.seats)
    if args.system == "cocon":
        return CoConSimulator(unit, args.host, args.port)
    if args.system == "dicentis":
        return DicentisSimulator(unit, args.host, args.port, args.user, args.password)
    return ShureSimulator(unit, args.host, args.port)


async def run_simulator(simulator: Simulator) -> None:
    await simulator.start()
    scheme = {"cocon": "http", "dicentis": "wss", "shure": "tcp"}[simulator.system]
    print(
        f"{simulator.system} simulator: {scheme}://{simulator.host}:{simulator.port}, "
        f"seats 1-{simulator.unit.seats}",
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await simulator.stop()


def simulate(args: argparse.Namespace) -> int:
    if not 1 <= args.seats <= 65535:
        print(f"--seats is 1..65535, not {args.seats}")
        return 2
    if args.port is None:
        args.port = PORTS[args.system]
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_simulator(make_simulator(args)))
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = commands.add_parser(
        "simulate", help="run a conference system's simulator (its documented protocol)"
    )
    sim.add_argument("system", choices=SYSTEMS)
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, help="default: the system's own (8890, 31416, 3142)")
    sim.add_argument("--seats", type=int, default=200, help="seats 1 to N (default 200)")
    sim.add_argument("--user", default="floorkeeper", help="DICENTIS: the login's user")
    sim.add_argument("--password", default="dicentis", help="DICENTIS: the login's password")
    sim.set_defaults(handler=simulate)
