"""Who a request comes from: its peer address, or the address a configured proxy forwarded.

`X-Forwarded-For` is anyone's to write: trusted from loopback, a local client could rotate it
for unlimited fresh identities. Only a peer named in `FLOORKEEPER_TRUSTED_PROXIES` may speak
for the client, and then the client is the rightmost forwarded address that is not itself a
trusted proxy (nginx appends the peer it saw: what comes before is the client's to invent).
The answer is always a normalised IP address, never the header's text.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(peer: str | None, forwarded: list[str], proxies: tuple[Network, ...]) -> str:
    """`peer`: the socket's address; `forwarded`: each X-Forwarded-For header's value."""
    address = _ip(peer or "")
    if address is None:
        return "unknown"
    if not any(address in net for net in proxies):
        return str(address)
    hops = [hop for value in forwarded for hop in value.split(",")]
    for hop in reversed(hops):
        forwarded_ip = _ip(hop)
        if forwarded_ip is None:
            return str(address)  # a malformed chain: the proxy is all we know
        if not any(forwarded_ip in net for net in proxies):
            return str(forwarded_ip)
        address = forwarded_ip
    return str(address)
