"""Typed dependencies shared by HTTP and websocket routes. Everything is opened in the
lifespan (app/main.py) and kept on `app.state`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, WebSocket
from redis.asyncio import Redis

from app.meetings.service import Meetings
from app.realtime.hub import Hub
from app.redis_server import EmbeddedRedis
from app.settings import Settings


@dataclass
class Services:
    settings: Settings
    redis: Redis
    meetings: Meetings
    hub: Hub
    embedded: EmbeddedRedis | None


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _ws_services(websocket: WebSocket) -> Services:
    services: Services = websocket.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(_services)]
WsServicesDep = Annotated[Services, Depends(_ws_services)]


def _meetings(request: Request) -> Meetings:
    return _services(request).meetings


MeetingsDep = Annotated[Meetings, Depends(_meetings)]
