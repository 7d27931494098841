"""The printable sheet of a meeting's access codes, one card per person, with a QR code
(made with segno) that opens the right screen; the code travels in the URL fragment, which
the browser never sends to the server, and the page removes it after signing in."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

import segno

from app.access.policy import Role
from app.access.store import Grant
from app.domain.model import Meeting

SCREEN_OF = {
    Role.DELEGATION: "tablet",
    Role.MODERATOR: "moderator",
    Role.DISPLAY: "display",
    Role.PANELIST: "display",
    Role.CHAIR: "chair",
}


def _name(meeting: Meeting, grant: Grant) -> str:
    if grant.role is Role.DELEGATION and grant.subject:
        return meeting.delegation(grant.subject).name
    if grant.role is Role.PANELIST and grant.subject:
        return meeting.speaker(grant.subject).name
    return grant.role.value.capitalize()


def _card(meeting: Meeting, grant: Grant, base_url: str) -> str:
    screen = SCREEN_OF.get(grant.role, "display")
    url = f"{base_url}/{screen}?meeting={quote(meeting.id)}#code={quote(grant.code)}"
    qr = segno.make(url, error="m").svg_inline(scale=3, border=2)
    return (
        '<article class="card">'
        f"<h2>{escape(_name(meeting, grant))}</h2>"
        f'<p class="role">{escape(grant.role.value)} · {escape(screen)}</p>'
        f'<p class="code">{escape(grant.code)}</p>'
        f'<div class="qr" aria-hidden="true">{qr}</div>'
        "</article>"
    )


def _authority_card(url: str) -> str:
    """A tablet must trust the venue's local certificate authority before it can open a
    screen over HTTPS: this card is scanned first."""
    qr = segno.make(url, error="m").svg_inline(scale=3, border=2)
    return (
        '<article class="card">'
        "<h2>First, on every tablet: trust the venue</h2>"
        '<p class="role">certificate authority · install once</p>'
        f'<p class="url">{escape(url)}</p>'
        f'<div class="qr" aria-hidden="true">{qr}</div>'
        "</article>"
    )


STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #111; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .8rem; }
.card { border: 1px solid #444; border-radius: .4rem; padding: .6rem .8rem; break-inside: avoid; }
.card h2 { font-size: 1rem; margin: 0; }
.role { margin: .2rem 0; color: #333; font-size: .85rem; }
.code { font: 700 1.6rem/1.2 ui-monospace, monospace; letter-spacing: .08em; margin: .3rem 0; }
.url { font: .85rem/1.3 ui-monospace, monospace; overflow-wrap: anywhere; margin: .3rem 0; }
.qr svg { width: 7rem; height: 7rem; }
@media print { body { margin: 0; } .card { page-break-inside: avoid; } }
"""


def render_sheet(
    meeting: Meeting, grants: list[Grant], base_url: str, authority_url: str | None = None
) -> str:
    cards = "\n".join(_card(meeting, g, base_url) for g in grants)
    if authority_url:
        cards = _authority_card(authority_url) + "\n" + cards
    title = escape(meeting.title)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Access codes: {title}</title><style>{STYLE}</style></head><body>"
        f"<h1>Access codes: {title}</h1>"
        f"<p>{len(grants)} codes. Keep this sheet private; revoke a lost code from the API.</p>"
        f'<section class="cards">{cards}</section></body></html>'
    )
