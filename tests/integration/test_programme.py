"""The programme file in and out of a running meeting: through the API and through the
command line, round trips of the seed's programme, and malformed files refused with the place
of each problem."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import AsyncIterator
from importlib.resources import files
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from app.programme import dump_programme, load_programme
from tests.conftest import ROOT, AppServer, RedisServer, Tokens, app_env, bearer
from tests.integration.helpers import recv_json, recv_until

YAML = {"Content-Type": "application/yaml"}

# Two problems: Panel 1 ends before it starts; a turn names a speaker who does not exist.
BROKEN = [
    ('        end: "13:00"\n        moderator_id: mod-swe', 'end: "10:00"', 'end: "13:00"'),
    ("speaker_id: p1-b}", "speaker_id: p1-x}", "speaker_id: p1-b}"),
]


def seed_programme(meeting_id: str) -> str:
    """The seed's programme file as shipped, with its id changed (the live demo keeps its own)."""
    text = files("app.demo").joinpath("programme.yaml").read_text(encoding="utf-8")
    renamed, count = re.subn(r"^id: demo$", f"id: {meeting_id}", text, flags=re.MULTILINE)
    assert count == 1
    return renamed


def broken_programme(meeting_id: str) -> str:
    text = seed_programme(meeting_id)
    for where, new, old in BROKEN:
        assert where in text
        text = text.replace(where, where.replace(old, new), 1)
    return text


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.fixture
async def client(live_server: AppServer, tokens: Tokens) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=live_server.base_url, timeout=30, headers=bearer(tokens.secretariat)
    ) as c:
        yield c


async def test_the_seed_programme_round_trips_through_the_api(client: httpx.AsyncClient) -> None:
    seed = seed_programme("rt-api")
    expected = dump_programme(load_programme(seed))

    put = await client.put("/api/meetings/rt-api/programme", content=seed, headers=YAML)
    assert put.status_code == 200, put.text
    exported = await client.get("/api/meetings/rt-api/programme")

    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/yaml")
    assert exported.text == expected
    assert load_programme(exported.text) == load_programme(seed)
    again = await client.put(
        "/api/meetings/rt-api/programme",
        content=exported.text.encode(),
        headers={"Content-Type": "text/yaml; charset=utf-8"},
    )
    assert again.json() == {"id": "rt-api", "version": put.json()["version"] + 1}
    assert (await client.get("/api/meetings/rt-api/programme")).text == expected
    snapshot = (await client.get("/api/meetings/rt-api")).json()
    assert [day["date"] for day in snapshot["meeting"]["days"]] == ["2017-06-19", "2017-06-20"]
    assert snapshot["meeting"]["room"] == "Room XIX"


async def test_anyone_may_read_the_programme_file(live_server: AppServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.base_url) as public:
        response = await public.get("/api/meetings/demo/programme")

    assert response.status_code == 200
    assert "roster:\n  member_states: un\n" in response.text


async def test_a_malformed_programme_is_refused_with_every_problem_and_its_line(
    client: httpx.AsyncClient,
) -> None:
    text = broken_programme("rt-broken")

    response = await client.put("/api/meetings/rt-broken/programme", content=text, headers=YAML)

    assert response.status_code == 422
    body = response.json()
    end, speaker = line_of(text, 'end: "10:00"'), line_of(text, "speaker_id: p1-x}")
    assert body["problems"] == [
        f'days[0].items[1].end (line {end}): "10:00" is not after the start "10:15"',
        f'days[0].items[1].turns[2].speaker_id (line {speaker}): "p1-x" is not the id of '
        "any speaker",
    ]
    assert body["error"] == "invalid"
    assert all(problem in body["message"] for problem in body["problems"])
    assert (await client.get("/api/meetings/rt-broken")).status_code == 404


@pytest.mark.parametrize(
    ("content", "headers", "status", "message"),
    [
        pytest.param(
            seed_programme("other"),
            YAML,
            422,
            'id (line 6): this file is the programme of "other", not of "rt-refused"',
            id="another meeting's file",
        ),
        pytest.param(
            b"id: rt-refused\ntitle: \xff\n",
            YAML,
            422,
            "byte 23: the file is not UTF-8 text",
            id="not UTF-8",
        ),
        pytest.param(
            "id: rt-refused\ntitle: [\n",
            YAML,
            422,
            "line 3, column 1: the file is not valid YAML",
            id="not YAML",
        ),
        pytest.param(
            '{"id": "rt-refused"}',
            {"Content-Type": "application/json"},
            415,
            "Content-Type: application/yaml",
            id="sent as JSON",
        ),
        pytest.param(
            "#" * (2 * 1024 * 1024 + 1),
            YAML,
            413,
            "at most 2097152 bytes",
            id="too large",
        ),
    ],
)
async def test_a_programme_that_cannot_be_read_is_refused(
    client: httpx.AsyncClient,
    content: str | bytes,
    headers: dict[str, str],
    status: int,
    message: str,
) -> None:
    response = await client.put(
        "/api/meetings/rt-refused/programme", content=content, headers=headers
    )

    assert response.status_code == status
    assert message in response.json()["message"]
    assert (await client.get("/api/meetings/rt-refused")).status_code == 404


