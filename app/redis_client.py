"""The one Redis client of a process, for a single server or a Redis Cluster.

`redis+cluster://host:port` (or FLOORKEEPER_REDIS_CLUSTER=1 with a `redis://` URL) opens a
cluster client: every key of a meeting carries the meeting's hash tag, so the commit script
runs on the one node that owns that slot. Pub/sub needs no slot: a classic PUBLISH reaches
subscribers on every node of the cluster, so the hub listens on any one node, and on another
when that one goes away.

Timeouts are short and retries few, so that while Redis is away a request fails with 503 in
seconds instead of hanging; a restart of the server within about a second goes unnoticed.
"""

from __future__ import annotations

import random
from typing import Any

from redis.asyncio import Redis, RedisCluster
from redis.asyncio.client import PubSub
from redis.asyncio.connection import BlockingConnectionPool, ConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.exceptions import ConnectionError

StoreClient = Redis | RedisCluster

CLUSTER_SCHEME = "redis+cluster://"


def as_text(value: bytes | str) -> str:
    """A reply of this client (which does not decode) as text."""
    return value.decode() if isinstance(value, bytes) else value


def is_cluster_url(url: str) -> bool:
    return url.startswith(CLUSTER_SCHEME)


def _retry() -> Retry:
    """Retry a refused connection (a server restarting) for about a second; never retry a
    timeout, which would multiply the time a caller waits for a server that hangs."""
    backoff = ExponentialWithJitterBackoff(base=0.05, cap=0.4)
    return Retry(backoff, retries=4, supported_errors=(ConnectionError,))


def open_store(url: str, *, cluster: bool = False, timeout_s: float = 5.0) -> StoreClient:
    """A client for `url`; nothing is connected until the first command."""
    options: dict[str, Any] = {
        "socket_timeout": timeout_s,
        "socket_connect_timeout": min(timeout_s, 2.0),
        "retry": _retry(),
        "health_check_interval": 10,
    }
    if is_cluster_url(url) or cluster:
        plain = "redis://" + url.removeprefix(CLUSTER_SCHEME).removeprefix("redis://")
        return RedisCluster.from_url(plain, max_connections=256, **options)
    # A burst of 200 requests queues for one of 64 connections rather than opening 200;
    # the wait for a connection is bounded by the same timeout as a command.
    pool = BlockingConnectionPool.from_url(url, max_connections=64, timeout=timeout_s, **options)
    return Redis.from_pool(pool)


class Listener:
    """The hub's pub/sub connection: to the server, or to one node of a cluster.

    It has a client of its own that never reconnects by itself: a connection that drops has
    lost messages, and the hub must know it to catch up from the stored state."""

    def __init__(self, client: StoreClient, timeout_s: float = 5.0) -> None:
        self.client = client
        self.timeout_s = timeout_s
        self._client: Redis | None = None

    async def open(self) -> PubSub:
        await self.close()
        options: dict[str, Any] = {
            "socket_timeout": self.timeout_s,
            "socket_connect_timeout": min(self.timeout_s, 2.0),
            "retry": Retry(NoBackoff(), retries=0),
        }
        if isinstance(self.client, RedisCluster):
            await self.client.initialize()
            node = random.choice(self.client.get_nodes())
            # Classic PUBLISH is broadcast over the cluster bus: any one node will do.
            self._client = Redis(host=node.host, port=int(node.port), **options)
        else:
            pool = self.client.connection_pool
            kwargs = pool.connection_kwargs | options
            own = ConnectionPool(connection_class=pool.connection_class, **kwargs)
            self._client = Redis.from_pool(own)
        return self._client.pubsub(ignore_subscribe_messages=True)

    async def probe(self) -> None:
        """Raises when the server behind the pub/sub connection does not answer."""
        if self._client is None:
            raise ConnectionError("not connected")
        await self._client.ping()

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()
