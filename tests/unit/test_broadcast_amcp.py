"""CasparCG AMCP, sans I/O: the commands as the documentation writes them, and its replies."""

from __future__ import annotations

import json

import pytest

from app.broadcast import amcp
from app.broadcast.amcp import CgAction, CgAdd, CgClear, CgLayerCommand, CgUpdate, Reply, Target
from app.errors import Invalid

# "Template Graphics Commands" of the CasparCG 2.0 AMCP documentation: "A complete call to CG
# ADD, correctly escaped and with the data above would look like this".
DOCUMENTED_XML = (
    '<templateData><componentData id="f0"><data id="text" value="Niklas P Andersson"></data> '
    '</componentData><componentData id="f1"><data id="text" value="developer"></data>'
    '</componentData><componentData id="f2"><data id="text" value="Providing an example">'
    "</data> </componentData></templateData>"
)
DOCUMENTED_LINE = (
    r'CG 1 ADD 0 "demo/test" 1 "<templateData><componentData id=\"f0\"><data id=\"text\" '
    r"value=\"Niklas P Andersson\"></data> </componentData><componentData id=\"f1\"><data "
    r"id=\"text\" value=\"developer\"></data></componentData><componentData id=\"f2\"><data "
    r'id=\"text\" value=\"Providing an example\"></data> </componentData></templateData>"'
)


def test_the_documented_cg_add_is_written_exactly() -> None:
    command = CgAdd(Target(1, None), "demo/test", DOCUMENTED_XML, play_on_load=True, cg_layer=0)
    assert command.line() == DOCUMENTED_LINE
    assert amcp.encode(command) == DOCUMENTED_LINE.encode() + b"\r\n"


def test_what_is_written_is_read_back_by_casparcgs_tokenizer() -> None:
    # The tokenizer is CasparCG's (AMCPProtocolStrategy.cpp), written again in amcp.unquote.
    assert amcp.unquote(DOCUMENTED_LINE) == [
        "CG",
        "1",
        "ADD",
        "0",
        "demo/test",
        "1",
        DOCUMENTED_XML,
    ]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("plain", '"plain"'),
        ("with space", '"with space"'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ("two\nlines", r'"two\nlines"'),
        ("crlf\r\ninside", r'"crlf\ninside"'),
        ("lone\rcr", r'"lone\ncr"'),
        ("", '""'),
        ("Côte d’Ivoire · 中国 · مصر", '"Côte d’Ivoire · 中国 · مصر"'),
    ],
)
def test_quoting(text: str, quoted: str) -> None:
    assert amcp.quote(text) == quoted
    assert "\r" not in quoted
    assert "\n" not in quoted
    assert amcp.unquote(f"X {quoted}") == ["X", text.replace("\r\n", "\n").replace("\r", "\n")]


def test_json_data_survives_the_round_trip_with_quotes_backslashes_and_new_lines() -> None:
    data = {"f0": 'Côte d\'Ivoire "quoted"', "f1": "a\\b", "f2": "line\nbreak", "ar": "مصر"}
    command = CgUpdate(Target(1, 20), amcp.template_json(data))
    line = amcp.encode(command)
    assert line.count(b"\r\n") == 1
    assert line.endswith(b"\r\n")
    tokens = amcp.unquote(line[:-2].decode())
    assert tokens[:4] == ["CG", "1-20", "UPDATE", "1"]
    assert json.loads(tokens[4]) == data


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (
            CgAdd(Target(1, 20), "floorkeeper/lower-third", "{}"),
            'CG 1-20 ADD 1 "floorkeeper/lower-third" 1 "{}"',
        ),
        (CgAdd(Target(2, 10), "lt", None, play_on_load=False, cg_layer=3), 'CG 2-10 ADD 3 "lt" 0'),
        (CgUpdate(Target(1, 20), '{"f0":"A"}'), r'CG 1-20 UPDATE 1 "{\"f0\":\"A\"}"'),
        (CgLayerCommand(Target(1, 20), CgAction.PLAY), "CG 1-20 PLAY 1"),
        (CgLayerCommand(Target(1, 20), CgAction.STOP), "CG 1-20 STOP 1"),
        (CgLayerCommand(Target(1, 20), CgAction.NEXT, 2), "CG 1-20 NEXT 2"),
        (CgLayerCommand(Target(1, 20), CgAction.REMOVE), "CG 1-20 REMOVE 1"),
        (CgClear(Target(1, 20)), "CG 1-20 CLEAR"),
    ],
)
def test_cg_commands(command: amcp.Command, line: str) -> None:
    assert command.line() == line


