"""Configuration from the environment (prefix FLOORKEEPER_, except REDIS_URL)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal, Self

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLOORKEEPER_", extra="ignore")

    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "FLOORKEEPER_REDIS_URL")
    )
    """An external Redis server. Unset: the app starts and supervises its own.
    `redis+cluster://host:port` names one node of a Redis Cluster."""
    redis_cluster: bool = False
    """Treat REDIS_URL as a node of a Redis Cluster whatever its scheme."""
    redis_timeout_s: float = 5.0
    """The longest a request waits for Redis before it is answered 503."""
    data_dir: Path = Path("var")
    """Where the embedded Redis keeps its append-only file."""
    demo: bool = False
    """Load the demo meetings (the seed's programme, and its side events as meetings of their
    own) at start, each one if it is not there yet."""
    demo_today: bool = True
    """Hold the demo's two days today and tomorrow (in the venue's time zone), so that its
    clock means something; false keeps the seed's dates, 19-20 June 2017."""
    send_timeout_s: float = 10.0
    """A websocket client that has not taken a message for this long is dropped."""
    heartbeat_s: float = 20.0
    freeze_gc: bool = True
    """Keep the cycle collector off long-lived connections (app/realtime/collector.py)."""
    mode: Literal["development", "production"] = "development"
    secretariat_token: str | None = None
    """The secretariat's sign-in secret. Required in production; in development a random one
    is made at start and written to <data_dir>/secretariat-token (never to the log)."""
    allowed_origins: list[str] = []
    """Web origins, besides the app's own, whose pages may open websockets."""
    frame_ancestors: dict[str, str] = {}
    """Pages that other sites may frame: path prefix -> the origins allowed to (JSON, for
    example {"/overlay": "https://broadcast.example.org"}); every other page refuses framing."""
    venue_ca_url: str | None = None
    """The address of the venue's own certificate authority (deploy/venue-cert.sh writes it):
    the access sheet prints it, with its QR code, on a card that tablets scan first."""

    # --- hardening (app/http/, app/access/, app/realtime/limits.py) ----------------------

    trusted_proxies: list[str] = []
    """Addresses or networks (JSON list, e.g. ["172.18.0.0/16"]) of the proxies whose
    X-Forwarded-For names the client; from anyone else the header is ignored."""

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: list[str]) -> list[str]:
        for proxy in value:
            ipaddress.ip_network(proxy, strict=False)  # a ValueError names the bad one
        return value

    @model_validator(mode="after")
    def _strong_secretariat_token(self) -> Self:
        if self.mode == "production":
            check_secretariat_token(self.secretariat_token)
        return self


SECRETARIAT_TOKEN_MIN = 32


def check_secretariat_token(token: str | None) -> None:
    """Production needs a token nobody guesses: the sign-in counts wrong codes, but a token
    such as `x` falls to the first few tries."""
    make_one = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'
    if not token:
        raise ValueError(
            f"FLOORKEEPER_SECRETARIAT_TOKEN must be set in production mode ({make_one})"
        )
    if len(token) < SECRETARIAT_TOKEN_MIN or len(set(token)) < 10:
        raise ValueError(
            f"FLOORKEEPER_SECRETARIAT_TOKEN is too weak for production mode: it needs at least "
            f"{SECRETARIAT_TOKEN_MIN} characters, not all alike ({make_one})"
        )
