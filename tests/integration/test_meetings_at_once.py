"""Several meetings on one server: the plenary and the side events of the lunch break, each in
its own room with its own floor, clock and screens; acts on one never touch another."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from websockets.asyncio.client import connect

from app.agenda.timetable import scheduled_ms
from tests.conftest import AppServer, Tokens, bearer
from tests.integration.helpers import recv_json, recv_until

SIDE_1, SIDE_2 = "demo-side-1", "demo-side-2"
GENEVA = ZoneInfo("Europe/Zurich")


@pytest.fixture
async def chair(live_server: AppServer, tokens: Tokens) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=live_server.base_url, timeout=30, headers=bearer(tokens.chair)
    ) as c:
        yield c


async def live(client: httpx.AsyncClient, meeting_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/meetings/{meeting_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()["live"]
    return body


async def test_the_demo_holds_the_plenary_and_each_side_event_in_its_room(
    chair: httpx.AsyncClient,
) -> None:
    listed = {m["id"]: m for m in (await chair.get("/api/meetings")).json()}

    assert {i: listed[i]["room"] for i in ("demo", SIDE_1, SIDE_2)} == {
        "demo": "Room XIX",
        SIDE_1: "Room XXIV",
        SIDE_2: "Room XXIV",
    }
    # The seed's two days, moved to today and tomorrow in Geneva (FLOORKEEPER_DEMO_TODAY).
    snapshots = [(await chair.get(f"/api/meetings/{i}")).json()["meeting"] for i in listed]
    days = {m["id"]: [d["date"] for d in m["days"]] for m in snapshots}
    # "Today" is the day in Geneva when the server loaded the demo: its first record entry.
    loaded_at = (await chair.get("/api/meetings/demo/record")).json()[0]["at"]
    today = datetime.fromtimestamp(loaded_at / 1000, GENEVA).date()
    dates = [today.isoformat(), (today + timedelta(days=1)).isoformat()]
    assert days["demo"] == dates
    assert (days[SIDE_1], days[SIDE_2]) == ([dates[0]], [dates[1]])
    side = next(m for m in snapshots if m["id"] == SIDE_1)
    [item] = side["days"][0]["items"]
    assert (item["start"], item["end"], item["has_floor"]) == ("13:15", "14:45", True)
    assert len(side["delegations"]) == 202


async def test_two_meetings_run_at_once_without_touching_each_other(
    live_server: AppServer, chair: httpx.AsyncClient
) -> None:
    async def act(meeting_id: str, path: str, body: object = None) -> int:
        response = await chair.post(f"/api/meetings/{meeting_id}{path}", json=body)
        assert response.status_code in (200, 201), response.text
        version: int = response.json()["version"]
        return version

    item = {SIDE_1: "d1-side-events", SIDE_2: "d2-side-events"}
    for meeting_id in (SIDE_1, SIDE_2):
        await act(meeting_id, f"/items/{item[meeting_id]}/start")
        await act(meeting_id, "/floor/open")
    before = {m: await live(chair, m) for m in (SIDE_1, SIDE_2)}

    # Both rooms fill their lines at the same moment, from different delegations.
    asked = {SIDE_1: ["MEX", "CHE", "SWE", "TUR"], SIDE_2: ["ARE", "FRA", "BRA"]}
    await asyncio.gather(
        *(
            act(m, "/floor/requests", {"delegation_id": d})
            for pair in zip(asked[SIDE_1], asked[SIDE_2], strict=False)
            for m, d in zip((SIDE_1, SIDE_2), pair, strict=False)
        ),
        act(SIDE_1, "/floor/requests", {"delegation_id": asked[SIDE_1][-1]}),
    )
    after = {m: await live(chair, m) for m in (SIDE_1, SIDE_2)}

    for meeting_id in (SIDE_1, SIDE_2):
        line = [r["delegation_id"] for r in after[meeting_id]["floor"]["line"]]
        assert sorted(line) == sorted(asked[meeting_id])
        assert after[meeting_id]["version"] == before[meeting_id]["version"] + len(
            asked[meeting_id]
        )

    # Acts on one room: the other's screens get nothing, its version and line stay.
    async with connect(f"{live_server.ws_url}/ws/meetings/{SIDE_2}") as quiet:
        assert (await recv_json(quiet))["type"] == "meeting"
        assert (await recv_json(quiet))["version"] == after[SIDE_2]["version"]
        for path in ("/floor/next", "/timer/pause", "/timer/adjust", "/floor/next", "/floor/close"):
            await act(SIDE_1, path, {"delta_s": 30} if path == "/timer/adjust" else None)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(quiet.recv(), timeout=0.5)
        own = await act(SIDE_2, "/floor/next")
        assert (await recv_until(quiet, "live", own))["version"] == own
    assert (await live(chair, SIDE_2))["floor"]["line"] == after[SIDE_2]["floor"]["line"][1:]
    first, second = await live(chair, SIDE_1), await live(chair, SIDE_2)
    assert first["version"] == after[SIDE_1]["version"] + 5
    assert first["floor"]["is_open"] is False
    assert second["floor"]["is_open"] is True
    assert (
        second["floor"]["current"]["speaker_id"]
        == after[SIDE_2]["floor"]["line"][0]["delegation_id"]
    )


async def test_each_meeting_runs_on_its_own_clock(chair: httpx.AsyncClient) -> None:
    """The live message carries the item under way against the programme, and the forecast
    of its line; the timetable has the whole day."""
    if (await live(chair, SIDE_2))["floor"]["item_id"] is None:
        await chair.post(f"/api/meetings/{SIDE_2}/items/d2-side-events/start")
    state = await live(chair, SIDE_2)
    snapshot = (await chair.get(f"/api/meetings/{SIDE_2}")).json()["meeting"]
    day = snapshot["days"][0]["date"]

    timetable = state["timetable"]
    assert timetable["item_id"] == "d2-side-events"
    assert timetable["scheduled_start"] == scheduled_ms(day, "13:15", "Europe/Zurich")
    assert timetable["scheduled_end"] == scheduled_ms(day, "14:45", "Europe/Zurich")
    assert timetable["actual_start"] <= state["at"]
    # The side event of tomorrow, taken up today, is a day ahead.
    assert timetable["delay"] == "ahead"
    assert timetable["forecast_end"] >= state["at"]
    assert set(state["forecast"]) == {"heard", "not_heard", "fits", "suggestion", "leftover_ms"}
    table = (await chair.get(f"/api/meetings/{SIDE_2}/timetable")).json()
    assert table["room"] == "Room XXIV"
    assert [(s["item_id"], s["status"]) for s in table["items"]] == [
        ("d2-side-events", "under_way")
    ]
    assert table["items"][0]["says"].endswith("min ahead")
    plenary = (await chair.get("/api/meetings/demo/timetable")).json()
    assert len(plenary["items"]) == 13
    assert {s["status"] for s in plenary["items"]} == {"to_come"}
