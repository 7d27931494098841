"""Redis keys and serialisation of a meeting. The only module that knows them.

Every key of a meeting carries `{meeting_id}` as a hash tag, so a whole meeting lives in one
Redis Cluster slot and one Lua script can change it atomically:

    fk:{id}:meeting   the meeting message (programme, roster, policy), sent as is to clients
    fk:{id}:live      the live message (floor state, version), sent as is to clients
    fk:{id}:version   the last version, a gap-free counter of every change to the meeting
    fk:{id}:log       stream, one entry per version (ID 0-<version>): the durable record
    fk:{id}:events    pub/sub channel: the meeting and live messages, then the commit's acts
    fk:{id}:answer:B/K  the answer given to B's act sent with Idempotency-Key K (with a TTL):
                      a key is B's own, so another actor cannot claim it
    fk:meetings       the set of meeting ids (outside any one meeting's slot)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from redis.asyncio.cluster import RedisCluster

from app.domain.acts import Act, details_json, parse_details
from app.domain.model import Meeting
from app.queue.rules import FloorState, InterventionRecord
from app.realtime.messages import ActEntry, acts_message
from app.record.entry import Entry
from app.redis_client import StoreClient, as_text

MEETINGS_KEY = "fk:meetings"
EVENTS_PATTERN = "fk:*:events"
ANSWER_TTL_S = 24 * 3600
"""How long the answer to an act sent with an Idempotency-Key is kept for a retry."""

meeting_codec: TypeAdapter[Meeting] = TypeAdapter(Meeting)
floor_codec: TypeAdapter[FloorState] = TypeAdapter(FloorState)
record_codec: TypeAdapter[InterventionRecord] = TypeAdapter(InterventionRecord)


def key(meeting_id: str, name: str) -> str:
    return f"fk:{{{meeting_id}}}:{name}"


def channel(meeting_id: str) -> str:
    return key(meeting_id, "events")


def answer_key(meeting_id: str, idempotency_key: str) -> str:
    return key(meeting_id, f"answer:{idempotency_key}")


def meeting_id_of_channel(name: str) -> str:
    return name[name.index("{") + 1 : name.rindex("}")]


# KEYS: version, live, log, meeting, then one answer key per answer, then (outside a
#       cluster, when the meeting message is written) the set of meetings
# ARGV: expected version, new version, live message, meeting message or "", entry count,
#       commit id, then per entry: version, fields json; then the channel, the answers' TTL,
#       the answer count, one answer per answer key, the acts message
#       (app/realtime/messages.py), and last the meeting id for the set
# The check comes first and nothing can fail after it, so the script never half-applies.
# When the check fails, the commit may be this very one, sent again after its reply was lost
# (a dropped connection, a restarted server): the log entry after `expected` then carries our
# commit id, and the answer is "already done" (2) instead of "someone else was first" (0).
COMMIT_SCRIPT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local expected = tonumber(ARGV[1])
if current ~= expected then
  if current > expected then
    local next_id = '0-' .. (expected + 1)
    local found = redis.call('XRANGE', KEYS[3], next_id, next_id)
    if found[1] then
      local fields = found[1][2]
      for j = 1, #fields, 2 do
        if fields[j] == 'c' and fields[j + 1] == ARGV[6] then
          return {2, current}
        end
      end
    end
  end
  return {0, current}
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
local count = tonumber(ARGV[5])
local i = 7
for _ = 1, count do
  redis.call('XADD', KEYS[3], '0-' .. ARGV[i], 'e', ARGV[i + 1], 'c', ARGV[6])
  i = i + 2
end
local channel = ARGV[i]
local ttl = ARGV[i + 1]
local answers = tonumber(ARGV[i + 2])
for k = 1, answers do
  redis.call('SET', KEYS[4 + k], ARGV[i + 2 + k], 'EX', ttl)
end
if #KEYS > 4 + answers then
  redis.call('SADD', KEYS[#KEYS], ARGV[i + 4 + answers])
end
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[4], ARGV[4])
  redis.call('PUBLISH', channel, ARGV[4])
end
redis.call('PUBLISH', channel, ARGV[3])
redis.call('PUBLISH', channel, ARGV[i + 3 + answers])
return {1, tonumber(ARGV[2])}
"""


@dataclass(frozen=True, slots=True)
class Loaded:
    meeting: Meeting
    floor: FloorState
    version: int
    meeting_text: str
    live_text: str


def entry_body(entry: Entry) -> dict[str, Any]:
    """A record entry as the log keeps it (and GET .../record answers it)."""
    body: dict[str, Any] = {
        "v": entry.version,
        "at": entry.at,
        "by": entry.by,
        "act": entry.act.value,
        "details": details_json(entry.details),
    }
    if entry.ended is not None:
        body["ended"] = record_codec.dump_python(entry.ended, mode="json")
    return body


def entry_json(entry: Entry) -> str:
    return json.dumps(entry_body(entry), separators=(",", ":"))


def parse_entry(text: str | bytes) -> Entry:
    body = json.loads(text)
    ended = body.get("ended")
    act = Act(body["act"])
    return Entry(
        version=body["v"],
        at=body["at"],
        by=body["by"],
        act=act,
        details=parse_details(act, body["details"]),
        ended=record_codec.validate_python(ended) if ended else None,
    )