def test_a_request_id_asks_for_a_res_reply() -> None:
    command = CgLayerCommand(Target(1, 20), CgAction.STOP)
    assert amcp.encode(command, "a1") == b"REQ a1 CG 1-20 STOP 1\r\n"
    with pytest.raises(Invalid):
        amcp.encode(command, "a b")


def test_template_xml_escapes_attribute_values() -> None:
    assert amcp.template_xml({"f0": 'Bosnia & "Herzegovina" <x>'}) == (
        '<templateData><componentData id="f0"><data id="text" '
        'value="Bosnia &amp; &quot;Herzegovina&quot; &lt;x&gt;"/></componentData></templateData>'
    )


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: CgAdd(Target(1, 20), "", "{}"), "template name"),
        (lambda: CgAdd(Target(1, 20), "a\r\nCG 1 CLEAR", "{}"), "template name"),
        (lambda: CgUpdate(Target(1, 20), "a file name"), "JSON"),
        (lambda: Target(0, 20), "numbered from 1"),
        (lambda: Target(1, -1), "negative"),
    ],
)
def test_bad_commands_are_refused_with_a_sentence(make: object, says: str) -> None:
    with pytest.raises(Invalid, match=says):
        make()  # type: ignore[operator]


# --- replies ---------------------------------------------------------------------------------


def test_replies_of_each_shape() -> None:
    parser = amcp.ReplyParser()
    stream = (
        b"202 CG OK\r\n"
        b"201 VERSION OK\r\n2.3.0 stable\r\n"
        b"200 TLS OK\r\nCASPAR_TEXT\r\nFRAME\r\n\r\n"
        b"400 ERROR\r\nCG 1-20 FLY 1\r\n"
        b"403 CG FAILED\r\n"
        b"404 CG FAILED\r\n"
        b"RES 7 202 CG OK\r\n"
        b"504 QUEUE OVERFLOW\r\n"
    )
    assert parser.feed(stream) == [
        Reply(202, "CG OK"),
        Reply(201, "VERSION OK", ("2.3.0 stable",)),
        Reply(200, "TLS OK", ("CASPAR_TEXT", "FRAME")),
        Reply(400, "ERROR", ("CG 1-20 FLY 1",)),
        Reply(403, "CG FAILED"),
        Reply(404, "CG FAILED"),
        Reply(202, "CG OK", (), "7"),
        Reply(504, "QUEUE OVERFLOW"),
    ]
    assert [r.ok for r in parser.feed(b"202 CG OK\r\n402 CG ERROR\r\n")] == [True, False]


def test_replies_split_anywhere_are_put_together_again() -> None:
    stream = "201 INFO OK\r\nÉtat: 中文\r\n202 CG OK\r\n".encode()
    parser = amcp.ReplyParser()
    replies = [
        reply for byte in range(len(stream)) for reply in parser.feed(stream[byte : byte + 1])
    ]
    assert replies == [Reply(201, "INFO OK", ("État: 中文",)), Reply(202, "CG OK")]


@pytest.mark.parametrize("junk", [b"PONG\r\n", b"hello world\r\n", b"20 OK\r\n"])
def test_what_is_not_a_reply_is_refused(junk: bytes) -> None:
    with pytest.raises(amcp.ProtocolError):
        amcp.ReplyParser().feed(junk)


def test_a_line_that_never_ends_is_refused_instead_of_kept() -> None:
    parser = amcp.ReplyParser()
    with pytest.raises(amcp.ProtocolError):
        parser.feed(b"2" * (amcp.MAX_LINE_BYTES + 1))


def test_reply_lines_as_a_server_writes_them_parse_back() -> None:
    written = amcp.reply_line(200, "CLS OK", ("a", "b")) + amcp.reply_line(202, "CG OK")
    assert amcp.ReplyParser().feed(written) == [
        Reply(200, "CLS OK", ("a", "b")),
        Reply(202, "CG OK"),
    ]
