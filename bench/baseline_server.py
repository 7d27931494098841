"""The bare-metal baseline: a `websockets` server that only broadcasts.

Clients connect to `/`; a driver connects to `/control` and sends a version number; the
server then sends every client the same message as Floorkeeper's `live` message for that
version (same text, same size), with `websockets.broadcast`, which writes the frame to each
connection without awaiting any of them.

    python -m bench.baseline_server --port 9000 --message live.json
"""

from __future__ import annotations

import argparse
import asyncio
import re
from pathlib import Path

from websockets.asyncio.server import ServerConnection, broadcast, serve

VERSION = re.compile(r'"version":\d+')


async def main(port: int, message: str) -> None:
    clients: set[ServerConnection] = set()

    async def handler(connection: ServerConnection) -> None:
        if connection.request is not None and connection.request.path == "/control":
            async for version in connection:
                text = VERSION.sub(f'"version":{int(version)}', message, count=1)
                broadcast(clients, text)
            return
        clients.add(connection)
        try:
            await connection.wait_closed()
        finally:
            clients.discard(connection)

    async with serve(handler, "127.0.0.1", port, compression=None, backlog=4096):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--message", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.message.read_text()))
