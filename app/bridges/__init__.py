"""The room's microphones: bridges between Floorkeeper and the conference systems.

Layers, each importing only the ones above it in this list:

- `events`: what every conference system reports and is told, in the bridge's words;
- `cocon`, `dicentis`, `shure`: one sans-I/O adapter per system, speaking its documented
  protocol (docs/bridges.md and ../shared sources): bytes or JSON in, typed events and
  wire messages out, no socket, no asyncio;
- `links`: thin asyncio drivers that run an adapter against a real connection, with
  reconnection and backoff;
- `simulators`: small servers that speak the same documented protocols on real sockets, for
  the tests and for a newcomer without a conference system at hand.
"""
