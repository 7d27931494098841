"""The overlay page may be framed by any site (a webcast's web graphics tool embeds it) while
keeping every other security header; a setting narrows who may; other screens still refuse."""

from __future__ import annotations

import re

import httpx
import pytest

from app.main import create_app
from app.settings import Settings
from tests.integration.test_headers import assert_secure_headers


async def get(path: str, settings: Settings) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


@pytest.mark.parametrize(
    ("path", "framing"),
    [
        ("/overlay", "*"),
        ("/moderator", "'none'"),
        ("/display", "'none'"),
        ("/overlays", "'none'"),
    ],
)
async def test_the_overlay_alone_may_be_framed(path: str, framing: str) -> None:
    response = await get(f"{path}?meeting=demo", Settings())
    policy = assert_secure_headers(response, framing=framing)
    if framing == "*":
        assert response.status_code == 200
        assert "x-frame-options" not in response.headers
        assert policy["script-src"] == "'self'"
        assert policy["connect-src"] == "'self'"
        # Nothing inline: the policy would refuse it.
        assert not re.search(r"<script(?![^>]*\bsrc=)", response.text)
        assert "<style" not in response.text


async def test_a_setting_narrows_who_may_frame_the_overlay() -> None:
    settings = Settings(frame_ancestors={"/overlay": "https://webtv.example.org"})
    response = await get("/overlay?meeting=demo", settings)
    assert_secure_headers(response, framing="https://webtv.example.org")
