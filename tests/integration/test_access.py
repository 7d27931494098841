"""Who may do what, on the running app: every API operation × every role, as the policy
table (app/access/policy.py, printed in the README) says; codes, revocation, lockout."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from websockets.asyncio.client import connect

from app.access.lockout import DEVICE_MAX
from app.access.policy import PERMISSIONS, Permission, Role
from app.access.service import FLOOR_REQUESTS_MAX, FLOOR_REQUESTS_WINDOW_S
from app.domain.acts import Act
from app.main import create_app
from app.programme import dump_programme
from tests.conftest import AppServer, Tokens, bearer, sign_in
from tests.factories import make_meeting
from tests.integration.helpers import meeting_json, put_meeting, recv_json

M = "acl"
OTHER = "acl-other"

# Every HTTP operation of the API and the permission that guards it. A route missing here
# fails `test_every_operation_is_in_the_matrix`.
OPERATIONS: list[tuple[str, str, Act | Permission, object]] = [
    ("GET", "/api/meetings", Permission.READ_MEETING, None),
    ("GET", "/api/meetings/{m}", Permission.READ_MEETING, None),
    ("PUT", "/api/meetings/{m}", Act.PUT_MEETING, "MEETING"),
    ("GET", "/api/meetings/{m}/names", Permission.READ_MEETING, None),
    ("GET", "/api/meetings/{m}/names/aliases", Permission.READ_MEETING, None),
    ("GET", "/api/meetings/{m}/programme", Permission.READ_MEETING, None),
    ("PUT", "/api/meetings/{m}/programme", Act.PUT_MEETING, "PROGRAMME"),
    ("GET", "/api/meetings/{m}/timetable", Permission.READ_MEETING, None),
    ("GET", "/api/meetings/{m}/record", Permission.READ_RECORD, None),
    ("POST", "/api/meetings/{m}/floor/open", Act.OPEN_FLOOR, None),
    ("POST", "/api/meetings/{m}/floor/close", Act.CLOSE_FLOOR, None),
    ("POST", "/api/meetings/{m}/floor/requests", Act.REQUEST_FLOOR, {"delegation_id": "M001"}),
    ("DELETE", "/api/meetings/{m}/floor/requests/M001", Act.WITHDRAW_REQUEST, None),
    ("POST", "/api/meetings/{m}/floor/requests/M001/remove", Act.REMOVE_REQUEST, None),
    ("POST", "/api/meetings/{m}/floor/requests/M001/move", Act.MOVE_REQUEST, {"place": 1}),
    ("POST", "/api/meetings/{m}/floor/requests/M001/defer", Act.DEFER_REQUEST, None),
    ("POST", "/api/meetings/{m}/floor/next", Act.CALL_NEXT, None),
    ("POST", "/api/meetings/{m}/floor/give", Act.GIVE_FLOOR, {"speaker_id": "p-a"}),
    ("POST", "/api/meetings/{m}/floor/end", Act.END_INTERVENTION, None),
    ("POST", "/api/meetings/{m}/floor/segment", Act.SWITCH_SEGMENT, {}),
    ("POST", "/api/meetings/{m}/items/panel/start", Act.START_ITEM, None),
    ("POST", "/api/meetings/{m}/timer/start", Act.START_TIMER, None),
    ("POST", "/api/meetings/{m}/timer/pause", Act.PAUSE_TIMER, None),
    ("POST", "/api/meetings/{m}/timer/resume", Act.RESUME_TIMER, None),
    ("POST", "/api/meetings/{m}/timer/reset", Act.RESET_TIMER, None),
    ("POST", "/api/meetings/{m}/timer/adjust", Act.ADJUST_TIMER, {"delta_s": 30}),
    ("GET", "/api/meetings/{m}/record/interventions.csv", Permission.READ_RECORD, None),
    ("GET", "/api/meetings/{m}/record/interventions.json", Permission.READ_RECORD, None),
    ("GET", "/api/meetings/{m}/record/summary.json", Permission.READ_RECORD, None),
    ("GET", "/api/meetings/{m}/record/summary.svg", Permission.READ_RECORD, None),
    ("GET", "/api/meetings/{m}/items/panel/summary", Permission.READ_RECORD, None),
    ("GET", "/api/meetings/{m}/access/codes", Permission.MANAGE_ACCESS, None),
    ("POST", "/api/meetings/{m}/access/codes", Permission.MANAGE_ACCESS, None),
    ("POST", "/api/meetings/{m}/access/codes/panelist:p-b/reissue", Permission.MANAGE_ACCESS, None),
    ("DELETE", "/api/meetings/{m}/access/codes/panelist:p-c", Permission.MANAGE_ACCESS, None),
    ("GET", "/api/meetings/{m}/access/sheet", Permission.MANAGE_ACCESS, None),
    ("GET", "/api/access/chair", Permission.MANAGE_ACCESS, None),
    ("POST", "/api/access/chair", Permission.MANAGE_ACCESS, None),
]
OPEN_TO_ALL = {("GET", "/healthz"), ("GET", "/api/time"), ("GET", "/api/session")}
OPEN_TO_ALL |= {("POST", "/api/session"), ("DELETE", "/api/session")}


def _template(path: str) -> str:
    for name in ("meeting_id", "delegation_id", "item_id", "subject"):
        path = path.replace("{" + name + "}", "*")
    return path


def test_every_operation_is_in_the_matrix() -> None:
    schema = create_app().openapi()
    routes = {(m.upper(), _template(p)) for p, ops in schema["paths"].items() for m in ops}
    listed = {
        (method, _template(path.replace("{m}", "*")).replace("M001", "*").replace("panel/", "*/"))
        for method, path, _, _ in OPERATIONS
    }
    listed = {(m, p.replace("panelist:p-b", "*").replace("panelist:p-c", "*")) for m, p in listed}
    unlisted = {r for r in routes if r not in listed and r not in OPEN_TO_ALL}
    assert unlisted == set()


@pytest.fixture(scope="module")
def codes(live_server: AppServer, tokens: Tokens) -> dict[str, str]:
    """Meetings `acl` and `acl-other`, and the codes of `acl` by subject."""
    base = live_server.base_url
    asyncio.run(_put_both(base))
    issued = httpx.post(
        f"{base}/api/meetings/{M}/access/codes", headers=bearer(tokens.secretariat), timeout=10
    ).json()
    return {c["subject"]: c["code"] for c in issued}


@pytest.fixture(scope="module")
def actors(live_server: AppServer, tokens: Tokens, codes: dict[str, str]) -> dict[Role, str | None]:
    """A session token per role for meeting `acl` (None: the public, signed in as nobody)."""
    base, code = live_server.base_url, codes
    return {
        Role.SECRETARIAT: tokens.secretariat,
        Role.CHAIR: tokens.chair,
        Role.MODERATOR: sign_in(base, code["moderator"], M),
        Role.PANELIST: sign_in(base, code["panelist:p-a"], M),
        Role.DELEGATION: sign_in(base, code["delegation:M001"], M),
        Role.DISPLAY: sign_in(base, code["display"], M),
        Role.PUBLIC: None,
    }


async def _put_both(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for meeting_id in (M, OTHER):
            await put_meeting(client, make_meeting(meeting_id))


@pytest.fixture
async def client(live_server: AppServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as c:
        yield c


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "permission", "body"), OPERATIONS)
async def test_authorization_matrix(
    client: httpx.AsyncClient,
    actors: dict[Role, str | None],
    role: Role,
    method: str,
    path: str,
    permission: Act | Permission,
    body: object,
) -> None:
    token = actors[role]
    headers = bearer(token) if token else {}
    if body == "MEETING":
        body = meeting_json(make_meeting(M))
    if body == "PROGRAMME":
        text = dump_programme(make_meeting(M))
        headers |= {"Content-Type": "application/yaml"}
        response = await client.request(method, path.format(m=M), content=text, headers=headers)
    else:
        response = await client.request(method, path.format(m=M), json=body, headers=headers)
    allowed = role in PERMISSIONS[permission]
    if allowed:
        assert response.status_code not in (401, 403), response.text
        assert response.status_code < 500, response.text
    else:
        assert response.status_code == (401 if role is Role.PUBLIC else 403), response.text
        assert response.json()["message"]


async def test_a_delegation_acts_only_for_itself_and_a_moderator_only_in_its_meeting(
    client: httpx.AsyncClient, actors: dict[Role, str | None], tokens: Tokens
) -> None:
    await client.post(f"/api/meetings/{M}/floor/open", headers=bearer(tokens.chair))
    delegation = bearer(actors[Role.DELEGATION] or "")
    other = await client.post(
        f"/api/meetings/{M}/floor/requests", json={"delegation_id": "M002"}, headers=delegation
    )
    assert other.status_code == 403
    assert other.json()["message"] == "a delegation may act only for itself"
    assert other.json()["reason"] == "own_delegation_only"
    withdraw = await client.delete(f"/api/meetings/{M}/floor/requests/M002", headers=delegation)
    assert withdraw.status_code == 403
    moderator = bearer(actors[Role.MODERATOR] or "")
    elsewhere = await client.post(f"/api/meetings/{OTHER}/floor/open", headers=moderator)
    assert elsewhere.status_code == 403
    assert elsewhere.json()["message"] == "your access code is for another meeting"


async def test_a_tablet_that_keeps_asking_is_slowed_down_and_told_for_how_long(
    live_server: AppServer, client: httpx.AsyncClient, codes: dict[str, str], tokens: Tokens
) -> None:
    await client.post(f"/api/meetings/{M}/floor/open", headers=bearer(tokens.chair))
    tablet = bearer(sign_in(live_server.base_url, codes["delegation:M005"], M))
    path = f"/api/meetings/{M}/floor/requests"
    answers = []
    for _ in range(FLOOR_REQUESTS_MAX + 1):
        answers.append(await client.post(path, json={"delegation_id": "M005"}, headers=tablet))
        await client.delete(f"{path}/M005", headers=tablet)
    assert [r.status_code for r in answers] == [201] * FLOOR_REQUESTS_MAX + [429]
    refused = answers[-1].json()
    assert refused["reason"] == "too_many_requests"
    assert 1 <= refused["params"]["seconds"] <= FLOOR_REQUESTS_WINDOW_S
    assert f"try again in {refused['params']['seconds']} s" in refused["message"]
    # Only tablets are slowed down: the moderator may still put the delegation in the line.
    other = await client.post(path, json={"delegation_id": "M005"}, headers=bearer(tokens.chair))
    assert other.status_code == 201


async def test_a_revoked_code_stops_at_once_even_on_an_open_websocket(
    live_server: AppServer, client: httpx.AsyncClient, tokens: Tokens, codes: dict[str, str]
) -> None:
    secretariat = bearer(tokens.secretariat)
    code = codes["delegation:M003"]
    token = sign_in(live_server.base_url, code, M)
    async with connect(
        f"{live_server.ws_url}/ws/meetings/{M}", additional_headers=bearer(token)
    ) as ws:
        assert (await recv_json(ws))["type"] == "meeting"
        revoked = await client.delete(
            f"/api/meetings/{M}/access/codes/delegation:M003", headers=secretariat
        )
        assert revoked.status_code == 204
        while (message := await recv_json(ws))["type"] != "error":
            pass
        assert message["message"] == "your access code was revoked"
        await ws.wait_closed()
        assert ws.close_code == 4401
    session = await client.get("/api/session", headers=bearer(token))
    assert session.json()["role"] == "public"
    refused = await client.post(
        f"/api/meetings/{M}/floor/requests", json={"delegation_id": "M003"}, headers=bearer(token)
    )
    assert refused.status_code == 401
    again = await client.post("/api/session", json={"code": code, "meeting_id": M})
    assert again.status_code == 401


async def test_a_code_guesser_is_locked_out_and_the_real_delegation_is_not(
    live_server: AppServer, codes: dict[str, str]
) -> None:
    real = codes["delegation:M004"]
    guesser = httpx.AsyncHTTPTransport(local_address="127.0.0.3")
    async with httpx.AsyncClient(base_url=live_server.base_url, transport=guesser) as device:
        statuses = [
            (await device.post("/api/session", json={"code": f"ABCD-EF{n:02d}", "meeting_id": M}))
            for n in range(DEVICE_MAX + 2)
        ]
        assert {r.status_code for r in statuses[:DEVICE_MAX]} == {401}
        assert statuses[-1].status_code == 429
        assert "too many wrong codes" in statuses[-1].json()["message"]
        locked = await device.post("/api/session", json={"code": real, "meeting_id": M})
        assert locked.status_code == 429
    tablet = httpx.AsyncHTTPTransport(local_address="127.0.0.4")
    async with httpx.AsyncClient(base_url=live_server.base_url, transport=tablet) as device:
        signed_in = await device.post("/api/session", json={"code": real, "meeting_id": M})
        assert signed_in.status_code == 201
        assert signed_in.json()["subject"] == "M004"
        assert "fk_session" in signed_in.cookies


async def test_codes_are_typeable_and_the_sheet_has_qr_codes(
    client: httpx.AsyncClient, tokens: Tokens, codes: dict[str, str]
) -> None:
    secretariat = bearer(tokens.secretariat)
    listed = (await client.get(f"/api/meetings/{M}/access/codes", headers=secretariat)).json()
    subjects = {entry["subject"] for entry in listed}
    assert {"moderator", "display", "delegation:M001", "panelist:p-a"} <= subjects
    for entry in listed:
        assert len(entry["code"]) == 9
        assert not set(entry["code"]) & set("01OIL")
    sheet = await client.get(f"/api/meetings/{M}/access/sheet", headers=secretariat)
    assert sheet.status_code == 200
    assert sheet.text.count("<svg") == len(listed)
    assert all(entry["code"] in sheet.text for entry in listed)
