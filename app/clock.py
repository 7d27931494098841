"""The server's clock, in ms since the epoch: the one place that reads the time of day. The
rules never read it; they are given `now`."""

from __future__ import annotations

import time


def clock_ms() -> int:
    return time.time_ns() // 1_000_000
