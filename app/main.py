"""Create the app: the lifespan (app/lifespan.py) opens Redis, the use cases and the hub; the
routers translate HTTP and websocket messages into calls of the use cases; refusals are
answered in one shape (app/http/errors.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from app.deps import Services
from app.http.errors import add_error_handlers
from app.http.headers import SecurityHeaders
from app.http.limits import BodyLimit
from app.lifespan import lifespan
from app.routes import access as access_routes
from app.routes import docs, floor, meetings, names, record, screens, timers
from app.routes.acts import ERROR_RESPONSES
from app.routes.screens import WEB
from app.routes.ws import meeting_of_path, meeting_socket
from app.settings import Settings


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

    app = Floorkeeper(
        title="Floorkeeper",
        version="0.1.0",
        description="Live floor requests, alternating segments and server-owned timers.",
        lifespan=partial(lifespan, settings=settings),
        docs_url=None,  # app/routes/docs.py serves it from local assets
        redoc_url=None,
    )

    add_error_handlers(app)

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

    for module in (meetings, names, floor, timers, record, access_routes, screens, docs):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    app.mount(docs.ASSETS_URL, docs.ASSETS, name="docs-assets")
    app.mount("/static", StaticFiles(directory=WEB), name="static")
    framing = screens.EMBEDDABLE | settings.frame_ancestors
    app.add_middleware(BodyLimit)  # inside the headers: its refusals get them too
    app.add_middleware(SecurityHeaders, framing=framing)
    return app
