"""The broadcast fast path: the frame it writes is the frame websockets would write, and
only uvicorn's websocket protocol gets a direct writer."""

from __future__ import annotations

import pytest
from websockets.frames import Frame, Opcode

from app.realtime.fastpath import SCOPE_KEY, expose_protocol, socket_writer, text_frame


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x",
        "a" * 125,
        "a" * 126,
        "a" * 65535,
        "a" * 65536,
        "a" * 70000,
        '{"type":"live","version":42}',
        "Côte d'Ivoire, Türkiye, 中国, الإمارات",
        "é" * 63,  # 126 bytes: the length is counted in bytes, not characters
    ],
)
def test_text_frame_is_what_websockets_serializes(text: str) -> None:
    expected = Frame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])
    assert text_frame(text) == expected


def test_other_servers_get_no_writer() -> None:
    assert socket_writer({"type": "websocket"}) is None
    assert socket_writer({"type": "websocket", "extensions": {SCOPE_KEY: object()}}) is None


async def test_the_wrapper_passes_every_scope_through_and_adds_nothing_for_other_servers() -> None:
    seen: list[dict[str, object]] = []

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        seen.append(scope)

    async def receive():  # type: ignore[no-untyped-def]
        return {}

    async def send(message):  # type: ignore[no-untyped-def]
        return None

    wrapped = expose_protocol(app)
    await wrapped({"type": "http"}, receive, send)
    await wrapped({"type": "websocket", "extensions": {}}, receive, send)
    assert seen == [{"type": "http"}, {"type": "websocket", "extensions": {}}]
