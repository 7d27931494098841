"""The YAML text of a programme file: parse it, and point a problem's path to its line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml

from app.errors import Invalid

Path = tuple[str | int, ...]

_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_DROPPED = {_INT, _BOOL, "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}


MAX_DEPTH = 32
"""Nesting a programme never needs (it goes about 6 deep); deeper is refused before the
composer's recursion can overflow."""
MAX_VALUES = 50_000
"""Values in the file once every alias is expanded (the demo's has about 2,500): a few
hundred bytes of nested aliases can stand for billions, which every later walk would visit."""


class _Loader(yaml.SafeLoader):
    """YAML 1.2 core scalars. YAML 1.1 would read `start: 10:00` as the integer 600 (base 60),
    `date: 2017-06-19` as a date object and `iso2: NO` (Norway) as false. Nesting is
    bounded as it is read."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
                raise InvalidProgramme(
                    [f"line {line}: the file nests deeper than {MAX_DEPTH} levels"]
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class InvalidProgramme(Invalid):
    """A programme file was refused. `problems` holds one sentence per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


def parse(text: str) -> tuple[Any, yaml.Node | None]:
    """The file's data, and its node tree (which remembers where each value was written)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        _check_expansion(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = f"{where}the file is not valid YAML ({exc.problem or exc.context})"
        raise InvalidProgramme([problem]) from None
    except yaml.YAMLError as exc:
        raise InvalidProgramme([f"the file is not valid YAML ({exc})"]) from None
    finally:
        loader.dispose()
    return data, node


def _check_expansion(root: yaml.Node | None) -> None:
    """Refuse aliases that expand past `MAX_VALUES`, or that point into themselves."""
    counted: dict[int, int] = {}
    open_nodes: set[int] = set()

    def values(node: yaml.Node) -> int:
        key = id(node)
        if key in counted:
            return counted[key]
        if key in open_nodes:
            line = node.start_mark.line + 1
            raise InvalidProgramme([f"line {line}: an alias points into its own anchor"])
        open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(values(k) + values(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(values(item) for item in node.value)
        open_nodes.discard(key)
        counted[key] = total
        if total > MAX_VALUES:
            raise InvalidProgramme(
                [
                    f"the file holds more than {MAX_VALUES} values once its aliases (*name) "
                    "are expanded: write the repeated parts out, or fewer of them"
                ]
            )
        return total

    if root is not None:
        values(root)


def format_path(path: Sequence[str | int]) -> str:
    """`("days", 0, "items", 3, "start")` -> `days[0].items[3].start`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def line_of(root: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """The 1-based line where `path` is written, or, if it is missing, where its nearest
    written parent is."""
    if root is None:
        return None
    node, line = root, root.start_mark.line
    for part in path:
        child = _child(node, part)
        if child is None:
            break
        line, node = child
    return line + 1


def _child(node: yaml.Node, part: str | int) -> tuple[int, yaml.Node] | None:
    # A mapping entry is pointed to by its key: a nested value starts only on the next line.
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key.start_mark.line, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item: yaml.Node = node.value[part]
        return item.start_mark.line, item
    return None


def duplicate_keys(node: yaml.Node | None, path: Path = ()) -> list[tuple[Path, int]]:
    """Keys written twice in one mapping, with the line of the second. YAML keeps the last
    silently, so an edited `end:` above a forgotten one would be lost without a word."""
    found: list[tuple[Path, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                found.append(((*path, name), key.start_mark.line + 1))
            seen.add(name)
            found += duplicate_keys(value, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += duplicate_keys(item, (*path, index))
    return found
