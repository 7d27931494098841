"""Helpers for tests that talk to a running app over HTTP and websockets."""

from __future__ import annotations

import base64
import json
import os
import socket
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection

from app.domain.model import Meeting
from app.meetings.store import meeting_codec
from tests.conftest import bearer, tokens_for


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    return meeting_codec.dump_python(meeting, mode="json")  # type: ignore[no-any-return]


async def put_meeting(client: httpx.AsyncClient, meeting: Meeting) -> None:
    """Create a meeting as the secretariat (whoever the client is signed in as)."""
    secretariat = tokens_for(str(client.base_url).rstrip("/")).secretariat
    response = await client.put(
        f"/api/meetings/{meeting.id}", json=meeting_json(meeting), headers=bearer(secretariat)
    )
    assert response.status_code == 200, response.text


async def recv_json(ws: ClientConnection) -> dict[str, Any]:
    message = await ws.recv()
    body: dict[str, Any] = json.loads(message)
    return body


async def recv_until(ws: ClientConnection, kind: str, version: int) -> dict[str, Any]:
    """Read messages until one of `kind` at `version` or later arrives."""
    while True:
        body = await recv_json(ws)
        if body.get("type") == kind and body.get("version", 0) >= version:
            return body


class StalledClient:
    """A websocket client that completes the handshake and then never reads again, with a
    tiny receive buffer so that the server's sends soon have nowhere to go."""

    def __init__(self, host: str, port: int, path: str) -> None:
        self.host, self.port, self.path = host, port, path
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

    def open(self) -> None:
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect((self.host, self.port))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def close(self) -> None:
        self.sock.close()
