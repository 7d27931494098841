"""Who may do what. Pure: the table below is the whole authorization policy, and the README
prints it. A role's reach is one meeting (moderator, panelist, delegation, display) or every
meeting (secretariat, chair); a delegation acts only for itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.errors import Forbidden, Unauthorized


class Role(StrEnum):
    SECRETARIAT = "secretariat"
    CHAIR = "chair"
    MODERATOR = "moderator"
    PANELIST = "panelist"
    DELEGATION = "delegation"
    DISPLAY = "display"
    PUBLIC = "public"
    """Anyone, signed in or not: reads what the hall sees."""


@dataclass(frozen=True, slots=True)
class Actor:
    role: Role
    meeting_id: str | None = None
    """The one meeting a code was issued for; None for secretariat, chair and public."""
    subject: str | None = None
    """The delegation or speaker the code names."""
    code_id: str | None = None
    """Which access code the session came from, so that revoking it ends the session."""

    @property
    def label(self) -> str:
        """How the record names who did an act."""
        if self.subject:
            return f"{self.role.value}:{self.subject}"
        return self.role.value


PUBLIC = Actor(Role.PUBLIC)

S, C, M, P, D, V, A = (
    Role.SECRETARIAT,
    Role.CHAIR,
    Role.MODERATOR,
    Role.PANELIST,
    Role.DELEGATION,
    Role.DISPLAY,
    Role.PUBLIC,
)
EVERYONE = frozenset(Role)
CONDUCT = frozenset({C, M})

PERMISSIONS: dict[str, frozenset[Role]] = {
    "meeting.read": EVERYONE,
    "meeting.put": frozenset({S}),
    "record.read": frozenset({S, C, M}),
    "access.manage": frozenset({S}),
    "floor.open": CONDUCT,
    "floor.close": CONDUCT,
    "floor.next": CONDUCT,
    "floor.give": CONDUCT,
    "floor.end": CONDUCT,
    "segment.switch": CONDUCT,
    "item.start": CONDUCT,
    "request.add": frozenset({C, M, D}),
    "request.withdraw": frozenset({C, M, D}),
    "request.remove": CONDUCT,
    "request.move": CONDUCT,
    "request.defer": CONDUCT,
    "timer.change": CONDUCT,
    "ws.clock": EVERYONE,
    "ws.ping": EVERYONE,
}
"""Permission → the roles that hold it. Delegations hold theirs only for themselves."""


def authorize(
    actor: Actor, permission: str, meeting_id: str | None = None, delegation_id: str | None = None
) -> Actor:
    roles = PERMISSIONS[permission]
    if actor.role not in roles:
        if actor.role is Role.PUBLIC:
            raise Unauthorized("sign in with your access code to do this")
        raise Forbidden(f"a {actor.role.value} may not do this ({permission})")
    if actor.meeting_id is not None and meeting_id is not None and actor.meeting_id != meeting_id:
        raise Forbidden("your access code is for another meeting")
    if (
        actor.role is Role.DELEGATION
        and delegation_id is not None
        and actor.subject != delegation_id
    ):
        raise Forbidden("a delegation may act only for itself", "own_delegation_only")
    return actor
