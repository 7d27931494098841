"""Redis kill -9 trials: every change the app acknowledged is there after the restart.

Shared by the test (20 trials) and the benchmark (100 trials). Each trial opens a fresh
meeting, sends a burst of floor requests, kills the embedded redis-server with SIGKILL in the
middle of the burst, lets the app's supervisor start it again, and compares what was
acknowledged (201 with a version) with the durable record and the line.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.conftest import bearer, tokens_for
from tests.factories import make_meeting
from tests.integration.helpers import meeting_json

REQUESTS_PER_TRIAL = 24


@dataclass
class TrialReport:
    trials: int = 0
    acknowledged: int = 0
    refused: int = 0
    """Answered 503: the client knows the act may not have been stored, and may retry."""
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    recovery_s: list[float] = field(default_factory=list)
    """From the kill to the first successful act afterwards."""


async def _until_ok(
    client: httpx.AsyncClient, method: str, path: str, seconds: float = 30, **kwargs: object
) -> httpx.Response:
    """Repeat an act until the store answers (it may be restarting)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
            if response.status_code != 503:
                return response
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{method} {path}: the store did not come back")
        await asyncio.sleep(0.05)


def _redis_pid(data_dir: Path) -> int:
    return int((data_dir / "redis" / "redis.pid").read_text().strip())


async def run_trials(base_url: str, data_dir: Path, trials: int, seed: int = 5) -> TrialReport:
    """`data_dir` is the app's FLOORKEEPER_DATA_DIR (its embedded Redis lives there)."""
    rng = random.Random(seed)
    tokens = tokens_for(base_url)
    report = TrialReport()
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(
        base_url=base_url, timeout=30, limits=limits, headers=bearer(tokens.chair)
    ) as client:
        for trial in range(trials):
            meeting_id = f"crash-{seed}-{trial}"
            base = f"/api/meetings/{meeting_id}"
            body = meeting_json(make_meeting(meeting_id, states=REQUESTS_PER_TRIAL))
            secretariat = bearer(tokens.secretariat)
            assert (await _until_ok(client, "PUT", base, json=body, headers=secretariat)).is_success
            assert (await _until_ok(client, "POST", f"{base}/items/panel/start")).is_success
            assert (await _until_ok(client, "POST", f"{base}/floor/open")).is_success

            async def request(n: int, base: str = base) -> tuple[str, httpx.Response | None]:
                delegation_id = f"M{n:03d}"
                try:
                    path = f"{base}/floor/requests"
                    response = await client.post(path, json={"delegation_id": delegation_id})
                except httpx.TransportError:
                    return delegation_id, None
                return delegation_id, response

            pid = _redis_pid(data_dir)
            burst = [asyncio.create_task(request(n)) for n in range(1, REQUESTS_PER_TRIAL + 1)]
            await asyncio.sleep(rng.uniform(0, 0.02))
            os.kill(pid, signal.SIGKILL)
            killed = time.monotonic()
            answers = await asyncio.gather(*burst)
            after = await _until_ok(client, "GET", base)
            report.recovery_s.append(time.monotonic() - killed)
            assert after.status_code == 200, after.text

            acknowledged = {
                d: r.json()["version"] for d, r in answers if r is not None and r.status_code == 201
            }
            report.trials += 1
            report.acknowledged += len(acknowledged)
            report.refused += sum(1 for _, r in answers if r is None or r.status_code == 503)
            record = (await _until_ok(client, "GET", f"{base}/record")).json()
            by_version = {e["v"]: e for e in record}
            line = {r["delegation_id"] for r in after.json()["live"]["floor"]["line"]}
            for delegation_id, version in acknowledged.items():
                entry = by_version.get(version)
                if (
                    entry is None
                    or entry["act"] != "request.add"
                    or entry["details"]["delegation_id"] != delegation_id
                    or delegation_id not in line
                ):
                    report.lost.append(f"{meeting_id}: {delegation_id} v{version}")
            adds = [e["details"]["delegation_id"] for e in record if e["act"] == "request.add"]
            report.doubled += [f"{meeting_id}: {d}" for d in set(adds) if adds.count(d) > 1]
            versions = [e["v"] for e in record]
            assert versions == list(range(1, len(versions) + 1)), "the record has a gap"
    return report
