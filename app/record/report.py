"""The record of a meeting read back for people: interventions, the moderator's acts, who
was not heard, totals by kind of delegation and by regional group, and their exports (CSV,
JSON, an SVG chart, a printable page).

Pure functions over the durable record (`Entry`, one per version) and the `Meeting`. No
Redis, no clock. Only ended interventions are in the record: one still under way is not.
Times are written in ISO 8601 in the meeting's time zone; lengths in whole seconds, and
every total adds up the seconds of its rows as printed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from enum import StrEnum
from html import escape
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.errors import NotFound
from app.meetings.model import (
    Delegation,
    DelegationKind,
    Meeting,
    Region,
    StakeholderType,
)
from app.meetings.store import Entry
from app.queue.rules import InterventionRecord, SegmentKind, SpeakerKind

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
    act: str
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
    {"floor.give", "request.move", "request.defer", "request.remove", "segment.switch"}
)


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
        if entry.act == "item.start":
            current = str(entry.details["item_id"])
        yield before, current, entry


def _name(meeting: Meeting, subject_id: str) -> str:
    delegation = _delegation(meeting, subject_id)
    if delegation is not None:
        return delegation.name
    try:
        return meeting.speaker(subject_id).name
    except NotFound:
        return subject_id


def _act(meeting: Meeting, zone: ZoneInfo, item_id: str | None, entry: Entry) -> ModeratorAct:
    details = entry.details
    subject = details.get("delegation_id") or details.get("speaker_id")
    if entry.act == "request.move":
        note = f"moved from place {details.get('from')} to place {details.get('to')}"
    elif entry.act == "request.defer":
        note = "sent to the end of the line"
    elif entry.act == "request.remove":
        note = "request removed"
    elif entry.act == "segment.switch":
        kind = str(details.get("kind"))
        note = f"segment {details.get('number')} begins: {SEGMENT_LABELS.get(kind, kind)}"
    else:
        note = "given the floor out of turn"
    return ModeratorAct(
        version=entry.version,
        at=local_iso(entry.at, zone),
        by=entry.by,
        act=entry.act,
        item_id=item_id,
        subject_id=str(subject) if subject else None,
        subject_name=_name(meeting, str(subject)) if subject else None,
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
        if entry.act == "floor.give" and "turn_id" in entry.details:
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
        details = entry.details
        if entry.act == "item.start":
            for dropped in details.get("not_heard", ()):
                _note(
                    last,
                    (before, str(dropped)),
                    (NotHeardReason.ITEM_ENDED, entry.at, entry.version),
                )
        elif entry.act in ("request.withdraw", "request.remove"):
            reason = (
                NotHeardReason.WITHDRAWN
                if entry.act == "request.withdraw"
                else NotHeardReason.REMOVED
            )
            _note(last, (current, str(details["delegation_id"])), (reason, entry.at, entry.version))
        elif entry.act in ("floor.next", "floor.give"):
            # Whoever is given the floor is heard, even if the record has not yet seen them end.
            speaker = details.get("speaker_id") or details.get("delegation_id")
            if speaker is not None:
                last.pop((current, str(speaker)), None)
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


def _note(
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
        if entry.act != "item.start":
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


# --- exports ----------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def interventions_csv(rows: Iterable[InterventionRow]) -> str:
    """One header row, then one row per intervention; columns in `COLUMNS` order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_cell(getattr(row, column)) for column in COLUMNS)
    return out.getvalue()


def interventions_json(
    meeting: Meeting, rows: Iterable[InterventionRow], item_id: str | None = None
) -> dict[str, Any]:
    return {
        "meeting_id": meeting.id,
        "title": meeting.title,
        "timezone": meeting.timezone,
        "item_id": item_id,
        "columns": list(COLUMNS),
        "interventions": [asdict(row) for row in rows],
    }


def summary_json(summary: Summary) -> dict[str, Any]:
    body = {f.name: getattr(summary, f.name) for f in fields(Summary)}
    for name in ("by_kind", "by_region", "not_heard", "longest_overruns", "moderator_acts"):
        body[name] = [asdict(part) for part in getattr(summary, name)]
    for part in body["not_heard"]:
        part["reason"] = part["reason"].value
    return body


