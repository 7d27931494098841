"""The record read back for the summary panel, from a scripted morning of Panel 1.

The day is played with the pure rules of the floor and written down as the committer does
(one `Entry` per command applied: version, now, by, act, the change's details and ended
intervention).
Every expected value below is worked out by hand from the script, not from the code.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.acts import (
    AdjustTimer,
    CallNext,
    CloseFloor,
    Command,
    DeferRequest,
    EndIntervention,
    GiveFloor,
    MoveRequest,
    OpenFloor,
    PauseTimer,
    RemoveRequest,
    RequestFloor,
    ResumeTimer,
    StartItem,
    SwitchSegment,
    WithdrawRequest,
)
from app.domain.model import Meeting, SegmentKind
from app.errors import NotFound
from app.queue.acts import apply
from app.queue.rules import FloorState
from app.record import exports, report
from app.record.entry import Entry
from app.record.report import NotHeardReason
from tests.factories import make_meeting

T0 = int(datetime(2017, 6, 19, 10, 15, tzinfo=ZoneInfo("Europe/Zurich")).timestamp() * 1000)
MOD = "moderator"


class Day:
    """Plays acts on the pure rules at given seconds after 10:15 and keeps the record."""

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = meeting
        self.state = FloorState()
        self.entries: list[Entry] = []

    def act(self, t: int, command: Command, by: str = MOD) -> None:
        now = T0 + t * 1000
        change = apply(self.meeting, self.state, command, by, now)
        self.state = change.state
        version = len(self.entries) + 1
        self.entries.append(Entry(version, now, by, command.act, change.details, change.ended))

    def request(self, t: int, *delegation_ids: str) -> None:
        for offset, delegation_id in enumerate(delegation_ids):
            self.act(t + offset, RequestFloor(delegation_id), f"delegation:{delegation_id}")

    def next(self, t: int) -> None:
        self.act(t, CallNext())

    def end(self, t: int) -> None:
        self.act(t, EndIntervention())

    def switch(self, t: int, kind: SegmentKind) -> None:
        self.act(t, SwitchSegment(kind))


def play_panel() -> tuple[Meeting, list[Entry]]:
    meeting = make_meeting("geneva", states=19)
    day = Day(meeting)
    day.act(0, StartItem("panel"))
    day.act(0, GiveFloor(turn_id="panel-opening"))
    day.end(360)
    day.act(360, OpenFloor())
    day.request(370, "M001", "M002", "M003", "M004", "M005", "M012", "M016", "VAT")
    day.next(380)  # M001
    day.act(400, WithdrawRequest("M012"), "delegation:M012")
    day.act(420, RemoveRequest("M016"))
    day.next(530)  # M002
    day.next(715)  # M003
    day.next(895)  # M004
    day.next(1015)  # M005
    day.act(1075, PauseTimer())
    day.act(1105, ResumeTimer())
    day.next(1245)  # VAT
    day.switch(1335, SegmentKind.PANELISTS)
    day.next(1335)  # Panelist A
    day.request(1400, "M006", "M007", "M010", "M008", "M009", "PSE", "sh-ngo", "sh-igo")
    day.act(1500, MoveRequest("M009", 2))
    day.next(1575)  # Panelist B
    day.next(1885)  # Panelist C
    day.end(2085)
    day.switch(2090, SegmentKind.MEMBER_STATES)
    day.next(2100)  # M006
    day.act(2270, GiveFloor(delegation_id="M010"))
    day.next(2445)  # M009, moved up
    day.act(2455, AdjustTimer(60_000))
    day.next(2685)  # M007
    day.next(2880)  # M008
    day.next(3040)  # PSE
    day.next(3140)  # sh-ngo
    day.switch(3320, SegmentKind.STAKEHOLDERS)
    day.next(3320)  # sh-igo
    day.end(3450)
    day.switch(3455, SegmentKind.MEMBER_STATES)
    # M001 has spoken in this item, so the not-yet-heard go before it.
    day.request(3460, "M011", "M012", "M001", "M013", "M014", "M015", "M017")
    # M017 is deferred behind the next three of its kind; only M001 is behind it.
    day.act(3467, DeferRequest("M017"))
    for t in (3470, 3620, 3760, 3941, 4151, 4327):
        day.next(t)  # M011, M012, M013, M014, M015, M001
    day.request(4400, "M018", "M019")
    day.act(4410, WithdrawRequest("M019"), "delegation:M019")
    day.end(4417)
    day.act(4500, CloseFloor())
    day.act(4800, StartItem("closing"))
    return meeting, day.entries


HEADER = [
    "number", "item_id", "segment_kind", "segment_number", "speaker_kind", "speaker_id",
    "name", "delegation_kind", "stakeholder_subtype", "region", "granted_at", "ended_at",
    "spoken_s", "limit_s", "overrun_s", "pauses", "out_of_turn", "granted_by", "ended_by",
]  # fmt: skip


def _row(
    number: int,
    segment: str,
    speaker: str,
    name: str,
    kind: str,
    region: str,
    start: str,
    end: str,
    spoken: int,
    limit: int = 180,
    overrun: int = 0,
    pauses: int = 0,
    out_of_turn: bool = False,
) -> list[str]:
    segment_kind, _, segment_number = segment.partition(" ")
    speaker_kind = {"": "scripted", "panelist": "panelist"}.get(kind, "delegation")
    delegation_kind, _, subtype = kind.partition(":")
    if speaker_kind != "delegation":
        delegation_kind = ""
    return [
        str(number), "panel", segment_kind, segment_number, speaker_kind, speaker,
        name, delegation_kind, subtype, region, f"2017-06-19T{start}+02:00",
        f"2017-06-19T{end}+02:00", str(spoken), str(limit), str(overrun), str(pauses),
        "true" if out_of_turn else "false", MOD, MOD,
    ]  # fmt: skip


MS, OS = "member_state", "observer_state"
ASIA, EAST, LAT, WEST, AFR = (
    "asia_pacific",
    "eastern_european",
    "latin_american_caribbean",
    "western_european_others",
    "african",
)

EXPECTED_ROWS = [
    _row(1, "", "mod", "The Moderator", "", "", "10:15:00", "10:21:00", 360, limit=420),
    _row(2, "member_states 1", "M001", "Member State 1", MS, ASIA, "10:21:20", "10:23:50", 150),
    _row(3, "member_states 1", "M002", "Member State 2", MS, EAST, "10:23:50", "10:26:55", 185,
         overrun=5),
    _row(4, "member_states 1", "M003", "Member State 3", MS, LAT, "10:26:55", "10:29:55", 180),
    _row(5, "member_states 1", "M004", "Member State 4", MS, WEST, "10:29:55", "10:31:55", 120),
    _row(6, "member_states 1", "M005", "Member State 5", MS, AFR, "10:31:55", "10:35:45", 200,
         overrun=20, pauses=1),
    _row(7, "member_states 1", "VAT", "Holy See", OS, "none", "10:35:45", "10:37:15", 90),
    _row(8, "panelists 2", "p-a", "Panelist A", "panelist", "", "10:37:15", "10:41:15", 240,
         limit=300),
    _row(9, "panelists 2", "p-b", "Panelist B", "panelist", "", "10:41:15", "10:46:25", 310,
         limit=300, overrun=10),
    _row(10, "panelists 2", "p-c", "Panelist C", "panelist", "", "10:46:25", "10:49:45", 200,
         limit=300),
    _row(11, "member_states 3", "M006", "Member State 6", MS, ASIA, "10:50:00", "10:52:50", 170),
    _row(12, "member_states 3", "M010", "Member State 10", MS, AFR, "10:52:50", "10:55:45", 175,
         out_of_turn=True),
    # M009 speaks exactly to the minute added: no overrun.
    _row(13, "member_states 3", "M009", "Member State 9", MS, WEST, "10:55:45", "10:59:45", 240,
         limit=240),
    _row(14, "member_states 3", "M007", "Member State 7", MS, EAST, "10:59:45", "11:03:00", 195,
         overrun=15),
    _row(15, "member_states 3", "M008", "Member State 8", MS, LAT, "11:03:00", "11:05:40", 160),
    _row(16, "member_states 3", "PSE", "State of Palestine", OS, "none", "11:05:40", "11:07:20",
         100),
    _row(17, "member_states 3", "sh-ngo", "A Civil Society Network", "stakeholder:civil_society",
         "none", "11:07:20", "11:10:20", 180),
    _row(18, "stakeholders 4", "sh-igo", "An Intergovernmental Organization", "stakeholder:igo",
         "none", "11:10:20", "11:12:30", 130),
    _row(19, "member_states 5", "M011", "Member State 11", MS, ASIA, "11:12:50", "11:15:20", 150),
    _row(20, "member_states 5", "M012", "Member State 12", MS, EAST, "11:15:20", "11:17:40", 140),
    _row(21, "member_states 5", "M013", "Member State 13", MS, LAT, "11:17:40", "11:20:41", 181,
         overrun=1),
    _row(22, "member_states 5", "M014", "Member State 14", MS, WEST, "11:20:41", "11:24:11", 210,
         overrun=30),
    _row(23, "member_states 5", "M015", "Member State 15", MS, AFR, "11:24:11", "11:27:07", 176),
    _row(24, "member_states 5", "M001", "Member State 1", MS, ASIA, "11:27:07", "11:28:37", 90),
]  # fmt: skip


@pytest.fixture(scope="module")
def panel() -> tuple[Meeting, list[Entry]]:
    return play_panel()


def _text(value: object) -> str:
    """A JSON value as the CSV writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_csv_has_one_header_and_one_row_per_intervention(
    panel: tuple[Meeting, list[Entry]],
) -> None:
    meeting, entries = panel
    text = exports.interventions_csv(report.intervention_rows(meeting, entries))
    assert text.startswith(",".join(HEADER) + "\r\n")
    assert _csv(text) == [HEADER, *EXPECTED_ROWS]


