"""The venue deployment of docker-compose.yml, started as real processes from the same files:
deploy/redis.sh with the compose file's Redis arguments and a password, two app processes
with the compose file's environment (production mode), and Debian's nginx running
deploy/nginx.conf with a certificate made for the test by trustme.

Only what differs outside compose is changed: the host names and ports (everything listens on
127.0.0.1, on free ports), where the certificate and nginx's temporary files are (a temporary
directory), and the port in the redirect to HTTPS (compose serves it on 443)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
import trustme
import yaml

from app.redis_server import find_redis_binary
from tests.conftest import ROOT, AppServer, app_env, free_port, wait_for

HOST_NAME = "floorkeeper.venue.test"  # not a loopback name: Secure cookies need real HTTPS
NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_USER = "floorkeeper"


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return document


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:?message} and ${NAME:-default}, from `variables` only."""

    def one(found: re.Match[str]) -> str:
        name, default = found.group(1), found.group(3)
        if name in variables:
            return variables[name]
        if found.group(2) == ":-" and default is not None:
            return default
        raise KeyError(f"docker-compose.yml needs {name}")

    return re.sub(r"\$\{(\w+)(?:(:[?-])([^}]*))?\}", one, value)


def replace_once(text: str, old: str, new: str) -> str:
    """Fails when deploy/nginx.conf no longer has what the test changes."""
    assert text.count(old) >= 1, f"deploy/nginx.conf has no {old!r}"
    return text.replace(old, new)