def format_duration(total_s: int) -> str:
    minutes, secs = divmod(total_s, 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _count(n: int) -> str:
    return f"{n} intervention" if n == 1 else f"{n} interventions"


def region_chart_svg(summary: Summary) -> str:
    """Speaking time by regional group, as horizontal bars. Each bar carries its group and
    its value as text, so nothing is told by colour alone."""
    width, label_w, bar_w, row_h, top = 780, 300, 260, 34, 44
    height = top + row_h * len(summary.by_region) + 12
    longest = max((t.spoken_s for t in summary.by_region), default=0) or 1
    about = f" — {summary.item_title}" if summary.item_title else ""
    title = f"Speaking time from the floor by regional group{about}"
    desc = "; ".join(
        f"{t.label}: {format_duration(t.spoken_s)} in {_count(t.interventions)}"
        for t in summary.by_region
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="fk-region-chart-title fk-region-chart-desc" '
        'font-family="Helvetica, Arial, sans-serif" font-size="14">',
        f'<title id="fk-region-chart-title">{escape(title)}</title>',
        f'<desc id="fk-region-chart-desc">{escape(desc)}.</desc>',
        f'<text x="0" y="20" font-size="16" font-weight="bold" fill="#111">{escape(title)}</text>',
    ]
    for index, tally in enumerate(summary.by_region):
        y = top + index * row_h
        width = round(bar_w * tally.spoken_s / longest)
        value = f"{format_duration(tally.spoken_s)} · {_count(tally.interventions)}"
        parts += [
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="#111">'
            f"{escape(tally.label)}</text>",
            f'<rect x="{label_w}" y="{y}" width="{width}" height="20" fill="#1f4e79" '
            'stroke="#111" stroke-width="0.5"/>',
            f'<text x="{label_w + width + 6}" y="{y + 15}" fill="#111">{escape(value)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)


_CSS = """
body { font-family: Helvetica, Arial, sans-serif; color: #111; background: #fff;
       margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.8rem; margin: 0.2rem 0; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1f4e79; padding-bottom: 0.2rem;
     margin-top: 2rem; }
.meeting, .when { color: #333; margin: 0.2rem 0; }
dl.glance { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.glance dt { font-weight: bold; }
dl.glance dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.4rem; text-align: left;
         vertical-align: top; }
th { background: #e8eef4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
svg { max-width: 100%; height: auto; }
footer { margin-top: 2rem; color: #555; font-size: 0.85rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  table, svg { break-inside: avoid; }
  tr { break-inside: avoid; }
  th { background: none; }
  footer { position: static; }
}
"""


def _time(iso: str | None) -> str:
    """The local clock time of an ISO instant written by `local_iso`."""
    return iso[11:19] if iso else "—"


def _table(head: Sequence[tuple[str, bool]], body: Iterable[Sequence[object]]) -> str:
    """A table; `head` names each column and whether it holds numbers."""
    cells = "".join(
        f'<th{" class=num" if num else ""} scope="col">{escape(h)}</th>' for h, num in head
    )
    lines = [f"<table><thead><tr>{cells}</tr></thead><tbody>"]
    for row in body:
        tds = "".join(
            f"<td{' class=num' if num else ''}>{escape(_cell(value))}</td>"
            for (_, num), value in zip(head, row, strict=True)
        )
        lines.append(f"<tr>{tds}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _tally_table(first: str, tallies: Iterable[Tally]) -> str:
    head = [(first, False), ("Interventions", True), ("Speaking time", True), ("Overrun", True)]
    body = [
        (t.label, t.interventions, format_duration(t.spoken_s), format_duration(t.overrun_s))
        for t in tallies
    ]
    return _table(head, body)


_REASONS = {
    NotHeardReason.WITHDRAWN: "withdrew the request",
    NotHeardReason.REMOVED: "request removed by the moderator",
    NotHeardReason.ITEM_ENDED: "still waiting when the item ended",
}


def summary_page_html(meeting: Meeting, summary: Summary, rows: Sequence[InterventionRow]) -> str:
    """A printable page of one item's discussion for the summary panel's moderators."""
    item = meeting.item(summary.item_id) if summary.item_id else None
    day = next((d.date for d in meeting.days if item in d.items), "") if item else ""
    heading = summary.item_title or meeting.title
    where = f"{meeting.title} · {meeting.venue}" if meeting.venue else meeting.title
    scheduled = f"Scheduled {day} {item.start}–{item.end}" if item else ""
    held = f"held {_time(summary.started_at)}–{_time(summary.ended_at)}"
    overrun_total = sum(r.overrun_s for r in rows if r.delegation_kind is not None)
    glance = [
        ("Interventions from the floor", str(summary.floor_interventions)),
        ("Speaking time from the floor", format_duration(summary.floor_spoken_s)),
        ("Overrun from the floor", format_duration(overrun_total)),
        ("All interventions (programme and panelists included)", str(summary.interventions)),
        ("Asked for the floor but not heard", str(len(summary.not_heard))),
    ]
    glance_html = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in glance)
    if summary.not_heard:
        not_heard_html = _table(
            [("Delegation", False), ("Kind", False), ("Why", False), ("At", False)],
            [
                (
                    n.name,
                    ONE_OF_KIND.get(n.delegation_kind or "", ""),
                    _REASONS[n.reason],
                    _time(n.at),
                )
                for n in summary.not_heard
            ],
        )
    else:
        not_heard_html = "<p>Everyone who asked for the floor was heard.</p>"
    if summary.longest_overruns:
        overruns_html = _table(
            [
                ("No.", True),
                ("Speaker", False),
                ("Spoken", True),
                ("Limit", True),
                ("Overrun", True),
            ],
            [
                (
                    r.number,
                    r.name,
                    format_duration(r.spoken_s),
                    format_duration(r.limit_s),
                    format_duration(r.overrun_s),
                )
                for r in summary.longest_overruns
            ],
        )
    else:
        overruns_html = "<p>No one spoke past the limit.</p>"
    interventions_html = _table(
        [
            ("No.", True),
            ("Segment", False),
            ("Speaker", False),
            ("Kind", False),
            ("Region", False),
            ("From", False),
            ("To", False),
            ("Spoken", True),
            ("Overrun", True),
            ("Out of turn", False),
        ],
        [
            (
                r.number,
                f"{SEGMENT_LABELS.get(r.segment_kind, r.segment_kind)} {r.segment_number}"
                if r.segment_kind
                else "programme",
                r.name,
                ONE_OF_KIND.get(r.stakeholder_subtype or r.delegation_kind or "")
                or SPEAKER_LABELS.get(r.speaker_kind, r.speaker_kind),
                REGION_LABELS.get(r.region, "") if r.region else "",
                _time(r.granted_at),
                _time(r.ended_at),
                format_duration(r.spoken_s),
                format_duration(r.overrun_s) if r.overrun_s else "",
                "yes" if r.out_of_turn else "",
            )
            for r in rows
        ],
    )
    if summary.moderator_acts:
        acts_html = _table(
            [("At", False), ("By", False), ("Act", False), ("Whom", False), ("What", False)],
            [
                (_time(a.at), a.by, a.act, a.subject_name or "", a.note)
                for a in summary.moderator_acts
            ],
        )
    else:
        acts_html = "<p>No out-of-turn grants, moves, defers, removals or segment switches.</p>"
    sections = [
        ("At a glance", f'<dl class="glance">{glance_html}</dl>'),
        ("By kind of delegation", _tally_table("Kind of delegation", summary.by_kind)),
        (
            "By regional group",
            region_chart_svg(summary) + "\n" + _tally_table("Regional group", summary.by_region),
        ),
        ("Asked for the floor but not heard", not_heard_html),
        ("Longest overruns", overruns_html),
        ("Interventions", interventions_html),
        ("The moderator's acts", acts_html),
    ]
    body = "\n".join(f"<section>\n<h2>{escape(h)}</h2>\n{html}\n</section>" for h, html in sections)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(f"Summary: {heading} — {meeting.title}")}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<p class="meeting">{escape(where)}</p>
<h1>{escape(heading)}</h1>
<p class="when">{escape(", ".join(p for p in (scheduled, held) if p))}</p>
</header>
<main>
{body}
</main>
<footer>From the record of meeting {escape(meeting.id)} up to version {summary.record_version};
times in {escape(meeting.timezone)}. An intervention still under way is not counted.</footer>
</body>
</html>
"""
