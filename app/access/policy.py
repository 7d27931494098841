"""Who may do what. Pure: the table below is the whole authorization policy, and the README
prints it. A role's reach is one meeting (moderator, panelist, delegation, display) or every
meeting (secretariat, chair); a delegation acts only for itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.acts import Act
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


class Permission(StrEnum):
    """What the policy guards that is not an act of the meeting (acts are `Act`)."""

    READ_MEETING = "meeting.read"
    READ_RECORD = "record.read"
    MANAGE_ACCESS = "access.manage"
    WS_CLOCK = "ws.clock"
    WS_PING = "ws.ping"


CONDUCT_THE_FLOOR = frozenset(
    {
        Act.OPEN_FLOOR,
        Act.CLOSE_FLOOR,
        Act.CALL_NEXT,
        Act.GIVE_FLOOR,
        Act.END_INTERVENTION,
        Act.SWITCH_SEGMENT,
        Act.START_ITEM,
    }
)
REORDER_THE_LINE = frozenset({Act.MOVE_REQUEST, Act.DEFER_REQUEST, Act.REMOVE_REQUEST})
CHANGE_THE_CLOCK = frozenset(
    {Act.START_TIMER, Act.PAUSE_TIMER, Act.RESUME_TIMER, Act.ADJUST_TIMER, Act.RESET_TIMER}
)
ASK_FOR_THE_FLOOR = frozenset({Act.REQUEST_FLOOR, Act.WITHDRAW_REQUEST})

PERMISSIONS: dict[Act | Permission, frozenset[Role]] = {
    Permission.READ_MEETING: EVERYONE,
    Act.PUT_MEETING: frozenset({S}),
    Permission.READ_RECORD: frozenset({S, C, M}),
    Permission.MANAGE_ACCESS: frozenset({S}),
    **dict.fromkeys(CONDUCT_THE_FLOOR, CONDUCT),
    **dict.fromkeys(REORDER_THE_LINE, CONDUCT),
    **dict.fromkeys(CHANGE_THE_CLOCK, CONDUCT),
    **dict.fromkeys(ASK_FOR_THE_FLOOR, frozenset({C, M, D})),
    Permission.WS_CLOCK: EVERYONE,
    Permission.WS_PING: EVERYONE,
}
"""Permission or act → the roles that hold it; the README's table, row by row. Delegations
hold theirs only for themselves. Every act has a row (tests/unit/test_acts.py)."""


def authorize(
    actor: Actor,
    permission: Act | Permission,
    meeting_id: str | None = None,
    delegation_id: str | None = None,
) -> Actor:
    roles = PERMISSIONS[permission]
    if actor.role not in roles:
        if actor.role is Role.PUBLIC:
            raise Unauthorized("sign in with your access code to do this")
        raise Forbidden(f"a {actor.role.value} may not do this ({permission.value})")
    if actor.meeting_id is not None and meeting_id is not None and actor.meeting_id != meeting_id:
        raise Forbidden("your access code is for another meeting")
    if (
        actor.role is Role.DELEGATION
        and delegation_id is not None
        and actor.subject != delegation_id
    ):
        raise Forbidden("a delegation may act only for itself", "own_delegation_only")
    return actor
