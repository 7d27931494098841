"""The record of a meeting written out: the interventions as CSV and JSON, the summary as
JSON, speaking time by regional group as an SVG chart, and a printable page of one item's
discussion.

Pure functions over the rows and the summary that `report` computes. No Redis, no clock.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from html import escape
from typing import Any

from app.domain.model import Meeting
from app.record.report import (
    COLUMNS,
    ONE_OF_KIND,
    REGION_LABELS,
    SEGMENT_LABELS,
    SPEAKER_LABELS,
    InterventionRow,
    NotHeardReason,
    Summary,
    Tally,
)

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell that starts with one of these as a formula
(`=HYPERLINK(...)` in a delegation's or a speaker's name would become a link, or worse)."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        # The usual neutralisation (OWASP's): a leading apostrophe, which spreadsheets show
        # as text and do not evaluate. Numbers stay numbers: only text is touched.
        return "'" + value
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


PAGE_CSS = """
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
    """The local clock time of an ISO instant written by `report.local_iso`."""
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
<style>{PAGE_CSS}</style>
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
