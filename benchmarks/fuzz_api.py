"""Generated requests against the API's own OpenAPI schema, as every role and as nobody.

    python -m benchmarks.fuzz_api [--examples 12]

schemathesis makes requests for every operation of the schema (data that fits
it and data that does not), in process over ASGI, with the credentials of each
caller in turn: the public (nothing), an API key of every role a key holds and
a portal login of every account role. Every answer must be no 5xx, a status
the schema documents, of the documented content type and schema, and every 4xx
in the API's one error shape. Prints (and writes to benchmarks/RESULTS.md) the
requests made per caller and the failures; ``tests/web/test_api_schema.py``
runs a shorter version in CI.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from starlette.testclient import TestClient

from benchmarks.results import machine, write_section
from socialcredit.access.keys import create_key
from socialcredit.access.principal import AGENCY, SUBJECT
from socialcredit.access.users import create_user
from socialcredit.clock import FixedClock
from socialcredit.ledger.bootstrap import init_store
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

DEBTOR = "371082199005120619"
KEYS = {
    "relying_party": ["transport.*", "finance.*", "procurement.*"],
    "provider": ["role:provider:spc.national"],
    "subject_service": ["role:subject-service"],
    "reviewer": ["role:reviewer"],
    "appeal_reviewer": ["role:appeal-reviewer"],
    "policy_officer": ["role:policy-officer"],
    "supervisor": ["role:supervisor"],
    "auditor": ["role:auditor"],
    "admin": ["role:admin"],
    "agency": ["role:agency:agency.fuzz"],
}
LOGINS = ("subject", "reviewer", "appeal_reviewer", "supervisor", "agency", "auditor", "admin")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def one_error_shape(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every 4xx (but a HEAD's, which has no body) is ``{"error": {"code", "message"}}``."""
    if 400 <= response.status_code < 500 and case.method != "HEAD":
        body = response.json()
        assert set(body) == {"error"}, body
        assert isinstance(body["error"]["code"], str) and body["error"]["message"], body
    return None


@dataclass
class Run:
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def world(folder: Path) -> tuple[Any, dict[str, dict[str, str]]]:
    """The app over a store with a listed debtor, and the headers of every caller."""
    url = f"sqlite:///{folder / 'store.db'}"
    clock = FixedClock("2026-03-02T02:00:00")
    store = Store(url, clock=clock)
    init_store(store, Settings(db=url))
    clock.set("2025-06-01T02:00:00")
    ingestor(store).ingest_dicts(
        [
            {
                "provider": "spc.national",
                "ref": "c-71",
                "subject": DEBTOR,
                "category": "judicial.judgment_default",
                "occurred_at": "2025-06-01",
                "attributes": {"case_no": "c-71", "amount": 5e4, "ground": "evades_enforcement"},
            }
        ]
    )
    clock.set("2026-03-02T02:00:00")
    callers: dict[str, dict[str, str]] = {"public": {}}
    for role, scopes in KEYS.items():
        token = create_key(store, f"{role} key", scopes, rate=100_000)[1]
        callers[f"{role} by key"] = {"Authorization": f"Bearer {token}"}
    for role in LOGINS:
        create_user(
            store,
            f"{role.replace('_', '-')}-1",
            role,
            role,
            "fuzz-password",
            subject=DEBTOR if role == SUBJECT else None,
            agency="agency.fuzz" if role == AGENCY else None,
        )
    settings_ = Settings(
        db=url, public_rate_limit=100_000, api_rate_limit=100_000, session_secret="f" * 40
    )
    app = create_app(settings_, clock=clock)
    with TestClient(app) as client:
        for role in LOGINS:
            client.cookies.clear()
            client.get("/login")
            form = {
                "csrf": client.cookies["sc_csrf"],
                "account": f"{role.replace('_', '-')}-1",
                "password": "fuzz-password",
            }
            client.post("/login", data=form, follow_redirects=False)
            callers[f"{role} by login"] = {"Cookie": f"sc_session={client.cookies['sc_session']}"}
    store.close()
    return app, callers


def _generated(
    run: Run, who: str, headers: dict[str, str], operation: Any, mode: Any, examples: int
) -> Any:
    """The hypothesis test of one operation, mode and caller."""

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def generated(case: Case) -> None:
        response = case.call(headers=dict(headers))
        run.requests[who] += 1
        run.statuses[response.status_code] += 1
        case.validate_response(response, checks=[*CHECKS, one_error_shape])

    return generated


def fuzz(examples: int) -> Run:
    run = Run()
    started = time.perf_counter()
    app, callers = world(Path(tempfile.mkdtemp(prefix="fuzz-api-")))
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in loaded.get_all_operations()]
    for (who, headers), operation, mode in itertools.product(
        callers.items(), operations, GenerationMode
    ):
        try:
            _generated(run, who, headers, operation, mode, examples)()
        except Unsatisfiable:
            if mode is not GenerationMode.NEGATIVE:
                run.failures.append(f"{who}: {operation.label}: no case could be made")
        except Exception as exc:  # a failed check: kept with who and where
            run.failures.append(f"{who}: {operation.label} ({mode.value}): {exc}"[:2000])
    run.seconds = time.perf_counter() - started
    return run


def main(argv: list[str] | None = None) -> Run:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=12, help="per operation, mode, caller")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    run = fuzz(args.examples)
    total = sum(run.requests.values())
    print(f"{total:,} requests in {run.seconds:.0f} s; failures: {len(run.failures)}")
    for failure in run.failures:
        print(" ", failure)
    if not args.no_write:
        statuses = ", ".join(f"{s}: {n:,}" for s, n in sorted(run.statuses.items()))
        rows = "\n".join(f"| {who} | {n:,} |" for who, n in sorted(run.requests.items()))
        write_section(
            "Generated API requests (python -m benchmarks.fuzz_api)",
            f"{machine()}. schemathesis over the app's OpenAPI schema, in process, "
            f"{args.examples} examples per operation, generation mode and caller.\n\n"
            f"**{total:,} requests, {len(run.failures)} failures** (no 5xx, every status "
            f"documented, every 4xx in the one error shape) in {run.seconds:.0f} s.\n\n"
            f"Statuses: {statuses}.\n\n| caller | requests |\n| --- | ---: |\n{rows}",
        )
    return run


if __name__ == "__main__":
    main()
