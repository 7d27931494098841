"""The floor: who may ask, in which order they are heard, and who speaks now.

Pure rules. No Redis, no asyncio, no clock: `now` (server ms) is an argument and every
function returns a new `FloorState` or raises a `DomainError` and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from app.domain.acts import (
    Details,
    FloorClosed,
    FloorGiven,
    FloorRequested,
    ItemStarted,
    NextCalled,
    Nothing,
    RequestDeferred,
    RequestMoved,
    RequestRemoved,
    RequestWithdrawn,
    SegmentSwitched,
    TimerAdjusted,
)
from app.domain.model import DelegationKind, Meeting, SegmentKind, SpeakerKind, Turn, TurnKind
from app.errors import Conflict, Invalid, NotFound
from app.timers import rules as timers
from app.timers.rules import Timer


@dataclass(frozen=True, slots=True)
class FloorRequest:
    delegation_id: str
    requested_at: int
    seq: int
    """Arrival order, unique within the meeting."""
    deferred: bool = False


@dataclass(frozen=True, slots=True)
class Segment:
    kind: SegmentKind
    number: int
    started_at: int | None = None
    interventions: int = 0
    heard: tuple[str, ...] = ()
    """Speakers heard in this segment, in order."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Grant:
    """Who was given the floor, when, by whom, in which item and segment."""

    number: int
    speaker_kind: SpeakerKind
    speaker_id: str
    name: str
    item_id: str | None
    segment_kind: SegmentKind | None
    segment_number: int | None
    granted_by: str
    granted_at: int
    out_of_turn: bool = False
    turn_id: str | None = None
    requested_at: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Intervention(Grant):
    """The intervention under way, with its clock."""

    timer: Timer


@dataclass(frozen=True, slots=True, kw_only=True)
class InterventionRecord(Grant):
    """An ended intervention, as the record keeps it."""

    ended_at: int
    spoken_ms: int
    limit_ms: int
    overrun_ms: int
    pauses: int
    ended_by: str
    resets: int = 0
    """How often the clock was reset; `spoken_ms` keeps what was spoken before each."""
    added_ms: int = 0
    """Extra time granted (negative: taken away); the limit given was limit_ms - added_ms."""


@dataclass(frozen=True, slots=True)
class ItemTimes:
    item_id: str
    started_at: int
    ended_at: int | None = None
    floor_interventions: int = 0
    """Interventions by delegations heard in this item, and the time they spoke: the pace
    that the forecast of the waiting line assumes."""
    floor_spoken_ms: int = 0


@dataclass(frozen=True, slots=True)
class FloorState:
    item_id: str | None = None
    is_open: bool = False
    segment: Segment = Segment(SegmentKind.MEMBER_STATES, 1)
    line: tuple[FloorRequest, ...] = ()
    """Waiting requests in the order they will be heard."""
    current: Intervention | None = None
    spoken: tuple[str, ...] = ()
    """Delegations heard in the current item."""
    next_seq: int = 1
    interventions: int = 0
    items: tuple[ItemTimes, ...] = ()
    """Actual start and end of the items taken up so far."""


@dataclass(frozen=True, slots=True)
class Change:
    """The result of one act: the new state and what the record keeps of it."""

    state: FloorState
    details: Details
    ended: InterventionRecord | None = None


# --- the line -----------------------------------------------------------------


def _class_rank(meeting: Meeting, delegation_id: str) -> int:
    delegation = meeting.delegation(delegation_id)
    if delegation.kind is DelegationKind.MEMBER_STATE:
        return 0
    if delegation.kind is DelegationKind.OBSERVER_STATE:
        return 0 if meeting.policy.observers == "with_member_states" else 1
    return 2


def _rank(meeting: Meeting, state: FloorState, request: FloorRequest) -> tuple[int, int]:
    spoken = int(meeting.policy.not_spoken_first and request.delegation_id in state.spoken)
    return (_class_rank(meeting, request.delegation_id), spoken)


def _insert(meeting: Meeting, state: FloorState, request: FloorRequest) -> tuple[FloorRequest, ...]:
    """Place a request after every waiting request that the policy puts before or beside it."""
    rank = _rank(meeting, state, request)
    line = list(state.line)
    position = 0
    for index in range(len(line) - 1, -1, -1):
        if _rank(meeting, state, line[index]) <= rank:
            position = index + 1
            break
    line.insert(position, request)
    return tuple(line)


