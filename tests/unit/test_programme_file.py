"""The programme file: round trip, the UN roster, and every malformed file refused with the
path and the line of the problem."""

from __future__ import annotations

import csv
from dataclasses import replace
from importlib.resources import files

import pycountry
import pytest

from app.demo import demo_meeting, demo_meetings
from app.domain.model import DelegationKind, FloorPolicy, Limit, Region, TurnKind
from app.errors import Invalid
from app.programme import InvalidProgramme, dump_programme, load_programme
from app.programme.roster import un_member_states, un_observer_states

ROSTER = "roster: {member_states: un, observer_states: un}\n"

# Line numbers in the expectations below count from "id: test" as line 1.
VALID = """\
id: test
title: Test meeting
speakers:
  - {id: mod, name: Moderator, role: moderator}
  - {id: expert, name: Expert, role: panelist}
days:
  - date: "2017-06-19"
    items:
      - id: opening
        kind: opening
        title: Opening
        start: "10:00"
        end: "10:15"
      - id: panel
        kind: panel
        title: Panel
        start: "10:15"
        end: "13:00"
        moderator_id: mod
        panelist_ids: [expert]
        has_floor: true
        turns:
          - {id: panel-opening, kind: moderator_opening, label: Opening remarks, speaker_id: mod}
      - {id: side, kind: side_event, title: Side event, start: "12:00", end: "14:00", room: XXIV}
"""


def test_the_demo_survives_a_round_trip_unchanged() -> None:
    meeting = demo_meeting()
    text = dump_programme(meeting)

    assert load_programme(text) == meeting
    assert dump_programme(load_programme(text)) == text


def test_the_side_events_meetings_survive_a_round_trip_unchanged() -> None:
    for meeting in demo_meetings():
        text = dump_programme(meeting)

        assert load_programme(text, meeting.id) == meeting
        assert f"room: {meeting.room}\n" in text


def test_a_file_imported_into_another_meeting_is_refused_at_its_id() -> None:
    text = VALID.replace("  - {id: mod,", "  - {id: mod, role: moderator,")

    with pytest.raises(InvalidProgramme) as refused:
        load_programme(text, "other")

    assert refused.value.problems == (
        'id (line 1): this file is the programme of "test", not of "other"',
        'speakers[0].role (line 4): the key "role" is written twice',
    )
    assert load_programme(VALID, "test").id == "test"


def test_the_dump_writes_the_un_membership_as_a_roster() -> None:
    text = dump_programme(demo_meeting())

    assert "roster:\n  member_states: un\n  observer_states: un\n" in text
    assert "id: MEX" not in text
    assert "id: sh-iom" in text


def test_a_policy_and_limits_that_differ_from_the_defaults_survive_a_round_trip() -> None:
    limits = {**demo_meeting().limits, TurnKind.FLOOR: Limit(120, 20)}
    policy = FloorPolicy(observers="with_member_states", switch_after_interventions=None)
    meeting = replace(demo_meeting(), policy=policy, limits=limits)

    text = dump_programme(meeting)

    assert load_programme(text) == meeting
    assert "floor:\n    limit_s: 120\n    warning_s: 20\n" in text


def test_a_meeting_without_the_roster_writes_its_delegations_out() -> None:
    meeting = replace(demo_meeting(), delegations=un_member_states()[:2])

    text = dump_programme(meeting)

    assert "roster" not in text
    assert load_programme(text) == meeting


def test_the_roster_is_the_193_member_states_and_the_2_observer_states() -> None:
    meeting = load_programme(VALID.replace("id: test\n", "id: test\n" + ROSTER))
    kinds = [d.kind for d in meeting.delegations]

    assert kinds.count(DelegationKind.MEMBER_STATE) == 193
    assert kinds.count(DelegationKind.OBSERVER_STATE) == 2
    assert len({d.id for d in meeting.delegations}) == 195


@pytest.mark.parametrize(
    ("region", "count"),
    [
        (Region.AFRICAN, 54),
        (Region.ASIA_PACIFIC, 54),
        (Region.EASTERN_EUROPEAN, 23),
        (Region.LATIN_AMERICAN_CARIBBEAN, 33),
        (Region.WESTERN_EUROPEAN_OTHERS, 29),
    ],
    ids=lambda value: str(value),
)
def test_each_regional_group_has_its_member_states(region: Region, count: int) -> None:
    assert sum(d.region is region for d in un_member_states()) == count


MEMBER, OBSERVER = DelegationKind.MEMBER_STATE, DelegationKind.OBSERVER_STATE


