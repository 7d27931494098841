"""Redis keys of access: codes per meeting, sessions, attempt counters.

fk:{id}:access        hash  subject → {code, role, subject, code_id, issued_at}
fk:{id}:access:codes  hash  code → subject (to sign in by code)
fk:{access}:chair     hash  / fk:{access}:chair:codes: the same for chair codes (all rooms)
fk:session:<sha256>   string {role, meeting_id, subject, code_id}, expires
fk:rl:<what>:<who>    counters for rate limits, expire
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from app.access.policy import Actor, Role
from app.redis_client import StoreClient

SESSION_TTL_S = 12 * 3600


@dataclass(frozen=True, slots=True)
class Grant:
    """An access code and what it opens."""

    code: str
    role: Role
    subject: str | None
    code_id: str
    issued_at: int

    @property
    def subject_key(self) -> str:
        return subject_key(self.role, self.subject)


def subject_key(role: Role, subject: str | None) -> str:
    return f"{role.value}:{subject}" if subject else role.value


def _keys(meeting_id: str | None) -> tuple[str, str]:
    if meeting_id is None:
        # One hash tag for both, so that a Redis Cluster keeps them in one slot.
        return "fk:{access}:chair", "fk:{access}:chair:codes"
    return f"fk:{{{meeting_id}}}:access", f"fk:{{{meeting_id}}}:access:codes"


def _grant(raw: bytes | str) -> Grant:
    body: dict[str, Any] = json.loads(raw)
    return Grant(
        code=body["code"],
        role=Role(body["role"]),
        subject=body["subject"],
        code_id=body["code_id"],
        issued_at=body["issued_at"],
    )


# EXPIRE ... NX needs Redis 7; this works on 6.2 and stays atomic.
COUNT_SCRIPT = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return hits
"""


class AccessStore:
    def __init__(self, redis: StoreClient) -> None:
        self.redis = redis
        self._count = redis.register_script(COUNT_SCRIPT)

    async def grants(self, meeting_id: str | None) -> list[Grant]:
        by_subject, _ = _keys(meeting_id)
        raw = await self.redis.hgetall(by_subject)
        return sorted((_grant(v) for v in raw.values()), key=lambda g: g.subject_key)

    async def grant_for(self, meeting_id: str | None, key: str) -> Grant | None:
        by_subject, _ = _keys(meeting_id)
        raw = await self.redis.hget(by_subject, key)
        return _grant(raw) if raw else None

    async def grant_by_code(self, meeting_id: str | None, code: str) -> Grant | None:
        by_subject, by_code = _keys(meeting_id)
        key = await self.redis.hget(by_code, code)
        if key is None:
            return None
        raw = await self.redis.hget(by_subject, key)
        return _grant(raw) if raw else None

    async def put_grant(self, meeting_id: str | None, grant: Grant, replaced: Grant | None) -> bool:
        """Store a grant (replacing the subject's old one) atomically; False if its code is
        already taken."""
        by_subject, by_code = _keys(meeting_id)
        if not await self.redis.hsetnx(by_code, grant.code, grant.subject_key):
            return False
        async with self.redis.pipeline(transaction=True) as pipe:
            if replaced is not None:
                pipe.hdel(by_code, replaced.code)
            pipe.hset(by_subject, grant.subject_key, json.dumps(asdict(grant)))
            await pipe.execute()
        return True

    async def delete_grant(self, meeting_id: str | None, grant: Grant) -> None:
        by_subject, by_code = _keys(meeting_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hdel(by_code, grant.code)
            pipe.hdel(by_subject, grant.subject_key)
            await pipe.execute()

    async def put_session(self, token_digest: str, actor: Actor) -> None:
        body = {
            "role": actor.role.value,
            "meeting_id": actor.meeting_id,
            "subject": actor.subject,
            "code_id": actor.code_id,
        }
        await self.redis.set(f"fk:session:{token_digest}", json.dumps(body), ex=SESSION_TTL_S)

    async def session(self, token_digest: str) -> Actor | None:
        raw = await self.redis.get(f"fk:session:{token_digest}")
        if raw is None:
            return None
        body = json.loads(raw)
        return Actor(Role(body["role"]), body["meeting_id"], body["subject"], body["code_id"])

    async def delete_session(self, token_digest: str) -> None:
        await self.redis.delete(f"fk:session:{token_digest}")

    async def count(self, what: str, who: str, window_s: int) -> int:
        """Add one to a counter that lives `window_s` from its first hit; return the count."""
        hits = await self._count(keys=[f"fk:rl:{what}:{who}"], args=[window_s])
        return int(hits)

    async def peek(self, what: str, who: str) -> int:
        return int(await self.redis.get(f"fk:rl:{what}:{who}") or 0)

    async def seconds_left(self, what: str, who: str) -> int:
        return max(1, int(await self.redis.ttl(f"fk:rl:{what}:{who}")))