def place_of(state: FloorState, delegation_id: str) -> int | None:
    """1-based place in line, or None when the delegation is not waiting."""
    for index, request in enumerate(state.line):
        if request.delegation_id == delegation_id:
            return index + 1
    return None


def _find(state: FloorState, delegation_id: str) -> FloorRequest:
    for request in state.line:
        if request.delegation_id == delegation_id:
            return request
    raise NotFound(f"'{delegation_id}' has no pending floor request", "not_waiting")


def _without(state: FloorState, delegation_id: str) -> tuple[FloorRequest, ...]:
    return tuple(r for r in state.line if r.delegation_id != delegation_id)


def eligible(meeting: Meeting, segment: SegmentKind, delegation_id: str) -> bool:
    """Whether a waiting delegation may be called in a segment of this kind."""
    kind = meeting.delegation(delegation_id).kind
    if segment is SegmentKind.PANELISTS:
        return False
    if segment is SegmentKind.STAKEHOLDERS:
        return kind is DelegationKind.STAKEHOLDER
    if kind is DelegationKind.STAKEHOLDER:
        return meeting.policy.stakeholders == "after_states"
    return True


# --- requests -------------------------------------------------------------------


def open_floor(state: FloorState, now: int) -> Change:
    if state.is_open:
        raise Conflict("the floor is already open", "floor_already_open")
    segment = state.segment
    if segment.started_at is None:
        segment = replace(segment, started_at=now)
    return Change(replace(state, is_open=True, segment=segment), Nothing())


def close_floor(state: FloorState) -> Change:
    if not state.is_open:
        raise Conflict("the floor is already closed", "floor_already_closed")
    return Change(replace(state, is_open=False), FloorClosed(waiting=len(state.line)))


def request_floor(meeting: Meeting, state: FloorState, delegation_id: str, now: int) -> Change:
    name = meeting.delegation(delegation_id).name  # an unknown delegation is refused first
    if not state.is_open:
        raise Conflict("the floor is not open", "floor_not_open")
    if any(r.delegation_id == delegation_id for r in state.line):
        raise Conflict(f"{name} already has a pending request", "already_waiting", name=name)
    if state.current is not None and state.current.speaker_id == delegation_id:
        raise Conflict(f"{name} has the floor now", "has_floor", name=name)
    request = FloorRequest(delegation_id=delegation_id, requested_at=now, seq=state.next_seq)
    line = _insert(meeting, state, request)
    new = replace(state, line=line, next_seq=state.next_seq + 1)
    place = place_of(new, delegation_id)
    assert place is not None
    return Change(new, FloorRequested(delegation_id=delegation_id, place=place))


def withdraw_request(state: FloorState, delegation_id: str) -> Change:
    _find(state, delegation_id)
    return Change(
        replace(state, line=_without(state, delegation_id)), RequestWithdrawn(delegation_id)
    )


def remove_request(state: FloorState, delegation_id: str) -> Change:
    request = _find(state, delegation_id)
    return Change(
        replace(state, line=_without(state, delegation_id)),
        RequestRemoved(delegation_id=delegation_id, requested_at=request.requested_at),
    )


def move_request(state: FloorState, delegation_id: str, place: int) -> Change:
    request = _find(state, delegation_id)
    if not 1 <= place <= len(state.line):
        raise Invalid(f"place must be between 1 and {len(state.line)}")
    line = list(_without(state, delegation_id))
    line.insert(place - 1, request)
    return Change(
        replace(state, line=tuple(line)),
        RequestMoved(delegation_id, from_place=state.line.index(request) + 1, to_place=place),
    )


def defer_request(meeting: Meeting, state: FloorState, delegation_id: str) -> Change:
    """Later, within its own kind: the request goes behind the next `defer_behind` requests
    of its kind (Member States, Observer States, stakeholders), or to the end of its kind if
    fewer wait, and keeps that place: requests made after it are placed behind it."""
    request = _find(state, delegation_id)
    kind = _class_rank(meeting, delegation_id)
    line = list(_without(state, delegation_id))
    start = next(i for i, r in enumerate(state.line) if r.delegation_id == delegation_id)
    position, passed = start, 0
    while position < len(line) and passed < meeting.policy.defer_behind:
        if _class_rank(meeting, line[position].delegation_id) != kind:
            break
        passed += 1
        position += 1
    line.insert(position, replace(request, deferred=True))
    place = position + 1
    return Change(replace(state, line=tuple(line)), RequestDeferred(delegation_id, place))


