"""The programme file: a whole meeting written as YAML by the secretariat.

`load_programme` turns the text into a `Meeting`, or refuses it with one sentence per
problem, each naming the path and the line; `dump_programme` writes a `Meeting` back, with
the UN membership as `roster:` rather than 195 entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import NamedTuple

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.domain.model import (
    Day,
    Delegation,
    Item,
    Limit,
    Meeting,
    Speaker,
    Turn,
    default_limits,
)
from app.programme.checks import check_programme
from app.programme.roster import un_member_states, un_observer_states
from app.programme.schema import ItemFile, ProgrammeFile, RosterFile
from app.programme.source import (
    InvalidProgramme,
    Path,
    duplicate_keys,
    format_path,
    line_of,
    parse,
)

# Errors whose message we wrote ourselves (schema.py); pydantic's own are reworded below.
_OWN_ERRORS = {"time", "date", "timezone", "id", "warning"}


def load_programme(text: str, meeting_id: str | None = None) -> Meeting:
    """`meeting_id`: the meeting the file is imported into; a file written for another
    meeting is refused rather than imported under a name it does not carry."""
    data, root = parse(text)
    problems = [
        _Located(line, path, f'the key "{path[-1]}" is written twice')
        for path, line in duplicate_keys(root)
    ]
    if not isinstance(data, dict):
        raise InvalidProgramme(
            ["the file is empty"]
            if data is None
            else ["the file is not a programme: its top level must be a mapping of id, title..."]
        )
    written_id = data.get("id")
    if meeting_id is not None and isinstance(written_id, str) and written_id != meeting_id:
        sentence = f'this file is the programme of "{written_id}", not of "{meeting_id}"'
        problems.append(_locate(root, ("id",), sentence))
    try:
        programme = ProgrammeFile.model_validate(data)
    except ValidationError as exc:
        problems += [_locate(root, *_from_pydantic(e)) for e in exc.errors()]
        raise InvalidProgramme(_in_file_order(problems)) from None
    roster = _roster(programme.roster)
    problems += [_locate(root, p.path, p.sentence) for p in check_programme(programme, roster)]
    if problems:
        raise InvalidProgramme(_in_file_order(problems))
    return _to_meeting(programme, roster)


def dump_programme(meeting: Meeting) -> str:
    roster, delegations = _split_roster(meeting.delegations)
    defaults = default_limits()
    data = {
        "id": meeting.id,
        "title": meeting.title,
        "venue": meeting.venue,
        "room": meeting.room,
        "timezone": meeting.timezone,
        "policy": meeting.policy,
        "limits": {k: asdict(v) for k, v in meeting.limits.items() if defaults.get(k) != v},
        "roster": roster,
        "delegations": [asdict(d) for d in delegations],
        "speakers": [asdict(s) for s in meeting.speakers],
        "days": [asdict(day) for day in meeting.days],
    }
    programme = ProgrammeFile.model_validate(data)
    plain = programme.model_dump(mode="json", exclude_defaults=True)
    return yaml.dump(plain, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _roster(roster: RosterFile) -> tuple[Delegation, ...]:
    members = un_member_states() if roster.member_states == "un" else ()
    observers = un_observer_states() if roster.observer_states == "un" else ()
    return (*members, *observers)


def _split_roster(delegations: Sequence[Delegation]) -> tuple[RosterFile, list[Delegation]]:
    """The roster that generates the head of `delegations`, and the rest to write out."""
    rest = list(delegations)
    found: dict[str, str] = {}
    for name, generated in (
        ("member_states", un_member_states()),
        ("observer_states", un_observer_states()),
    ):
        if tuple(rest[: len(generated)]) == generated:
            found[name] = "un"
            rest = rest[len(generated) :]
    return RosterFile.model_validate(found), rest


def _to_meeting(programme: ProgrammeFile, roster: Sequence[Delegation]) -> Meeting:
    limits = {kind: Limit(v.limit_s, v.warning_s) for kind, v in programme.limits.items()}
    return Meeting(
        id=programme.id,
        title=programme.title,
        venue=programme.venue,
        room=programme.room,
        timezone=programme.timezone,
        days=tuple(
            Day(date=day.date, items=tuple(_to_item(item) for item in day.items))
            for day in programme.days
        ),
        delegations=(*roster, *(Delegation(**d.model_dump()) for d in programme.delegations)),
        speakers=tuple(Speaker(**s.model_dump()) for s in programme.speakers),
        policy=programme.policy,
        limits={**default_limits(), **limits},
    )


def _to_item(item: ItemFile) -> Item:
    return Item(
        **item.model_dump(exclude={"turns", "panelist_ids"}),
        turns=tuple(Turn(**turn.model_dump()) for turn in item.turns),
        panelist_ids=tuple(item.panelist_ids),
    )


def _from_pydantic(error: ErrorDetails) -> tuple[Path, str]:
    path = tuple(error["loc"])
    kind, message = error["type"], error["msg"]
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return path, "there is no such field here"
    if kind == "missing":
        return path, "this field is required"
    if kind in _OWN_ERRORS:
        return path, message
    if path and path[-1] == "[key]":
        path = path[:-1]
    message = message.removeprefix("Input ")
    return path, f"{message[0].lower()}{message[1:]}, not {_describe(error.get('input'))}"


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else str(value)


class _Located(NamedTuple):
    line: int | None
    path: Path
    sentence: str

    def __str__(self) -> str:
        where, at = format_path(self.path), f"line {self.line}" if self.line else ""
        if where and at:
            return f"{where} ({at}): {self.sentence}"
        return f"{where or at or 'the file'}: {self.sentence}"


def _locate(root: yaml.Node | None, path: Path, sentence: str) -> _Located:
    return _Located(line_of(root, path), path, sentence)


def _in_file_order(problems: list[_Located]) -> list[str]:
    return [str(p) for p in sorted(problems, key=lambda p: p.line or 0)]


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)
