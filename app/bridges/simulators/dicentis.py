"""A Bosch DICENTIS server: the Conference Protocol, JSON over a secure websocket.

Speaks what docs/bridges.md gathers of Bosch's document: `wss://<host>:<port>/Dicentis/API`
with subprotocol `DICENTIS_1_0` (a self-signed certificate, `localhost.pem` here, made for
these tests and no secret), `Login`, `RegisterEvents`, events pushed by name only and fire
once (re-armed by `GetDiscussionList` or by registering again), `GetDiscussionList`,
`GetSeats`, `AddSeatToSpeakers`, `GrantSpeech`, `RemoveSpeech`,
`RemoveSeatFromDiscussionList`, `ActivateMicrophone`, `DeactivateMicrophone`. Operations are
case-insensitive; errors are `{"operation": "error", "parameters": {"message"}}`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from app.bridges.dicentis import PATH, SUBPROTOCOL
from app.bridges.simulators.base import Simulator
from app.bridges.simulators.unit import Change, ControlUnit, Mode, UnknownSeat

CERTIFICATE = Path(__file__).with_name("localhost.pem")
"""A self-signed certificate and key for localhost and 127.0.0.1, for the simulator only."""


def server_context(certificate: Path = CERTIFICATE) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate)
    return context


@dataclass(eq=False)
class Client:
    connection: ServerConnection
    logged_in: bool = False
    armed: set[str] = field(default_factory=set)
    registered: set[str] = field(default_factory=set)
    outbox: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    """What to send, in order: answers and pushed events alike."""


class DicentisError(Exception):
    pass


class DicentisSimulator(Simulator):
    system = "dicentis"

    def __init__(
        self,
        unit: ControlUnit,
        host: str = "127.0.0.1",
        port: int = 0,
        user: str = "floorkeeper",
        password: str = "dicentis",
        certificate: Path = CERTIFICATE,
    ) -> None:
        super().__init__(unit, host, port)
        unit.mode = Mode.ONLY_REQUEST  # the meeting's discussion mode, set in its preparation
        self.user = user
        self.password = password
        self.certificate = certificate
        self.clients: set[Client] = set()
        self._ws: Server | None = None
        self.events_pushed = 0

    async def start(self) -> None:
        self._ws = await serve(
            self._serve,
            self.host,
            self.port,
            ssl=server_context(self.certificate),
            subprotocols=[Subprotocol(SUBPROTOCOL)],
            process_request=self._check_path,
            compression=None,
        )
        self.port = next(iter(self._ws.sockets)).getsockname()[1]

    async def stop(self) -> None:
        if self._ws is not None:
            self._ws.close()
            await self._ws.wait_closed()
            self._ws = None

    def drop_connections(self) -> int:
        clients = list(self.clients)
        for client in clients:
            client.connection.transport.abort()
        return len(clients)

    @staticmethod
    def _check_path(connection: ServerConnection, request: Request) -> Response | None:
        if request.path != PATH:
            return Response(404, "Not Found", Headers(), b"unknown path\n")
        return None

    # --- events -----------------------------------------------------------------------------

    def notify(self, changes: list[Change]) -> None:
        self._fire("DiscussionListChanged")

    def _fire(self, name: str) -> None:
        for client in list(self.clients):
            if name in client.armed:
                client.armed.discard(name)  # fire once: silent until re-armed
                self.events_pushed += 1
                self._send(
                    client, {"messageId": 0, "operation": "event", "parameters": {"events": [name]}}
                )

    @staticmethod
    def _send(client: Client, message: dict[str, Any]) -> None:
        client.outbox.put_nowait(json.dumps(message))

    @staticmethod
    async def _sender(client: Client) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await client.connection.send(await client.outbox.get())

    # --- the protocol -----------------------------------------------------------------------

    async def _serve(self, connection: ServerConnection) -> None:
        if connection.subprotocol != SUBPROTOCOL:
            await connection.close(1002, f"subprotocol {SUBPROTOCOL} required")
            return
        client = Client(connection)
        self.clients.add(client)
        sender = asyncio.create_task(self._sender(client))
        try:
            async for text in connection:
                self._receive(client, text)
        except ConnectionClosed:
            pass
        finally:
            self.clients.discard(client)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    def _receive(self, client: Client, text: str | bytes) -> None:
        try:
            message = json.loads(text)
            if not isinstance(message, dict):
                raise DicentisError("a message is a JSON object")
            message_id = message.get("messageId")
            operation = str(message.get("operation", ""))
            parameters = message.get("parameters") or {}
            if not isinstance(parameters, dict):
                raise DicentisError("parameters is an object")
            self.commands_seen.append(operation)
            result = self._operation(client, operation.lower(), parameters)
        except (json.JSONDecodeError, UnicodeDecodeError):
            self._send(client, {"operation": "error", "parameters": {"message": "not JSON"}})
            return
        except (DicentisError, UnknownSeat) as error:
            answer = {"messageId": message.get("messageId"), "operation": "error"}
            self._send(client, {**answer, "parameters": {"message": str(error)}})
            return
        self._send(client, {"messageId": message_id, "operation": operation, "parameters": result})

    def _operation(
        self, client: Client, operation: str, parameters: dict[str, Any]
    ) -> dict[str, Any]:
        if operation == "login":
            if parameters.get("user") != self.user or parameters.get("password") != self.password:
                raise DicentisError("wrong user name or password")
            client.logged_in = True
            return {"loggedIn": True, "token": secrets.token_hex(16), "userId": self.user}
        if not client.logged_in:
            raise DicentisError("not logged in")
        if operation == "registerevents":
            events = parameters.get("events")
            if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
                raise DicentisError("events is a list of event names")
            client.registered |= set(events)
            client.armed |= set(events)
            return {}
        if operation == "getdiscussionlist":
            if "DiscussionListChanged" in client.registered:
                client.armed.add("DiscussionListChanged")
            return self._discussion_list()
        if operation == "getseats":
            return {
                "seats": [
                    {"seatId": n, "seatName": f"Seat {n}", "screenLine": ""}
                    for n in range(1, self.unit.seats + 1)
                ]
            }
        actions: dict[str, Callable[[int], list[Change]]] = {
            "addseattospeakers": self.unit.mic_on,
            "grantspeech": self.unit.mic_on,
            "activatemicrophone": self.unit.mic_on,
            "removespeech": self.unit.mic_off,
            "deactivatemicrophone": self.unit.mic_off,
            "removeseatfromdiscussionlist": self.unit.off,
        }
        action = actions.get(operation)
        if action is None:
            raise DicentisError(f"unknown operation '{operation}'")
        if "seatIds" in parameters:
            seats = parameters["seatIds"]
        elif "seatId" in parameters:
            seats = [parameters["seatId"]]
        else:
            raise DicentisError("seatId or seatIds is required")
        if not isinstance(seats, list):
            raise DicentisError("seatIds is a list")
        checked = [self.unit.check(seat) for seat in seats]  # all or nothing
        changes: list[Change] = []
        for seat in checked:
            changes += action(seat)
        self.publish(changes)
        return {}

    def _discussion_list(self) -> dict[str, Any]:
        def entry(seat: int, microphone: str, kind: str) -> dict[str, Any]:
            return {
                "seatId": seat,
                "participantId": None,
                "screenLine": f"Seat {seat}",
                "microphoneState": microphone,
                "speakerType": kind,
                "speechStartTime": None,
                "remainingSpeechDuration": 0,
                "totalSpeechTime": 0,
            }

        entries = [entry(s, "on", "isSpeaker") for s in self.unit.speakers]
        entries += [entry(s, "off", "isRequest") for s in self.unit.requests]
        entries += [entry(s, "off", "isResponseRequest") for s in self.unit.replies]
        return {"discussionList": entries, "referenceTime": 0}
