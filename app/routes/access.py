"""Signing in and out, and the secretariat's codes: list, issue, reissue, revoke, print."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from app.access.lockout import Attempt
from app.access.policy import Permission, Role
from app.access.service import subjects_of
from app.access.sheet import STYLE, render_sheet
from app.deps import SESSION_COOKIE, AccessDep, ActorDep, MeetingsDep, require
from app.errors import DomainError
from app.http.clients import client_address, networks
from app.http.errors import domain_error
from app.http.headers import self_contained_page
from app.routes.params import MeetingId

router = APIRouter(tags=["access"])
SubjectKey = Annotated[str, Path(min_length=1, max_length=100)]


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=200)
    meeting_id: str | None = Field(default=None, max_length=64)


class SessionInfo(BaseModel):
    role: Role
    meeting_id: str | None
    subject: str | None
    token: str | None = Field(
        default=None, description="for clients that send an Authorization header instead"
    )


class CodeInfo(BaseModel):
    subject: str
    role: Role
    code: str


DEVICE_COOKIE = "fk_device"
"""A random name for the browser or tablet, so that its wrong codes are its own
(app/access/lockout.py); it opens nothing."""


def _attempt(request: Request) -> Attempt:
    device = request.cookies.get(DEVICE_COOKIE, "")
    if not (16 <= len(device) <= 64 and device.replace("-", "").replace("_", "").isalnum()):
        device = secrets.token_urlsafe(18)
    proxies = networks(request.app.state.services.settings.trusted_proxies)
    peer = request.client.host if request.client else None
    return Attempt(
        device, client_address(peer, request.headers.getlist("x-forwarded-for"), proxies)
    )


def _keep_device(response: Response, attempt: Attempt, secure: bool) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        attempt.device,
        httponly=True,
        samesite="strict",
        secure=secure,
        max_age=365 * 24 * 3600,
    )


@router.post("/api/session", status_code=status.HTTP_201_CREATED, response_model=None)
async def sign_in(
    body: SignIn, request: Request, response: Response, access: AccessDep
) -> SessionInfo | JSONResponse:
    attempt = _attempt(request)
    secure = request.app.state.services.settings.mode == "production"
    try:
        token, actor = await access.sign_in(body.meeting_id, body.code, attempt)
    except DomainError as refused:  # answered here, so that the device keeps its name
        answer = await domain_error(request, refused)
        _keep_device(answer, attempt, secure)
        return answer
    _keep_device(response, attempt, secure)
    settings = request.app.state.services.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.mode == "production",
        max_age=12 * 3600,
    )
    return SessionInfo(
        role=actor.role, meeting_id=actor.meeting_id, subject=actor.subject, token=token
    )


@router.get("/api/session")
async def whoami(actor: ActorDep) -> SessionInfo:
    return SessionInfo(role=actor.role, meeting_id=actor.meeting_id, subject=actor.subject)


@router.delete("/api/session", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out(request: Request, response: Response, access: AccessDep) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await access.sign_out(token)
    response.delete_cookie(SESSION_COOKIE)


def _infos(grants: list) -> list[CodeInfo]:  # type: ignore[type-arg]
    return [CodeInfo(subject=g.subject_key, role=g.role, code=g.code) for g in grants]


@router.get(
    "/api/meetings/{meeting_id}/access/codes", dependencies=[require(Permission.MANAGE_ACCESS)]
)
async def list_codes(meeting_id: MeetingId, access: AccessDep) -> list[CodeInfo]:
    return _infos(await access.codes(meeting_id))


@router.post(
    "/api/meetings/{meeting_id}/access/codes", dependencies=[require(Permission.MANAGE_ACCESS)]
)
async def issue_codes(
    meeting_id: MeetingId, access: AccessDep, meetings: MeetingsDep
) -> list[CodeInfo]:
    """Give a code to everyone in the meeting who has none yet; answers every code."""
    meeting = await meetings.meeting(meeting_id)
    await access.issue(meeting_id, subjects_of(meeting))
    return _infos(await access.codes(meeting_id))


@router.post(
    "/api/meetings/{meeting_id}/access/codes/{subject}/reissue",
    dependencies=[require(Permission.MANAGE_ACCESS)],
)
async def reissue_code(meeting_id: MeetingId, subject: SubjectKey, access: AccessDep) -> CodeInfo:
    grant = await access.reissue(meeting_id, subject)
    return CodeInfo(subject=grant.subject_key, role=grant.role, code=grant.code)


@router.delete(
    "/api/meetings/{meeting_id}/access/codes/{subject}",
    dependencies=[require(Permission.MANAGE_ACCESS)],
    status_code=status.HTTP_204_NO_CONTENT,
)
async def revoke_code(meeting_id: MeetingId, subject: SubjectKey, access: AccessDep) -> None:
    await access.revoke(meeting_id, subject)


@router.get(
    "/api/meetings/{meeting_id}/access/sheet",
    dependencies=[require(Permission.MANAGE_ACCESS)],
    response_class=HTMLResponse,
)
async def print_sheet(
    meeting_id: MeetingId, request: Request, access: AccessDep, meetings: MeetingsDep
) -> HTMLResponse:
    meeting = await meetings.meeting(meeting_id)
    base = str(request.base_url).rstrip("/")
    authority = request.app.state.services.settings.venue_ca_url
    html = render_sheet(meeting, await access.codes(meeting_id), base, authority)
    return HTMLResponse(html, headers={"Cache-Control": "no-store", **self_contained_page(STYLE)})


@router.get("/api/access/chair", dependencies=[require(Permission.MANAGE_ACCESS)])
async def list_chair_codes(access: AccessDep) -> list[CodeInfo]:
    return _infos(await access.codes(None))


@router.post("/api/access/chair", dependencies=[require(Permission.MANAGE_ACCESS)])
async def issue_chair_code(access: AccessDep) -> list[CodeInfo]:
    """Co-facilitators' codes (every room). Issues the first two if missing."""
    await access.issue(None, [(Role.CHAIR, "cofacilitator-1"), (Role.CHAIR, "cofacilitator-2")])
    return _infos(await access.codes(None))
