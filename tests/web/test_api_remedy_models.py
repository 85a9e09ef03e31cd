"""The remedy routes answer typed models: OpenAPI names the model of every success
answer of objections, appeals, repairs and notices, down to the fields of a case."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

PREFIXES = ("/v1/objections", "/v1/appeals", "/v1/repairs", "/v1/notices")


def test_every_remedy_answer_is_a_named_model(sqlite_store: Store) -> None:
    with TestClient(create_app(Settings(db=sqlite_store.url))) as client:
        spec = client.get("/openapi.json").json()
    seen = 0
    for path, operations in spec["paths"].items():
        if not path.startswith(PREFIXES):
            continue
        for method, operation in operations.items():
            ok = [s for s in operation["responses"] if s.startswith("2")]
            for status in ok:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema.get("$ref", "").startswith("#/components/schemas/"), (method, path)
                seen += 1
    assert seen >= 15
    models = spec["components"]["schemas"]
    case = models["CaseOut"]["properties"]["case"]
    assert case == {"$ref": "#/components/schemas/CaseBody"}
    body = models["CaseBody"]["properties"]
    assert body["kind"]["enum"] == ["objection", "repair"]
    assert {"next", "steps", "listing_suspended", "outcome"} <= set(body)
    report = models["AffectedReportOut"]["properties"]["requesters"]["additionalProperties"]
    assert report["items"] == {"$ref": "#/components/schemas/AffectedOut"}
