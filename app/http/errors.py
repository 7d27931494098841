"""Every refusal in one shape, `{"error", "message"}` (with `problems`, `reason` and `params`
where there are some): the domain's errors, Redis away, Starlette's own refusals and
malformed input, each mapped to its status here and nowhere else."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import DomainError, StoreUnreachable

log = logging.getLogger(__name__)


async def domain_error(request: Request, error: DomainError) -> JSONResponse:
    body: dict[str, Any] = {"error": error.code, "message": error.message}
    if error.problems:
        body["problems"] = list(error.problems)
    if error.reason is not None:
        body["reason"] = error.reason
        body["params"] = error.params
    return JSONResponse(body, status_code=error.status_code)


async def store_error(request: Request, error: RedisError) -> JSONResponse:
    log.warning("store unreachable: %s", error)
    return await domain_error(request, StoreUnreachable())


async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    # Starlette's own refusals (unreadable body, unknown path, wrong method) in our shape.
    code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}
    return JSONResponse(
        {"error": code.get(error.status_code, "refused"), "message": str(error.detail)},
        status_code=error.status_code,
        headers=error.headers,
    )


async def invalid_input(request: Request, error: RequestValidationError) -> JSONResponse:
    problems = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()) if p != "body") or "request"
        problems.append(f"{where}: {problem.get('msg', 'is not valid')}")
    return JSONResponse(
        {"error": "invalid", "message": "; ".join(problems[:5]), "problems": problems[:20]},
        status_code=422,
    )


def add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(RedisError, store_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_input)  # type: ignore[arg-type]
