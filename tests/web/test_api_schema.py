"""The API against its own OpenAPI schema: generated requests (schemathesis, in process
over ASGI; data that fits the schema and data that does not) with a valid key never get a
5xx, every status they get is documented, and every 4xx is in the one error shape."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, CheckContext, GenerationMode, Response
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from socialcredit.access.keys import create_key
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.factories import ingest_on, judgment_default, person_id

DEBTOR = person_id(seq=71)
SCOPES = [
    "role:subject-service",
    "role:reviewer",
    "role:appeal-reviewer",
    "role:provider:court.371082",
    "transport.*",
    "finance.*",
    "procurement.*",
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def schema(sqlite_store: Store) -> tuple[Any, dict[str, str]]:
    ingest_on(
        sqlite_store,
        "2025-06-01",
        judgment_default(
            ref="c-71",
            subject=DEBTOR,
            occurred_at="2025-06-01",
            attributes={"case_no": "c-71", "ground": "evades_enforcement"},
        ),
    )
    token = create_key(sqlite_store, "everything", SCOPES, rate=100_000)[1]
    app = create_app(Settings(db=sqlite_store.url), clock=sqlite_store.clock)
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app)
    return loaded, {"Authorization": f"Bearer {token}"}


def one_error_shape(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every 4xx (but a HEAD's, which has no body) is ``{"error": {"code", "message"}}``."""
    if 400 <= response.status_code < 500 and case.method != "HEAD":
        body = response.json()
        assert set(body) == {"error"}, body
        assert isinstance(body["error"]["code"], str) and body["error"]["message"], body
    return None


def test_generated_requests_get_documented_answers(schema: tuple[Any, dict[str, str]]) -> None:
    loaded, auth = schema
    operations = [result.ok() for result in loaded.get_all_operations()]
    assert len(operations) > 15

    for operation, mode in itertools.product(operations, GenerationMode):

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def generated(case: Case) -> None:
            case.call_and_validate(headers=dict(auth), checks=[*CHECKS, one_error_shape])

        try:
            generated()
        except Unsatisfiable:
            # nothing of the operation can be made invalid (no parameters, no body)
            assert mode is GenerationMode.NEGATIVE, operation.label


def test_every_caller_gets_documented_answers() -> None:
    """The public, a key of every role and a login of every account role, each over every
    operation (the shorter run of ``python -m benchmarks.fuzz_api``)."""
    from benchmarks.fuzz_api import KEYS, LOGINS, fuzz

    run = fuzz(examples=3)
    assert not run.failures, "\n".join(run.failures)
    assert len(run.requests) == 1 + len(KEYS) + len(LOGINS)
    assert sum(run.requests.values()) >= 2_000
    assert {401, 403, 200} <= set(run.statuses)
