"""How many of the waiting floor requests can still be heard before the slot ends.

Pure: no Redis, no clock; `now` is part of the input. The forecast lays out the rest of the
interactive discussion on a time line: the current speaker finishes (at once, if already
past the limit), any panelists still due in the current panelist segment respond, then the
waiting requests are heard in order, each taking the average length of the floor
interventions observed so far in this item (the floor limit until there is one). The
panelist segments still planned come after every `floor_segment_size` interventions, and
any not yet placed when the line runs out are kept back before the end of the slot (unless
`keep_back_segments` is off: then a segment comes only between requests that are heard), as
is `reserved_ms` (for example the moderator's concluding remarks). A request fits when it
ends, with everything still kept back after it, by the slot's scheduled end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.model import Item, Meeting, SegmentKind, SpeakerKind, TurnKind
from app.errors import Invalid
from app.queue.rules import FloorState, InterventionRecord, ItemTimes
from app.timers import rules as timers

FLOOR_LIMIT_MS = 180_000


class Suggestion(StrEnum):
    CLOSE_THE_FLOOR = "close the floor"
    LINE_FITS = "the line fits"


@dataclass(frozen=True, slots=True)
class ForecastInput:
    waiting: tuple[str, ...]
    """Delegation ids of the waiting requests, in the order they will be heard."""
    slot_end: int
    """Scheduled end of the slot, server ms."""
    now: int
    floor_limit_ms: int = FLOOR_LIMIT_MS
    observed_average_ms: int | None = None
    """Average length of the floor interventions so far in this item; None when none yet."""
    current_remaining_ms: int | None = None
    """The current speaker's remaining time (negative when overrunning); None: no one speaks."""
    panelist_segments: int = 0
    """Panelist segments still planned after the current one."""
    panelists: int = 3
    """Panelists who respond in each of those segments."""
    response_ms: int = 180_000
    """Expected length of one panelist response."""
    responses_before_floor: int = 0
    """Panelist responses still due in the current panelist segment, after the current speaker."""
    floor_segment_size: int | None = 5
    """Floor interventions between two panelist segments; None: the panelists come at the end."""
    heard_in_segment: int = 0
    """Floor interventions already heard in the current floor segment."""
    reserved_ms: int = 0
    """Time kept back at the end of the slot (for example the concluding remarks)."""
    keep_back_segments: bool = True
    """Whether planned panelist segments not yet placed are kept back before the end (a plan
    the moderator holds to), or come only between requests that are heard (the rounds the
    line calls for; a last round after the floor is then part of `reserved_ms`)."""

    def __post_init__(self) -> None:
        if self.floor_limit_ms <= 0:
            raise Invalid("the floor limit must be more than zero")
        if self.observed_average_ms is not None and self.observed_average_ms < 0:
            raise Invalid("an average length cannot be negative")
        counts = (
            self.panelist_segments,
            self.panelists,
            self.response_ms,
            self.responses_before_floor,
            self.heard_in_segment,
            self.reserved_ms,
        )
        if any(count < 0 for count in counts):
            raise Invalid("counts and lengths of time cannot be negative")
        if self.floor_segment_size is not None and self.floor_segment_size <= 0:
            raise Invalid("a floor segment must hold at least one intervention")


@dataclass(frozen=True, slots=True)
class ExpectedTurn:
    place: int
    """1-based place in the line."""
    delegation_id: str
    starts_at: int
    ends_at: int
    heard: bool
    """Whether it ends, with what is still kept back after it, by the slot's end."""


@dataclass(frozen=True, slots=True)
class Forecast:
    turns: tuple[ExpectedTurn, ...]
    heard: int
    """How many of the waiting requests will be heard before the slot ends."""
    not_heard: tuple[str, ...]
    """The waiting requests that will not fit, in line order."""
    intervention_ms: int
    """The length assumed for each floor intervention."""
    floor_free_at: int
    """When the floor is expected to pass to the first waiting request (before any panelist
    segment due at once)."""
    panelist_ms: int
    """Planned panelist time still to come, the current segment's remaining responses included."""
    spare_ms: int
    """Time left in the slot once the whole line and the planned segments are heard;
    negative: by how much they exceed the slot."""
    room_for: int
    """How many more requests of the assumed length would still fit after the line."""
    suggestion: Suggestion


