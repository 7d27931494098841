"""One entry of a meeting's durable record: one versioned act, who did it, when, what the
record keeps of it (its typed details, app/domain/acts.py) and the intervention it ended.
Pure data; the store writes it as JSON (app/meetings/store.py: entry_json, parse_entry)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.acts import Act, Details
from app.queue.rules import InterventionRecord


@dataclass(frozen=True, slots=True)
class Entry:
    version: int
    at: int
    by: str
    act: Act
    details: Details
    ended: InterventionRecord | None = None
