"""The record for the summary panel, read back from the stream on a real Redis."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from redis.asyncio import Redis

from app.access.policy import Actor, Role
from app.domain.acts import (
    CallNext,
    Command,
    EndIntervention,
    GiveFloor,
    OpenFloor,
    RemoveRequest,
    RequestFloor,
    StartItem,
)
from app.errors import NotFound
from app.meetings import records
from app.meetings.committer import Committer
from app.meetings.service import Meetings
from app.meetings.store import MeetingStore
from tests.conftest import AppServer, RedisServer, app_env, bearer, tokens_for
from tests.factories import make_meeting

T0 = int(datetime(2017, 6, 19, 10, 15, tzinfo=ZoneInfo("Europe/Zurich")).timestamp() * 1000)
MOD = Actor(Role.MODERATOR, "record")


class FakeClock:
    """Moves on by a millisecond at each reading, and by whole seconds when told."""

    def __init__(self, start: int) -> None:
        self.now = start

    def __call__(self) -> int:
        self.now += 1
        return self.now

    def advance(self, seconds: int) -> None:
        self.now += seconds * 1000


HEADER = (
    "number,item_id,segment_kind,segment_number,speaker_kind,speaker_id,name,delegation_kind,"
    "stakeholder_subtype,region,granted_at,ended_at,spoken_s,limit_s,overrun_s,pauses,"
    "out_of_turn,granted_by,ended_by"
)
EXPECTED_CSV = [
    HEADER,
    "1,panel,member_states,1,delegation,M001,Member State 1,member_state,,asia_pacific,"
    "2017-06-19T10:15:00+02:00,2017-06-19T10:17:30+02:00,150,180,0,0,false,moderator,moderator",
    "2,panel,member_states,1,delegation,M002,Member State 2,member_state,,eastern_european,"
    "2017-06-19T10:17:30+02:00,2017-06-19T10:20:50+02:00,200,180,20,0,false,moderator,moderator",
    "3,panel,member_states,1,delegation,VAT,Holy See,observer_state,,none,"
    "2017-06-19T10:20:50+02:00,2017-06-19T10:21:50+02:00,60,180,0,0,true,moderator,moderator",
]


async def _run_the_floor(meetings: Meetings, clock: FakeClock) -> None:
    await meetings.put_meeting(make_meeting("record"), "secretariat")

    async def act(command: Command, by: Actor = MOD) -> None:
        await meetings.act("record", command, by)

    await act(StartItem("panel"))
    await act(OpenFloor())
    for delegation_id in ("M001", "M002", "M003", "VAT"):
        await act(RequestFloor(delegation_id), Actor(Role.DELEGATION, "record", delegation_id))
    await act(CallNext())  # M001
    clock.advance(150)
    await act(CallNext())  # M002
    clock.advance(200)
    await act(GiveFloor(delegation_id="VAT"))
    clock.advance(60)
    await act(RemoveRequest("M003"))
    await act(EndIntervention())


@pytest.fixture
async def meetings(redis: Redis) -> AsyncIterator[Meetings]:
    clock = FakeClock(T0)
    store = MeetingStore(redis)
    committer = Committer(store, clock=clock)
    service_ = Meetings(store, committer)
    await _run_the_floor(service_, clock)
    yield service_
    await committer.close()


def _lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text.split("\r\n")[:-1]


async def test_the_csv_is_computed_from_the_stream(redis: Redis, meetings: Meetings) -> None:
    assert _lines(await records.interventions_csv(meetings, "record")) == EXPECTED_CSV

    # A fresh store and service, as after a restart: the record is the stream's, not memory's.
    fresh_store = MeetingStore(redis)
    fresh = Meetings(fresh_store, Committer(fresh_store))
    assert _lines(await records.interventions_csv(fresh, "record")) == EXPECTED_CSV
    assert _lines(await records.interventions_csv(fresh, "record", "panel")) == EXPECTED_CSV
    assert _lines(await records.interventions_csv(fresh, "record", "closing")) == [HEADER]


async def test_the_summary_names_who_was_not_heard(meetings: Meetings) -> None:
    summary = await records.summary_json(meetings, "record", "panel")
    assert [(n["delegation_id"], n["reason"]) for n in summary["not_heard"]] == [
        ("M003", "removed")
    ]
    assert summary["floor_interventions"] == 3
    assert summary["floor_spoken_s"] == 410
    assert [(a["act"], a["subject_id"]) for a in summary["moderator_acts"]] == [
        ("floor.give", "VAT"),
        ("request.remove", "M003"),
    ]


async def test_unknown_meeting_or_item_is_not_found(meetings: Meetings) -> None:
    with pytest.raises(NotFound):
        await records.interventions_csv(meetings, "record", "no-such-item")
    with pytest.raises(NotFound):
        await records.summary_json(meetings, "nowhere")


async def test_the_routes(redis_server: RedisServer, meetings: Meetings) -> None:
    """The same record over HTTP, from an app process on the same Redis, as the chair."""
    server = AppServer(env=app_env(REDIS_URL=redis_server.url(db=1)), demo=False)
    server.start()
    try:
        chair = tokens_for(server.base_url).chair
        async with httpx.AsyncClient(base_url=server.base_url, headers=bearer(chair)) as client:
            base = "/api/meetings/record"
            response = await client.get(f"{base}/record/interventions.csv")
            assert response.status_code == 200
            assert response.headers["content-type"] == "text/csv; charset=utf-8"
            assert 'filename="record-interventions.csv"' in response.headers["content-disposition"]
            assert list(csv.reader(io.StringIO(response.text, newline=""))) == list(
                csv.reader(io.StringIO("\r\n".join(EXPECTED_CSV) + "\r\n", newline=""))
            )

            response = await client.get(f"{base}/record/interventions.json?item_id=panel")
            assert [r["speaker_id"] for r in response.json()["interventions"]] == [
                "M001",
                "M002",
                "VAT",
            ]

            response = await client.get(f"{base}/record/interventions.csv?item_id=nope")
            assert response.status_code == 404
            assert response.json()["error"] == "not_found"

            response = await client.get(f"{base}/record/summary.json?item_id=panel")
            assert response.json()["by_region"][1] == {
                "key": "asia_pacific",
                "label": "Asia-Pacific States",
                "interventions": 1,
                "spoken_s": 150,
                "overrun_s": 0,
            }

            response = await client.get(f"{base}/record/summary.svg?item_id=panel")
            assert response.headers["content-type"] == "image/svg+xml; charset=utf-8"
            assert response.text.startswith("<svg")

            response = await client.get(f"{base}/items/panel/summary")
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/html")
            assert "Member State 3" in response.text  # removed, not heard

            response = await client.get("/api/meetings/nowhere/record/summary.json")
            assert response.status_code == 404
    finally:
        server.stop()
