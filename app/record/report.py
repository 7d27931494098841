"""The record of a meeting read back for people: interventions, the moderator's acts, who
was not heard, totals by kind of delegation and by regional group. `app.record.exports`
writes them out (CSV, JSON, an SVG chart, a printable page).

Pure functions over the durable record (`Entry`, one per version) and the `Meeting`. No
Redis, no clock. Only ended interventions are in the record: one still under way is not.
Times are written in ISO 8601 in the meeting's time zone; lengths in whole seconds, and
every total adds up the seconds of its rows as printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.acts import (
    Act,
    Details,
    FloorGiven,
    ItemStarted,
    NextCalled,
    RequestDeferred,
    RequestMoved,
    RequestRemoved,
    RequestWithdrawn,
    SegmentSwitched,
)
from app.domain.model import (
    Delegation,
    DelegationKind,
    Meeting,
    Region,
    SegmentKind,
    SpeakerKind,
    StakeholderType,
)
from app.errors import NotFound
from app.queue.rules import InterventionRecord
from app.record.entry import Entry

# --- rows -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterventionRow:
    """One ended intervention. The field order is the CSV's column order."""

    number: int
    item_id: str | None
    segment_kind: str | None
    segment_number: int | None
    speaker_kind: str
    speaker_id: str
    name: str
    delegation_kind: str | None
    stakeholder_subtype: str | None
    region: str | None
    granted_at: str
    ended_at: str
    spoken_s: int
    limit_s: int
    overrun_s: int
    pauses: int
    out_of_turn: bool
    granted_by: str
    ended_by: str


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(InterventionRow))


class NotHeardReason(StrEnum):
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"
    ITEM_ENDED = "item_ended"


@dataclass(frozen=True, slots=True)
class NotHeard:
    """A delegation that asked for the floor in an item and did not speak after asking."""

    item_id: str | None
    delegation_id: str
    name: str
    delegation_kind: str | None
    region: str | None
    reason: NotHeardReason
    at: str


@dataclass(frozen=True, slots=True)
class ModeratorAct:
    version: int
    at: str
    by: str
    act: Act
    item_id: str | None
    subject_id: str | None
    subject_name: str | None
    note: str


@dataclass(frozen=True, slots=True)
class Tally:
    key: str
    label: str
    interventions: int
    spoken_s: int
    overrun_s: int


@dataclass(frozen=True, slots=True)
class Summary:
    """An item's discussion (or the whole meeting's, when `item_id` is None)."""

    meeting_id: str
    meeting_title: str
    item_id: str | None
    item_title: str | None
    started_at: str | None
    """When the item was actually taken up (first time), and when the next one was."""
    ended_at: str | None
    record_version: int
    """The last version of the record this summary has read."""
    interventions: int
    """Every ended intervention: programme turns, panelists and the floor."""
    floor_interventions: int
    floor_spoken_s: int
    by_kind: tuple[Tally, ...]
    by_region: tuple[Tally, ...]
    not_heard: tuple[NotHeard, ...]
    longest_overruns: tuple[InterventionRow, ...]
    moderator_acts: tuple[ModeratorAct, ...]


KIND_LABELS: dict[str, str] = {
    DelegationKind.MEMBER_STATE: "Member States",
    DelegationKind.OBSERVER_STATE: "Observer States",
    StakeholderType.CIVIL_SOCIETY: "Civil society",
    StakeholderType.IGO: "Intergovernmental organizations",
    StakeholderType.PRIVATE_SECTOR: "Private sector",
    StakeholderType.ACADEMIA: "Academia",
    StakeholderType.OTHER: "Other stakeholders",
}

ONE_OF_KIND: dict[str, str] = {
    **KIND_LABELS,
    DelegationKind.MEMBER_STATE: "Member State",
    DelegationKind.OBSERVER_STATE: "Observer State",
    DelegationKind.STAKEHOLDER: "Stakeholder",
    StakeholderType.IGO: "Intergovernmental organization",
    StakeholderType.OTHER: "Other stakeholder",
}
"""Labels for one delegation of a kind, where `KIND_LABELS` name the group."""

REGION_LABELS: dict[str, str] = {
    Region.AFRICAN: "African States",
    Region.ASIA_PACIFIC: "Asia-Pacific States",
    Region.EASTERN_EUROPEAN: "Eastern European States",
    Region.LATIN_AMERICAN_CARIBBEAN: "Latin American and Caribbean States",
    Region.WESTERN_EUROPEAN_OTHERS: "Western European and other States",
    Region.NONE: "No regional group",
}

SPEAKER_LABELS: dict[str, str] = {
    SpeakerKind.DELEGATION: "Delegation",
    SpeakerKind.PANELIST: "Panelist",
    SpeakerKind.SCRIPTED: "Programme",
}

SEGMENT_LABELS: dict[str, str] = {
    SegmentKind.MEMBER_STATES: "Member States",
    SegmentKind.PANELISTS: "Panelists",
    SegmentKind.STAKEHOLDERS: "Stakeholders",
}

