"""/docs works with no internet: Swagger UI's files are served by the app itself, under the
screens' Content-Security-Policy (no inline script)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Route, expect

from tests.browser.conftest import LAPTOP


def test_the_api_page_draws_every_operation_with_nothing_from_outside(
    browser: Browser, live_server: Any
) -> None:
    base_url: str = live_server.base_url
    outside: list[str] = []

    def only_the_app(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": LAPTOP[0], "height": LAPTOP[1]})
    try:
        context.route("**/*", only_the_app)
        page = context.new_page()
        refused: list[str] = []
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(f"{base_url}/docs")
        operation = page.locator(".opblock-summary-path", has_text="/api/meetings/{meeting_id}")
        expect(operation.first).to_be_visible()
        expect(page.locator(".opblock").nth(20)).to_be_visible()
        assert outside == []
        assert refused == []
    finally:
        context.close()
