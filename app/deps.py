"""Typed dependencies of the HTTP routes. Everything is opened in the lifespan (app/main.py)
and kept on `app.state`, where the meeting websocket (app/routes/ws.py) reads `Services`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.access.policy import PUBLIC, Actor, Permission, authorize
from app.access.service import Access
from app.domain.acts import Act
from app.meetings.service import Meetings
from app.realtime.hub import Hub
from app.redis_client import StoreClient
from app.redis_server import EmbeddedRedis
from app.settings import Settings

SESSION_COOKIE = "fk_session"


@dataclass
class Services:
    settings: Settings
    redis: StoreClient
    meetings: Meetings
    access: Access
    hub: Hub
    embedded: EmbeddedRedis | None


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


# The dependencies are coroutines although they never wait: FastAPI runs a plain function
# dependency in a worker thread, three thread hops per request (a third of an act's time).
async def _services(request: Request) -> Services:
    return services_of(request)


ServicesDep = Annotated[Services, Depends(_services)]


async def _meetings(request: Request) -> Meetings:
    return services_of(request).meetings


async def _access(request: Request) -> Access:
    return services_of(request).access


MeetingsDep = Annotated[Meetings, Depends(_meetings)]
AccessDep = Annotated[Access, Depends(_access)]

bearer = HTTPBearer(auto_error=False, description="a session token from POST /api/session")


async def _actor(
    request: Request,
    access: AccessDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    """The signed-in actor (session cookie or bearer token), else the public."""
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    return await access.actor(token) or PUBLIC


ActorDep = Annotated[Actor, Depends(_actor)]


def require(permission: Act | Permission) -> Any:
    """A dependency that lets the act through only for the roles the policy names, in the
    meeting of the path (and, for a delegation, for itself)."""

    async def check(request: Request, actor: ActorDep) -> Actor:
        params = request.path_params
        return authorize(actor, permission, params.get("meeting_id"), params.get("delegation_id"))

    return Depends(check)
