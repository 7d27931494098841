"""The shape of a programme file, checked field by field at the edge.

The models mirror `app.domain.model` with the same defaults, so that a file only writes
what differs from them. Checks that look across fields (order of items, references between
ids) are in `checks.py`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    NonNegativeInt,
    PositiveInt,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.domain.model import (
    DelegationKind,
    FloorPolicy,
    ItemKind,
    Region,
    SpeakerRole,
    StakeholderType,
    TurnKind,
)

_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Ids travel in URLs and websocket messages, and people type them in the file.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _check_time(value: str) -> str:
    if not _TIME.fullmatch(value):
        raise PydanticCustomError("time", '"{value}" is not a time HH:MM', {"value": value})
    return value


def _check_date(value: str) -> str:
    try:
        date.fromisoformat(value)
        valid = _DATE.fullmatch(value) is not None
    except ValueError:
        valid = False
    if not valid:
        raise PydanticCustomError("date", '"{value}" is not a date YYYY-MM-DD', {"value": value})
    return value


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "timezone", '"{value}" is not a time zone such as "Europe/Zurich"', {"value": value}
        ) from None
    return value


def _check_id(value: str) -> str:
    if not _ID.fullmatch(value):
        raise PydanticCustomError(
            "id",
            '"{value}" is not an id (letters, digits, "-", "_" and ".", no spaces)',
            {"value": value},
        )
    return value


Time = Annotated[str, AfterValidator(_check_time)]
Date = Annotated[str, AfterValidator(_check_date)]
TimeZone = Annotated[str, AfterValidator(_check_timezone)]
Id = Annotated[str, AfterValidator(_check_id)]


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LimitFile(_FileModel):
    limit_s: PositiveInt
    warning_s: NonNegativeInt

    @model_validator(mode="after")
    def _warning_within_limit(self) -> Self:
        if self.warning_s > self.limit_s:
            raise PydanticCustomError(
                "warning",
                "warning_s ({warning}) is longer than limit_s ({limit})",
                {"warning": self.warning_s, "limit": self.limit_s},
            )
        return self


class RosterFile(_FileModel):
    """Delegations generated from the UN membership instead of written one by one."""

    member_states: Literal["un"] | None = None
    observer_states: Literal["un"] | None = None


class DelegationFile(_FileModel):
    id: Id
    name: str
    kind: DelegationKind
    region: Region = Region.NONE
    iso2: str | None = None
    iso3: str | None = None
    subtype: StakeholderType | None = None


class SpeakerFile(_FileModel):
    id: Id
    name: str
    role: SpeakerRole
    affiliation: str = ""


class TurnFile(_FileModel):
    id: Id
    kind: TurnKind
    label: str
    speaker_id: str | None = None
    limit_s: PositiveInt | None = None
    warning_s: NonNegativeInt | None = None


class ItemFile(_FileModel):
    id: Id
    kind: ItemKind
    title: str
    start: Time
    end: Time
    turns: list[TurnFile] = []
    moderator_id: str | None = None
    panelist_ids: list[str] = []
    has_floor: bool = False
    room: str | None = None


class DayFile(_FileModel):
    date: Date
    items: list[ItemFile] = []


class ProgrammeFile(_FileModel):
    id: Id
    title: str
    venue: str = ""
    room: str | None = None
    timezone: TimeZone = "UTC"
    policy: FloorPolicy = FloorPolicy()
    limits: dict[TurnKind, LimitFile] = {}
    """Only the kinds of turn whose limit differs from the procedural note's."""
    roster: RosterFile = RosterFile()
    delegations: list[DelegationFile] = []
    """Written out, after those of the roster."""
    speakers: list[SpeakerFile] = []
    days: list[DayFile] = []
