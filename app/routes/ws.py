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

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from app.deps import WsServicesDep
from app.errors import DomainError
from app.meetings.committer import clock_ms
from app.realtime.hub import Connection

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


def reply_to(text: str) -> str:
    if len(text) > MAX_MESSAGE_BYTES:
        return error_message(f"a message may be at most {MAX_MESSAGE_BYTES} bytes")
    try:
        message = client_message.validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "message"
        return error_message(f"{where}: {first['msg']}")
    if isinstance(message, ClockMessage):
        return json.dumps({"type": "clock", "client": message.client, "server": clock_ms()})
    return '{"type":"pong"}'


@router.websocket("/ws/meetings/{meeting_id}")
async def meeting_socket(websocket: WebSocket, meeting_id: str, services: WsServicesDep) -> None:
    await websocket.accept()
    try:
        meeting_text, live_text = await services.meetings.messages(meeting_id)
    except DomainError as error:
        await websocket.send_text(error_message(error.message, error.code))
        await websocket.close(code=4404 if error.status_code == 404 else 1011)
        return
    connection = Connection(websocket.send_text, services.settings.send_timeout_s)
    # Join before offering the stored state: a change committed in between arrives by
    # pub/sub and the outbox keeps whichever version is newer.
    services.hub.join(meeting_id, connection)
    sender = asyncio.create_task(connection.run_sender())
    try:
        for kind, text in (("meeting", meeting_text), ("live", live_text)):
            connection.offer_state(kind, json.loads(text)["version"], text)
        receiver = asyncio.create_task(_receive(websocket, connection))
        closed = asyncio.create_task(connection.closed.wait())
        await asyncio.wait({receiver, closed}, return_when=asyncio.FIRST_COMPLETED)
        receiver.cancel()
        closed.cancel()
    finally:
        services.hub.leave(meeting_id, connection)
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender
        with contextlib.suppress(Exception):
            await websocket.close()


async def _receive(websocket: WebSocket, connection: Connection) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                connection.offer_reply(error_message("binary messages are not understood"))
                continue
            connection.offer_reply(reply_to(text))
