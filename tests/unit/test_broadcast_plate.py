"""What the plate says, in each language, from the messages the screens receive."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.broadcast.plate import (
    Countdown,
    Roster,
    TimerFacts,
    countdown,
    plate,
    read_live,
    read_meeting,
    template_data,
)
from app.broadcast.words import language_of

T0 = 1_700_000_000_000

MEETING: dict[str, Any] = {
    "type": "meeting",
    "meeting_id": "demo",
    "version": 3,
    "meeting": {
        "id": "demo",
        "title": "Third informal thematic session",
        "timezone": "Europe/Zurich",
        "days": [
            {
                "date": "2017-06-19",
                "items": [
                    {
                        "id": "panel",
                        "kind": "panel",
                        "title": "Panel 1",
                        "turns": [
                            {
                                "id": "panel-opening",
                                "kind": "moderator_opening",
                                "label": "Opening remarks by the moderator of Panel 1",
                                "speaker_id": "mod",
                            }
                        ],
                    }
                ],
            }
        ],
        "delegations": [
            {"id": "FRA", "name": "France", "kind": "member_state", "iso3": "FRA"},
            {"id": "MEX", "name": "Mexico", "kind": "member_state", "iso3": "MEX"},
            {
                "id": "sh-ngo",
                "name": "A Civil Society Network",
                "kind": "stakeholder",
                "subtype": "civil_society",
            },
        ],
        "speakers": [
            {"id": "mod", "name": "Ms. Moderator", "role": "moderator", "affiliation": "Sweden"},
            {"id": "p-a", "name": "Mr. Expert", "role": "panelist", "affiliation": "IOM"},
        ],
    },
}

# What a meeting with group statements would add (the group's name in each language, in the
# form that follows "on behalf of").
GROUPS = [
    {
        "id": "eu",
        "name": {
            "ar": "الاتحاد الأوروبي",
            "zh": "欧洲联盟",
            "en": "the European Union",
            "fr": "l'Union européenne",
            "ru": "Европейского союза",
            "es": "la Unión Europea",
        },
    }
]


def live(current: dict[str, Any] | None, next_ids: tuple[str, ...] = ("MEX",)) -> dict[str, Any]:
    return {
        "type": "live",
        "meeting_id": "demo",
        "version": 42,
        "base": 41,
        "at": T0,
        "floor": {"item_id": "panel", "is_open": True, "line": [], "current": current},
        "next": list(next_ids),
        "proposal": None,
    }


def intervention(speaker_id: str, **extra: Any) -> dict[str, Any]:
    kinds = {"FRA": "delegation", "MEX": "delegation", "sh-ngo": "delegation"}
    return {
        "number": 3,
        "speaker_kind": kinds.get(speaker_id, "panelist"),
        "speaker_id": speaker_id,
        "name": speaker_id,
        "item_id": "panel",
        "turn_id": None,
        "timer": {
            "limit_ms": 180_000,
            "warning_ms": 30_000,
            "state": "running",
            "started_at": T0,
            "elapsed_ms": 0,
            "pauses": 0,
        },
        **extra,
    }


def roster(groups: list[dict[str, Any]] | None = None) -> Roster:
    message = copy.deepcopy(MEETING)
    if groups is not None:
        message["meeting"]["groups"] = groups
    return Roster(read_meeting(message))


@pytest.mark.parametrize(
    ("lang", "name", "detail", "following", "direction"),
    [
        ("en", "France", "Member State", "Mexico", "ltr"),
        ("fr", "France", "État Membre", "Mexique", "ltr"),
        ("es", "Francia", "Estado Miembro", "México", "ltr"),
        ("ru", "Франция", "государство-член", "Мексика", "ltr"),
        ("zh", "法国", "会员国", "墨西哥", "ltr"),
        ("ar", "فرنسا", "دولة عضو", "المكسيك", "rtl"),
    ],
)
def test_a_delegation_in_each_language(
    lang: str, name: str, detail: str, following: str, direction: str
) -> None:
    sign = plate(roster(), read_live(live(intervention("FRA"))), language_of(lang))
    assert (sign.name, sign.speaker, sign.group) == (name, name, None)
    assert sign.detail.lower() == detail.lower()
    assert sign.next is not None
    assert sign.next.name == following
    assert sign.direction == direction
    assert (sign.speaking, sign.number, sign.speaker_id) == (True, 3, "FRA")


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("en", "France, on behalf of the European Union"),
        ("fr", "France, au nom de l'Union européenne"),
        ("es", "Francia, en nombre de la Unión Europea"),
        ("ru", "Франция от имени Европейского союза"),
        ("zh", "法国（代表欧洲联盟）"),
        ("ar", "فرنسا، باسم الاتحاد الأوروبي"),
    ],
)
def test_a_group_statement_names_the_group_as_a_plate_would(lang: str, name: str) -> None:
    current = intervention("FRA", on_behalf_of="eu")
    sign = plate(roster(GROUPS), read_live(live(current)), language_of(lang))
    assert sign.name == name
    assert sign.speaker != name
    assert sign.group is not None
    assert sign.group in name


def test_a_group_given_with_its_names_in_the_intervention_itself() -> None:
    current = intervention("FRA", on_behalf_of={"id": "g77", "name": "the Group of 77 and China"})
    sign = plate(roster(), read_live(live(current)), "en")
    assert sign.name == "France, on behalf of the Group of 77 and China"


def test_without_groups_in_the_meeting_a_plate_shows_the_delegation() -> None:
    sign = plate(roster(), read_live(live(intervention("FRA"))), "fr")
    assert sign.name == "France"
    assert sign.language is None


def test_the_language_of_delivery_from_the_intervention_else_the_delegation() -> None:
    message = copy.deepcopy(MEETING)
    message["meeting"]["delegations"][0]["language"] = "fr"
    with_default = Roster(read_meeting(message))
    assert plate(with_default, read_live(live(intervention("FRA"))), "en").language == "fr"
    spoken_es = intervention("FRA", language="es")
    assert plate(with_default, read_live(live(spoken_es)), "en").language == "es"
    # Not one of the six: not said rather than said wrong.
    assert (
        plate(roster(), read_live(live(intervention("FRA", language="xx"))), "en").language is None
    )


def test_a_panelist_and_a_stakeholder() -> None:
    panelist = plate(roster(), read_live(live(intervention("p-a"))), "fr")
    assert (panelist.name, panelist.detail) == ("Mr. Expert", "Intervenant · IOM")
    stakeholder = plate(roster(), read_live(live(intervention("sh-ngo"))), "en")
    assert (stakeholder.name, stakeholder.detail) == (
        "A Civil Society Network",
        "Stakeholder (civil society)",
    )


def test_a_programme_turn_says_what_the_turn_is() -> None:
    current = intervention("mod", turn_id="panel-opening")
    english = plate(roster(), read_live(live(current)), "en")
    assert (english.name, english.detail) == (
        "Ms. Moderator",
        "Opening remarks by the moderator of Panel 1",
    )
    french = plate(roster(), read_live(live(current)), "fr")
    assert french.detail == "Déclaration liminaire du modérateur"


def test_someone_not_in_the_roster_keeps_the_name_of_the_intervention() -> None:
    current = intervention("guest", name="Guest of the chair", speaker_kind="scripted")
    assert plate(roster(), read_live(live(current)), "ar").name == "Guest of the chair"


def test_no_one_speaking() -> None:
    sign = plate(roster(), read_live(live(None, ())), "en")
    assert (sign.speaking, sign.name, sign.number, sign.timer, sign.next) == (
        False,
        "",
        None,
        None,
        None,
    )


def test_a_message_with_fields_it_does_not_know_is_read() -> None:
    message = live(intervention("FRA"))
    message["floor"]["something_new"] = {"x": 1}
    message["forecast"] = {"heard": 4}
    assert plate(roster(), read_live(message), "en").name == "France"


# --- the clock ----------------------------------------------------------------------------------


def timer(**facts: Any) -> TimerFacts:
    base: dict[str, Any] = {
        "limit_ms": 180_000,
        "warning_ms": 30_000,
        "state": "running",
        "started_at": T0,
        "elapsed_ms": 0,
    }
    return TimerFacts.model_validate({**base, **facts})


@pytest.mark.parametrize(
    ("facts", "now", "reading"),
    [
        ({}, T0, Countdown(180_000, "normal", "3:00")),
        ({}, T0 + 1, Countdown(179_999, "normal", "3:00")),
        ({}, T0 + 1_000, Countdown(179_000, "normal", "2:59")),
        ({}, T0 + 150_000, Countdown(30_000, "warning", "0:30")),
        ({}, T0 + 180_000, Countdown(0, "warning", "0:00")),
        ({}, T0 + 180_001, Countdown(-1, "overrun", "+0:01")),
        ({}, T0 + 184_000, Countdown(-4_000, "overrun", "+0:04")),
        (
            {"state": "paused", "started_at": None, "elapsed_ms": 61_000},
            T0 + 999_999,
            Countdown(119_000, "normal", "1:59"),
        ),
        ({"state": "idle", "started_at": None}, T0 + 5_000, Countdown(180_000, "normal", "3:00")),
        (
            {"limit_ms": 3_900_000, "warning_ms": 60_000},
            T0,
            Countdown(3_900_000, "normal", "1:05:00"),
        ),
        ({}, T0 - 5_000, Countdown(180_000, "normal", "3:00")),
    ],
)
def test_countdown_reads_the_facts_as_the_hall_display_does(
    facts: dict[str, Any], now: int, reading: Countdown
) -> None:
    assert countdown(timer(**facts), now) == reading


def test_template_data_carries_the_names_the_facts_and_the_reading() -> None:
    sign = plate(roster(GROUPS), read_live(live(intervention("FRA", on_behalf_of="eu"))), "en")
    data = template_data(sign, T0 + 10_000)
    assert data["f0"] == data["name"] == "France, on behalf of the European Union"
    assert data["f1"] == "Member State"
    assert data["next"] == "Mexico"
    assert (data["remaining_ms"], data["digits"], data["phase"]) == (170_000, "2:50", "normal")
    assert data["timer"] == {
        "limit_ms": 180_000,
        "warning_ms": 30_000,
        "state": "running",
        "started_at": T0,
        "elapsed_ms": 0,
    }
    assert (data["dir"], data["lang"], data["at"], data["version"]) == (
        "ltr",
        "en",
        T0 + 10_000,
        42,
    )


def test_a_language_that_is_not_one_of_the_six_is_refused() -> None:
    with pytest.raises(ValueError, match="one of ar, zh, en, fr, ru, es"):
        language_of("de")
