"""How the routes are wired: nothing on the path of an act runs in a worker thread."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.main import create_app


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _is_coroutine(call: Any) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(
        getattr(call, "__call__", None)  # noqa: B004  (instances such as HTTPBearer)
    )


def test_every_endpoint_and_dependency_is_a_coroutine() -> None:
    # FastAPI runs a plain function (endpoint or dependency) in a worker thread: a thread hop
    # each, which made an act a third slower when the shared dependencies were plain.
    threaded = set()
    for route in create_app().routes:
        if not isinstance(route, APIRoute):
            continue
        for call in (route.endpoint, *_calls(route.dependant)):
            if not _is_coroutine(call):
                threaded.add(f"{route.path}: {getattr(call, '__qualname__', call)}")
    assert threaded == set()
