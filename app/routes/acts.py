"""The answer every act gives: the version it made and what the record keeps of it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.meetings.committer import Committed


class ActResult(BaseModel):
    version: int
    at: int
    details: dict[str, Any]


def act_result(committed: Committed) -> ActResult:
    return ActResult(version=committed.version, at=committed.at, details=committed.change.details)