def test_an_item_filter_keeps_its_interventions_only(panel: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = panel
    assert _csv(exports.interventions_csv(report.intervention_rows(meeting, entries, "panel"))) == [
        HEADER,
        *EXPECTED_ROWS,
    ]
    assert _csv(
        exports.interventions_csv(report.intervention_rows(meeting, entries, "closing"))
    ) == [HEADER]
    with pytest.raises(NotFound):
        report.intervention_rows(meeting, entries, "no-such-item")


def test_speaking_time_by_regional_group(panel: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = panel
    summary = report.summarise(meeting, entries, "panel")
    assert [(t.key, t.interventions, t.spoken_s, t.overrun_s) for t in summary.by_region] == [
        ("african", 3, 551, 20),
        ("asia_pacific", 4, 560, 0),
        ("eastern_european", 3, 520, 20),
        ("latin_american_caribbean", 3, 521, 1),
        ("western_european_others", 3, 570, 30),
        ("none", 4, 500, 0),
    ]
    assert summary.floor_interventions == 20
    assert summary.floor_spoken_s == 3222
    assert summary.interventions == 24


def test_speaking_time_by_kind_of_delegation(panel: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = panel
    summary = report.summarise(meeting, entries, "panel")
    assert [(t.key, t.interventions, t.spoken_s, t.overrun_s) for t in summary.by_kind] == [
        ("member_state", 16, 2722, 71),
        ("observer_state", 2, 190, 0),
        ("civil_society", 1, 180, 0),
        ("igo", 1, 130, 0),
        ("private_sector", 0, 0, 0),
        ("academia", 0, 0, 0),
        ("other", 0, 0, 0),
    ]


def test_who_asked_but_was_not_heard(panel: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = panel
    summary = report.summarise(meeting, entries, "panel")
    # M012 withdrew at 10:21:40 but asked again and spoke: heard.
    assert [(n.delegation_id, n.region, n.reason, n.at[11:19]) for n in summary.not_heard] == [
        ("M016", ASIA, NotHeardReason.REMOVED, "10:22:00"),
        ("M019", WEST, NotHeardReason.WITHDRAWN, "11:28:30"),
        # Deferred, M017 kept its place ahead of M018, who asked after it.
        ("M017", EAST, NotHeardReason.ITEM_ENDED, "11:35:00"),
        ("M018", LAT, NotHeardReason.ITEM_ENDED, "11:35:00"),
    ]
    assert report.summarise(meeting, entries, "closing").not_heard == ()


def test_longest_overruns_and_item_times(panel: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = panel
    summary = report.summarise(meeting, entries, "panel")
    assert [(r.number, r.speaker_id, r.overrun_s) for r in summary.longest_overruns] == [
        (22, "M014", 30),
        (6, "M005", 20),
        (14, "M007", 15),
        (9, "p-b", 10),
        (3, "M002", 5),
    ]
    assert summary.started_at == "2017-06-19T10:15:00+02:00"
    assert summary.ended_at == "2017-06-19T11:35:00+02:00"
    assert summary.record_version == 69


def test_the_moderators_acts(panel: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = panel
    acts = report.moderator_acts(meeting, entries, "panel")
    assert [(a.version, a.at[11:19], a.by, a.act, a.subject_id, a.note) for a in acts] == [
        (15, "10:22:00", MOD, "request.remove", "M016", "request removed"),
        (23, "10:37:15", MOD, "segment.switch", None, "segment 2 begins: Panelists"),
        (33, "10:40:00", MOD, "request.move", "M009", "moved from place 5 to place 2"),
        (37, "10:49:50", MOD, "segment.switch", None, "segment 3 begins: Member States"),
        (39, "10:52:50", MOD, "floor.give", "M010", "given the floor out of turn"),
        (46, "11:10:20", MOD, "segment.switch", None, "segment 4 begins: Stakeholders"),
        (49, "11:12:35", MOD, "segment.switch", None, "segment 5 begins: Member States"),
        (57, "11:12:47", MOD, "request.defer", "M017", "deferred to place 7"),
    ]
    assert acts[4].subject_name == "Member State 10"
    assert report.moderator_acts(meeting, entries, "closing") == []


def test_the_json_exports_carry_the_same_values(panel: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = panel
    rows = report.intervention_rows(meeting, entries, "panel")
    body = json.loads(json.dumps(exports.interventions_json(meeting, rows, "panel")))
    assert body["columns"] == HEADER
    as_text = [[_text(row[c]) for c in HEADER] for row in body["interventions"]]
    assert as_text == EXPECTED_ROWS
    summary = json.loads(
        json.dumps(exports.summary_json(report.summarise(meeting, entries, "panel")))
    )
    assert summary["item_id"] == "panel"
    assert summary["by_region"][0] == {
        "key": "african",
        "label": "African States",
        "interventions": 3,
        "spoken_s": 551,
        "overrun_s": 20,
    }
    assert [n["reason"] for n in summary["not_heard"]] == [
        "removed",
        "withdrawn",
        "item_ended",
        "item_ended",
    ]


def test_the_whole_meeting_summary_adds_up_every_item(panel: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = panel
    whole = report.summarise(meeting, entries)
    assert whole.item_id is None
    assert whole.started_at is None
    assert whole.floor_spoken_s == 3222
    assert len(whole.not_heard) == 4


def test_the_chart_names_each_group_and_its_time_in_text(
    panel: tuple[Meeting, list[Entry]],
) -> None:
    meeting, entries = panel
    svg = exports.region_chart_svg(report.summarise(meeting, entries, "panel"))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    title = root.find(f"{ns}title")
    assert title is not None
    assert title.text == ("Speaking time from the floor by regional group — Panel 1")
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "African States" in texts
    assert "9 min 11 s · 3 interventions" in texts  # African States: 551 s in 3 interventions
    assert "No regional group" in texts
    assert "8 min 20 s · 4 interventions" in texts
    desc = root.find(f"{ns}desc")
    assert desc is not None
    assert desc.text is not None
    assert "Asia-Pacific States: 9 min 20 s in 4 interventions" in desc.text


def test_the_page_is_self_contained_printable_and_escaped(
    panel: tuple[Meeting, list[Entry]],
) -> None:
    meeting, entries = panel
    meeting = replace(meeting, title='Session <b>&</b> "Geneva"', venue="Room <XIX>")
    summary = report.summarise(meeting, entries, "panel")
    page = exports.summary_page_html(
        meeting, summary, report.intervention_rows(meeting, entries, "panel")
    )
    assert "Session &lt;b&gt;&amp;&lt;/b&gt; &quot;Geneva&quot;" in page
    assert "Room &lt;XIX&gt;" in page
    assert "<b>" not in page
    assert "@media print" in page
    assert "<svg" in page
    assert '<title id="fk-region-chart-title">' in page
    for external in ("<link", "<script", "src=", "@import", "url("):
        assert external not in page
    assert "Member State 16" in page
    assert "request removed by the moderator" in page
    assert "Scheduled 2017-06-19 10:15–13:00, held 10:15:00–11:35:00" in page


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil.example","Spain")', "+1+2", "-2+3", "@SUM(A1)", "\tTab"]
)
def test_a_name_a_spreadsheet_would_read_as_a_formula_is_written_as_text(
    panel: tuple[Meeting, list[Entry]], name: str
) -> None:
    meeting, entries = panel
    first, *rest = report.intervention_rows(meeting, entries)
    rows = _csv(exports.interventions_csv([replace(first, name=name), *rest]))
    column = HEADER.index("name")
    assert rows[1][column] == "'" + name
    assert rows[2:] == EXPECTED_ROWS[1:]  # numbers, negative ones included, stay numbers
