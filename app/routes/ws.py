"""The websocket of a meeting: state on connect, every change after, clock sync, heartbeats.

Incoming messages are parsed into a discriminated union on `type`; anything else gets an
error message and changes nothing. The connection stays open for the client's next message.

A plain ASGI handler, served in front of FastAPI's routing (app/main.py): a hall's idle
screens stay connected for hours, and each held FastAPI's whole stack for as long, its
middleware and routing frames, the dependency exit stacks, the solved dependencies, the
Starlette WebSocket with its headers and query parameters. Here a connection costs its
uvicorn protocol, this coroutine and its `Connection`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from urllib.parse import urlsplit

from pydantic import ValidationError
from redis.exceptions import RedisError
from starlette.requests import cookie_parser
from starlette.types import Receive, Scope, Send

from app.access.policy import PUBLIC, Actor, Permission, authorize
from app.clock import clock_ms
from app.deps import SESSION_COOKIE, Services
from app.errors import STORE_UNREACHABLE, DomainError
from app.realtime.fastpath import socket_writer
from app.realtime.hub import Connection
from app.realtime.messages import (
    PONG,
    ClockRequest,
    clock_reply,
    error_message,
    parse_client,
    status_message,
)

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 4096
PATH = re.compile(r"/ws/meetings/([^/]+)")


def reply_to(text: str, actor: Actor) -> str:
    """The answer to one client message; a bad message gets an error and changes nothing."""
    if len(text) > MAX_MESSAGE_BYTES:
        return error_message(f"a message may be at most {MAX_MESSAGE_BYTES} bytes")
    try:
        message = parse_client(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "message"
        return error_message(f"{where}: {first['msg']}")
    try:
        authorize(actor, Permission(f"ws.{message.type}"))
    except DomainError as error:
        return error_message(error.message, error.code)
    if isinstance(message, ClockRequest):
        return clock_reply(message.client, clock_ms())
    return PONG


def meeting_of_path(scope: Scope) -> str | None:
    """The meeting of a websocket scope whose path is /ws/meetings/{meeting_id}, else None."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    found = PATH.fullmatch(path)
    return found.group(1) if found else None


def _headers(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope["headers"] if key.lower() == name]


def origin_allowed(scope: Scope, allowed: list[str]) -> bool:
    """Browsers send an Origin: only the app's own pages (and configured ones) may connect.
    Clients that are not browsers send none."""
    origins = _headers(scope, b"origin")
    if not origins:
        return True
    origin = origins[0]
    host = next(iter(_headers(scope, b"host")), "")
    return urlsplit(origin).netloc == host or origin in allowed


async def actor_of(scope: Scope, services: Services) -> Actor:
    """The signed-in actor (bearer token, else session cookie), else the public."""
    header = next(iter(_headers(scope, b"authorization")), "")
    token = header[7:] if header.lower().startswith("bearer ") else None
    if not token:
        cookies: dict[str, str] = {}
        for cookie in _headers(scope, b"cookie"):
            cookies.update(cookie_parser(cookie))
        token = cookies.get(SESSION_COOKIE)
    return await services.access.actor(token) or PUBLIC


class _TextSender:
    """Sends one text message through ASGI; a Connection's `send` (no closure per client)."""

    __slots__ = ("_send",)

    def __init__(self, send: Send) -> None:
        self._send = send

    async def __call__(self, text: str) -> None:
        await self._send({"type": "websocket.send", "text": text})


async def _close(send: Send, code: int = 1000, reason: str = "") -> None:
    await send({"type": "websocket.close", "code": code, "reason": reason})


async def meeting_socket(
    scope: Scope, receive: Receive, send: Send, meeting_id: str, services: Services
) -> None:
    if not origin_allowed(scope, services.settings.allowed_origins):
        await _close(send, 4403, "this page's origin may not connect")
        return
    if (await receive())["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    send_text = _TextSender(send)
    try:
        actor = await actor_of(scope, services)
        # The request's headers have told all they will (origin, credentials); the scope,
        # which uvicorn keeps for the connection's life, need not keep them for hours.
        scope["headers"] = []
        authorize(actor, Permission.READ_MEETING, meeting_id)
        meeting_text, live_text = await services.meetings.messages(meeting_id)
    except DomainError as error:
        await send_text(error_message(error.message, error.code))
        await _close(send, 4000 + error.status_code)
        return
    except RedisError:
        await send_text(status_message(False))
        await send_text(error_message(STORE_UNREACHABLE, "unavailable"))
        await _close(send, 1013)  # try again later
        return
    connection = Connection(
        send_text, services.settings.send_timeout_s, actor.code_id, socket_writer(scope)
    )
    # Join before offering the stored state: a change committed in between arrives by
    # pub/sub and the connection keeps whichever version is newer.
    services.hub.join(meeting_id, connection)
    try:
        for kind, text in (("meeting", meeting_text), ("live", live_text)):
            connection.offer_state(kind, json.loads(text)["version"], text)
        # Sent or queued by now: kept in this frame they would cost every idle client its
        # own copy of the meeting (kilobytes) for as long as it stays connected.
        del meeting_text, live_text, text
        services.hub.offer_status(connection)
        # Receive in this task; a dropped client or a revoked code ends the receiving by
        # expiring this scope (no task per connection just to wait for that).
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(None) as receiving:
                connection.on_close(lambda: receiving.reschedule(0))
                # In this frame, not a coroutine of its own: one frame less per connection.
                while not connection.closed:
                    message = await receive()
                    if message["type"] != "websocket.receive":  # websocket.disconnect
                        break
                    received = message.get("text")
                    if received is None:
                        connection.offer_reply(error_message("binary messages are not understood"))
                    else:
                        connection.offer_reply(reply_to(received, actor))
                    del message, received
        connection.on_close(None)
        if connection.revoked:
            with contextlib.suppress(Exception):
                await send_text(error_message("your access code was revoked", "revoked"))
                await _close(send, 4401, "access revoked")
    finally:
        services.hub.leave(meeting_id, connection)
        await connection.stop()
        # Bounded: a client that stopped reading would hold a closing handshake forever.
        # (After a close already sent, uvicorn refuses a second one: suppressed.)
        with contextlib.suppress(Exception):
            async with asyncio.timeout(services.settings.send_timeout_s):
                await _close(send)