# --- who speaks next ---------------------------------------------------------------


def next_panelist(meeting: Meeting, state: FloorState) -> str | None:
    if state.item_id is None:
        return None
    for panelist_id in meeting.item(state.item_id).panelist_ids:
        if panelist_id not in state.segment.heard:
            return panelist_id
    return None


def proposed_next(meeting: Meeting, state: FloorState) -> str | None:
    """The speaker `call_next` would give the floor to: a delegation or panelist id."""
    if state.segment.kind is SegmentKind.PANELISTS:
        return next_panelist(meeting, state)
    for request in state.line:
        if eligible(meeting, state.segment.kind, request.delegation_id):
            return request.delegation_id
    return None


def upcoming(meeting: Meeting, state: FloorState, count: int) -> list[str]:
    """The next few speakers in this segment, in the order the policy would call them."""
    if state.segment.kind is SegmentKind.PANELISTS:
        if state.item_id is None:
            return []
        item = meeting.item(state.item_id)
        return [p for p in item.panelist_ids if p not in state.segment.heard][:count]
    ids = [r.delegation_id for r in state.line]
    return [d for d in ids if eligible(meeting, state.segment.kind, d)][:count]


@dataclass(frozen=True, slots=True)
class SwitchReason:
    """Why a segment switch is proposed, in words a screen can translate."""

    code: str
    """"interventions", "minutes", "no_one_waiting" or "panelists_done"."""
    count: int = 0

    @property
    def text(self) -> str:
        return {
            "interventions": f"{self.count} interventions in this segment",
            "minutes": f"{self.count} minutes in this segment",
            "no_one_waiting": "no one waiting in this segment",
            "panelists_done": "every panelist has responded",
        }[self.code]


def switch_reason(meeting: Meeting, state: FloorState, now: int) -> SwitchReason | None:
    """Why the moderator might now switch segment, or None."""
    segment = state.segment
    policy = meeting.policy
    if (
        policy.switch_after_interventions
        and segment.interventions >= policy.switch_after_interventions
    ):
        return SwitchReason("interventions", segment.interventions)
    if (
        policy.switch_after_minutes
        and segment.started_at is not None
        and now - segment.started_at >= policy.switch_after_minutes * 60_000
    ):
        return SwitchReason("minutes", policy.switch_after_minutes)
    if segment.kind is not SegmentKind.PANELISTS and proposed_next(meeting, state) is None:
        return SwitchReason("no_one_waiting") if segment.interventions else None
    if segment.kind is SegmentKind.PANELISTS and next_panelist(meeting, state) is None:
        return SwitchReason("panelists_done")
    return None


def switch_proposal(meeting: Meeting, state: FloorState, now: int) -> str | None:
    """The same reason as an English sentence."""
    reason = switch_reason(meeting, state, now)
    return reason.text if reason else None


def _end(state: FloorState, now: int, by: str) -> tuple[FloorState, InterventionRecord | None]:
    current = state.current
    if current is None:
        return state, None
    timer = timers.stop(current.timer, now)
    granted = {f.name: getattr(current, f.name) for f in fields(Grant)}
    record = InterventionRecord(
        **granted,
        ended_at=now,
        spoken_ms=timers.spoken(timer, now),
        limit_ms=timer.limit_ms,
        overrun_ms=timers.overrun(timer, now),
        pauses=timer.pauses,
        ended_by=by,
        resets=timer.resets,
        added_ms=timer.added_ms,
    )
    items = state.items
    if record.speaker_kind is SpeakerKind.DELEGATION:
        items = tuple(
            replace(
                t,
                floor_interventions=t.floor_interventions + 1,
                floor_spoken_ms=t.floor_spoken_ms + record.spoken_ms,
            )
            if t.item_id == record.item_id and t.ended_at is None
            else t
            for t in items
        )
    return replace(state, current=None, items=items), record


