"""The demo meeting: the seed's two-day thematic session, with the whole UN membership, and
the side events held in other rooms during its lunch breaks, each a meeting of its own."""

from dataclasses import replace
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from zoneinfo import ZoneInfo

from app.domain.model import Day, ItemKind, Meeting
from app.programme import load_programme


@cache
def demo_meeting() -> Meeting:
    """The meeting of `programme.yaml` (id "demo"), on the seed's dates. Cached: it is
    immutable, and loading it builds 195 delegations."""
    text = files(__package__).joinpath("programme.yaml").read_text(encoding="utf-8")
    return load_programme(text)


def demo_meetings(first_day: date | None = None) -> tuple[Meeting, ...]:
    """The plenary ("demo") and one meeting per side event of its programme ("demo-side-1",
    "demo-side-2"), each with its own floor, clock and screens.

    `first_day`: hold the session from that day on, its days keeping their gaps, instead of
    on the seed's 19-20 June 2017."""
    plenary = demo_meeting()
    if first_day is not None:
        plenary = move_days(plenary, first_day)
    return (plenary, *side_events(plenary))


def move_days(meeting: Meeting, first_day: date) -> Meeting:
    """The same programme, its first day on `first_day` and the others as far after it."""
    if not meeting.days:
        return meeting
    shift = first_day - date.fromisoformat(meeting.days[0].date)
    days = tuple(
        replace(d, date=(date.fromisoformat(d.date) + shift).isoformat()) for d in meeting.days
    )
    return replace(meeting, days=days)


def side_events(plenary: Meeting) -> tuple[Meeting, ...]:
    """A meeting for each side event of the plenary's programme: in the side event's room, at
    its time, with the plenary's roster; an interactive discussion from the floor."""
    held = [
        (day, item)
        for day in plenary.days
        for item in day.items
        if item.kind is ItemKind.SIDE_EVENT
    ]
    meetings = []
    for number, (day, item) in enumerate(held, start=1):
        room = item.room or plenary.room
        on = date.fromisoformat(day.date)
        venue = (
            plenary.venue.replace(plenary.room, room) if plenary.room and room else plenary.venue
        )
        meetings.append(
            Meeting(
                id=f"{plenary.id}-side-{number}",
                title=f"Side event in {room}, {on.day} {on:%B %Y}",
                venue=venue,
                room=room,
                timezone=plenary.timezone,
                days=(
                    Day(day.date, (replace(item, title="Side event", has_floor=True, room=None),)),
                ),
                delegations=plenary.delegations,
                policy=plenary.policy,
                limits=plenary.limits,
            )
        )
    return tuple(meetings)


def today_at_venue(now: datetime | None = None) -> date:
    """Today's date where the demo is held (Geneva): its day may not be the server's."""
    zone = ZoneInfo(demo_meeting().timezone)
    return (now or datetime.now(zone)).astimezone(zone).date()