@pytest.mark.parametrize(
    ("iso3", "name", "kind", "region"),
    [
        ("MEX", "Mexico", MEMBER, Region.LATIN_AMERICAN_CARIBBEAN),
        ("CHE", "Switzerland", MEMBER, Region.WESTERN_EUROPEAN_OTHERS),
        ("USA", "United States of America", MEMBER, Region.WESTERN_EUROPEAN_OTHERS),
        ("TUR", "Türkiye", MEMBER, Region.WESTERN_EUROPEAN_OTHERS),
        ("ISR", "Israel", MEMBER, Region.WESTERN_EUROPEAN_OTHERS),
        ("KIR", "Kiribati", MEMBER, Region.ASIA_PACIFIC),
        ("BOL", "Bolivia (Plurinational State of)", MEMBER, Region.LATIN_AMERICAN_CARIBBEAN),
        ("COD", "Democratic Republic of the Congo", MEMBER, Region.AFRICAN),
        ("FSM", "Micronesia (Federated States of)", MEMBER, Region.ASIA_PACIFIC),
        ("PSE", "State of Palestine", OBSERVER, Region.ASIA_PACIFIC),
        ("VAT", "Holy See", OBSERVER, Region.NONE),
    ],
)
def test_a_state_of_the_roster_has_its_name_kind_and_region(
    iso3: str, name: str, kind: DelegationKind, region: Region
) -> None:
    states = {d.id: d for d in (*un_member_states(), *un_observer_states())}
    country = pycountry.countries.get(alpha_3=iso3)
    assert country is not None

    assert states[iso3].name == name
    assert states[iso3].kind is kind
    assert states[iso3].region is region
    assert (states[iso3].iso3, states[iso3].iso2) == (iso3, country.alpha_2)


def test_the_regional_groups_file_has_193_known_distinct_codes() -> None:
    text = files("app").joinpath("demo/un_regional_groups.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))

    assert len(rows) == 193
    assert len({row["iso3"] for row in rows}) == 193
    assert all(pycountry.countries.get(alpha_3=row["iso3"]) for row in rows)
    assert {row["group"] for row in rows} == {r.value for r in Region} - {"none"}


def test_times_and_codes_are_read_as_written_not_as_yaml_1_1_numbers() -> None:
    # YAML 1.1 reads 10:00 as 600 (base 60) and NO (Norway) as false.
    text = VALID.replace('start: "10:00"', "start: 10:00").replace(
        "id: test\n",
        "id: test\ndelegations:\n  - {id: NOR, name: N, kind: member_state, iso2: NO}\n",
    )

    meeting = load_programme(text)

    assert meeting.item("opening").start == "10:00"
    assert meeting.delegation("NOR").iso2 == "NO"


MALFORMED = [
    (
        "bad time",
        ('end: "10:15"', 'end: "25:00"'),
        'days[0].items[0].end (line 13): "25:00" is not a time HH:MM',
    ),
    (
        "end before start",
        ('end: "13:00"', 'end: "10:00"'),
        'days[0].items[1].end (line 18): "10:00" is not after the start "10:15"',
    ),
    (
        "overlap in the meeting room",
        ('start: "10:15"', 'start: "10:10"'),
        "days[0].items[1].start (line 17): panel starts at 10:10, before opening ends at 10:15 "
        "in the meeting room; give an item held elsewhere its room",
    ),
    (
        "side event without its room",
        (", room: XXIV}", "}"),
        "days[0].items[2].start (line 24): side starts at 12:00, before panel ends at 13:00 "
        "in the meeting room; give an item held elsewhere its room",
    ),
    (
        "items out of order",
        ('start: "12:00", end: "14:00"', 'start: "10:05", end: "10:10"'),
        'days[0].items[2].start (line 24): "10:05" is before the start of panel ("10:15"); '
        "write the items of a day in time order",
    ),
    (
        "unknown speaker of a turn",
        ("speaker_id: mod}", "speaker_id: nobody}"),
        'days[0].items[1].turns[0].speaker_id (line 23): "nobody" is not the id of any speaker',
    ),
    (
        "unknown moderator",
        ("moderator_id: mod", "moderator_id: ghost"),
        'days[0].items[1].moderator_id (line 19): "ghost" is not the id of any speaker',
    ),
    (
        "unknown panelist",
        ("[expert]", "[expert, ghost]"),
        'days[0].items[1].panelist_ids[1] (line 20): "ghost" is not the id of any speaker',
    ),
    (
        "duplicate item id",
        ("id: side,", "id: opening,"),
        'days[0].items[2].id (line 24): "opening" is already the id of days[0].items[0]',
    ),
    (
        "turn id taken by a speaker",
        ("id: panel-opening,", "id: expert,"),
        'days[0].items[1].turns[0].id (line 23): "expert" is already the id of speakers[1]',
    ),
    (
        "unknown delegation kind",
        ("id: test\n", f"id: test\n{ROSTER}delegations:\n  - {{id: IOM, name: M, kind: igo}}\n"),
        "delegations[0].kind (line 4): should be 'member_state', 'observer_state' or "
        "'stakeholder', not \"igo\"",
    ),
    (
        "delegation id taken by the roster",
        (
            "id: test\n",
            f"id: test\n{ROSTER}delegations:\n  - {{id: MEX, name: M, kind: member_state}}\n",
        ),
        'delegations[0].id (line 4): "MEX" is already the id of a delegation of the roster',
    ),
    (
        "unknown field",
        ("has_floor: true", "has_floor: true\n        colour: blue"),
        "days[0].items[1].colour (line 22): there is no such field here",
    ),
    (
        "unknown turn kind",
        ("kind: moderator_opening", "kind: speech"),
        "days[0].items[1].turns[0].kind (line 23): should be 'welcome', 'issue_brief', "
        "'moderator_opening', 'expert_presentation', 'moderator_concluding', "
        "'summary_moderator', 'thematic_expert', 'floor', 'panelist_response', 'closing' or "
        "'dialogue', not \"speech\"",
    ),
    (
        "missing field",
        ("title: Opening\n        ", ""),
        "days[0].items[0].title (line 9): this field is required",
    ),
    (
        "key written twice",
        ('end: "13:00"', 'end: "13:00"\n        end: "12:00"'),
        'days[0].items[1].end (line 19): the key "end" is written twice',
    ),
    (
        "bad date",
        ('"2017-06-19"', '"2017-06-31"'),
        'days[0].date (line 7): "2017-06-31" is not a date YYYY-MM-DD',
    ),
    (
        "unknown roster",
        ("id: test\n", "id: test\nroster: {member_states: all}\n"),
        "roster.member_states (line 2): should be 'un', not \"all\"",
    ),
    (
        "not YAML",
        ("[expert]", "[expert"),
        "line 21, column 18: the file is not valid YAML (expected ',' or ']', but got ':')",
    ),
]


@pytest.mark.parametrize(
    ("change", "problem"), [(c, p) for _, c, p in MALFORMED], ids=[n for n, _, _ in MALFORMED]
)
def test_a_malformed_file_is_refused_with_the_path_and_line(
    change: tuple[str, str], problem: str
) -> None:
    old, new = change
    assert old in VALID

    with pytest.raises(InvalidProgramme) as refused:
        load_programme(VALID.replace(old, new))

    assert refused.value.problems == (problem,)
    assert isinstance(refused.value, Invalid)


def test_the_valid_file_of_the_table_above_loads() -> None:
    meeting = load_programme(VALID)

    assert meeting.item("side").room == "XXIV"
    assert meeting.item("panel").panelist_ids == ("expert",)


def test_every_problem_of_a_file_is_reported_at_once_in_file_order() -> None:
    text = VALID.replace("speaker_id: mod}", "speaker_id: nobody}").replace(
        'end: "13:00"', 'end: "10:00"'
    )

    with pytest.raises(InvalidProgramme) as refused:
        load_programme(text)

    assert [p.split(" ")[0] for p in refused.value.problems] == [
        "days[0].items[1].end",
        "days[0].items[1].turns[0].speaker_id",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty"),
        (
            "- a list\n",
            "the file is not a programme: its top level must be a mapping of id, title...",
        ),
    ],
    ids=["empty", "a list"],
)
def test_a_file_that_is_not_a_programme_is_refused(text: str, problem: str) -> None:
    with pytest.raises(InvalidProgramme) as refused:
        load_programme(text)

    assert refused.value.problems == (problem,)


