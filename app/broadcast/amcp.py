"""CasparCG's AMCP (Advanced Media Control Protocol), sans I/O: commands to bytes, bytes to replies.

AMCP is text over TCP, UTF-8, one command a line ending "\\r\\n" (CasparCG 2.0 AMCP Protocol,
"Communication"). Parameters are split on spaces; a parameter with spaces is quoted, and
inside quotes three special sequences stand for what cannot be written bare: `\\"` a
quotation mark, `\\\\` a backslash, `\\n` a new line ("Special sequences"; the server's
tokenizer, src/protocol/amcp/AMCPProtocolStrategy.cpp, knows these three and drops a
backslash before anything else). A carriage return has no sequence, and "\\r\\n" would end
the command, so a new line inside a parameter is always sent as `\\n`.

Template graphics (CG commands, 2.2):

    CG [channel]-[layer] ADD [cg_layer] [template] [play-on-load:0,1] [data]
    CG [channel]-[layer] UPDATE [cg_layer] [data]
    CG [channel]-[layer] PLAY|STOP|NEXT|REMOVE [cg_layer]
    CG [channel]-[layer] CLEAR

where data is JSON (HTML templates get it as the argument of their `update(data)`) or the
XML of Flash templates, `<templateData><componentData id="f0"><data id="text"
value="..."/></componentData></templateData>`.

Replies begin with a code: 202 `[command] OK` alone; 201 `[command] OK` and one line of
data; 200 `[command] OK` and lines of data up to an empty line; 400 `ERROR` and the line
not understood; 401-404 `[command] ERROR`/`FAILED` (illegal channel, parameter missing,
illegal parameter, file not found); 500-504 `FAILED` (internal error, media unreadable,
access, queue overflow). A command sent with `REQ <id>` is answered `RES <id> <code> ...`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from xml.sax.saxutils import escape

from app.errors import Invalid

DEFAULT_PORT = 5250
LINE_END = b"\r\n"
MAX_LINE_BYTES = 1 << 20
"""A reply line longer than this is not AMCP: the parser refuses it instead of growing."""


def quote(value: str) -> str:
    """A parameter as AMCP reads it back: in double quotes, with its special sequences."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )
    return f'"{escaped}"'


def unquote(text: str) -> list[str]:
    """Split a command line into its parameters as CasparCG's tokenizer does (the simulator
    reads commands with it): spaces separate, quotes group, the three special sequences."""
    tokens: list[str] = []
    token: list[str] = []
    in_quote = escape = False
    for char in text:
        if escape:
            token.append({"\\": "\\", '"': '"', "n": "\n"}.get(char, ""))
            escape = False
        elif char == "\\":
            escape = True
        elif char == " " and not in_quote:
            if token:
                tokens.append("".join(token))
                token = []
        elif char == '"':
            in_quote = not in_quote
            if token or not in_quote:
                tokens.append("".join(token))
                token = []
        else:
            token.append(char)
    if token:
        tokens.append("".join(token))
    return tokens


# --- template data ------------------------------------------------------------------------


