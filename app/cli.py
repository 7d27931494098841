"""floorkeeper serve: run the server (with its own Redis unless REDIS_URL is set).
floorkeeper programme import / export: a meeting's programme file (app/cli_programme.py).
floorkeeper simulate: a conference system's simulator (app/bridges/cli.py).
floorkeeper broadcast: CasparCG and OSC outputs, and their simulators (app/broadcast/cli.py)."""

from __future__ import annotations

import argparse
import logging
import os

import uvicorn

from app.bridges.cli import add_commands as add_bridge_commands
from app.broadcast.cli import add_commands as add_broadcast_commands
from app.cli_programme import add_commands as add_programme_commands
from app.main import create_app
from app.realtime.collector import manage_collector
from app.realtime.fastpath import expose_protocol
from app.realtime.light_websocket import LeanWebSocketProtocol
from app.routes.screens import SCREENS
from app.settings import Settings


def serve(args: argparse.Namespace) -> None:
    settings = Settings()
    if args.demo:
        settings = settings.model_copy(update={"demo": True})
    app = create_app(settings)
    base = (
        f"http://{'localhost' if args.host in ('0.0.0.0', '127.0.0.1') else args.host}:{args.port}"
    )
    print("Floorkeeper is starting. Open:", flush=True)
    for screen in SCREENS:
        print(f"  {screen.name:<10} {base}/{screen.name}?meeting=demo  {screen.title}", flush=True)
    if args.demo:  # the side events of the lunch breaks, each a meeting in a room of its own
        print(f"  {'side event':<10} {base}/moderator?meeting=demo-side-1 (and -2)", flush=True)
    print(f"  {'api':<10} {base}/docs", flush=True)
    if settings.freeze_gc:
        manage_collector()
    uvicorn.run(
        expose_protocol(app),  # lets the hub write broadcast frames straight to the sockets
        interface="asgi3",  # the wrapper is a plain function returning a coroutine
        host=args.host,
        port=args.port,
        ws=LeanWebSocketProtocol,  # uvicorn's own, lighter per idle connection
        ws_per_message_deflate=False,
        ws_max_size=64 * 1024,
        ws_ping_interval=settings.heartbeat_s,
        ws_ping_timeout=settings.heartbeat_s,
        log_level=args.log_level,
        timeout_graceful_shutdown=5,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="floorkeeper")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the server")
    run.add_argument("--demo", action="store_true", help="load the demo meeting")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.add_argument("--log-level", default="info")
    run.set_defaults(handler=serve)
    add_programme_commands(commands)
    add_bridge_commands(commands)
    add_broadcast_commands(commands)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    code = args.handler(args)
    if code:
        raise SystemExit(code)


if __name__ == "__main__":
    main()
