"""Who a request comes from: forwarded addresses only through configured proxies."""

from __future__ import annotations

import pytest

from app.http.clients import Network, client_address, networks

NGINX = networks(["172.18.0.0/16"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "client"),
    [
        ("127.0.0.1", ["6.6.6.6"], (), "127.0.0.1"),  # loopback is not a proxy by default
        ("172.18.0.5", ["203.0.113.7"], NGINX, "203.0.113.7"),
        ("172.18.0.5", ["1.1.1.1, 203.0.113.7"], NGINX, "203.0.113.7"),  # the client's own
        ("172.18.0.5", ["203.0.113.7, 172.18.0.9"], NGINX, "203.0.113.7"),  # two proxies
        ("172.18.0.5", ["not-an-address"], NGINX, "172.18.0.5"),
        ("172.18.0.5", ["fk:{x}:evil"], NGINX, "172.18.0.5"),  # never a key's raw text
        ("172.18.0.5", [], NGINX, "172.18.0.5"),
        (None, [], (), "unknown"),
    ],
)
def test_the_client_is_the_rightmost_address_a_trusted_proxy_forwarded(
    peer: str | None, forwarded: list[str], proxies: tuple[Network, ...], client: str
) -> None:
    assert client_address(peer, forwarded, proxies) == client
