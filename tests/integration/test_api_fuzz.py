"""schemathesis against the app's own /openapi.json: every operation, valid and invalid data,
as each role. No answer may be a 5xx or differ from the documented schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from app.access.policy import Role
from tests.conftest import AppServer, RedisServer, Tokens, app_env, bearer, sign_in, tokens_for
from tests.factories import make_meeting
from tests.integration.helpers import meeting_json

EXAMPLES = 8
"""Per operation and role: bounded, so `make test` stays fast."""

# Left out: "schema-valid data is accepted". Some rules cannot be said in a JSON schema (a
# document's id must be the one in its path, give the floor to exactly one of three kinds of
# speaker) and are refused with a 422 sentence by the domain. Also left out: "the API refuses
# requests without credentials": what the hall sees is public by design, and who may do what
# is checked operation by operation in test_access.py. Every other check runs.


@pytest.fixture(scope="module")
def fuzz_server(redis_server: RedisServer) -> Iterator[AppServer]:
    """An app of its own (database 5): the fuzzer creates meetings and signs people out."""
    server = AppServer(env=app_env(REDIS_URL=redis_server.url(db=5)), demo=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def role_tokens(fuzz_server: AppServer) -> dict[Role, str | None]:
    base = fuzz_server.base_url
    tokens: Tokens = tokens_for(base)
    meeting = make_meeting("fuzz")
    headers = bearer(tokens.secretariat)
    httpx.put(f"{base}/api/meetings/fuzz", json=meeting_json(meeting), headers=headers)
    codes = {
        c["subject"]: c["code"]
        for c in httpx.post(f"{base}/api/meetings/fuzz/access/codes", headers=headers).json()
    }
    return {
        Role.SECRETARIAT: tokens.secretariat,
        Role.CHAIR: tokens.chair,
        Role.MODERATOR: sign_in(base, codes["moderator"], "fuzz"),
        Role.PANELIST: sign_in(base, codes["panelist:p-a"], "fuzz"),
        Role.DELEGATION: sign_in(base, codes["delegation:M001"], "fuzz"),
        Role.DISPLAY: sign_in(base, codes["display"], "fuzz"),
        Role.PUBLIC: None,
    }


def _operations(base_url: str) -> list[APIOperation[Any, Any, Any, Any]]:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the app's own schema is invalid: {result}"
        operations.append(result.ok())
    return operations


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_and_no_schema_violation(
    fuzz_server: AppServer, role_tokens: dict[Role, str | None], mode: GenerationMode
) -> None:
    """Every operation, with data that fits its schema and data that does not; each
    generated request is sent once as every role."""
    headers = [bearer(token) if token else {} for token in role_tokens.values()]
    operations = _operations(fuzz_server.base_url)
    assert len(operations) >= 30

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Case[Any]) -> None:
            for role_headers in headers:
                case.call_and_validate(
                    base_url=fuzz_server.base_url,
                    headers=role_headers,
                    excluded_checks=[positive_data_acceptance, ignored_auth],
                )

        try:
            check()
        except Unsatisfiable:
            # An operation without inputs (GET /healthz, POST .../floor/next) has no invalid form.
            assert mode is GenerationMode.NEGATIVE
