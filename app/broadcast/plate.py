"""What the plate says: the speaker's name as a name plate shows it, the next speaker, the clock.

Pure. The input is the two messages every screen receives (docs/protocol.md: `meeting` and
`live`), read here into small typed views that ignore what they do not use, so that a
broadcast output fed in the server's process and one fed over the public websocket compute
the same plate. `now` is an argument; nothing here reads a clock.

A group statement ("France, on behalf of the European Union") is shown when the intervention
names its group (`on_behalf_of`: the group's id, looked up in the meeting's `groups`, or an
object with its names); the language of delivery when the intervention or the delegation
names one (`language`). Until the meeting carries them, a plate shows the delegation's name
and no language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.broadcast.words import direction, say
from app.i18n.names import LANGUAGES, Language, state_name


class _View(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TimerFacts(_View):
    limit_ms: int
    warning_ms: int
    state: Literal["idle", "running", "paused"]
    started_at: int | None = None
    elapsed_ms: int = 0


class GroupRef(_View):
    id: str
    name: str | dict[str, str] = ""


class CurrentView(_View):
    number: int
    speaker_kind: str
    speaker_id: str | None = None
    name: str = ""
    turn_id: str | None = None
    timer: TimerFacts | None = None
    on_behalf_of: str | GroupRef | None = None
    language: str | None = None


class FloorView(_View):
    item_id: str | None = None
    is_open: bool = False
    current: CurrentView | None = None


class LiveView(_View):
    meeting_id: str
    version: int
    at: int = 0
    floor: FloorView
    next: list[str] = []


class DelegationView(_View):
    id: str
    name: str
    kind: str
    iso3: str | None = None
    subtype: str | None = None
    language: str | None = None


class SpeakerView(_View):
    id: str
    name: str
    role: str
    affiliation: str = ""


class TurnView(_View):
    id: str
    kind: str
    label: str = ""


class ItemView(_View):
    id: str
    title: str = ""
    turns: list[TurnView] = []


class DayView(_View):
    items: list[ItemView] = []


class GroupView(_View):
    id: str
    name: str | dict[str, str]
    """One name, or the name in each language (the form that follows "on behalf of")."""


class MeetingView(_View):
    id: str
    title: str = ""
    timezone: str = "UTC"
    days: list[DayView] = []
    delegations: list[DelegationView] = []
    speakers: list[SpeakerView] = []
    groups: list[GroupView] = []


def read_meeting(message: dict[str, object]) -> MeetingView:
    """The `meeting` field of a meeting message (or a snapshot's)."""
    return MeetingView.model_validate(message.get("meeting", message))


def read_live(message: dict[str, object]) -> LiveView:
    return LiveView.model_validate(message)


# --- the clock ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Countdown:
    remaining_ms: int
    """Negative past the limit."""
    phase: Literal["normal", "warning", "overrun"]
    digits: str
    """"2:59" counting down, "+0:04" past the limit: the hall display's figures."""


def _duration(ms: int) -> str:
    total = max(0, ms // 1000)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def countdown(timer: TimerFacts, now: int) -> Countdown:
    """What the timer shows at server instant `now`, as web/shared/clock.js computes it."""
    elapsed = timer.elapsed_ms
    if timer.state == "running" and timer.started_at is not None:
        elapsed += max(0, now - timer.started_at)
    remaining = timer.limit_ms - elapsed
    if remaining < 0:
        phase: Literal["normal", "warning", "overrun"] = "overrun"
    elif remaining <= timer.warning_ms:
        phase = "warning"
    else:
        phase = "normal"
    # Whole seconds rounded up: "3:00" until a full second has gone, "+0:01" as soon as over.
    seconds = math.ceil(abs(remaining) / 1000) * 1000
    digits = _duration(seconds) if remaining >= 0 else f"+{_duration(seconds)}"
    return Countdown(remaining, phase, digits)


# --- the plate ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """A speaker or a delegation as a plate names it."""

    id: str
    name: str
    detail: str
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Plate:
    """What a lower third, a clock or an OSC tool shows, in one language."""

    lang: Language
    direction: str
    meeting_id: str
    version: int
    speaking: bool
    name: str
    """The line a plate shows: "France, on behalf of the European Union"."""
    speaker: str
    """The speaker alone: "France"."""
    group: str | None
    detail: str
    """What the speaker is: "Member State", "Panelist · IOM", "Opening remarks by the moderator"."""
    speaker_id: str | None
    speaker_kind: str | None
    number: int | None
    """The intervention's number in the meeting: a new one is a speaker change."""
    language: str | None
    """The language of delivery, when known."""
    timer: TimerFacts | None
    next: Person | None


def _language(text: str | None) -> str | None:
    return text if text in LANGUAGES else None


def _group_name(group: str | dict[str, str], lang: Language) -> str:
    if isinstance(group, str):
        return group
    return group.get(lang) or group.get("en") or next(iter(group.values()), "")


class Roster:
    """Lookups over one meeting message, built once per message."""

    def __init__(self, meeting: MeetingView) -> None:
        self.meeting = meeting
        self.delegations = {d.id: d for d in meeting.delegations}
        self.speakers = {s.id: s for s in meeting.speakers}
        self.groups = {g.id: g for g in meeting.groups}
        self.turns = {t.id: t for day in meeting.days for item in day.items for t in item.turns}

    def delegation_name(self, delegation: DelegationView, lang: Language) -> str:
        if lang == "en" or not delegation.iso3:
            return delegation.name
        return state_name(delegation.iso3, lang) or delegation.name

    def person(self, person_id: str, lang: Language) -> Person:
        delegation = self.delegations.get(person_id)
        if delegation is not None:
            kind = say(lang, f"kind.{delegation.kind}")
            if delegation.subtype:
                subtype = say(lang, f"stakeholder.{delegation.subtype}")
                kind = say(lang, "kind.with_subtype", kind=kind, subtype=subtype)
            return Person(
                person_id,
                self.delegation_name(delegation, lang),
                kind,
                _language(delegation.language),
            )
        speaker = self.speakers.get(person_id)
        if speaker is not None:
            role = say(lang, f"role.{speaker.role}")
            detail = " · ".join(p for p in (role, speaker.affiliation) if p)
            return Person(person_id, speaker.name, detail)
        return Person(person_id, person_id, "")

    def group(self, ref: str | GroupRef | None, lang: Language) -> str | None:
        if ref is None:
            return None
        if isinstance(ref, GroupRef):
            known = self.groups.get(ref.id)
            name = ref.name or (known.name if known else ref.id)
            return _group_name(name, lang) or ref.id
        known = self.groups.get(ref)
        return _group_name(known.name, lang) if known else ref

    def turn_label(self, turn_id: str, lang: Language) -> str | None:
        turn = self.turns.get(turn_id)
        if turn is None:
            return None
        if lang == "en" and turn.label:
            return turn.label
        try:
            return say(lang, f"turn.{turn.kind}")
        except KeyError:
            return turn.label or None


def plate(roster: Roster, live: LiveView, lang: Language) -> Plate:
    """The plate of the meeting's state in `lang`."""
    current = live.floor.current
    following = roster.person(live.next[0], lang) if live.next else None
    speaker, detail, spoken, group = "", "", None, None
    if current is not None:
        if current.speaker_id in roster.delegations or current.speaker_id in roster.speakers:
            person = roster.person(current.speaker_id or "", lang)
            speaker, detail, spoken = person.name, person.detail, person.language
        else:  # someone the roster does not list: the name the intervention was given
            speaker = current.name or current.speaker_id or ""
        if current.turn_id:
            detail = roster.turn_label(current.turn_id, lang) or detail
        group = roster.group(current.on_behalf_of, lang)
        spoken = _language(current.language) or spoken
    return Plate(
        lang=lang,
        direction=direction(lang),
        meeting_id=live.meeting_id,
        version=live.version,
        speaking=current is not None,
        name=say(lang, "plate.on_behalf_of", name=speaker, group=group) if group else speaker,
        speaker=speaker,
        group=group,
        detail=detail,
        speaker_id=current.speaker_id if current else None,
        speaker_kind=current.speaker_kind if current else None,
        number=current.number if current else None,
        language=spoken,
        timer=current.timer if current else None,
        next=following,
    )


def template_data(sign: Plate, now: int) -> dict[str, object]:
    """The plate as a CasparCG template's data (and the OSC outputs' source): the names, and
    the clock both as facts and as read at `now`, so that a template whose machine's clock
    is not the server's can count on from `remaining_ms` and the moment it received them.
    `f0`/`f1` are the field names CasparCG's own templates use for a lower third's lines."""
    reading = countdown(sign.timer, now) if sign.timer else None
    return {
        "f0": sign.name,
        "f1": sign.detail,
        "name": sign.name,
        "speaker": sign.speaker,
        "group": sign.group,
        "detail": sign.detail,
        "speaking": sign.speaking,
        "number": sign.number,
        "language": sign.language,
        "lang": sign.lang,
        "dir": sign.direction,
        "next": sign.next.name if sign.next else None,
        "next_detail": sign.next.detail if sign.next else None,
        "timer": sign.timer.model_dump() if sign.timer else None,
        "remaining_ms": reading.remaining_ms if reading else None,
        "phase": reading.phase if reading else None,
        "digits": reading.digits if reading else None,
        "at": now,
        "meeting": sign.meeting_id,
        "version": sign.version,
    }
