"""The wire protocol's three witnesses agree: the models (app/realtime/messages.py), their
documentation (docs/protocol.md: every type shown with every field) and the screens'
connection (web/shared/ws.js: a case for every type the server can send)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from app.realtime import messages

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "protocol.md"
WS_JS = ROOT / "web" / "shared" / "ws.js"

# The sections of docs/protocol.md that show each family of messages.
SECTIONS = {
    "## Messages the server sends": messages.SERVER_TYPES,
    "## Messages a client sends": messages.CLIENT_TYPES,
    "## Messages on the bus": messages.BUS_TYPES,
}


def _examples(section: str) -> dict[str, dict[str, Any]]:
    """The JSON objects of a section's code blocks (comments taken out), by their type."""
    text = DOC.read_text("utf-8")
    start = text.index(section)
    end = text.find("\n## ", start + 1)
    body = text[start : end if end >= 0 else len(text)]
    found: dict[str, dict[str, Any]] = {}
    decoder = json.JSONDecoder()
    for block in re.findall(r"```jsonc?\n(.*?)```", body, re.S):
        code = re.sub(r"//[^\n]*", "", block).strip()
        while code:
            value, at = decoder.raw_decode(code)
            assert isinstance(value, dict), f"{section}: an example is not an object"
            found[value["type"]] = value
            code = code[at:].strip()
    return found


@pytest.mark.parametrize("section", SECTIONS)
def test_every_message_is_documented_with_all_its_fields(section: str) -> None:
    examples = _examples(section)
    models = SECTIONS[section]
    assert set(examples) == set(models), f"{section}: documented types differ from the models"
    for kind, model in models.items():
        assert set(examples[kind]) == set(model.model_fields), f"{section}: {kind}'s fields"


@pytest.mark.parametrize("kind", sorted(messages.SERVER_TYPES))
def test_each_server_example_is_a_message_that_encodes_back_to_itself(kind: str) -> None:
    example = _examples("## Messages the server sends")[kind]
    parsed = messages.server_message.validate_python(example)
    assert json.loads(parsed.encode()) == example


def test_the_bus_examples_parse() -> None:
    for example in _examples("## Messages on the bus").values():
        assert messages.parse_bus(json.dumps(example)).type == example["type"]


def test_the_client_examples_parse() -> None:
    for example in _examples("## Messages a client sends").values():
        assert messages.parse_client(json.dumps(example)).type == example["type"]


def _cases_of_receive() -> set[str]:
    source = WS_JS.read_text("utf-8")
    start = source.index("  receive(message) {")
    end = source.index("\n  }\n", start)
    return set(re.findall(r'case "([a-z_]+)":', source[start:end]))


def test_the_screens_connection_handles_every_message_the_server_sends() -> None:
    handled = _cases_of_receive()
    assert handled, "no case found in ws.js's receive: the check would pass by itself"
    assert set(messages.SERVER_TYPES) - handled == set()


def test_no_bus_message_type_is_also_a_screens_message() -> None:
    # The hub tells them apart by type on one channel: a clash would reach the screens.
    assert set(messages.BUS_TYPES) & set(messages.SERVER_TYPES) == set()


def test_a_client_message_is_parsed_by_its_type_and_anything_else_is_refused() -> None:
    assert isinstance(messages.parse_client('{"type": "ping"}'), messages.Ping)
    clock = messages.parse_client('{"type": "clock", "client": 12.5}')
    assert isinstance(clock, messages.ClockRequest)
    assert clock.client == 12.5
    for bad in ('{"type": "shout"}', '{"type": "ping", "extra": 1}', '{"type": "clock"}', "[1]"):
        with pytest.raises(ValidationError):
            messages.parse_client(bad)


def test_messages_are_compact_json_with_their_type_first() -> None:
    text = messages.error_message("Ça ne va pas", "invalid")
    assert text == '{"type":"error","code":"invalid","message":"Ça ne va pas"}'
    assert messages.PONG == '{"type":"pong"}'
    assert messages.status_message(False) == '{"type":"status","store":"unreachable"}'
