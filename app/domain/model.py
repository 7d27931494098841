"""The meeting as data: programme, participants, limits and floor policy.

Plain frozen dataclasses; they change only through the secretariat (import, edit),
never during the floor's live acts. Serialisation happens at the edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Literal

from app.errors import NotFound


class DelegationKind(StrEnum):
    MEMBER_STATE = "member_state"
    OBSERVER_STATE = "observer_state"
    STAKEHOLDER = "stakeholder"


class StakeholderType(StrEnum):
    CIVIL_SOCIETY = "civil_society"
    IGO = "igo"
    PRIVATE_SECTOR = "private_sector"
    ACADEMIA = "academia"
    OTHER = "other"


class Region(StrEnum):
    """United Nations regional groups of Member States."""

    AFRICAN = "african"
    ASIA_PACIFIC = "asia_pacific"
    EASTERN_EUROPEAN = "eastern_european"
    LATIN_AMERICAN_CARIBBEAN = "latin_american_caribbean"
    WESTERN_EUROPEAN_OTHERS = "western_european_others"
    NONE = "none"


class SpeakerRole(StrEnum):
    CO_FACILITATOR = "co_facilitator"
    SECRETARY_GENERAL = "secretary_general"
    MODERATOR = "moderator"
    PANELIST = "panelist"
    THEMATIC_EXPERT = "thematic_expert"


class TurnKind(StrEnum):
    """Kinds of speaking turn, each with its own default limit (see `default_limits`)."""

    WELCOME = "welcome"
    ISSUE_BRIEF = "issue_brief"
    MODERATOR_OPENING = "moderator_opening"
    EXPERT_PRESENTATION = "expert_presentation"
    MODERATOR_CONCLUDING = "moderator_concluding"
    SUMMARY_MODERATOR = "summary_moderator"
    THEMATIC_EXPERT = "thematic_expert"
    FLOOR = "floor"
    PANELIST_RESPONSE = "panelist_response"
    CLOSING = "closing"
    DIALOGUE = "dialogue"


class ItemKind(StrEnum):
    OPENING = "opening"
    REMARKS = "remarks"
    PANEL = "panel"
    PRESENTATION = "presentation"
    INTERACTIVE_DISCUSSION = "interactive_discussion"
    SUMMARY_PANEL = "summary_panel"
    CLOSING = "closing"
    BREAK = "break"
    SIDE_EVENT = "side_event"
    STAKEHOLDER_DIALOGUE = "stakeholder_dialogue"


class SegmentKind(StrEnum):
    """Who is heard in a segment of the interactive discussion."""

    MEMBER_STATES = "member_states"
    PANELISTS = "panelists"
    STAKEHOLDERS = "stakeholders"


class SpeakerKind(StrEnum):
    """Who has the floor: a delegation from the floor, a panelist, or a programme turn."""

    DELEGATION = "delegation"
    PANELIST = "panelist"
    SCRIPTED = "scripted"


@dataclass(frozen=True, slots=True)
class Limit:
    limit_s: int
    warning_s: int
    """Seconds left when the warning shows."""


def default_limits() -> dict[TurnKind, Limit]:
    """The procedural note's times. A range "5-7 minutes" is a 7-minute limit warned at 5."""
    return {
        TurnKind.WELCOME: Limit(600, 60),
        TurnKind.ISSUE_BRIEF: Limit(600, 60),
        TurnKind.MODERATOR_OPENING: Limit(420, 120),
        TurnKind.EXPERT_PRESENTATION: Limit(420, 120),
        TurnKind.MODERATOR_CONCLUDING: Limit(420, 120),
        TurnKind.SUMMARY_MODERATOR: Limit(900, 300),
        TurnKind.THEMATIC_EXPERT: Limit(900, 120),
        TurnKind.FLOOR: Limit(180, 30),
        TurnKind.PANELIST_RESPONSE: Limit(300, 60),
        TurnKind.CLOSING: Limit(600, 60),
        TurnKind.DIALOGUE: Limit(180, 30),
    }


