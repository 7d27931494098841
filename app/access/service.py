"""Signing in with access codes, sessions, and the secretariat's issuing and revoking."""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterable

from app.access.codes import digest, new_code, new_session_token, normalize
from app.access.lockout import Attempt, SignInGuard
from app.access.policy import Actor, Role
from app.access.store import AccessStore, Grant, subject_key
from app.domain.model import Meeting
from app.errors import NotFound, TooManyRequests, Unauthorized
from app.realtime.messages import CONTROL_CHANNEL, revoked_message
from app.redis_client import StoreClient

FLOOR_REQUESTS_MAX = 10
FLOOR_REQUESTS_WINDOW_S = 10


def subjects_of(meeting: Meeting) -> list[tuple[Role, str | None]]:
    """Everyone in a meeting who gets a code of their own."""
    return [
        (Role.MODERATOR, None),
        (Role.DISPLAY, None),
        *((Role.PANELIST, s.id) for s in meeting.speakers),
        *((Role.DELEGATION, d.id) for d in meeting.delegations),
    ]


class Access:
    def __init__(self, redis: StoreClient, secretariat_token: str) -> None:
        self.store = AccessStore(redis)
        self.guard = SignInGuard(redis)
        self.redis = redis
        self._secretariat_digest = digest(secretariat_token)

    # --- sessions -------------------------------------------------------------------

    async def sign_in(
        self, meeting_id: str | None, typed: str, attempt: Attempt
    ) -> tuple[str, Actor]:
        """Exchange a code (or the secretariat's token) for a session token. The attempt is
        charged to its buckets before the code is looked at, and refunded if the code is
        right: only wrong codes count (app/access/lockout.py)."""
        code = normalize(typed)
        charged = await self.guard.reserve(attempt, code[:4] if code else None)
        actor = await self._actor_for_code(meeting_id, typed)
        if actor is None:
            raise Unauthorized("this access code is not valid for this meeting")
        await self.guard.succeeded(attempt, charged)
        token = new_session_token()
        await self.store.put_session(digest(token), actor)
        return token, actor

    async def _actor_for_code(self, meeting_id: str | None, typed: str) -> Actor | None:
        if hmac.compare_digest(digest(typed), self._secretariat_digest):
            return Actor(Role.SECRETARIAT)
        code = normalize(typed)
        if code is None:
            return None
        grant = None
        if meeting_id is not None:
            grant = await self.store.grant_by_code(meeting_id, code)
        if grant is None:  # chair codes open every meeting
            grant = await self.store.grant_by_code(None, code)
            meeting_id = None
        if grant is None:
            return None
        return Actor(grant.role, meeting_id, grant.subject, grant.code_id)

    async def actor(self, token: str | None) -> Actor | None:
        """The actor of a session, if the session and the code it came from still hold."""
        if not token:
            return None
        actor = await self.store.session(digest(token))
        if actor is None:
            return None
        if actor.code_id is not None:
            grant = await self.store.grant_for(
                actor.meeting_id, subject_key(actor.role, actor.subject)
            )
            if grant is None or grant.code_id != actor.code_id:
                return None
        return actor

    async def sign_out(self, token: str) -> None:
        await self.store.delete_session(digest(token))

    async def count_floor_request(self, who: str) -> None:
        hits = await self.store.count("request", who, FLOOR_REQUESTS_WINDOW_S)
        if hits > FLOOR_REQUESTS_MAX:
            wait = await self.store.seconds_left("request", who)
            raise TooManyRequests(
                f"too many floor requests; try again in {wait} s", "too_many_requests", seconds=wait
            )

    # --- the secretariat ------------------------------------------------------------

    async def codes(self, meeting_id: str | None) -> list[Grant]:
        return await self.store.grants(meeting_id)

    async def issue(
        self, meeting_id: str | None, subjects: Iterable[tuple[Role, str | None]]
    ) -> list[Grant]:
        """Give a code to every subject that has none; existing codes stay as they are."""
        existing = {g.subject_key for g in await self.store.grants(meeting_id)}
        issued = []
        for role, subject in subjects:
            if subject_key(role, subject) not in existing:
                issued.append(await self._put_new(meeting_id, role, subject, replaced=None))
        return issued

    async def reissue(self, meeting_id: str | None, key: str) -> Grant:
        old = await self._existing(meeting_id, key)
        grant = await self._put_new(meeting_id, old.role, old.subject, replaced=old)
        await self._announce_revoked(old)
        return grant

    async def revoke(self, meeting_id: str | None, key: str) -> None:
        old = await self._existing(meeting_id, key)
        await self.store.delete_grant(meeting_id, old)
        await self._announce_revoked(old)

    async def _existing(self, meeting_id: str | None, key: str) -> Grant:
        grant = await self.store.grant_for(meeting_id, key)
        if grant is None:
            raise NotFound(f"no access code is issued for '{key}'")
        return grant

    async def _put_new(
        self, meeting_id: str | None, role: Role, subject: str | None, replaced: Grant | None
    ) -> Grant:
        while True:  # a clash of two random codes is rare; draw again
            code = new_code()
            grant = Grant(code, role, subject, digest(code)[:16], int(time.time() * 1000))
            if await self.store.put_grant(meeting_id, grant, replaced):
                return grant

    async def _announce_revoked(self, grant: Grant) -> None:
        """Open websockets signed in with the code close at once, on every app process."""
        await self.redis.publish(CONTROL_CHANNEL, revoked_message(grant.code_id))
