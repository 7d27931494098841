"""Wrong access codes limited without locking the room out.

The old lockout counted wrong codes per peer address and was checked before the code: behind
nginx or the venue's NAT every tablet shares one address, so twenty wrong codes from anyone
locked every delegation out, correct codes included. Here each sign-in attempt is charged to
several buckets, each with its own bound over `WINDOW_S`:

- the device (a random cookie the server gives, `fk_device`): `DEVICE_MAX`; a device that
  guesses locks only itself out;
- the code's first half (`K7MQ` of `K7MQ-3XPA`): `PREFIX_MAX`, so that someone who read
  half a code over a shoulder cannot try the 923,521 other halves;
- the client's address (its digest; a forwarded address only from a configured proxy):
  `ADDRESS_MAX`, high, since a whole room may share one;
- everyone: `GLOBAL_MAX`, the slow bound that makes random guessing hopeless (about
  8.5 × 10^11 codes; at 500 wrong ones per 5 minutes, decades to find any of a few hundred).

A device that has signed in with a correct code before (a known device, remembered
`KNOWN_DEVICE_S`) is charged to its own bucket only: whatever someone else guesses, the
room's tablets and consoles sign in again. The attempt is reserved in every bucket before
the code is looked at, in one script (so 200 guesses at once evaluate at most the bound),
and a correct code is refunded: only wrong codes count.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from app.errors import TooManyRequests
from app.redis_client import StoreClient

WINDOW_S = 300
DEVICE_MAX = 10
PREFIX_MAX = 10
ADDRESS_MAX = 100
GLOBAL_MAX = 500
KNOWN_DEVICE_S = 30 * 24 * 3600

# One hash tag for every bucket, so that a Redis Cluster runs the script on one node.
PREFIX = "fk:{signin}"

RESERVE_SCRIPT = """
for i, key in ipairs(KEYS) do
  local hits = tonumber(redis.call('GET', key) or '0')
  if hits >= tonumber(ARGV[i + 1]) then
    return {i, redis.call('TTL', key)}
  end
end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[1]) end
end
return {0, 0}
"""

REFUND_SCRIPT = """
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0
"""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Attempt:
    """Who is signing in, as far as the server can tell."""

    device: str
    """The device cookie's value (made by the server; never trusted as more than a name)."""
    address: str
    """The client's address, resolved through the configured proxies only."""


WHY = {
    "device": "too many wrong codes from this device",
    "prefix": "too many wrong codes starting like this one",
    "address": "too many wrong codes from this network address",
    "global": "too many wrong codes are being tried on this server",
}


class SignInGuard:
    def __init__(self, redis: StoreClient) -> None:
        self.redis = redis
        self._reserve = redis.register_script(RESERVE_SCRIPT)
        self._refund = redis.register_script(REFUND_SCRIPT)

    def _buckets(
        self, attempt: Attempt, prefix: str | None, known: bool
    ) -> list[tuple[str, str, int]]:
        buckets = [("device", f"{PREFIX}:device:{_digest(attempt.device)}", DEVICE_MAX)]
        if not known:
            if prefix is not None:
                buckets.append(("prefix", f"{PREFIX}:prefix:{_digest(prefix)}", PREFIX_MAX))
            buckets.append(("address", f"{PREFIX}:address:{_digest(attempt.address)}", ADDRESS_MAX))
            buckets.append(("global", f"{PREFIX}:global", GLOBAL_MAX))
        return buckets

    async def known(self, attempt: Attempt) -> bool:
        return bool(await self.redis.exists(f"{PREFIX}:known:{_digest(attempt.device)}"))

    async def reserve(self, attempt: Attempt, prefix: str | None) -> list[str]:
        """Charge the attempt to its buckets, or refuse it (429) if one is full. Answers the
        keys charged, for `refund`."""
        buckets = self._buckets(attempt, prefix, await self.known(attempt))
        keys = [key for _, key, _ in buckets]
        full, ttl = await self._reserve(keys=keys, args=[WINDOW_S, *(m for _, _, m in buckets)])
        if int(full):
            wait = max(1, int(ttl))
            why = WHY[buckets[int(full) - 1][0]]
            raise TooManyRequests(f"{why}; try again in {wait} s", "too_many_codes", seconds=wait)
        return keys

    async def succeeded(self, attempt: Attempt, keys: list[str]) -> None:
        """A correct code: not counted, and the device is known from now on."""
        await self._refund(keys=keys, args=[])
        await self.redis.set(f"{PREFIX}:known:{_digest(attempt.device)}", 1, ex=KNOWN_DEVICE_S)