def floorkeeper(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command line, as an operator types it."""
    env = app_env()
    if data_dir is not None:
        env["FLOORKEEPER_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_the_seed_programme_round_trips_through_the_command_line_into_the_running_app(
    live_server: AppServer, redis_server: RedisServer, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    store = ("--redis-url", redis_server.url(db=0))
    seed = tmp_path / "seed.yaml"
    seed.write_text(seed_programme("rt-cli"), "utf-8")

    imported = floorkeeper("programme", "import", str(seed), "--meeting", "rt-cli", *store)
    assert imported.returncode == 0, imported.stderr
    assert "imported as meeting rt-cli (version 1)" in imported.stdout
    exported = tmp_path / "exported.yaml"
    done = floorkeeper("programme", "export", "--meeting", "rt-cli", "-o", str(exported), *store)
    assert done.returncode == 0, done.stderr

    expected = dump_programme(load_programme(seed.read_text("utf-8")))
    assert exported.read_text("utf-8") == expected
    assert (await client.get("/api/meetings/rt-cli/programme")).text == expected
    # Imported again, the change is versioned and reaches the screens of the running app.
    async with connect(f"{live_server.ws_url}/ws/meetings/rt-cli") as ws:
        assert (await recv_json(ws))["version"] == 1
        again = floorkeeper("programme", "import", str(exported), "--meeting", "rt-cli", *store)
        assert again.returncode == 0, again.stderr
        message = await recv_until(ws, "meeting", 2)
    assert message["meeting"]["id"] == "rt-cli"
    entries = (await client.get("/api/meetings/rt-cli/record")).json()
    assert [(e["v"], e["act"], e["by"]) for e in entries] == [
        (1, "meeting.put", "secretariat:cli"),
        (2, "meeting.put", "secretariat:cli"),
    ]
    to_stdout = floorkeeper("programme", "export", "--meeting", "rt-cli", *store)
    assert to_stdout.stdout == expected


def test_the_command_line_refuses_a_malformed_programme_with_each_place(tmp_path: Path) -> None:
    text = broken_programme("rt-cli-broken")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, "utf-8")
    # No store is needed, or touched, to be told what is wrong with a file.
    nowhere = ("--redis-url", f"unix://{tmp_path}/no-redis.sock")

    refused = floorkeeper(
        "programme", "import", str(broken), "--meeting", "rt-cli-broken", *nowhere
    )

    assert refused.returncode == 1
    assert refused.stdout == ""
    end = line_of(text, 'end: "10:00"')
    assert f'{broken}: days[0].items[1].end (line {end}): "10:00" is not after' in refused.stderr
    assert f"{broken}: days[0].items[1].turns[2].speaker_id (line " in refused.stderr
    assert f"floorkeeper: {broken} was not imported: 2 problems" in refused.stderr


def test_the_command_line_says_when_there_is_no_such_meeting_or_no_store(tmp_path: Path) -> None:
    nowhere = ("--redis-url", f"unix://{tmp_path}/no-redis.sock")
    seed = tmp_path / "seed.yaml"
    seed.write_text(seed_programme("rt-nowhere"), "utf-8")

    unreachable = floorkeeper("programme", "import", str(seed), "--meeting", "rt-nowhere", *nowhere)
    missing_file = floorkeeper("programme", "import", str(tmp_path / "nope.yaml"), "--meeting", "x")

    assert unreachable.returncode == 1
    assert "floorkeeper: the meeting store cannot be reached" in unreachable.stderr
    assert missing_file.returncode == 1
    assert "cannot read" in missing_file.stderr


def test_without_a_server_the_command_line_uses_the_embedded_store(tmp_path: Path) -> None:
    """`floorkeeper programme import` before `floorkeeper serve`: the file is kept in the data
    directory the server will open."""
    seed = tmp_path / "seed.yaml"
    seed.write_text(seed_programme("rt-offline"), "utf-8")
    data = tmp_path / "var"

    imported = floorkeeper(
        "programme", "import", str(seed), "--meeting", "rt-offline", data_dir=data
    )
    exported = floorkeeper("programme", "export", "--meeting", "rt-offline", data_dir=data)
    missing = floorkeeper("programme", "export", "--meeting", "elsewhere", data_dir=data)

    assert imported.returncode == 0, imported.stderr
    assert exported.stdout == dump_programme(load_programme(seed.read_text("utf-8")))
    assert missing.returncode == 1
    assert "floorkeeper: there is no meeting 'elsewhere'" in missing.stderr
    assert (data / "redis" / "appendonly.aof").exists()
    assert not (data / "redis" / "redis.pid").exists()  # stopped after each command
