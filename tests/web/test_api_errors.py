"""One error shape everywhere: unknown routes (404), methods a route does not take (405,
with every method of the path in Allow), and an OpenAPI schema that documents every error
status with the error model and constrains subject identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.access.permissions import rule_for
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.factories import person_id

ERRORS = {"400", "401", "403", "404", "413", "422", "429"}
OPEN = {"401", "404", "405", "413", "422", "429"}  # routes anyone may call


@pytest.fixture
def client(sqlite_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=sqlite_store.url))) as c:
        yield c


@pytest.fixture
def auth(sqlite_store: Store) -> dict[str, str]:
    scopes = ["role:subject-service", "transport.*"]
    return {"Authorization": f"Bearer {create_key(sqlite_store, 'service', scopes)[1]}"}


def _error(r: Any) -> dict[str, Any]:
    body: dict[str, Any] = r.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    return body["error"]


@pytest.mark.parametrize("path", ["/v1/nope", "/v1/objections/x/y/z", "/metrics/nope"])
def test_an_unknown_route_is_404_in_the_one_shape(
    client: TestClient, auth: dict[str, str], path: str
) -> None:
    r = client.get(path, headers=auth)
    assert r.status_code == 404 and _error(r)["code"] == "not_found"


def test_an_unknown_page_is_the_error_page_in_the_visitors_language(client: TestClient) -> None:
    r = client.get("/nope", headers={"Accept-Language": "en"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "<code>not_found</code>" in r.text and 'lang="en"' in r.text
    r = client.get("/nope", headers={"Accept-Language": "zh-CN"})
    assert r.status_code == 404 and "操作未成功" in r.text


def test_an_unknown_route_under_v1_is_404_in_the_one_shape_without_a_key(
    client: TestClient,
) -> None:
    # every route is public knowledge (the OpenAPI schema); only the permission table's
    # rows need credentials
    r = client.get("/v1/nope")
    assert r.status_code == 404 and _error(r)["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/v1/objections", "GET, POST"),
        ("DELETE", "/v1/objections", "GET, POST"),
        ("PUT", "/v1/checks", "POST"),
        ("POST", "/v1/health", "GET"),
        ("DELETE", "/v1/repairs/REP-20260302-0123456789ab", "GET"),
    ],
)
def test_a_method_not_taken_is_405_with_every_allowed_method(
    client: TestClient, auth: dict[str, str], method: str, path: str, allow: str
) -> None:
    r = client.request(method, path, headers=auth)
    assert r.status_code == 405 and r.headers["allow"] == allow
    assert _error(r)["code"] == "method_not_allowed"


def test_a_body_fastapi_cannot_decode_is_malformed_in_the_one_shape(
    client: TestClient, auth: dict[str, str]
) -> None:
    r = client.post(
        "/v1/objections",
        content=b"\xff\xfe{",  # not UTF-8: FastAPI says 400; malformed is 422 everywhere
        headers={**auth, "Content-Type": "application/json"},
    )
    assert r.status_code == 422 and _error(r)["code"] == "malformed"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/checks", {"subject": "0", "action": "transport.air.ticket"}),
        ("POST", "/v1/repairs", {"subject": "0", "pledge": True}),
        ("POST", "/v1/objections", {"subject": "0", "grounds": "inaccurate", "evidence": "e"}),
        ("GET", "/v1/notices?subject=0", None),
    ],
)
def test_a_subject_that_is_not_an_identifier_does_not_fit_the_schema(
    client: TestClient, auth: dict[str, str], method: str, path: str, body: Any
) -> None:
    r = client.request(method, path, json=body, headers=auth)
    assert r.status_code == 422, r.text
    assert _error(r)["field"] in {"subject", "query.subject"}


def test_the_schema_documents_every_error_status_with_the_error_model(
    client: TestClient,
) -> None:
    spec = client.get("/openapi.json").json()
    error_model = {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            rule = rule_for(method.upper(), path)
            if path == "/v1/health":
                expected = {"404", "405", "503"}
            elif rule is not None and rule.public:
                expected = OPEN
            else:
                expected = ERRORS
            assert expected <= set(responses), (method, path)
            for status in expected:
                content = responses[status]["content"]["application/json"]
                assert content["schema"] == error_model, (method, path, status)
    subject = spec["components"]["schemas"]["CheckIn"]["properties"]["subject"]
    assert subject["minLength"] == 18
    assert re.match(subject["pattern"], person_id(seq=1))
    assert not re.match(subject["pattern"], "0")
