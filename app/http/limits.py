"""Bodies bounded before they are read, and the secretariat's imports authenticated first.

FastAPI reads and parses a request's whole body before any dependency runs, so the route's
own authorisation comes too late to protect the event loop: one anonymous 30 MB body held
the loop for seconds while every room waited. This middleware runs first:

- a body declared larger than its route's cap (`Content-Length`) is answered 413 at once,
  unread; one streamed without a length is counted chunk by chunk and refused as soon as it
  passes the cap;
- the routes that take a whole programme (up to `IMPORT_BYTES`) are for the secretariat:
  the credentials are checked against the policy before a byte of the body is read, so an
  anonymous client can make the server hold at most `ACT_BYTES`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.access.policy import PUBLIC, authorize
from app.domain.acts import Act
from app.errors import DomainError, TooLarge

ACT_BYTES = 8 * 1024
"""An act, a sign-in, a floor request: a few hundred bytes of JSON."""
IMPORT_BYTES = 2 * 1024 * 1024
"""A whole programme (JSON or YAML); the demo's, the UN membership written out, is ~20 KB.
deploy/nginx.conf's client_max_body_size is the same."""

IMPORTS = re.compile(r"/api/meetings/([^/]+)(?:/programme)?")
"""PUT: create or replace a meeting, as JSON or as a programme file."""

SESSION_COOKIE = "fk_session"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def token_of(scope: Scope) -> str | None:
    """The credentials of a request as app/deps.py reads them: bearer, else the cookie."""
    header = _header(scope, b"authorization") or ""
    if header.lower().startswith("bearer ") and header[7:].strip():
        return header[7:].strip()
    cookie = _header(scope, b"cookie")
    return cookie_parser(cookie).get(SESSION_COOKIE) if cookie else None


async def refuse(send: Send, error: DomainError) -> None:
    """An answer in the app's shape for a refusal (app/main.py's domain-error handler).
    The connection is not closed at once: a client still sending would get a reset instead
    of the answer. uvicorn discards the rest of an unread body as it arrives, holding none
    of it, and closes the connection after its keep-alive timeout (5 s)."""
    body = json.dumps({"error": error.code, "message": error.message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status_code,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def too_large(cap: int) -> TooLarge:
    what = "a programme" if cap > ACT_BYTES else "this request"
    return TooLarge(f"the body is too large: {what} may have at most {cap} bytes")


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        cap = ACT_BYTES
        imported = IMPORTS.fullmatch(scope["path"]) if scope["method"] == "PUT" else None
        if imported is not None:
            try:
                await self._authorize_import(scope, imported.group(1))
            except DomainError as error:
                await refuse(send, error)
                return
            cap = IMPORT_BYTES
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await refuse(send, too_large(cap))
            return
        body = await read_body(receive, cap)
        if body is None:
            await refuse(send, too_large(cap))
            return
        await self.app(scope, _Replay(receive, body), send)

    async def _authorize_import(self, scope: Scope, meeting_id: str) -> None:
        services: Any = getattr(scope["app"].state, "services", None)
        token = token_of(scope)
        actor = (await services.access.actor(token) if services and token else None) or PUBLIC
        authorize(actor, Act.PUT_MEETING, meeting_id)


async def read_body(receive: Receive, cap: int) -> bytes | None:
    """The whole body, counted as it streams in; None as soon as it passes `cap` (the app
    never sees the rest)."""
    chunks, seen = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return b""
        chunk: bytes = message.get("body", b"")
        seen += len(chunk)
        if seen > cap:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class _Replay:
    """The request's `receive` for the app: the body already read, in one message, then
    whatever the server says next (a disconnect)."""

    __slots__ = ("_body", "_receive")

    def __init__(self, receive: Receive, body: bytes | None) -> None:
        self._receive, self._body = receive, body

    async def __call__(self) -> Message:
        if self._body is not None:
            body, self._body = self._body, None
            return {"type": "http.request", "body": body, "more_body": False}
        return await self._receive()