def _act(entry: Entry) -> ActEntry:
    return ActEntry(
        version=entry.version,
        at=entry.at,
        by=entry.by,
        act=entry.act.value,
        details=details_json(entry.details),
    )


class MeetingStore:
    def __init__(self, redis: StoreClient) -> None:
        self.redis = redis
        self._commit = redis.register_script(COMMIT_SCRIPT)
        self._meetings: dict[str, tuple[str, Meeting]] = {}
        """Parsed meetings by id, kept while their message text is unchanged."""

    def _parse_meeting(self, meeting_id: str, text: str) -> Meeting:
        cached = self._meetings.get(meeting_id)
        if cached is not None and cached[0] == text:
            return cached[1]
        meeting = meeting_codec.validate_python(json.loads(text)["meeting"])
        self._meetings[meeting_id] = (text, meeting)
        return meeting

    async def exists(self, meeting_id: str) -> bool:
        return bool(await self.redis.exists(key(meeting_id, "version")))

    async def meeting_ids(self) -> list[str]:
        ids = await self.redis.smembers(MEETINGS_KEY)
        return sorted(as_text(i) for i in ids)

    async def messages(self, meeting_id: str) -> tuple[str, str] | None:
        """The meeting and live messages, as clients receive them; None if no such meeting."""
        meeting_text, live_text = await self.redis.mget(
            key(meeting_id, "meeting"), key(meeting_id, "live")
        )
        if meeting_text is None or live_text is None:
            return None
        return as_text(meeting_text), as_text(live_text)

    async def load(self, meeting_id: str) -> Loaded | None:
        raw = await self.redis.mget(
            key(meeting_id, "meeting"), key(meeting_id, "live"), key(meeting_id, "version")
        )
        if raw[0] is None or raw[1] is None:
            return None
        meeting_text, live_text = as_text(raw[0]), as_text(raw[1])
        live = json.loads(live_text)
        return Loaded(
            meeting=self._parse_meeting(meeting_id, meeting_text),
            floor=floor_codec.validate_python(live["floor"]),
            version=int(raw[2] or 0),
            meeting_text=meeting_text,
            live_text=live_text,
        )

    async def commit(
        self,
        meeting_id: str,
        expected_version: int,
        entries: list[Entry],
        live_text: str,
        meeting_text: str | None = None,
        *,
        commit_id: str,
        answers: dict[str, str] | None = None,
    ) -> bool:
        """Store the new state, append the entries, keep the answers to idempotent acts and
        publish, all or nothing. False when another writer changed the meeting since
        `expected_version`; True also when this same commit (same `commit_id`) was stored
        before and only its reply was lost. A new meeting joins the set of meetings in the
        same script; on a Redis Cluster, whose set lies in another slot, just before it (a
        listed id with no meeting yet is passed over by the list)."""
        args: list[str | int] = [
            expected_version,
            entries[-1].version,
            live_text,
            meeting_text or "",
            len(entries),
            commit_id,
        ]
        for entry in entries:
            args += [entry.version, entry_json(entry)]
        answers = answers or {}
        args += [channel(meeting_id), ANSWER_TTL_S, len(answers), *answers.values()]
        args.append(acts_message(meeting_id, expected_version, [_act(e) for e in entries]))
        keys = [key(meeting_id, n) for n in ("version", "live", "log", "meeting")]
        keys += [answer_key(meeting_id, k) for k in answers]
        if meeting_text and isinstance(self.redis, RedisCluster):
            await self.redis.sadd(MEETINGS_KEY, meeting_id)
        elif meeting_text:
            keys.append(MEETINGS_KEY)
            args.append(meeting_id)
        ok, _ = await self._commit(keys=keys, args=args)
        return bool(ok)

    async def was_committed(self, meeting_id: str, version: int, commit_id: str) -> bool:
        """Whether the change that made `version` was the commit `commit_id`."""
        at = f"0-{version}"
        raw = await self.redis.xrange(key(meeting_id, "log"), min=at, max=at)
        return any(fields.get(b"c") == commit_id.encode() for _, fields in raw or () if fields)

    async def answers(self, meeting_id: str, idempotency_keys: list[str]) -> dict[str, str]:
        """The stored answers to acts sent with these keys, for those that have one."""
        if not idempotency_keys:
            return {}
        raw = await self.redis.mget(*(answer_key(meeting_id, k) for k in idempotency_keys))
        return {k: as_text(v) for k, v in zip(idempotency_keys, raw, strict=True) if v is not None}

    async def entries(
        self, meeting_id: str, after: int = 0, count: int | None = None
    ) -> list[Entry]:
        raw = await self.redis.xrange(key(meeting_id, "log"), min=f"0-{after + 1}", count=count)
        return [parse_entry(fields[b"e"]) for _, fields in raw or () if fields]

    async def delete(self, meeting_id: str) -> None:
        names = ("meeting", "live", "version", "log")
        await self.redis.delete(*(key(meeting_id, n) for n in names))
        await self.redis.srem(MEETINGS_KEY, meeting_id)
        self._meetings.pop(meeting_id, None)
