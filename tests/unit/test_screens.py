"""The registry of screens: each has its folder in web/, its route, and its line in what
`floorkeeper serve` prints; nothing else lists them."""

from __future__ import annotations

import argparse
from pathlib import Path

import httpx
import pytest
import uvicorn

from app import cli
from app.main import create_app
from app.routes.screens import SCREENS
from app.webroot import web_root


def test_each_screen_has_its_page_and_its_entry_module_and_every_page_is_a_screen() -> None:
    web = Path(web_root())
    assert {p.parent.name for p in web.glob("*/index.html")} == {s.name for s in SCREENS}
    for screen in SCREENS:
        page = web / screen.name / "index.html"
        assert page.is_file(), screen.name
        assert f"{screen.name}.js" in page.read_text("utf-8"), screen.name


async def test_each_screen_is_served_and_listed() -> None:
    # No lifespan, so no Redis: the pages and the registry need none.
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://fk") as client:
        for screen in SCREENS:
            page = await client.get(f"/{screen.name}?meeting=demo")
            assert page.status_code == 200, screen.name
            assert f"{screen.name}.js" in page.text
        listed = (await client.get("/api/screens")).json()
    assert [s["name"] for s in listed] == [s.name for s in SCREENS]


def test_serve_prints_every_screen(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    args = argparse.Namespace(demo=False, host="127.0.0.1", port=8123, log_level="warning")
    cli.serve(args)
    printed = capsys.readouterr().out
    for screen in SCREENS:
        assert f"http://localhost:8123/{screen.name}?meeting=demo  {screen.title}" in printed
