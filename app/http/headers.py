"""Security headers on every HTTP answer: pages, scripts, API answers, errors and 404s.

The screens load only their own files: no inline script or style (the Content-Security-Policy
below forbids both), websockets to the same origin. No page may be framed by another site
(`frame-ancestors 'none'`) except the paths named in `framing`, each with the origins that may
frame it: an overlay page meant to be embedded in a broadcast gets a line there (or in
FLOORKEEPER_FRAME_ANCESTORS) and nothing else changes. HSTS is the proxy's: it alone knows
the answer went out over HTTPS (deploy/nginx.conf)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # the screens' empty favicon is a data: URL
    "connect-src": "'self'",  # fetch and the meeting's websocket, same host
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

COMMON: tuple[tuple[str, str], ...] = (
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
)


def content_security_policy(policy: Mapping[str, str]) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


def self_contained_page(css: str) -> dict[str, str]:
    """The policy of a page meant to be saved or printed whole (the record's summary, the
    access sheet), whose one <style> element holds `css`: that exact text is allowed by its
    hash, and no other inline style nor any script. The middleware keeps it and adds the rest."""
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    policy = POLICY | {"script-src": "'none'", "style-src": f"'sha256-{digest}'"}
    return {"Content-Security-Policy": content_security_policy(policy)}


def headers_for(policy: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    headers = [(k.encode(), v.encode()) for k, v in COMMON]
    headers.append((b"content-security-policy", content_security_policy(policy).encode()))
    if policy["frame-ancestors"] == "'none'":  # for browsers older than frame-ancestors
        headers.append((b"x-frame-options", b"DENY"))
    return headers


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


class SecurityHeaders:
    """ASGI middleware. `framing`: path prefix -> the sources of its frame-ancestors
    (for example {"/overlay": "https://broadcast.example.org"}); the longest prefix wins."""

    def __init__(self, app: ASGIApp, framing: Mapping[str, str] | None = None) -> None:
        self.app = app
        by_prefix = {
            prefix: POLICY | {"frame-ancestors": sources}
            for prefix, sources in (framing or {}).items()
        }
        self.default = headers_for(POLICY)
        self.by_prefix = sorted(
            ((prefix, headers_for(policy)) for prefix, policy in by_prefix.items()),
            key=lambda entry: len(entry[0]),
            reverse=True,
        )

    def headers(self, path: str) -> list[tuple[bytes, bytes]]:
        return next((h for prefix, h in self.by_prefix if _under(path, prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                missing = [(name, value) for name, value in extra if name not in present]
                message["headers"] = [*message.get("headers", []), *missing]
            await send(message)

        await self.app(scope, receive, send_with_headers)
