"""Browser tests: Debian's chromium driven by Playwright against the real app (`live_server`).

Each test works on a meeting of its own: a copy of the demo meeting under a fresh id.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

import tests.conftest as shared

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

Size = tuple[int, int]
LAPTOP: Size = (1366, 768)
TABLET: Size = (1024, 768)
PHONE: Size = (390, 844)
HALL: Size = (1920, 1080)

expect.set_options(timeout=10_000)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _staff_tokens(base_url: str) -> Any | None:
    """The secretariat's and a co-facilitator's session tokens, where the app has sign-in."""
    tokens_for = getattr(shared, "tokens_for", None)
    return tokens_for(base_url) if tokens_for is not None else None


@dataclass
class Room:
    """A fresh meeting on the live server, and the acts a test does on it over HTTP."""

    base_url: str
    meeting_id: str
    client: httpx.Client
    staff: Any | None = None
    _codes: list[dict[str, Any]] | None = None
    _sessions: dict[str, str] = field(default_factory=dict)

    def url(self, screen: str, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"meeting": self.meeting_id, **params}.items())
        return f"{self.base_url}/{screen}?{query}"

    def act(self, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        """POST an act of the moderator (a co-facilitator, where sign-in exists)."""
        response = self.client.post(
            f"/api/meetings/{self.meeting_id}{path}", json=body or {}, headers=self.headers()
        )
        assert response.status_code == status, response.text
        return response.json()

    def request_floor(self, delegation_id: str) -> None:
        self.act("/floor/requests", {"delegation_id": delegation_id}, status=201)

    def live(self) -> dict[str, Any]:
        response = self.client.get(f"/api/meetings/{self.meeting_id}")
        assert response.status_code == 200, response.text
        live: dict[str, Any] = response.json()["live"]
        return live

    def headers(self, secretariat: bool = False) -> dict[str, str]:
        if self.staff is None:
            return {}
        token = self.staff.secretariat if secretariat else self.staff.chair
        return {"Authorization": f"Bearer {token}"}

    def session_cookies(self, delegation_id: str | None = None) -> list[dict[str, Any]]:
        """Cookies that sign a browser in as a co-facilitator, or as a delegation with its own
        access code; none where the app has no sign-in."""
        if self.staff is None:
            return []
        token = self.staff.chair if delegation_id is None else self._delegation_token(delegation_id)
        return [{"name": "fk_session", "value": token, "url": self.base_url}]

    def access_code(self, role: str, subject: str | None = None) -> str:
        """The meeting's access code for a role (and a delegation or speaker), as printed on
        the secretariat's sheet."""
        if self._codes is None:  # issuing is idempotent: a meeting's codes stay as issued
            codes = self.client.post(
                f"/api/meetings/{self.meeting_id}/access/codes",
                headers=self.headers(secretariat=True),
            )
            assert codes.status_code == 200, codes.text
            self._codes = codes.json()
        for info in self._codes:
            named = str(info["subject"]).split(":", 1)[-1] if subject else None
            if info["role"] == role and (subject is None or named == subject):
                code: str = info["code"]
                return code
        raise AssertionError(f"no access code for {role} {subject or ''}")

    def _delegation_token(self, delegation_id: str) -> str:
        if delegation_id in self._sessions:
            return self._sessions[delegation_id]
        code = self.access_code("delegation", delegation_id)
        session = self.client.post(
            "/api/session", json={"code": code, "meeting_id": self.meeting_id}
        )
        assert session.status_code == 201, session.text
        token: str = session.json()["token"]
        self._sessions[delegation_id] = token
        return token


def copy_demo(client: httpx.Client, meeting_id: str, headers: dict[str, str]) -> None:
    response = client.get("/api/meetings/demo")
    if response.status_code == 404:  # an app started without --demo: load the seed's meeting
        from app.demo import demo_meeting
        from app.meetings.store import meeting_codec

        document = meeting_codec.dump_python(demo_meeting(), mode="json")
    else:
        assert response.status_code == 200, response.text
        document = response.json()["meeting"]
    document["id"] = meeting_id
    put = client.put(f"/api/meetings/{meeting_id}", json=document, headers=headers)
    assert put.status_code == 200, put.text


