"""Small meetings for tests: a roster of synthetic delegations and one panel."""

from __future__ import annotations

from dataclasses import replace

from app.domain.model import (
    Day,
    Delegation,
    DelegationKind,
    FloorPolicy,
    Item,
    ItemKind,
    Meeting,
    Region,
    Speaker,
    SpeakerRole,
    StakeholderType,
    Turn,
    TurnKind,
)

REGIONS = [r for r in Region if r is not Region.NONE]


def member_states(count: int) -> tuple[Delegation, ...]:
    return tuple(
        Delegation(
            id=f"M{n:03d}",
            name=f"Member State {n}",
            kind=DelegationKind.MEMBER_STATE,
            region=REGIONS[n % len(REGIONS)],
        )
        for n in range(1, count + 1)
    )


def make_meeting(
    meeting_id: str = "test", states: int = 6, policy: FloorPolicy | None = None
) -> Meeting:
    delegations = (
        *member_states(states),
        Delegation(id="VAT", name="Holy See", kind=DelegationKind.OBSERVER_STATE),
        Delegation(id="PSE", name="State of Palestine", kind=DelegationKind.OBSERVER_STATE),
        Delegation(
            id="sh-ngo",
            name="A Civil Society Network",
            kind=DelegationKind.STAKEHOLDER,
            subtype=StakeholderType.CIVIL_SOCIETY,
        ),
        Delegation(
            id="sh-igo",
            name="An Intergovernmental Organization",
            kind=DelegationKind.STAKEHOLDER,
            subtype=StakeholderType.IGO,
        ),
    )
    speakers = (
        Speaker("mod", "The Moderator", SpeakerRole.MODERATOR),
        Speaker("p-a", "Panelist A", SpeakerRole.PANELIST),
        Speaker("p-b", "Panelist B", SpeakerRole.PANELIST),
        Speaker("p-c", "Panelist C", SpeakerRole.PANELIST),
    )
    panel = Item(
        id="panel",
        kind=ItemKind.PANEL,
        title="Panel 1",
        start="10:15",
        end="13:00",
        moderator_id="mod",
        panelist_ids=("p-a", "p-b", "p-c"),
        has_floor=True,
        turns=(
            Turn("panel-opening", TurnKind.MODERATOR_OPENING, "Opening remarks", "mod"),
            Turn("panel-a", TurnKind.EXPERT_PRESENTATION, "Presentation", "p-a"),
        ),
    )
    closing = Item(id="closing", kind=ItemKind.CLOSING, title="Closing", start="17:50", end="18:00")
    meeting = Meeting(
        id=meeting_id,
        title="Test session",
        timezone="Europe/Zurich",
        days=(Day("2017-06-19", (panel, closing)),),
        delegations=delegations,
        speakers=speakers,
    )
    return replace(meeting, policy=policy) if policy else meeting