@dataclass(frozen=True, slots=True)
class Delegation:
    id: str
    name: str
    kind: DelegationKind
    region: Region = Region.NONE
    iso2: str | None = None
    iso3: str | None = None
    subtype: StakeholderType | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    id: str
    name: str
    role: SpeakerRole
    affiliation: str = ""


@dataclass(frozen=True, slots=True)
class Turn:
    """A scripted turn of the programme (not from the floor)."""

    id: str
    kind: TurnKind
    label: str
    speaker_id: str | None = None
    limit_s: int | None = None
    """Overrides the meeting's limit for this kind of turn."""
    warning_s: int | None = None


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    kind: ItemKind
    title: str
    start: str
    """Scheduled local start, "HH:MM"."""
    end: str
    turns: tuple[Turn, ...] = ()
    moderator_id: str | None = None
    panelist_ids: tuple[str, ...] = ()
    """Who answers in the panelist segments of the interactive discussion."""
    has_floor: bool = False
    """Whether the item has an interactive discussion with requests from the floor."""
    room: str | None = None


@dataclass(frozen=True, slots=True)
class Day:
    date: str
    """ISO date, local to the venue."""
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class FloorPolicy:
    """How the line is ordered and when a segment switch is proposed. Configuration, not code."""

    observers: Literal["with_member_states", "after_member_states"] = "after_member_states"
    stakeholders: Literal["after_states", "own_segment"] = "after_states"
    not_spoken_first: bool = True
    """Delegations that have not yet spoken in this item go before those that have."""
    switch_after_interventions: int | None = 5
    switch_after_minutes: int | None = 20
    auto_start_timer: bool = True
    defer_behind: int = 3
    """A deferred request goes behind this many of the next requests of its own kind
    (Member States, Observer States, stakeholders), never behind another kind."""


@dataclass(frozen=True)
class Meeting:
    id: str
    title: str
    venue: str = ""
    room: str | None = None
    """Where the meeting sits: its items are held here unless they name another room."""
    timezone: str = "UTC"
    days: tuple[Day, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    policy: FloorPolicy = field(default_factory=FloorPolicy)
    limits: dict[TurnKind, Limit] = field(default_factory=default_limits)

    @cached_property
    def _delegations(self) -> dict[str, Delegation]:
        return {d.id: d for d in self.delegations}

    @cached_property
    def _speakers(self) -> dict[str, Speaker]:
        return {s.id: s for s in self.speakers}

    @cached_property
    def _items(self) -> dict[str, Item]:
        return {i.id: i for day in self.days for i in day.items}

    @cached_property
    def _turns(self) -> dict[str, tuple[Item, Turn]]:
        return {t.id: (i, t) for i in self._items.values() for t in i.turns}

    def delegation(self, delegation_id: str) -> Delegation:
        try:
            return self._delegations[delegation_id]
        except KeyError:
            raise NotFound(f"there is no delegation '{delegation_id}' in this meeting") from None

    def speaker(self, speaker_id: str) -> Speaker:
        try:
            return self._speakers[speaker_id]
        except KeyError:
            raise NotFound(f"there is no speaker '{speaker_id}' in this meeting") from None

    def item(self, item_id: str) -> Item:
        try:
            return self._items[item_id]
        except KeyError:
            raise NotFound(f"there is no agenda item '{item_id}' in this meeting") from None

    def turn(self, turn_id: str) -> tuple[Item, Turn]:
        try:
            return self._turns[turn_id]
        except KeyError:
            raise NotFound(f"there is no programme turn '{turn_id}' in this meeting") from None

    def limit_for(self, kind: TurnKind, turn: Turn | None = None) -> Limit:
        base = self.limits.get(kind) or default_limits()[kind]
        if turn is None or turn.limit_s is None:
            return base
        warning = (
            turn.warning_s if turn.warning_s is not None else min(base.warning_s, turn.limit_s // 4)
        )
        return Limit(turn.limit_s, warning)