def average_floor_ms(records: Iterable[InterventionRecord], item_id: str) -> int | None:
    """Average spoken length of the floor interventions by delegations in one item."""
    spoken = [
        r.spoken_ms
        for r in records
        if r.item_id == item_id and r.speaker_kind is SpeakerKind.DELEGATION
    ]
    if not spoken:
        return None
    return (sum(spoken) + len(spoken) // 2) // len(spoken)


def pace_ms(times: ItemTimes | None) -> int | None:
    """Average spoken length of the floor interventions heard so far in an item, from the
    tally the floor keeps (the same figure as `average_floor_ms` of its record)."""
    if times is None or times.floor_interventions == 0:
        return None
    count = times.floor_interventions
    return (times.floor_spoken_ms + count // 2) // count


_CONCLUDING = frozenset({TurnKind.MODERATOR_CONCLUDING, TurnKind.CLOSING})


def concluding_turns(item: Item) -> int:
    """How many of an item's last turns come after its floor: the moderator's concluding
    remarks, the co-facilitators' conclusions. 0 for an item without a floor."""
    if not item.has_floor:
        return 0
    count = 0
    for turn in reversed(item.turns):
        if turn.kind not in _CONCLUDING:
            break
        count += 1
    return count


def forecast_input(meeting: Meeting, floor: FloorState, slot_end: int, now: int) -> ForecastInput:
    """The input of the forecast for the item under way, from the floor's facts: its waiting
    line, the current speaker, its pace so far, its panelists and its concluding turns.

    The panelists respond in a round after every `switch_after_interventions` interventions
    (as the engine proposes), each round coming only if the requests before it are heard, and
    in a last round after the floor, kept back with the concluding turns."""
    if floor.item_id is None:
        raise Invalid("no agenda item is under way")
    item = meeting.item(floor.item_id)
    times = next((t for t in floor.items if t.item_id == item.id), None)
    segment = floor.segment
    in_panel = segment.kind is SegmentKind.PANELISTS
    heard = 0 if in_panel else segment.interventions
    size = meeting.policy.switch_after_interventions
    panelists = len(item.panelist_ids)
    response_ms = meeting.limit_for(TurnKind.PANELIST_RESPONSE).limit_s * 1000
    # No last round when the panelists are giving it now, with no one waiting after them.
    last_round = panelists * response_ms if panelists and not (in_panel and not floor.line) else 0
    concluding = item.turns[len(item.turns) - concluding_turns(item) :]
    return ForecastInput(
        waiting=tuple(r.delegation_id for r in floor.line),
        slot_end=slot_end,
        now=now,
        floor_limit_ms=meeting.limit_for(TurnKind.FLOOR).limit_s * 1000,
        observed_average_ms=pace_ms(times),
        current_remaining_ms=(
            timers.remaining(floor.current.timer, now) if floor.current is not None else None
        ),
        panelist_segments=_segments_between(heard, len(floor.line), size) if panelists else 0,
        panelists=panelists,
        response_ms=response_ms,
        responses_before_floor=(
            sum(p not in segment.heard for p in item.panelist_ids) if in_panel else 0
        ),
        floor_segment_size=size,
        heard_in_segment=heard,
        reserved_ms=last_round
        + sum(meeting.limit_for(t.kind, t).limit_s * 1000 for t in concluding),
        keep_back_segments=False,
    )


def _segments_between(heard: int, waiting: int, size: int | None) -> int:
    """Panelist segments that fall between the waiting requests, as `forecast` places them."""
    if size is None:
        return 0
    since, count = heard, 0
    for _ in range(waiting):
        if since >= size:
            count, since = count + 1, 0
        since += 1
    return count


def forecast(given: ForecastInput) -> Forecast:
    length = given.observed_average_ms or given.floor_limit_ms
    segment_ms = given.panelists * given.response_ms
    # A speaker past the limit is assumed to stop now; no one can end in the past.
    current_ms = max(0, given.current_remaining_ms or 0)
    floor_free_at = given.now + current_ms + given.responses_before_floor * given.response_ms
    segments_left = given.panelist_segments
    since_switch = given.heard_in_segment
    size = given.floor_segment_size
    at = floor_free_at
    turns: list[ExpectedTurn] = []
    fitting = True
    for place, delegation_id in enumerate(given.waiting, start=1):
        if size is not None and since_switch >= size and segments_left > 0:
            at += segment_ms
            segments_left -= 1
            since_switch = 0
        ends_at = at + length
        planned_ms = segments_left * segment_ms if given.keep_back_segments else 0
        kept_back = planned_ms + given.reserved_ms
        # Heard only as a prefix of the line: no one is skipped for a later, shorter slot.
        fitting = fitting and ends_at + kept_back <= given.slot_end
        turns.append(ExpectedTurn(place, delegation_id, at, ends_at, fitting))
        at = ends_at
        since_switch += 1
    spare_ms = given.slot_end - (at + segments_left * segment_ms + given.reserved_ms)
    room_for = max(0, spare_ms) // length
    not_heard = tuple(t.delegation_id for t in turns if not t.heard)
    # An empty or fitting line still calls for closing when not one more request could be heard.
    suggestion = Suggestion.CLOSE_THE_FLOOR if not_heard or room_for == 0 else Suggestion.LINE_FITS
    return Forecast(
        turns=tuple(turns),
        heard=len(turns) - len(not_heard),
        not_heard=not_heard,
        intervention_ms=length,
        floor_free_at=floor_free_at,
        panelist_ms=(given.responses_before_floor + given.panelists * given.panelist_segments)
        * given.response_ms,
        spare_ms=spare_ms,
        room_for=room_for,
        suggestion=suggestion,
    )
