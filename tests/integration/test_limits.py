"""Bodies bounded before they are read (app/http/limits.py), on the running app."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from app.http.limits import ACT_BYTES, IMPORT_BYTES
from app.programme import dump_programme
from tests.conftest import AppServer, Tokens, bearer
from tests.factories import make_meeting

M = "limits"


@pytest.fixture
async def client(live_server: AppServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=30) as client:
        yield client


def raw_request(server: AppServer, head: str, body: bytes = b"") -> bytes:
    """Send a request's head (and maybe a first part of its body), never the rest, and read
    the answer: a server that waits for the whole body never answers, and the read times
    out."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.sendall(head.encode() + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536) or b"\r\n\r\n"
        length = re.search(rb"content-length: (\d+)", answer.lower())
        end = answer.index(b"\r\n\r\n") + 4 + (int(length.group(1)) if length else 0)
        while len(answer) < end and (chunk := sock.recv(65536)):
            answer += chunk
        return answer


def test_an_anonymous_import_is_refused_before_its_body_is_read(live_server: AppServer) -> None:
    head = (
        f"PUT /api/meetings/demo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {30 * 1024 * 1024}\r\n\r\n"
    )
    answer = raw_request(live_server, head, b'{"id": "demo", ')
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]


def test_a_declared_over_size_act_is_answered_413_unread(live_server: AppServer) -> None:
    head = (
        "POST /api/meetings/demo/floor/open HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {ACT_BYTES + 1}\r\n\r\n"
    )
    answer = raw_request(live_server, head, b"{")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"at most 8192 bytes" in answer


def test_a_streamed_over_size_body_is_refused_with_a_sentence(live_server: AppServer) -> None:
    head = (
        "POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunks = b"".join(b"1000\r\n" + b"A" * 4096 + b"\r\n" for _ in range(3))  # no last chunk
    answer = raw_request(live_server, head, chunks)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"error":"too_large"' in answer.replace(b" ", b"")


async def test_the_secretariat_imports_a_programme_up_to_the_import_cap(
    live_server: AppServer, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    secretariat = bearer(tokens.secretariat)
    text = dump_programme(make_meeting(M))
    padded = text + "#" * (64 * 1024) + "\n"  # over an act's cap, well within an import's
    yaml_type = {"Content-Type": "application/yaml"}
    response = await client.put(
        f"/api/meetings/{M}/programme", content=padded, headers={**secretariat, **yaml_type}
    )
    assert response.status_code == 200, response.text
    head = (
        f"PUT /api/meetings/{M}/programme HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {tokens.secretariat}\r\n"
        f"Content-Type: application/yaml\r\nContent-Length: {IMPORT_BYTES + 1}\r\n\r\n"
    )
    answer = raw_request(live_server, head, text.encode())
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert f"a programme may have at most {IMPORT_BYTES} bytes".encode() in answer


def test_a_chair_cannot_send_an_import_sized_body(live_server: AppServer, tokens: Tokens) -> None:
    head = (
        "PUT /api/meetings/demo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {tokens.chair}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {IMPORT_BYTES}\r\n\r\n"
    )
    answer = raw_request(live_server, head, b"{")
    assert answer.startswith(b"HTTP/1.1 403"), answer[:200]


async def test_a_record_read_after_a_huge_version_is_invalid_input(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    response = await client.get(
        "/api/meetings/demo/record", params={"after": 10**20}, headers=bearer(tokens.chair)
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
