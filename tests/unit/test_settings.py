"""Settings that refuse a start which would leave the venue open."""

from __future__ import annotations

import secrets

import pytest
from pydantic import ValidationError

from app.settings import Settings


@pytest.mark.parametrize(
    "token", [None, "x", "secret", "a" * 40, "abcdabcdabcdabcdabcdabcdabcdabcd"]
)
def test_production_refuses_a_missing_or_weak_secretariat_token(token: str | None) -> None:
    with pytest.raises(ValidationError, match="FLOORKEEPER_SECRETARIAT_TOKEN"):
        Settings(mode="production", secretariat_token=token)


def test_production_starts_with_a_strong_token_and_development_with_any() -> None:
    strong = secrets.token_urlsafe(32)
    assert Settings(mode="production", secretariat_token=strong).secretariat_token == strong
    assert Settings(mode="development", secretariat_token="x").secretariat_token == "x"
