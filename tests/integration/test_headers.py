"""Security headers on every page and answer of the running app: its screens, their scripts
and styles, API answers and refusals, the printable pages, and the path that is not there."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest

from app.main import create_app
from app.settings import Settings
from tests.conftest import AppServer, Tokens, bearer

SCREENS = ("moderator", "tablet", "display", "chair")


def directives(response: httpx.Response) -> dict[str, str]:
    """The Content-Security-Policy as directive -> sources; fails where it is missing."""
    policy = response.headers.get("content-security-policy")
    assert policy, f"{response.request.url}: no Content-Security-Policy"
    parsed = {}
    for part in policy.split(";"):
        name, _, sources = part.strip().partition(" ")
        parsed[name] = sources
    return parsed


def assert_secure_headers(response: httpx.Response, framing: str = "'none'") -> dict[str, str]:
    where = response.request.url
    assert response.headers.get("referrer-policy") == "no-referrer", where
    assert response.headers.get("x-content-type-options") == "nosniff", where
    policy = directives(response)
    assert policy["frame-ancestors"] == framing, where
    assert policy["object-src"] == "'none'", where
    for directive in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive], f"{where}: {directive}"
        assert "'unsafe-eval'" not in policy[directive], f"{where}: {directive}"
    if framing == "'none'":
        assert response.headers.get("x-frame-options") == "DENY", where
    return policy


def test_every_screen_and_what_it_loads_carry_the_headers(live_server: AppServer) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=10) as client:
        for screen in SCREENS:
            page = client.get(f"/{screen}?meeting=demo")
            assert page.status_code == 200
            policy = assert_secure_headers(page)
            assert policy["script-src"] == "'self'"
            assert policy["style-src"] == "'self'"
            assert policy["connect-src"] == "'self'"  # fetch and the websocket, same host
            # Nothing inline for the policy to refuse: scripts and styles are files.
            assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), screen
            assert "<style" not in page.text, screen
            assert " style=" not in page.text, screen
            for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
                loaded = client.get(asset)
                assert loaded.status_code == 200, asset
                assert_secure_headers(loaded)
        for path in ("/static/i18n/fr.json", "/static/shared/ws.js", "/healthz", "/api/meetings"):
            answer = client.get(path)
            assert answer.status_code == 200, path
            assert_secure_headers(answer)


def test_refusals_and_unknown_paths_carry_them_too(live_server: AppServer) -> None:
    with httpx.Client(base_url=live_server.base_url, timeout=10) as client:
        for response in (
            client.get("/no-such-page"),
            client.get("/static/no-such-file.js"),
            client.post("/api/session", json={"code": "nonsense"}),
            client.put("/api/meetings/demo", content=b"{not json"),
            client.post("/api/meetings/demo/floor/open"),
        ):
            assert response.status_code >= 400, response.request.url
            assert_secure_headers(response)


def test_the_printable_pages_allow_their_own_style_alone(
    live_server: AppServer, tokens: Tokens
) -> None:
    """The record's summary and the access sheet are saved or printed whole, so each keeps its
    one <style> element: the policy allows that text by its hash, and no script at all."""
    with httpx.Client(base_url=live_server.base_url, timeout=10) as client:
        summary = client.get(
            "/api/meetings/demo/items/d1-panel1/summary", headers=bearer(tokens.chair)
        )
        sheet = client.get("/api/meetings/demo/access/sheet", headers=bearer(tokens.secretariat))
    for page in (summary, sheet):
        assert page.status_code == 200, page.text
        policy = assert_secure_headers(page)
        styles = re.findall(r"<style>(.*?)</style>", page.text, flags=re.S)
        assert len(styles) == 1
        digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
        assert policy["style-src"] == f"'sha256-{digest}'"
        assert policy["script-src"] == "'none'"
        assert "<script" not in page.text


@pytest.mark.parametrize(
    ("path", "framing"),
    [
        ("/display", "https://broadcast.example.org"),
        ("/display/anything", "https://broadcast.example.org"),
        ("/displays", "'none'"),  # a prefix is a path segment, not a string
        ("/moderator", "'none'"),
        ("/no-such-page", "'none'"),
    ],
)
async def test_framing_is_a_setting_per_path(path: str, framing: str) -> None:
    """An overlay page meant to be embedded is named in FLOORKEEPER_FRAME_ANCESTORS with the
    origins that may frame it; every other page still refuses to be framed."""
    settings = Settings(frame_ancestors={"/display": "https://broadcast.example.org"})
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get(path)
    assert_secure_headers(response, framing=framing)
    if framing != "'none'":
        assert "x-frame-options" not in response.headers