def template_json(data: Mapping[str, object]) -> str:
    """JSON for an HTML template's `update(data)`: compact, UTF-8 kept as it is."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _attribute(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def template_xml(fields: Mapping[str, str]) -> str:
    """The XML of Flash templates: each field a componentData with its text."""
    parts = "".join(
        f'<componentData id="{_attribute(key)}"><data id="text" value="{_attribute(value)}"/>'
        "</componentData>"
        for key, value in fields.items()
    )
    return f"<templateData>{parts}</templateData>"


# --- commands -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """A channel and a layer of a CasparCG server: "1-20", or "1" for the channel's default
    template layer."""

    channel: int = 1
    layer: int | None = 20

    def __post_init__(self) -> None:
        if self.channel < 1:
            raise Invalid("a CasparCG channel is numbered from 1")
        if self.layer is not None and self.layer < 0:
            raise Invalid("a CasparCG layer cannot be negative")

    def __str__(self) -> str:
        return str(self.channel) if self.layer is None else f"{self.channel}-{self.layer}"


def _check_template(name: str) -> None:
    if not name or any(ord(c) < 32 for c in name):
        raise Invalid("a template name must be a non-empty line of text")


def _check_data(data: str) -> None:
    # The server takes data for a file name unless it starts like XML or JSON.
    if not data.startswith(("<", "{")):
        raise Invalid("template data must be JSON (starting with '{') or XML (starting with '<')")


@dataclass(frozen=True, slots=True)
class CgAdd:
    target: Target
    template: str
    data: str | None = None
    play_on_load: bool = True
    cg_layer: int = 1

    def __post_init__(self) -> None:
        _check_template(self.template)
        if self.data is not None:
            _check_data(self.data)

    def line(self) -> str:
        data = "" if self.data is None else f" {quote(self.data)}"
        play = int(self.play_on_load)
        return f"CG {self.target} ADD {self.cg_layer} {quote(self.template)} {play}{data}"


@dataclass(frozen=True, slots=True)
class CgUpdate:
    target: Target
    data: str
    cg_layer: int = 1

    def __post_init__(self) -> None:
        _check_data(self.data)

    def line(self) -> str:
        return f"CG {self.target} UPDATE {self.cg_layer} {quote(self.data)}"


class CgAction(StrEnum):
    PLAY = "PLAY"
    STOP = "STOP"
    NEXT = "NEXT"
    REMOVE = "REMOVE"


@dataclass(frozen=True, slots=True)
class CgLayerCommand:
    """PLAY, STOP (the template's outro), NEXT or REMOVE on one template layer."""

    target: Target
    action: CgAction
    cg_layer: int = 1

    def line(self) -> str:
        return f"CG {self.target} {self.action} {self.cg_layer}"


@dataclass(frozen=True, slots=True)
class CgClear:
    target: Target

    def line(self) -> str:
        return f"CG {self.target} CLEAR"


Command = CgAdd | CgUpdate | CgLayerCommand | CgClear


def encode(command: Command, request_id: str | None = None) -> bytes:
    """One command as it goes on the wire; `request_id` asks for a `RES <id>` reply."""
    line = command.line()
    if request_id is not None:
        if not request_id or not request_id.isalnum():
            raise Invalid("an AMCP request id is letters and digits")
        line = f"REQ {request_id} {line}"
    return line.encode("utf-8") + LINE_END


# --- replies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reply:
    code: int
    """100-101 information, 200-202 success, 400-404 the client's error, 500-504 the server's."""
    status: str
    """The rest of the first line: "CG OK", "ERROR", "CG FAILED"."""
    data: tuple[str, ...] = ()
    """The lines that came with a 101, 200, 201 or 400."""
    request_id: str | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300

    def __str__(self) -> str:
        return f"{self.code} {self.status}".strip()


class ProtocolError(Exception):
    """What arrived is not an AMCP reply."""


@dataclass(slots=True)
class ReplyParser:
    """Bytes in (as they arrive, in any pieces), replies out."""

    _buffer: bytearray = field(default_factory=bytearray)
    _pending: tuple[int, str, str | None] | None = None
    _data: list[str] = field(default_factory=list)

    def feed(self, chunk: bytes) -> list[Reply]:
        self._buffer += chunk
        replies: list[Reply] = []
        while (end := self._buffer.find(LINE_END)) >= 0:
            raw = bytes(self._buffer[:end])
            del self._buffer[: end + len(LINE_END)]
            reply = self._line(raw.decode("utf-8", errors="replace"))
            if reply is not None:
                replies.append(reply)
        if len(self._buffer) > MAX_LINE_BYTES:
            raise ProtocolError(f"a reply line longer than {MAX_LINE_BYTES} bytes")
        return replies

    def _line(self, line: str) -> Reply | None:
        if self._pending is not None:
            code, status, request_id = self._pending
            if code == 200 and line == "":
                return self._finish()
            self._data.append(line)
            return None if code == 200 else self._finish()
        request_id = None
        head = line
        if head.startswith("RES "):
            _, request_id, head = [*head.split(" ", 2), "", ""][:3]
        code_text, _, status = head.partition(" ")
        if len(code_text) != 3 or not code_text.isdigit():
            raise ProtocolError(f"not an AMCP reply: {line[:80]!r}")
        code = int(code_text)
        if code in (101, 200, 201, 400):
            self._pending = (code, status, request_id)
            return None
        return Reply(code, status, (), request_id)

    def _finish(self) -> Reply:
        assert self._pending is not None
        code, status, request_id = self._pending
        reply = Reply(code, status, tuple(self._data), request_id)
        self._pending = None
        self._data = []
        return reply


def reply_line(code: int, status: str, data: tuple[str, ...] = ()) -> bytes:
    """A reply as a server writes it (the simulator's side)."""
    lines = [f"{code} {status}", *data]
    if code == 200:
        lines.append("")
    return "".join(f"{line}\r\n" for line in lines).encode("utf-8")
