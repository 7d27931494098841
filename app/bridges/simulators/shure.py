"""A Shure DDS 5900 / MXC control unit: text lines over TCP.

Speaks what the DDS 5900 and DCS 6000 manuals document (docs/bridges.md): commands end with
CR, LF or both, case-insensitive; "a reply to a command is produced only if actions are
taken"; every change is reported to every connection with the same verbs, each line ending
CR LF; `mic_status` streams the whole state and ends with `mic_status_done`; an unknown
command answers `command_error unknown command`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from app.bridges.simulators.base import Simulator
from app.bridges.simulators.unit import Change, ControlUnit, Mode, UnknownSeat

MAX_LINE = 1024
MODES = {
    "auto": Mode.REQUEST,
    "fifo": Mode.REQUEST,
    "manual": Mode.ONLY_REQUEST,
    "vox": Mode.DIRECT,
}


class ShureSimulator(Simulator):
    system = "shure"

    def __init__(self, unit: ControlUnit, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(unit, host, port)

    async def start(self) -> None:
        await self._listen(self._serve)

    def notify(self, changes: list[Change]) -> None:
        lines = b"".join(f"{verb} {seat}\r\n".encode() for verb, seat in changes)
        for writer in list(self._writers):
            writer.write(lines)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        buffer = b""
        while data := await reader.read(65536):
            buffer += data
            *lines, buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
            if len(buffer) > MAX_LINE:
                buffer = b""
                writer.write(b"command_error line too long\r\n")
            for line in lines:
                if line.strip():
                    self._command(writer, line.decode("ascii", "replace").strip())
            await writer.drain()

    def _command(self, writer: asyncio.StreamWriter, line: str) -> None:
        self.commands_seen.append(line)
        verb, _, data = line.partition(" ")
        verb, data = verb.lower(), data.strip().lower()
        unit = self.unit
        if verb == "mic_status":
            dump = [f"mic_on {s}" for s in unit.speakers]
            dump += [f"mic_request_on {s}" for s in unit.requests]
            dump += [f"mic_reply_on {s}" for s in unit.replies]
            writer.write("".join(f"{line}\r\n" for line in [*dump, "mic_status_done"]).encode())
            return
        plain: dict[str, Callable[[], list[Change]]] = {
            "mic_all_delegates_off": unit.all_speakers_off,
            "mic_all_requests_off": unit.all_requests_off,
            "mic_next_on": unit.next_on,
        }
        seated: dict[str, Callable[[int], list[Change]]] = {
            "mic_on": unit.mic_on,
            "mic_off": unit.mic_off,
            "mic_request_on": unit.request_on,
            "mic_request_off": unit.request_off,
        }
        if verb in plain:
            self.publish(plain[verb]())
        elif verb in seated:
            try:
                self.publish(seated[verb](unit.check(int(data))))
            except (ValueError, UnknownSeat):
                return  # no action taken: no reply
        elif verb == "mic_mode" and data in MODES:
            unit.mode = MODES[data]
            writer.write(f"mic_mode {data}\r\n".encode())
        elif verb == "max_speakers" and data.isdigit() and 1 <= int(data) <= 8:
            if unit.max_speakers != int(data):
                unit.max_speakers = int(data)
                writer.write(f"max_speakers {data}\r\n".encode())
        elif verb in ("mic_mode", "max_speakers"):
            return
        else:
            writer.write(b"command_error unknown command\r\n")
