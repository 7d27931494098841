"""Create the app: the lifespan opens Redis (embedded or external), the committer and the
hub; routers translate HTTP and websocket messages into calls of the domain."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from redis.exceptions import RedisError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from app.access.codes import new_session_token
from app.access.demo import demo_codes, write_private
from app.access.service import Access
from app.deps import Services
from app.errors import DomainError, Unavailable
from app.http.headers import SecurityHeaders
from app.meetings.committer import STORE_UNREACHABLE, Committer
from app.meetings.service import Meetings
from app.meetings.store import MeetingStore
from app.realtime.hub import Hub
from app.redis_client import Listener, open_store
from app.redis_server import EmbeddedRedis
from app.routes import access as access_routes
from app.routes import floor, meetings, names, record, screens, timers
from app.routes.acts import ERROR_RESPONSES
from app.routes.screens import WEB
from app.routes.ws import meeting_of_path, meeting_socket
from app.settings import Settings

log = logging.getLogger(__name__)


async def load_demo(service: Meetings, today: bool = False) -> None:
    """The demo meetings, each one if it is missing. `today`: on today's date, and a demo
    meeting left from an earlier day is moved to today if nothing has happened in it (its
    record holds only its loading); one that has been used keeps its days and its record."""
    from app.demo import demo_meetings, today_at_venue

    for meeting in demo_meetings(today_at_venue() if today else None):
        stored = await service.store.load(meeting.id)
        if stored is None:
            await service.put_meeting(meeting, "secretariat")
            log.info("demo meeting %s loaded", meeting.id)
        elif today and stored.meeting.days != meeting.days:
            entries = await service.store.entries(meeting.id)
            if all(entry.act == "meeting.put" for entry in entries):
                await service.put_meeting(meeting, "secretariat")
                log.info("demo meeting %s moved to %s", meeting.id, meeting.days[0].date)


def secretariat_token(settings: Settings) -> str:
    """The configured token; in development, a new random one written to a private file
    (never to the log), since there is no default secret."""
    if settings.secretariat_token:
        return settings.secretariat_token
    if settings.mode == "production":
        raise RuntimeError("FLOORKEEPER_SECRETARIAT_TOKEN must be set in production mode")
    token = new_session_token()
    path = settings.data_dir / "secretariat-token"
    write_private(path, token + "\n")
    log.warning("development mode: the secretariat token is in %s", path.resolve())
    return token


class Floorkeeper(FastAPI):
    """The FastAPI app, with the meeting websocket (/ws/meetings/{meeting_id}) served in
    front of its middleware and routing by a plain ASGI handler (app/routes/ws.py), so that
    an idle connection does not hold FastAPI's stack for its whole life."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            meeting_id = meeting_of_path(scope)
            if meeting_id is not None:
                services: Services = self.state.services
                await meeting_socket(scope, receive, send, meeting_id, services)
                return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        embedded = None
        url = settings.redis_url
        if url is None:
            embedded = EmbeddedRedis(settings.data_dir / "redis")
            embedded.start()
            embedded.start_supervisor()
            url = embedded.url()
        redis = open_store(url, cluster=settings.redis_cluster, timeout_s=settings.redis_timeout_s)
        store = MeetingStore(redis)
        committer = Committer(store)
        service = Meetings(store, committer)

        async def resync(meeting_id: str) -> None:
            messages = await store.messages(meeting_id)
            if messages is not None:
                for text in messages:
                    hub.deliver(meeting_id, text)

        hub = Hub(redis, resync, Listener(redis, settings.redis_timeout_s))
        hub.start()
        access = Access(redis, secretariat_token(settings))
        app.state.services = Services(settings, redis, service, access, hub, embedded)
        if settings.demo:
            await load_demo(service, settings.demo_today)
            if settings.mode == "development":
                codes = settings.data_dir / "demo-codes.txt"
                write_private(codes, await demo_codes(access, service))
                log.warning("development mode: demo access codes are in %s", codes.resolve())
        try:
            yield
        finally:
            await hub.stop()
            await committer.close()
            await redis.aclose()
            if embedded is not None:
                await embedded.stop()

    app = Floorkeeper(
        title="Floorkeeper",
        version="0.1.0",
        description="Live floor requests, alternating segments and server-owned timers.",
        lifespan=lifespan,
    )

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        body: dict[str, Any] = {"error": error.code, "message": error.message}
        if error.problems:
            body["problems"] = list(error.problems)
        if error.reason is not None:
            body["reason"] = error.reason
            body["params"] = error.params
        return JSONResponse(body, status_code=error.status_code)

    @app.exception_handler(RedisError)
    async def store_error(request: Request, error: RedisError) -> JSONResponse:
        log.warning("store unreachable: %s", error)
        return await domain_error(request, Unavailable(STORE_UNREACHABLE, "store_unavailable"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        # Starlette's own refusals (unreadable body, unknown path, wrong method) in our shape.
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}
        return JSONResponse(
            {"error": code.get(error.status_code, "refused"), "message": str(error.detail)},
            status_code=error.status_code,
            headers=error.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_input(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = []
        for problem in error.errors():
            where = ".".join(str(p) for p in problem.get("loc", ()) if p != "body") or "request"
            problems.append(f"{where}: {problem.get('msg', 'is not valid')}")
        return JSONResponse(
            {"error": "invalid", "message": "; ".join(problems[:5]), "problems": problems[:20]},
            status_code=422,
        )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            # Credentials are optional on every operation: what the hall sees is public, and
            # an act the caller may not do is answered 401 or 403, as documented.
            for operation in (op for path in schema["paths"].values() for op in path.values()):
                if "security" in operation:
                    operation["security"].append({})
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    for module in (meetings, names, floor, timers, record, access_routes, screens):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    app.mount("/static", StaticFiles(directory=WEB), name="static")
    framing = screens.EMBEDDABLE | settings.frame_ancestors
    app.add_middleware(SecurityHeaders, framing=framing)
    return app
