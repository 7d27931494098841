"""The layers hold: the pure core imports no I/O and nothing above it, and the routes and the
start-up reach the meetings through their use cases, never through the store."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

PURE = ("domain", "timers", "queue", "agenda", "record", "access/policy.py", "errors.py")
"""The data model and the acts, the rules of the clock and the floor, the timetable, the
record and its reports, the policy: plain data and functions, `now` an argument."""

NOT_IN_THE_CORE = {"redis", "asyncio", "yaml", "pydantic", "pydantic_core", "fastapi"}
NOT_IN_THE_CORE |= {"starlette", "uvicorn", "time", "socket", "app.clock"}
"""No store, no event loop, no file formats or HTTP models, no reading the clock."""

THROUGH_THE_USE_CASES = ("routes", "main.py", "lifespan.py", "cli.py", "cli_programme.py")


def _modules(*places: str) -> Iterator[Path]:
    for place in places:
        path = APP / place
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _name(path: Path) -> str:
    return ".".join(path.relative_to(APP.parent).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _within(name: str, modules: set[str]) -> bool:
    return any(name == m or name.startswith(f"{m}.") for m in modules)


def test_the_pure_core_was_found() -> None:
    names = {_name(p) for p in _modules(*PURE)}
    assert {"app.domain.model", "app.domain.acts", "app.queue.acts", "app.record.entry"} <= names
    assert {"app.agenda.timetable", "app.record.report", "app.access.policy"} <= names


def test_the_pure_core_imports_no_io_and_nothing_above_it() -> None:
    pure = {_name(p) for p in _modules(*PURE)}
    found = set()
    for path in _modules(*PURE):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in NOT_IN_THE_CORE or _within(name, NOT_IN_THE_CORE):
                found.add(f"{_name(path)} imports {name}")
            elif top == "app" and not _within(name, pure) and name.rsplit(".", 1)[0] not in pure:
                found.add(f"{_name(path)} imports {name}, outside the pure core")
    assert found == set()


def test_routes_and_start_up_go_through_the_use_cases_never_the_store() -> None:
    found = set()
    for path in _modules(*THROUGH_THE_USE_CASES):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Attribute) and node.attr in ("store", "committer"):
                found.add(f"{_name(path)}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.Name) and node.id in ("MeetingStore", "Committer"):
                found.add(f"{_name(path)}:{node.lineno} {node.id}")
    assert found == set()
