"""The four screens: static pages from web/, no build step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

from app.webroot import web_root

WEB = web_root()
SCREENS = ("moderator", "tablet", "display", "chair", "overlay")
EMBEDDABLE: dict[str, str] = {"/overlay": "*"}
"""Pages any site may frame (frame-ancestors): the broadcast overlay, which a webcast's web
graphics tool may embed; read-only, it has nothing to click. FLOORKEEPER_FRAME_ANCESTORS can
narrow it ({"/overlay": "https://webtv.example.org"})."""

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/chair")


def _page(screen: str) -> Callable[[], Awaitable[FileResponse]]:
    async def page() -> FileResponse:
        return FileResponse(WEB / screen / "index.html", headers={"Cache-Control": "no-cache"})

    return page


for _screen in SCREENS:
    router.add_api_route(f"/{_screen}", _page(_screen), methods=["GET"])
