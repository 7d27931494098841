"""What each broadcast output sends when the meeting changes: pure, plate before and after in,
commands or datagrams out.

CasparCG: the template is added and played when someone takes the floor, updated when what it
shows changes (the speaker, the clock's facts, the next speaker), stopped (its outro) when the
floor is empty. OSC: each address is sent when its own arguments change, and all of them the
first time, so that a tool that starts after Floorkeeper is brought up to date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.broadcast import amcp, osc
from app.broadcast.plate import Plate, template_data

DEFAULT_TARGET = amcp.Target(1, 20)


@dataclass(frozen=True, slots=True)
class CasparConfig:
    target: amcp.Target = DEFAULT_TARGET
    template: str = "floorkeeper/lower-third"
    """The template's path in CasparCG's template folder (or an http:// address of an HTML
    template, which CasparCG's HTML producer loads as it is)."""
    cg_layer: int = 1
    data_format: Literal["json", "xml"] = "json"


def _shown(sign: Plate) -> tuple[object, ...]:
    """What a lower third shows: a change of any of these is worth an update."""
    following = (sign.next.id, sign.next.name) if sign.next else None
    return (sign.number, sign.name, sign.detail, sign.language, sign.timer, following)


def data_for(sign: Plate, config: CasparConfig, now: int) -> str:
    if config.data_format == "xml":
        reading = template_data(sign, now)
        fields = {key: "" if reading[key] is None else str(reading[key]) for key in _XML_FIELDS}
        return amcp.template_xml(fields)
    return amcp.template_json(template_data(sign, now))


_XML_FIELDS = ("f0", "f1", "next", "digits", "lang", "dir")


def casparcg_commands(
    before: Plate | None, after: Plate, config: CasparConfig, now: int
) -> list[amcp.Command]:
    """`before`: what the server was last sent (None: nothing yet, or it was restarted)."""
    was_shown = before is not None and before.speaking
    if not after.speaking:
        if was_shown:
            return [amcp.CgLayerCommand(config.target, amcp.CgAction.STOP, config.cg_layer)]
        return []
    data = data_for(after, config, now)
    if not was_shown:
        return [amcp.CgAdd(config.target, config.template, data, True, config.cg_layer)]
    assert before is not None
    if _shown(before) == _shown(after):
        return []
    return [amcp.CgUpdate(config.target, data, config.cg_layer)]


def osc_messages(before: Plate | None, after: Plate, now: int) -> list[bytes]:
    def changed(*fields: str) -> bool:
        return before is None or any(getattr(before, f) != getattr(after, f) for f in fields)

    datagrams: list[bytes] = []
    if changed("number", "name", "speaker_id", "group", "language"):
        datagrams.append(osc.speaker_message(after))
    if changed("next"):
        datagrams.append(osc.next_message(after))
    if changed("number", "timer"):
        datagrams.append(osc.timer_message(after, now))
    return datagrams
