"""`make run` in development mode: the demo, the secretariat token and the demo codes are
written to private files, never to the log, and the codes work."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import httpx

from app.demo import demo_meetings, today_at_venue
from tests.conftest import AppServer, app_env, bearer, tokens_for


def test_development_start_writes_private_token_and_working_codes(tmp_path: Path) -> None:
    env = app_env(FLOORKEEPER_DATA_DIR=str(tmp_path))
    del env["FLOORKEEPER_SECRETARIAT_TOKEN"]
    server = AppServer(env=env, demo=True)
    server.log_path = tmp_path / "app.log"
    server.start()
    try:
        token = (tmp_path / "secretariat-token").read_text().strip()
        codes = (tmp_path / "demo-codes.txt").read_text()
        for name in ("secretariat-token", "demo-codes.txt"):
            assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600
        moderator = next(
            line.split()[-1] for line in codes.splitlines() if line.startswith("moderator ")
        )
        with httpx.Client(base_url=server.base_url) as client:
            signed_in = client.post("/api/session", json={"code": moderator, "meeting_id": "demo"})
            assert signed_in.json()["role"] == "moderator"
            assert client.post("/api/meetings/demo/items/d1-panel1/start").status_code == 200
            secretariat = client.post("/api/session", json={"code": token})
            assert secretariat.json()["role"] == "secretariat"
    finally:
        server.stop()
    log = (tmp_path / "app.log").read_text()
    assert token not in log
    assert moderator not in log
    assert "demo-codes.txt" in log


def test_an_untouched_demo_moves_to_today_and_a_used_one_keeps_its_days(tmp_path: Path) -> None:
    # First started on the seed's own dates (19-20 June 2017), as on an earlier day.
    env = app_env(FLOORKEEPER_DATA_DIR=str(tmp_path), FLOORKEEPER_DEMO_TODAY="false")
    server = AppServer(env=env, demo=True)
    server.log_path = tmp_path / "first.log"
    server.start()
    try:
        chair = bearer(tokens_for(server.base_url).chair)
        with httpx.Client(base_url=server.base_url, headers=chair) as client:
            assert first_day(client, "demo") == "2017-06-19"
            assert client.post("/api/meetings/demo/items/d1-panel1/start").status_code == 200
    finally:
        server.stop()

    server = AppServer(env=app_env(FLOORKEEPER_DATA_DIR=str(tmp_path)), demo=True)
    server.log_path = tmp_path / "second.log"
    before = today_at_venue()
    server.start()
    try:
        with httpx.Client(base_url=server.base_url) as client:
            # Used: its days and its record stay as they were.
            assert first_day(client, "demo") == "2017-06-19"
            assert client.get("/api/meetings/demo").json()["live"]["floor"]["item_id"] == (
                "d1-panel1"
            )
            # Untouched: moved to today at the venue (the day the server started).
            sides = ("demo-side-1", "demo-side-2")
            moved = {m: first_day(client, m) for m in sides}
            assert moved in [
                {m.id: m.days[0].date for m in demo_meetings(day) if m.id in sides}
                for day in {before, today_at_venue()}
            ]
            assert moved["demo-side-1"] != "2017-06-19"
    finally:
        server.stop()


def first_day(client: httpx.Client, meeting_id: str) -> str:
    day: str = client.get(f"/api/meetings/{meeting_id}").json()["meeting"]["days"][0]["date"]
    return day
