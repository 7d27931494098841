"""Route parameters shared by the HTTP routes: what a meeting, delegation or item id in a
path may be, and the idempotency header of a tablet that retries."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Path

MeetingId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
DelegationId = Annotated[str, Path(min_length=1, max_length=64)]
ItemId = Annotated[str, Path(min_length=1, max_length=128)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="a tablet that retries sends the same key: it gets the first answer again",
    ),
]
