"""The demo meeting is the seed's session: its agenda, its people, its room."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.demo import demo_meeting, demo_meetings, today_at_venue
from app.domain.model import (
    DelegationKind,
    ItemKind,
    SpeakerRole,
    StakeholderType,
    TurnKind,
)

PRESENTATIONS = [TurnKind.EXPERT_PRESENTATION] * 3
PANEL_TURNS = [TurnKind.MODERATOR_OPENING, *PRESENTATIONS, TurnKind.MODERATOR_CONCLUDING]


def test_the_demo_is_held_in_room_xix_of_the_palais_des_nations() -> None:
    meeting = demo_meeting()

    assert meeting.id == "demo"
    assert meeting.timezone == "Europe/Zurich"
    assert "Palais des Nations, Room XIX" in meeting.venue
    assert meeting.room == "Room XIX"
    assert [day.date for day in meeting.days] == ["2017-06-19", "2017-06-20"]


@pytest.mark.parametrize(
    ("day", "slots"),
    [
        (
            0,
            [
                ("d1-opening", ItemKind.OPENING, "10:00", "10:15"),
                ("d1-panel1", ItemKind.PANEL, "10:15", "13:00"),
                ("d1-lunch", ItemKind.BREAK, "13:00", "15:00"),
                ("d1-side-events", ItemKind.SIDE_EVENT, "13:15", "14:45"),
                ("d1-panel2", ItemKind.PANEL, "15:00", "17:50"),
                ("d1-closing", ItemKind.CLOSING, "17:50", "18:00"),
            ],
        ),
        (
            1,
            [
                ("d2-dialogue", ItemKind.STAKEHOLDER_DIALOGUE, "09:00", "09:50"),
                ("d2-welcome", ItemKind.OPENING, "10:00", "10:05"),
                ("d2-panel3", ItemKind.PANEL, "10:05", "13:00"),
                ("d2-lunch", ItemKind.BREAK, "13:00", "15:00"),
                ("d2-side-events", ItemKind.SIDE_EVENT, "13:15", "14:45"),
                ("d2-summary", ItemKind.SUMMARY_PANEL, "15:00", "17:50"),
                ("d2-closing", ItemKind.CLOSING, "17:50", "18:00"),
            ],
        ),
    ],
    ids=["day 1", "day 2"],
)
def test_each_day_follows_the_agenda(day: int, slots: list[tuple[str, ItemKind, str, str]]) -> None:
    items = demo_meeting().days[day].items

    assert [(i.id, i.kind, i.start, i.end) for i in items] == slots


def test_only_the_side_events_are_held_in_another_room() -> None:
    rooms = {i.id: i.room for day in demo_meeting().days for i in day.items if i.room}

    assert rooms == {"d1-side-events": "Room XXIV", "d2-side-events": "Room XXIV"}


@pytest.mark.parametrize(
    ("item_id", "moderator", "title"),
    [
        ("d1-panel1", "H.E. Mr. Ola Henrikson", "Panel 1: "),
        ("d1-panel2", "H.E. Ambassador Mehmet Samsar", "Panel 2: "),
        ("d2-panel3", "Dr. Omar Abdulrahman Salem Alnuaimi", "Panel 3: "),
    ],
)
def test_a_panel_is_moderated_and_has_three_experts_and_a_floor(
    item_id: str, moderator: str, title: str
) -> None:
    meeting = demo_meeting()
    panel = meeting.item(item_id)

    assert panel.title.startswith(title)
    assert panel.moderator_id is not None
    assert meeting.speaker(panel.moderator_id).name == moderator
    assert panel.has_floor
    assert len(panel.panelist_ids) == 3
    assert [t.kind for t in panel.turns] == PANEL_TURNS
    presenters = [t.speaker_id for t in panel.turns if t.kind is TurnKind.EXPERT_PRESENTATION]
    assert presenters == list(panel.panelist_ids)


def test_the_summary_panel_hears_the_moderators_then_the_thematic_expert() -> None:
    meeting = demo_meeting()
    summary = meeting.item("d2-summary")

    assert [t.kind for t in summary.turns] == [
        *[TurnKind.SUMMARY_MODERATOR] * 3,
        TurnKind.THEMATIC_EXPERT,
        TurnKind.CLOSING,
    ]
    assert summary.panelist_ids == ("mod-swe", "mod-tur", "mod-are", "thematic-expert")
    assert summary.has_floor


def test_the_opening_gives_the_issue_brief_to_the_secretary_general() -> None:
    meeting = demo_meeting()
    opening = meeting.item("d1-opening")

    assert [t.kind for t in opening.turns] == [TurnKind.WELCOME, TurnKind.ISSUE_BRIEF]
    _, brief = meeting.turn("d1-opening-issue-brief")
    assert brief.speaker_id is not None
    assert meeting.speaker(brief.speaker_id).name == "Ms. Louise Arbour"


@pytest.mark.parametrize(
    ("turn_id", "limit_s"),
    [
        ("d1-opening-welcome", 600),
        ("d2-welcome-remarks", 300),
        ("d1-panel1-opening", 420),
        ("d2-summary-thematic-expert", 900),
    ],
)
def test_a_scripted_turn_has_the_time_of_the_procedural_note(turn_id: str, limit_s: int) -> None:
    meeting = demo_meeting()
    _, turn = meeting.turn(turn_id)

    assert meeting.limit_for(turn.kind, turn).limit_s == limit_s


def test_an_intervention_from_the_floor_is_three_minutes() -> None:
    assert demo_meeting().limit_for(TurnKind.FLOOR).limit_s == 180


def test_the_co_facilitators_and_moderators_are_the_seeds() -> None:
    speakers = {s.id: s for s in demo_meeting().speakers}

    assert speakers["cofac-mex"].role is SpeakerRole.CO_FACILITATOR
    assert "Gómez-Camacho" in speakers["cofac-mex"].name
    assert speakers["cofac-che"].role is SpeakerRole.CO_FACILITATOR
    assert "Lauber" in speakers["cofac-che"].name
    assert speakers["sg-arbour"].role is SpeakerRole.SECRETARY_GENERAL
    moderators = [s.id for s in speakers.values() if s.role is SpeakerRole.MODERATOR]
    assert moderators == ["mod-swe", "mod-tur", "mod-are"]


def test_the_floor_is_open_to_every_state_and_to_stakeholders_of_each_kind() -> None:
    delegations = demo_meeting().delegations
    kinds = [d.kind for d in delegations]
    stakeholders = [d for d in delegations if d.kind is DelegationKind.STAKEHOLDER]

    assert kinds.count(DelegationKind.MEMBER_STATE) == 193
    assert kinds.count(DelegationKind.OBSERVER_STATE) == 2
    assert 6 <= len(stakeholders) <= 8
    assert all(d.id.startswith("sh-") for d in stakeholders)
    assert {d.subtype for d in stakeholders} >= {
        StakeholderType.IGO,
        StakeholderType.CIVIL_SOCIETY,
        StakeholderType.PRIVATE_SECTOR,
        StakeholderType.ACADEMIA,
    }


def test_the_demo_is_loaded_once() -> None:
    assert demo_meeting() is demo_meeting()


def test_the_side_events_are_meetings_of_their_own_in_their_room() -> None:
    plenary, *sides = demo_meetings()

    assert plenary == demo_meeting()
    assert [(m.id, m.room, m.venue) for m in sides] == [
        ("demo-side-1", "Room XXIV", "Palais des Nations, Room XXIV, Geneva"),
        ("demo-side-2", "Room XXIV", "Palais des Nations, Room XXIV, Geneva"),
    ]
    for side, day in zip(sides, plenary.days, strict=True):
        [held] = side.days
        [item] = held.items
        assert held.date == day.date
        assert (item.kind, item.start, item.end) == (ItemKind.SIDE_EVENT, "13:15", "14:45")
        assert item.has_floor
        assert item.room is None  # the side event's own meeting is held in its room
        assert side.delegations == plenary.delegations
        assert side.timezone == plenary.timezone
    assert sides[0].title == "Side event in Room XXIV, 19 June 2017"


@pytest.mark.parametrize(
    ("first_day", "dates"),
    [
        (date(2017, 6, 19), ["2017-06-19", "2017-06-20"]),
        (date(2026, 11, 27), ["2026-11-27", "2026-11-28"]),
        (date(2028, 2, 28), ["2028-02-28", "2028-02-29"]),
        (date(2027, 12, 31), ["2027-12-31", "2028-01-01"]),
    ],
)
def test_the_demo_can_be_held_from_any_day(first_day: date, dates: list[str]) -> None:
    plenary, first, second = demo_meetings(first_day)

    assert [d.date for d in plenary.days] == dates
    assert [d.date for m in (first, second) for d in m.days] == dates
    assert [i.id for d in plenary.days for i in d.items] == [
        i.id for d in demo_meeting().days for i in d.items
    ]
    # The shipped file keeps the seed's dates.
    assert [d.date for d in demo_meeting().days] == ["2017-06-19", "2017-06-20"]


@pytest.mark.parametrize(
    ("utc", "today"),
    [
        (datetime(2017, 6, 19, 21, 59, tzinfo=UTC), date(2017, 6, 19)),
        (datetime(2017, 6, 19, 22, 0, tzinfo=UTC), date(2017, 6, 20)),
        (datetime(2017, 1, 10, 23, 0, tzinfo=UTC), date(2017, 1, 11)),
    ],
)
def test_today_is_the_date_in_geneva(utc: datetime, today: date) -> None:
    assert today_at_venue(utc) == today
