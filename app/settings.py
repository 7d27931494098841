"""Configuration from the environment (prefix FLOORKEEPER_, except REDIS_URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
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
