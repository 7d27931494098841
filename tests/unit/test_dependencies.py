"""The lighter websocket protocol subclasses uvicorn's and leans on its inner workings, so
uvicorn is pinned to the versions it was tested with, and the one installed is one of them."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_uvicorn_is_pinned_to_a_range_with_an_upper_bound_and_installed_within_it() -> None:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    (uvicorn,) = [r for r in map(Requirement, project["dependencies"]) if r.name == "uvicorn"]
    assert any(spec.operator in ("<", "<=", "==", "~=") for spec in uvicorn.specifier)
    assert uvicorn.specifier.contains(version("uvicorn"))
