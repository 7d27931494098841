"""Checks across the fields of a programme file: the order of the day, and the ids.

Each check returns every problem it finds, so that the secretariat can fix a file in one
pass rather than one error per upload.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from app.domain.model import Delegation, DelegationKind
from app.programme.schema import DayFile, ItemFile, ProgrammeFile
from app.programme.source import Path, format_path


class Problem(NamedTuple):
    path: Path
    sentence: str


def check_programme(programme: ProgrammeFile, roster: Sequence[Delegation]) -> list[Problem]:
    return [
        *_check_days(programme.days),
        *_check_ids(programme, roster),
        *_check_references(programme),
        *_check_delegations(programme),
    ]


def _check_days(days: Sequence[DayFile]) -> Iterator[Problem]:
    for d, day in enumerate(days):
        if d > 0 and day.date <= days[d - 1].date:
            yield Problem(("days", d, "date"), f'"{day.date}" is not after the day above it')
        yield from _check_items(("days", d, "items"), day.items)


def _check_items(path: Path, items: Sequence[ItemFile]) -> Iterator[Problem]:
    previous: ItemFile | None = None
    last_in_room: dict[str | None, ItemFile] = {}
    for i, item in enumerate(items):
        here = (*path, i)
        if item.end <= item.start:
            yield Problem((*here, "end"), f'"{item.end}" is not after the start "{item.start}"')
        if previous is not None and item.start < previous.start:
            yield Problem(
                (*here, "start"),
                f'"{item.start}" is before the start of {previous.id} ("{previous.start}"); '
                "write the items of a day in time order",
            )
        # Items in the meeting room follow one another; a side event elsewhere may not.
        other = last_in_room.get(item.room)
        if other is not None and item.start < other.end:
            yield Problem(
                (*here, "start"),
                f"{item.id} starts at {item.start}, before {other.id} ends at {other.end} in "
                f"{_room(item.room)}; give an item held elsewhere its room",
            )
        previous = item
        if other is None or item.end > other.end:
            last_in_room[item.room] = item


def _room(room: str | None) -> str:
    return f'the room "{room}"' if room else "the meeting room"


def _check_ids(programme: ProgrammeFile, roster: Sequence[Delegation]) -> Iterator[Problem]:
    """Items, turns, speakers and delegations share one space of ids, so that an act such
    as "give the floor to X" can never mean two things."""
    first: dict[str, str] = {d.id: "a delegation of the roster" for d in roster}
    for path, id_ in _ids(programme):
        if id_ in first:
            yield Problem((*path, "id"), f'"{id_}" is already the id of {first[id_]}')
        else:
            first[id_] = format_path(path)


def _ids(programme: ProgrammeFile) -> Iterator[tuple[Path, str]]:
    for i, delegation in enumerate(programme.delegations):
        yield ("delegations", i), delegation.id
    for i, speaker in enumerate(programme.speakers):
        yield ("speakers", i), speaker.id
    for d, day in enumerate(programme.days):
        for i, item in enumerate(day.items):
            yield ("days", d, "items", i), item.id
            for t, turn in enumerate(item.turns):
                yield ("days", d, "items", i, "turns", t), turn.id


def _check_references(programme: ProgrammeFile) -> Iterator[Problem]:
    speakers = {s.id for s in programme.speakers}
    for d, day in enumerate(programme.days):
        for i, item in enumerate(day.items):
            here: Path = ("days", d, "items", i)
            references: list[tuple[Path, str | None]] = [
                ((*here, "moderator_id"), item.moderator_id),
                *(((*here, "panelist_ids", p), s) for p, s in enumerate(item.panelist_ids)),
                *(
                    ((*here, "turns", t, "speaker_id"), turn.speaker_id)
                    for t, turn in enumerate(item.turns)
                ),
            ]
            for path, speaker_id in references:
                if speaker_id is not None and speaker_id not in speakers:
                    yield Problem(path, f'"{speaker_id}" is not the id of any speaker')
            for t, turn in enumerate(item.turns):
                limit, warning = turn.limit_s, turn.warning_s
                if limit is not None and warning is not None and warning > limit:
                    yield Problem(
                        (*here, "turns", t, "warning_s"),
                        f"{warning} is longer than the turn's limit_s ({limit})",
                    )


def _check_delegations(programme: ProgrammeFile) -> Iterator[Problem]:
    for i, delegation in enumerate(programme.delegations):
        stakeholder = delegation.kind is DelegationKind.STAKEHOLDER
        if stakeholder and delegation.subtype is None:
            yield Problem(
                ("delegations", i, "subtype"),
                "a stakeholder needs a subtype: civil_society, igo, private_sector, "
                "academia or other",
            )
        if not stakeholder and delegation.subtype is not None:
            yield Problem(("delegations", i, "subtype"), "only a stakeholder has a subtype")
