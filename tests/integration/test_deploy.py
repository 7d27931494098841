"""The venue deployment files: no Docker engine runs here, so check them as data. Everything
read here is in the repository, the Compose Specification's schema included (deploy/schema/)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "deploy" / "schema" / "compose-spec.json"


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return document


def test_docker_compose_follows_the_compose_specification() -> None:
    # The schema says draft-07 in a spelling jsonschema does not recognise: name it.
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))
    validator.validate(compose())
    broken = compose()
    broken["services"]["proxy"]["ports"] = "80:80"  # a string where a list belongs
    assert not validator.is_valid(broken), "the schema must catch a malformed file"


def test_redis_keeps_every_change_on_a_named_volume_and_two_apps_share_it() -> None:
    document = compose()
    services = document["services"]
    command = " ".join(services["redis"]["command"])
    assert "--appendonly yes" in command
    assert "--appendfsync always" in command
    volume = services["redis"]["volumes"][0].split(":")[0]
    assert volume in document["volumes"]
    apps = [s for s in services.values() if s.get("build") == "."]
    assert len(apps) == 2
    (url,) = {a["environment"]["REDIS_URL"] for a in apps}
    assert url.startswith("redis://floorkeeper:${FLOORKEEPER_REDIS_PASSWORD:?"), url
    assert url.endswith("@redis:6379/0"), url
    assert {a["environment"]["FLOORKEEPER_MODE"] for a in apps} == {"production"}
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in services["proxy"]["volumes"]
    assert "./deploy/certs:/etc/nginx/certs:ro" in services["proxy"]["volumes"]


def test_only_the_proxy_is_published_and_redis_wants_its_password() -> None:
    services = compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}, "Redis and the apps are reached from the compose network only"
    assert services["proxy"]["ports"] == ["80:80", "443:443"]
    redis = services["redis"]
    assert redis["entrypoint"] == ["/bin/sh", "/etc/floorkeeper/redis.sh"]
    assert redis["environment"]["FLOORKEEPER_REDIS_PASSWORD"].startswith(
        "${FLOORKEEPER_REDIS_PASSWORD:?"
    )
    # The health check reads the password from the environment, not from its command line.
    check = " ".join(redis["healthcheck"]["test"])
    assert "REDISCLI_AUTH=" in check
    assert " -a " not in check
    assert "--pass" not in check


def test_the_proxy_serves_https_with_hsts_and_sends_plain_http_there() -> None:
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "listen 443 ssl;" in config
    assert "ssl_certificate /etc/nginx/certs/venue.crt;" in config
    assert "ssl_certificate_key /etc/nginx/certs/venue.key;" in config
    assert 'add_header Strict-Transport-Security "max-age=31536000" always;' in config
    plain = re.search(r"listen 80;(.*?)\n    \}\n", config, flags=re.S)
    assert plain is not None
    assert "return 301 https://$host$request_uri;" in plain.group(1)
    assert "proxy_pass" not in plain.group(1), "nothing but the authority is served over HTTP"


def test_the_proxy_carries_websockets_to_both_replicas() -> None:
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    for line in (
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "server app-1:8000",
        "server app-2:8000",
    ):
        assert line in config
    read_timeout = re.search(r"location /ws/ \{[^}]*proxy_read_timeout (\d+)h;", config)
    assert read_timeout is not None, "websockets need a read timeout of hours, not 60 s"


def test_the_image_installs_the_wheel_and_runs_the_server_on_all_interfaces() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "pip wheel" in dockerfile
    assert "pip install /wheels/floorkeeper-*.whl" in dockerfile
    assert "PYTHONPATH" not in dockerfile, "the wheel carries the screens: no source tree needed"
    assert '"floorkeeper", "serve", "--host", "0.0.0.0"' in dockerfile