def _grant(
    meeting: Meeting,
    state: FloorState,
    *,
    speaker_kind: SpeakerKind,
    speaker_id: str,
    name: str,
    kind: TurnKind,
    by: str,
    now: int,
    out_of_turn: bool,
    turn: Turn | None = None,
    item_id: str | None = None,
    requested_at: int | None = None,
) -> FloorState:
    limit = meeting.limit_for(kind, turn)
    timer = timers.new_timer(limit.limit_s * 1000, limit.warning_s * 1000)
    if meeting.policy.auto_start_timer:
        timer = timers.start(timer, now)
    in_segment = speaker_kind is not SpeakerKind.SCRIPTED
    segment = state.segment
    if in_segment:
        segment = replace(
            segment,
            started_at=segment.started_at if segment.started_at is not None else now,
            interventions=segment.interventions + 1,
            heard=(*segment.heard, speaker_id),
        )
    number = state.interventions + 1
    intervention = Intervention(
        number=number,
        speaker_kind=speaker_kind,
        speaker_id=speaker_id,
        name=name,
        item_id=item_id if item_id is not None else state.item_id,
        segment_kind=segment.kind if in_segment else None,
        segment_number=segment.number if in_segment else None,
        granted_by=by,
        granted_at=now,
        timer=timer,
        out_of_turn=out_of_turn,
        turn_id=turn.id if turn else None,
        requested_at=requested_at,
    )
    spoken = state.spoken
    if speaker_kind is SpeakerKind.DELEGATION and speaker_id not in spoken:
        spoken = tuple(sorted((*spoken, speaker_id)))
    return replace(
        state,
        current=intervention,
        segment=segment,
        interventions=number,
        spoken=spoken,
        line=_without(state, speaker_id) if speaker_kind is SpeakerKind.DELEGATION else state.line,
    )


def _grant_delegation(
    meeting: Meeting, state: FloorState, delegation_id: str, by: str, now: int, out_of_turn: bool
) -> FloorState:
    delegation = meeting.delegation(delegation_id)
    waiting = next((r for r in state.line if r.delegation_id == delegation_id), None)
    return _grant(
        meeting,
        state,
        speaker_kind=SpeakerKind.DELEGATION,
        speaker_id=delegation_id,
        name=delegation.name,
        kind=TurnKind.FLOOR,
        by=by,
        now=now,
        out_of_turn=out_of_turn,
        requested_at=waiting.requested_at if waiting else None,
    )


def _grant_panelist(
    meeting: Meeting, state: FloorState, speaker_id: str, by: str, now: int, out_of_turn: bool
) -> FloorState:
    speaker = meeting.speaker(speaker_id)
    return _grant(
        meeting,
        state,
        speaker_kind=SpeakerKind.PANELIST,
        speaker_id=speaker_id,
        name=speaker.name,
        kind=TurnKind.PANELIST_RESPONSE,
        by=by,
        now=now,
        out_of_turn=out_of_turn,
    )


def call_next(meeting: Meeting, state: FloorState, by: str, now: int) -> Change:
    """End the current intervention, if any, and give the floor to whom the policy picks."""
    chosen = proposed_next(meeting, state)
    if chosen is None:
        if state.segment.kind is SegmentKind.PANELISTS:
            raise Conflict(
                "every panelist has responded in this segment; switch segment", "panelists_done"
            )
        raise Conflict("no one is waiting for the floor in this segment", "no_one_waiting")
    ended_state, record = _end(state, now, by)
    if state.segment.kind is SegmentKind.PANELISTS:
        new = _grant_panelist(meeting, ended_state, chosen, by, now, out_of_turn=False)
    else:
        new = _grant_delegation(meeting, ended_state, chosen, by, now, out_of_turn=False)
    return Change(new, NextCalled(chosen), record)