def squeeze_item(room: Room, item_id: str = "d1-panel1") -> tuple[str, str]:
    """Replace the room's programme with `item_id` alone, scheduled today in the venue's time
    zone from 40 minutes ago to 20 minutes from now: taken up now, it runs late, and a long
    line of requests cannot be heard in it. Around midnight, where no such slot fits in one
    day, it is scheduled to have ended earlier instead. Returns its local start and end."""
    document = room.client.get(f"/api/meetings/{room.meeting_id}").json()["meeting"]
    now = datetime.now(ZoneInfo(document["timezone"])).replace(second=0, microsecond=0)
    start, end = now - timedelta(minutes=40), now + timedelta(minutes=20)
    if start.date() != end.date():
        day = (now - timedelta(hours=2)).date()
        start, end = datetime.combine(day, time(21, 0)), datetime.combine(day, time(22, 0))
    item = next(i for d in document["days"] for i in d["items"] if i["id"] == item_id)
    item.update(start=start.strftime("%H:%M"), end=end.strftime("%H:%M"))
    document["days"] = [{"date": start.date().isoformat(), "items": [item]}]
    put = room.client.put(
        f"/api/meetings/{room.meeting_id}", json=document, headers=room.headers(secretariat=True)
    )
    assert put.status_code == 200, put.text
    return item["start"], item["end"]


@pytest.fixture
def room(live_server: Any) -> Iterator[Room]:
    base_url: str = live_server.base_url
    with httpx.Client(base_url=base_url, timeout=10) as client:
        room = Room(base_url, f"t-{uuid.uuid4().hex[:10]}", client, _staff_tokens(base_url))
        copy_demo(client, room.meeting_id, room.headers(secretariat=True))
        yield room


@dataclass
class Screens:
    """Opens the screens of a room, each in a browser context of its own (its own storage,
    as on separate devices), and fails the test on any uncaught script error."""

    browser: Browser
    room: Room
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(
        self,
        screen: str,
        size: Size,
        *,
        init_script: str | None = None,
        signed_in_as: str | None = None,
        anonymous: bool = False,
        fragment: str = "",
        **params: str,
    ) -> Page:
        """`signed_in_as`: a delegation id for a tablet; staff screens sign in as a
        co-facilitator unless `anonymous`."""
        context = self.browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.contexts.append(context)
        if (screen in ("moderator", "chair") and not anonymous) or signed_in_as is not None:
            cookies = self.room.session_cookies(signed_in_as)
            if cookies:
                context.add_cookies(cookies)  # type: ignore[arg-type]
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{screen}: {error}"))
        page.goto(self.room.url(screen, **params) + fragment)
        page.wait_for_function("() => window.floorkeeper !== undefined")
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def screens(browser: Browser, room: Room) -> Iterator[Screens]:
    opened = Screens(browser, room)
    yield opened
    opened.close()
    assert not opened.errors, opened.errors


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def wait_synced(page: Page) -> None:
    """Until the screen has measured its offset to the server clock and holds the live state."""
    page.wait_for_function(
        "() => window.floorkeeper.conn?.clock.synced && window.floorkeeper.conn.live !== null"
    )


def countdown_reading(page: Page, testid: str = "countdown") -> tuple[int, int, str]:
    """(remaining ms, real instant of that reading in ms, phase) as the screen last painted."""
    data: dict[str, str] = page.get_by_test_id(testid).evaluate(
        "el => ({r: el.dataset.remainingMs, at: el.dataset.readAt, phase: el.dataset.phase})"
    )
    return int(data["r"]), int(data["at"]), data["phase"]


def choose_delegation(tablet: Page, typed: str, delegation_id: str) -> None:
    """Pick the tablet's delegation in its picker, where it asks: a tablet signed in with a
    delegation's access code knows it already."""
    chosen = tablet.get_by_test_id("tablet-delegation")
    picker = tablet.get_by_test_id("picker")
    expect(
        tablet.locator("[data-testid=picker]:visible, [data-testid=tablet-main]:visible")
    ).to_be_visible()
    if picker.is_visible():
        tablet.get_by_test_id("picker-search").fill(typed)
        options = tablet.get_by_test_id("picker-option")
        expect(options.first).to_have_attribute("data-id", delegation_id)
        options.first.click()
    expect(chosen).to_have_attribute("data-id", delegation_id)


LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
TAGS = {"ar": "ar", "zh": "zh-Hans", "en": "en-GB", "fr": "fr", "ru": "ru", "es": "es"}
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

AXE_RUN = """
async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.help}: ` +
      v.nodes.slice(0, 3).map(n => `${n.target.join(' ')} ${n.failureSummary}`).join(' | '));
}
"""


def axe_violations(page: Page) -> list[str]:
    """The serious and critical accessibility violations axe-core finds on the page as it is
    now (contrast included)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated by the driver, not as an inline <script> that the page's policy refuses.
        page.evaluate(f"() => {{ {AXE.read_text()}\n}}")
    found: list[str] = page.evaluate(AXE_RUN)
    return found


def wait_language(page: Page, lang: str) -> None:
    """Until the page speaks `lang` (its catalogue loaded and its words put in)."""
    expect(page.locator("html")).to_have_attribute("lang", TAGS[lang])


def choose_language(page: Page, lang: str) -> None:
    """Choose `lang` in the screen's visible language switch."""
    page.get_by_test_id("language-select").select_option(lang)
    wait_language(page, lang)
