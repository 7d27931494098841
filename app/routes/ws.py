"""The websocket of a meeting: state on connect, every change after, clock sync, heartbeats.

Incoming messages are parsed into a discriminated union on `type`; anything else gets an
error message and changes nothing. The connection stays open for the client's next message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from redis.exceptions import RedisError

from app.access.policy import Actor, authorize
from app.deps import WsServicesDep, ws_actor
from app.errors import DomainError
from app.meetings.committer import clock_ms
from app.realtime.fastpath import socket_writer
from app.realtime.hub import Connection, status_message

log = logging.getLogger(__name__)
router = APIRouter()

MAX_MESSAGE_BYTES = 4096


class ClockMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["clock"]
    client: float = Field(description="the client's clock (ms), echoed back")


class PingMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["ping"]


ClientMessage = Annotated[ClockMessage | PingMessage, Field(discriminator="type")]
client_message: TypeAdapter[ClockMessage | PingMessage] = TypeAdapter(ClientMessage)


def error_message(message: str, code: str = "invalid") -> str:
    return json.dumps({"type": "error", "code": code, "message": message})


def reply_to(text: str, actor: Actor) -> str:
    """The answer to one client message; a bad message gets an error and changes nothing."""
    if len(text) > MAX_MESSAGE_BYTES:
        return error_message(f"a message may be at most {MAX_MESSAGE_BYTES} bytes")
    try:
        message = client_message.validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "message"
        return error_message(f"{where}: {first['msg']}")
    try:
        authorize(actor, f"ws.{message.type}")
    except DomainError as error:
        return error_message(error.message, error.code)
    if isinstance(message, ClockMessage):
        return json.dumps({"type": "clock", "client": message.client, "server": clock_ms()})
    return '{"type":"pong"}'


def origin_allowed(websocket: WebSocket, allowed: list[str]) -> bool:
    """Browsers send an Origin: only the app's own pages (and configured ones) may connect.
    Clients that are not browsers send none."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    host = websocket.headers.get("host", "")
    return urlsplit(origin).netloc == host or origin in allowed


@router.websocket("/ws/meetings/{meeting_id}")
async def meeting_socket(websocket: WebSocket, meeting_id: str, services: WsServicesDep) -> None:
    if not origin_allowed(websocket, services.settings.allowed_origins):
        await websocket.close(code=4403, reason="this page's origin may not connect")
        return
    await websocket.accept()
    try:
        actor = await ws_actor(websocket, services.access)
        authorize(actor, "meeting.read", meeting_id)
        meeting_text, live_text = await services.meetings.messages(meeting_id)
    except DomainError as error:
        await websocket.send_text(error_message(error.message, error.code))
        await websocket.close(code=4000 + error.status_code)
        return
    except RedisError:
        await websocket.send_text(status_message(False))
        await websocket.send_text(
            error_message("the meeting store cannot be reached; try again", "unavailable")
        )
        await websocket.close(code=1013)  # try again later
        return
    connection = Connection(
        websocket.send_text,
        services.settings.send_timeout_s,
        actor.code_id,
        socket_writer(websocket.scope),
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
                if not connection.closed:
                    await _receive(websocket, connection, actor)
        connection.on_close(None)
        if connection.revoked:
            with contextlib.suppress(Exception):
                await websocket.send_text(error_message("your access code was revoked", "revoked"))
                await websocket.close(code=4401, reason="access revoked")
    finally:
        services.hub.leave(meeting_id, connection)
        await connection.stop()
        # Bounded: a client that stopped reading would hold a closing handshake forever.
        with contextlib.suppress(Exception):
            async with asyncio.timeout(services.settings.send_timeout_s):
                await websocket.close()


async def _receive(websocket: WebSocket, connection: Connection, actor: Actor) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                connection.offer_reply(error_message("binary messages are not understood"))
                continue
            connection.offer_reply(reply_to(text, actor))