def give_floor(
    meeting: Meeting,
    state: FloorState,
    by: str,
    now: int,
    *,
    delegation_id: str | None = None,
    speaker_id: str | None = None,
    turn_id: str | None = None,
) -> Change:
    """Give the floor to one chosen speaker, out of turn: a delegation, a panelist or a
    programme turn (a welcome, a presentation...)."""
    if sum(x is not None for x in (delegation_id, speaker_id, turn_id)) != 1:
        raise Invalid("name exactly one of delegation_id, speaker_id or turn_id")
    if state.current is not None and state.current.speaker_id in (delegation_id, speaker_id):
        name = state.current.name
        raise Conflict(f"{name} has the floor already", "floor_taken", name=name)
    if delegation_id is not None:
        meeting.delegation(delegation_id)
        ended_state, record = _end(state, now, by)
        new = _grant_delegation(meeting, ended_state, delegation_id, by, now, out_of_turn=True)
        return Change(new, FloorGiven(delegation_id=delegation_id), record)
    if speaker_id is not None:
        meeting.speaker(speaker_id)
        ended_state, record = _end(state, now, by)
        new = _grant_panelist(meeting, ended_state, speaker_id, by, now, out_of_turn=True)
        return Change(new, FloorGiven(speaker_id=speaker_id), record)
    assert turn_id is not None
    item, turn = meeting.turn(turn_id)
    if turn.speaker_id is not None:
        name = meeting.speaker(turn.speaker_id).name
        who = turn.speaker_id
    else:
        name, who = turn.label, turn.id
    ended_state, record = _end(state, now, by)
    new = _grant(
        meeting,
        ended_state,
        speaker_kind=SpeakerKind.SCRIPTED,
        speaker_id=who,
        name=name,
        kind=turn.kind,
        by=by,
        now=now,
        out_of_turn=False,
        turn=turn,
        item_id=item.id,
    )
    return Change(new, FloorGiven(turn_id=turn_id), record)


def end_intervention(state: FloorState, by: str, now: int) -> Change:
    if state.current is None:
        raise Conflict("no one has the floor", "no_one_has_floor")
    new, record = _end(state, now, by)
    return Change(new, Nothing(), record)


def switch_segment(state: FloorState, kind: SegmentKind | None, now: int) -> Change:
    """Start a new segment. Without a kind: Member States <-> panelists."""
    if kind is None:
        kind = (
            SegmentKind.MEMBER_STATES
            if state.segment.kind is not SegmentKind.MEMBER_STATES
            else SegmentKind.PANELISTS
        )
    if kind is state.segment.kind and state.segment.interventions == 0:
        raise Conflict(f"a {kind.value.replace('_', ' ')} segment has just begun")
    segment = Segment(kind=kind, number=state.segment.number + 1, started_at=now)
    return Change(replace(state, segment=segment), SegmentSwitched(kind, segment.number))


def start_item(meeting: Meeting, state: FloorState, item_id: str, by: str, now: int) -> Change:
    """Take up an agenda item: the previous one ends, its line is cleared (and recorded)."""
    meeting.item(item_id)
    if state.item_id == item_id:
        raise Conflict("this agenda item is already under way", "item_under_way")
    ended_state, record = _end(state, now, by)
    items = tuple(
        replace(t, ended_at=now) if t.item_id == state.item_id and t.ended_at is None else t
        for t in ended_state.items
        if t.item_id != item_id
    )
    new = replace(
        ended_state,
        item_id=item_id,
        is_open=False,
        segment=Segment(SegmentKind.MEMBER_STATES, 1),
        line=(),
        spoken=(),
        items=(*items, ItemTimes(item_id=item_id, started_at=now)),
    )
    not_heard = tuple(r.delegation_id for r in state.line)
    return Change(new, ItemStarted(item_id, not_heard), record)


# --- the clock of the current intervention ------------------------------------------


def _with_timer(state: FloorState, timer: Timer) -> FloorState:
    assert state.current is not None
    return replace(state, current=replace(state.current, timer=timer))


def _current(state: FloorState) -> Intervention:
    if state.current is None:
        raise Conflict("no one has the floor, so there is no clock to change", "no_clock")
    return state.current


def start_timer(state: FloorState, now: int) -> Change:
    return Change(_with_timer(state, timers.start(_current(state).timer, now)), Nothing())


def pause_timer(state: FloorState, now: int) -> Change:
    return Change(_with_timer(state, timers.pause(_current(state).timer, now)), Nothing())


def resume_timer(state: FloorState, now: int) -> Change:
    return Change(_with_timer(state, timers.resume(_current(state).timer, now)), Nothing())


def adjust_timer(state: FloorState, delta_ms: int) -> Change:
    if delta_ms == 0:
        raise Invalid("the change of time must not be zero")
    timer = timers.adjust(_current(state).timer, delta_ms)
    return Change(_with_timer(state, timer), TimerAdjusted(delta_ms, timer.limit_ms))


def reset_timer(state: FloorState, now: int) -> Change:
    return Change(_with_timer(state, timers.reset(_current(state).timer, now)), Nothing())