@dataclass
class Venue:
    directory: Path
    ca: trustme.CA = field(default_factory=trustme.CA)
    redis_password: str = field(default_factory=lambda: secrets.token_hex(32))
    secretariat_token: str = field(default_factory=lambda: secrets.token_hex(16))
    redis_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    apps: list[AppServer] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    server_cert: trustme.LeafCert | None = None

    @property
    def base_url(self) -> str:
        """The address the screens are opened at (Chromium maps the name to 127.0.0.1)."""
        return f"https://{HOST_NAME}:{self.https_port}"

    @property
    def direct_url(self) -> str:
        """The same proxy by address, for clients of the test that do no name mapping."""
        return f"https://127.0.0.1:{self.https_port}"

    def tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    # Redis: deploy/redis.sh with the arguments of the compose file's command.
    def start_redis(self) -> None:
        service = compose()["services"]["redis"]
        assert service["entrypoint"] == ["/bin/sh", "/etc/floorkeeper/redis.sh"]
        assert "./deploy/redis.sh:/etc/floorkeeper/redis.sh:ro" in service["volumes"]
        data = self.directory / "redis"
        data.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("FLOORKEEPER_")}
        env["PATH"] = f"{Path(find_redis_binary()).parent}{os.pathsep}{env.get('PATH', '')}"
        env["FLOORKEEPER_REDIS_ACL_FILE"] = str(data / "users.acl")
        for name, value in service["environment"].items():
            env[name] = interpolate(str(value), self.variables())
        args = ["/bin/sh", str(ROOT / "deploy" / "redis.sh"), *service["command"]]
        args += ["--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", str(data)]
        args += ["--daemonize", "no", "--logfile", str(data / "redis.log")]
        self.processes.append(subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL))
        wait_for(self._redis_answers, "the venue's Redis did not start")

    def redis_client(self, username: str | None = None, password: str | None = None) -> redis.Redis:
        return redis.Redis(
            host="127.0.0.1",
            port=self.redis_port,
            username=username,
            password=password,
            socket_timeout=5,
        )

    def _redis_answers(self) -> bool:
        try:
            with self.redis_client(username=REDIS_USER, password=self.redis_password) as client:
                return bool(client.ping())
        except redis.ConnectionError:
            return False

    def variables(self) -> dict[str, str]:
        """What deploy/venue-secrets.sh and deploy/venue-cert.sh write to .env."""
        return {
            "FLOORKEEPER_REDIS_PASSWORD": self.redis_password,
            "FLOORKEEPER_SECRETARIAT_TOKEN": self.secretariat_token,
            "FLOORKEEPER_VENUE_CA_URL": self.authority_url,
        }

    @property
    def authority_url(self) -> str:
        """What deploy/venue-cert.sh adds to .env (the port is the test's)."""
        return f"http://{HOST_NAME}:{self.http_port}/venue-ca.crt"

    # The two apps: the compose file's environment, Redis's host name changed.
    def start_apps(self) -> None:
        services = compose()["services"]
        for name in ("app-1", "app-2"):
            env = app_env()
            for key, value in services[name]["environment"].items():
                env[key] = interpolate(str(value), self.variables())
            compose_url = env["REDIS_URL"]
            env["REDIS_URL"] = compose_url.replace("@redis:6379/", f"@127.0.0.1:{self.redis_port}/")
            assert env["REDIS_URL"] != compose_url, compose_url
            assert env["FLOORKEEPER_MODE"] == "production"
            app = AppServer(env=env, demo=False, log_path=self.directory / f"{name}.log")
            app.start()
            self.apps.append(app)

    # nginx: deploy/nginx.conf, its host names, ports and paths changed.
    def nginx_config(self) -> str:
        config = (ROOT / "deploy" / "nginx.conf").read_text()
        for n, app in enumerate(self.apps, start=1):
            config = replace_once(config, f"server app-{n}:8000", f"server 127.0.0.1:{app.port}")
        config = replace_once(config, "listen 80;", f"listen 127.0.0.1:{self.http_port};")
        config = replace_once(config, "listen 443 ssl;", f"listen 127.0.0.1:{self.https_port} ssl;")
        config = replace_once(
            config, "https://$host$request_uri", f"https://$host:{self.https_port}$request_uri"
        )
        config = replace_once(config, "/etc/nginx/certs", str(self.directory / "certs"))
        temp = self.directory / "nginx"
        paths = "".join(
            f"    {kind}_temp_path {temp / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        return replace_once(config, "http {\n", "http {\n" + paths)

    def start_nginx(self) -> None:
        certs = self.directory / "certs"
        certs.mkdir(mode=0o755)
        server = self.ca.issue_cert(HOST_NAME, "127.0.0.1")
        server.cert_chain_pems[0].write_to_path(str(certs / "venue.crt"))
        server.private_key_pem.write_to_path(str(certs / "venue.key"))
        (certs / "venue.key").chmod(0o600)
        self.ca.cert_pem.write_to_path(str(certs / "venue-ca.crt"))
        self.server_cert = server
        temp = self.directory / "nginx"
        temp.mkdir(mode=0o755)
        conf = temp / "nginx.conf"
        conf.write_text(self.nginx_config())
        args = [NGINX, "-p", str(temp), "-c", str(conf), "-e", str(temp / "error.log")]
        args += ["-g", f"daemon off; pid {temp / 'nginx.pid'};"]
        check = subprocess.run([*args, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.processes.append(subprocess.Popen(args, stdin=subprocess.DEVNULL))
        wait_for(self._nginx_answers, "nginx did not start")

    def _nginx_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.https_port), timeout=1):
                return True
        except OSError:
            return False

    def start(self) -> None:
        self.directory.chmod(0o755)  # nginx's workers run as another user
        self.start_redis()
        self.start_apps()
        self.start_nginx()

    def logs(self) -> str:
        """Every log of the topology: the apps', Redis's and nginx's."""
        return "\n".join(p.read_text(errors="replace") for p in self.directory.rglob("*.log"))

    def stop(self) -> None:
        for app in self.apps:
            app.stop()
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def start_venue() -> tuple[Venue, Callable[[], None]]:
    directory = Path(tempfile.mkdtemp(prefix="fk-venue-"))
    venue = Venue(directory)

    def stop() -> None:
        venue.stop()
        shutil.rmtree(directory, ignore_errors=True)

    try:
        venue.start()
    except BaseException:
        stop()
        raise
    return venue, stop