def _alias_bomb(levels: int) -> str:
    """The shape of a 'billion laughs': each level nine aliases of the one before."""
    text, previous = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n', "a"
    for name in "bcdefghijklm"[:levels]:
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


def test_an_alias_bomb_is_refused_with_a_sentence_before_it_is_expanded() -> None:
    bomb = _alias_bomb(9)
    assert len(bomb) < 450
    with pytest.raises(InvalidProgramme) as refused:
        load_programme(bomb)
    assert "once its aliases (*name) are expanded" in refused.value.problems[0]


def test_an_alias_into_its_own_anchor_is_refused() -> None:
    with pytest.raises(InvalidProgramme) as refused:
        load_programme("id: x\ndays: &d [*d]\n")
    assert refused.value.problems == ("line 2: an alias points into its own anchor",)


@pytest.mark.parametrize(
    "text", ["[" * 5000 + "]" * 5000, "a:\n" + "".join(f"{' ' * i}- \n" for i in range(1, 200))]
)
def test_deep_nesting_is_refused_with_a_sentence(text: str) -> None:
    with pytest.raises(InvalidProgramme) as refused:
        load_programme(text)
    assert "the file nests deeper than 32 levels" in refused.value.problems[0]


def test_aliases_within_the_bound_still_load() -> None:
    text = (files("app.demo") / "programme.yaml").read_text()
    shared = text.replace(
        "  floor: {limit_s: 180, warning_s: 30}",
        "  floor: &three {limit_s: 180, warning_s: 30}\n  panelist_response: *three",
        1,
    )
    meeting = load_programme(shared)
    assert (
        meeting.limits[TurnKind.PANELIST_RESPONSE]
        == meeting.limits[TurnKind.FLOOR]
        == Limit(180, 30)
    )
