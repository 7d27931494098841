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


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        # Included routers: FastAPI keeps them whole (original_router), older ones flatten them.
        inner = getattr(route, "original_router", None) or getattr(route, "router", None)
        if inner is not None and inner is not route:
            yield from _api_routes(list(getattr(inner, "routes", [])))


def _is_coroutine(call: Any) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(
        getattr(call, "__call__", None)  # noqa: B004  (instances such as HTTPBearer)
    )


def test_every_endpoint_and_dependency_is_a_coroutine() -> None:
    # FastAPI runs a plain function (endpoint or dependency) in a worker thread: a thread hop
    # each, which made an act a third slower when the shared dependencies were plain.
    threaded = set()
    routes = list(_api_routes(create_app().routes))
    assert len(routes) > 30, "the routes were not found"
    for route in routes:
        for call in (route.endpoint, *_calls(route.dependant)):
            if not _is_coroutine(call):
                threaded.add(f"{route.path}: {getattr(call, '__qualname__', call)}")
    assert threaded == set()
