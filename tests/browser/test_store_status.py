"""The server loses its store: every screen says so at its top, in its language, and stops
saying it when the store is back, without a reload."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import HALL, LAPTOP, PHONE, Room, Screens, copy_demo
from tests.conftest import AppServer, RedisServer, app_env, tokens_for

pytestmark = pytest.mark.browser

WEB = Path(__file__).resolve().parents[2] / "web"


def words(lang: str) -> str:
    catalogue = json.loads((WEB / "i18n" / f"{lang}.json").read_text("utf-8"))
    text: str = catalogue["status.store_unreachable"]
    return text


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def own_room(tmp_path: Path, own_redis: RedisServer) -> Iterator[Room]:
    env = app_env(
        REDIS_URL=own_redis.url(),
        FLOORKEEPER_DATA_DIR=str(tmp_path / "data"),
        FLOORKEEPER_REDIS_TIMEOUT_S="1",
    )
    server = AppServer(env=env, demo=False)
    server.log_path = tmp_path / "app.log"
    server.start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=10) as client:
            room = Room(server.base_url, "away", client, tokens_for(server.base_url))
            copy_demo(client, room.meeting_id, room.headers(secretariat=True))
            yield room
    finally:
        server.stop()


def test_every_screen_says_the_store_is_unreachable_and_clears_it_when_back(
    browser: Browser, own_room: Room, own_redis: RedisServer
) -> None:
    opened = Screens(browser, own_room)
    try:
        pages = {
            "moderator": opened.open("moderator", LAPTOP),
            "tablet": opened.open("tablet", PHONE, lang="es"),
            "display": opened.open("display", HALL, lang="fr"),
            "chair": opened.open("chair", LAPTOP, lang="ar"),
        }
        languages = {"moderator": "en", "tablet": "es", "display": "fr", "chair": "ar"}
        for page in pages.values():
            page.wait_for_function("() => document.documentElement.lang !== ''")
            expect(page.get_by_test_id("store-status")).to_have_count(1)
            expect(page.get_by_test_id("store-status")).to_be_hidden()

        own_redis.kill()
        for name, page in pages.items():
            banner = page.get_by_test_id("store-status")
            expect(banner).to_be_visible(timeout=20_000)
            expect(banner).to_have_text(words(languages[name]))

        own_redis.start()  # same directory: the append-only file is read back
        for page in pages.values():
            expect(page.get_by_test_id("store-status")).to_be_hidden(timeout=20_000)
        # The screens still follow the meeting: an act after the store is back reaches them.
        own_room.act("/items/d1-panel1/start")
        expect(pages["display"].get_by_test_id("display-slot")).to_contain_text("Panel")
    finally:
        opened.close()
    assert not opened.errors, opened.errors
