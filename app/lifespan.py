"""What the app opens at start and closes at the end: Redis (the embedded server or
REDIS_URL), the meetings' use cases, access, the hub; with --demo, the demo meetings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.access.codes import new_session_token
from app.access.demo import demo_codes, write_private
from app.access.service import Access
from app.deps import Services
from app.domain.acts import Act
from app.errors import NotFound
from app.meetings.service import Meetings
from app.realtime.hub import Hub
from app.redis_client import Listener, open_store
from app.redis_server import EmbeddedRedis
from app.settings import Settings

log = logging.getLogger(__name__)


async def load_demo(meetings: Meetings, today: bool = False) -> None:
    """The demo meetings, each one if it is missing. `today`: on today's date, and a demo
    meeting left from an earlier day is moved to today if nothing has happened in it (its
    record holds only its loading); one that has been used keeps its days and its record."""
    from app.demo import demo_meetings, today_at_venue

    for meeting in demo_meetings(today_at_venue() if today else None):
        stored = await meetings.find(meeting.id)
        if stored is None:
            await meetings.put_meeting(meeting, "secretariat")
            log.info("demo meeting %s loaded", meeting.id)
        elif today and stored.days != meeting.days:
            entries = await meetings.record(meeting.id)
            if all(entry.act is Act.PUT_MEETING for entry in entries):
                await meetings.put_meeting(meeting, "secretariat")
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


@asynccontextmanager
async def lifespan(app: FastAPI, settings: Settings) -> AsyncIterator[None]:
    embedded = None
    url = settings.redis_url
    if url is None:
        embedded = EmbeddedRedis(settings.data_dir / "redis")
        embedded.start()
        embedded.start_supervisor()
        url = embedded.url()
    redis = open_store(url, cluster=settings.redis_cluster, timeout_s=settings.redis_timeout_s)
    meetings = Meetings.on(redis)

    async def resync(meeting_id: str) -> None:
        try:
            texts = await meetings.messages(meeting_id)
        except NotFound:
            return
        for text in texts:
            hub.deliver(meeting_id, text)

    hub = Hub(redis, resync, Listener(redis, settings.redis_timeout_s))
    hub.start()
    access = Access(redis, secretariat_token(settings))
    app.state.services = Services(settings, redis, meetings, access, hub, embedded)
    if settings.demo:
        await load_demo(meetings, settings.demo_today)
        if settings.mode == "development":
            codes = settings.data_dir / "demo-codes.txt"
            every = [await meetings.meeting(i) for i in await meetings.meeting_ids()]
            write_private(codes, await demo_codes(access, every))
            log.warning("development mode: demo access codes are in %s", codes.resolve())
    try:
        yield
    finally:
        await hub.stop()
        await meetings.close()
        await redis.aclose()
        if embedded is not None:
            await embedded.stop()
