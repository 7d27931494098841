"""`make run` in development mode: the demo, the secretariat token and the demo codes are
written to private files, never to the log, and the codes work."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import httpx

from tests.conftest import AppServer, app_env


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