MODERATOR_ACTS = frozenset(
    {Act.GIVE_FLOOR, Act.MOVE_REQUEST, Act.DEFER_REQUEST, Act.REMOVE_REQUEST, Act.SWITCH_SEGMENT}
)
"""The acts the summary lists as the moderator's: those that change who is heard when."""


def _zone(meeting: Meeting) -> ZoneInfo:
    try:
        return ZoneInfo(meeting.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        # The offset in every time written keeps it unambiguous.
        return ZoneInfo("UTC")


def local_iso(ms: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(ms / 1000, zone).isoformat(timespec="seconds")


def seconds(ms: int) -> int:
    """Whole seconds, half up: 180.5 s spoken shows as 181."""
    return (ms + 500) // 1000


def _delegation(meeting: Meeting, delegation_id: str) -> Delegation | None:
    # The roster can change after the fact; the record keeps what it knew.
    try:
        return meeting.delegation(delegation_id)
    except NotFound:
        return None


def _check_item(meeting: Meeting, item_id: str | None) -> None:
    if item_id is not None:
        meeting.item(item_id)


def _row(meeting: Meeting, zone: ZoneInfo, ended: InterventionRecord) -> InterventionRow:
    delegation = None
    if ended.speaker_kind is SpeakerKind.DELEGATION:
        delegation = _delegation(meeting, ended.speaker_id)
    subtype = None
    if delegation is not None and delegation.kind is DelegationKind.STAKEHOLDER:
        subtype = (delegation.subtype or StakeholderType.OTHER).value
    return InterventionRow(
        number=ended.number,
        item_id=ended.item_id,
        segment_kind=ended.segment_kind.value if ended.segment_kind else None,
        segment_number=ended.segment_number,
        speaker_kind=ended.speaker_kind.value,
        speaker_id=ended.speaker_id,
        name=ended.name,
        delegation_kind=delegation.kind.value if delegation else None,
        stakeholder_subtype=subtype,
        region=delegation.region.value if delegation else None,
        granted_at=local_iso(ended.granted_at, zone),
        ended_at=local_iso(ended.ended_at, zone),
        spoken_s=seconds(ended.spoken_ms),
        limit_s=seconds(ended.limit_ms),
        overrun_s=seconds(ended.overrun_ms),
        pauses=ended.pauses,
        out_of_turn=ended.out_of_turn,
        granted_by=ended.granted_by,
        ended_by=ended.ended_by,
    )


def intervention_rows(
    meeting: Meeting, entries: Iterable[Entry], item_id: str | None = None
) -> list[InterventionRow]:
    """Every ended intervention, in the order they ended; of one item when `item_id` is set."""
    _check_item(meeting, item_id)
    zone = _zone(meeting)
    return [
        _row(meeting, zone, entry.ended)
        for entry in entries
        if entry.ended is not None and (item_id is None or entry.ended.item_id == item_id)
    ]


def _with_items(entries: Iterable[Entry]) -> Iterable[tuple[str | None, str | None, Entry]]:
    """Each entry with the item under way before it and after it."""
    current: str | None = None
    for entry in entries:
        before = current
        if isinstance(entry.details, ItemStarted):
            current = entry.details.item_id
        yield before, current, entry


def _name(meeting: Meeting, subject_id: str) -> str:
    delegation = _delegation(meeting, subject_id)
    if delegation is not None:
        return delegation.name
    try:
        return meeting.speaker(subject_id).name
    except NotFound:
        return subject_id


def _note(details: Details) -> tuple[str | None, str]:
    """Whom a moderator's act was about, and what it did, in words."""
    match details:
        case RequestMoved(delegation_id, from_place, to_place):
            return delegation_id, f"moved from place {from_place} to place {to_place}"
        case RequestDeferred(delegation_id, None):
            return delegation_id, "sent to the end of the line"
        case RequestDeferred(delegation_id, place):
            return delegation_id, f"deferred to place {place}"
        case RequestRemoved(delegation_id):
            return delegation_id, "request removed"
        case SegmentSwitched(kind, number):
            return None, f"segment {number} begins: {SEGMENT_LABELS.get(kind, kind)}"
        case FloorGiven(delegation_id, speaker_id):
            return delegation_id or speaker_id, "given the floor out of turn"
    raise ValueError(f"{type(details).__name__} is not a moderator's act")


def _act(meeting: Meeting, zone: ZoneInfo, item_id: str | None, entry: Entry) -> ModeratorAct:
    subject, note = _note(entry.details)
    return ModeratorAct(
        version=entry.version,
        at=local_iso(entry.at, zone),
        by=entry.by,
        act=entry.act,
        item_id=item_id,
        subject_id=subject,
        subject_name=_name(meeting, subject) if subject else None,
        note=note,
    )


def moderator_acts(
    meeting: Meeting, entries: Iterable[Entry], item_id: str | None = None
) -> list[ModeratorAct]:
    """Out-of-turn grants, moves, defers, removals and segment switches, in order."""
    _check_item(meeting, item_id)
    zone = _zone(meeting)
    acts = []
    for _, current, entry in _with_items(entries):
        if entry.act not in MODERATOR_ACTS or (item_id is not None and current != item_id):
            continue
        # A programme turn (a welcome, a presentation) is given in its order, not out of it.
        if isinstance(entry.details, FloorGiven) and entry.details.turn_id is not None:
            continue
        acts.append(_act(meeting, zone, current, entry))
    return acts


_Unheard = dict[tuple[str | None, str], tuple[NotHeardReason, int, int]]
"""(item, delegation) -> (why, at, version) of its latest unheard request."""


def not_heard(
    meeting: Meeting, entries: Iterable[Entry], item_id: str | None = None
) -> list[NotHeard]:
    """Delegations whose request was withdrawn, removed or dropped when the item ended, and
    who did not take the floor later in the same item. One line per delegation and item:
    the last time its request went unheard."""
    _check_item(meeting, item_id)
    zone = _zone(meeting)
    last: _Unheard = {}
    for before, current, entry in _with_items(entries):
        event = (entry.at, entry.version)
        match entry.details:
            case ItemStarted(_, dropped):
                for delegation_id in dropped:
                    _unheard(last, (before, delegation_id), (NotHeardReason.ITEM_ENDED, *event))
            case RequestWithdrawn(delegation_id):
                _unheard(last, (current, delegation_id), (NotHeardReason.WITHDRAWN, *event))
            case RequestRemoved(delegation_id):
                _unheard(last, (current, delegation_id), (NotHeardReason.REMOVED, *event))
            # Whoever is given the floor is heard, even if the record has not yet seen them end.
            case NextCalled(speaker_id):
                last.pop((current, speaker_id), None)
            case FloorGiven(delegation_id, speaker_id):
                if (speaker := delegation_id or speaker_id) is not None:
                    last.pop((current, speaker), None)
    found = []
    for (item, delegation_id), (reason, at, _) in last.items():
        if item_id is not None and item != item_id:
            continue
        delegation = _delegation(meeting, delegation_id)
        found.append(
            NotHeard(
                item_id=item,
                delegation_id=delegation_id,
                name=delegation.name if delegation else delegation_id,
                delegation_kind=delegation.kind.value if delegation else None,
                region=delegation.region.value if delegation else None,
                reason=reason,
                at=local_iso(at, zone),
            )
        )
    return found


def _unheard(
    last: _Unheard, key: tuple[str | None, str], event: tuple[NotHeardReason, int, int]
) -> None:
    """Keep the latest unheard request of a delegation in an item, in the order of the record."""
    last.pop(key, None)
    last[key] = event


def _tallies(
    rows: Sequence[InterventionRow],
    labels: dict[str, str],
    key_of: Callable[[InterventionRow], str | None],
) -> tuple[Tally, ...]:
    """One tally per label, in the labels' order, zero where no one of that group spoke."""
    tallies = []
    for key, label in labels.items():
        chosen = [r for r in rows if key_of(r) == key]
        tallies.append(
            Tally(
                key=str(key),
                label=label,
                interventions=len(chosen),
                spoken_s=sum(r.spoken_s for r in chosen),
                overrun_s=sum(r.overrun_s for r in chosen),
            )
        )
    return tuple(tallies)


def _item_times(entries: Sequence[Entry], item_id: str) -> tuple[int | None, int | None]:
    started = ended = None
    for before, current, entry in _with_items(entries):
        if entry.act is not Act.START_ITEM:
            continue
        if current == item_id and started is None:
            started = entry.at
        if before == item_id and current != item_id:
            ended = entry.at
    return started, ended


def summarise(
    meeting: Meeting,
    entries: Sequence[Entry],
    item_id: str | None = None,
    overruns: int = 5,
) -> Summary:
    """The summary of one item's discussion, or of the whole meeting when `item_id` is None."""
    item = meeting.item(item_id) if item_id is not None else None
    rows = intervention_rows(meeting, entries, item_id)
    floor = [r for r in rows if r.delegation_kind is not None]
    zone = _zone(meeting)
    started = ended = None
    if item_id is not None:
        start_ms, end_ms = _item_times(entries, item_id)
        started = local_iso(start_ms, zone) if start_ms is not None else None
        ended = local_iso(end_ms, zone) if end_ms is not None else None
    longest = sorted((r for r in rows if r.overrun_s > 0), key=lambda r: (-r.overrun_s, r.number))
    return Summary(
        meeting_id=meeting.id,
        meeting_title=meeting.title,
        item_id=item_id,
        item_title=item.title if item else None,
        started_at=started,
        ended_at=ended,
        record_version=entries[-1].version if entries else 0,
        interventions=len(rows),
        floor_interventions=len(floor),
        floor_spoken_s=sum(r.spoken_s for r in floor),
        by_kind=_tallies(floor, KIND_LABELS, lambda r: r.stakeholder_subtype or r.delegation_kind),
        by_region=_tallies(floor, REGION_LABELS, lambda r: r.region),
        not_heard=tuple(not_heard(meeting, entries, item_id)),
        longest_overruns=tuple(longest[:overruns]),
        moderator_acts=tuple(moderator_acts(meeting, entries, item_id)),
    )
