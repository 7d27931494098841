"""The screens: static pages from web/, no build step. A new screen is one entry of `SCREENS`
and its folder web/<name>/ (index.html and its entry module): the route serving it, the list
`floorkeeper serve` prints and GET /api/screens follow from here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

from app.webroot import web_root

WEB = web_root()


@dataclass(frozen=True, slots=True)
class Screen:
    name: str
    """Its folder in web/ and its path: /<name>?meeting=<id>."""
    title: str
    """What it is, in English, for the list `floorkeeper serve` prints."""


SCREENS = (
    Screen("moderator", "the moderator's console"),
    Screen("tablet", "a delegation's tablet"),
    Screen("display", "the hall display"),
    Screen("chair", "the co-facilitators' overview"),
    Screen("overlay", "the webcast's overlay"),
)
EMBEDDABLE: dict[str, str] = {"/overlay": "*"}
"""Pages any site may frame (frame-ancestors): the broadcast overlay, which a webcast's web
graphics tool may embed; read-only, it has nothing to click. FLOORKEEPER_FRAME_ANCESTORS can
narrow it ({"/overlay": "https://webtv.example.org"})."""

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/chair")


@router.get("/api/screens")
async def screens() -> list[dict[str, Any]]:
    """The registry, for pages that list the screens."""
    return [asdict(screen) for screen in SCREENS]


def _page(screen: str) -> Callable[[], Awaitable[FileResponse]]:
    async def page() -> FileResponse:
        return FileResponse(WEB / screen / "index.html", headers={"Cache-Control": "no-cache"})

    return page


for _screen in SCREENS:
    router.add_api_route(f"/{_screen.name}", _page(_screen.name), methods=["GET"])
