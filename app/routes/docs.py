"""/docs: Swagger UI from the files that the pinned `swagger-ui-bundle-v2` package ships, so
that the API's page works on a venue's network with no internet (FastAPI's own /docs loads
them from a CDN). The page has no inline script, so it runs under the screens' own
Content-Security-Policy (app/http/headers.py): its start-up is a script file of its own."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS_URL = "/docs/assets"
ASSETS = StaticFiles(directory=Path(str(swagger_ui_path)))

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Floorkeeper API</title>
<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS_URL}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""

START = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis],
});
"""

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    return HTMLResponse(PAGE)


@router.get("/docs/start.js")
async def swagger_ui_start() -> Response:
    return Response(START, media_type="text/javascript")
