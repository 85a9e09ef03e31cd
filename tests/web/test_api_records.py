"""POST /v1/records: a provider reports records over HTTP as `socialcredit ingest` does."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import list_entries
from socialcredit.web.app import create_app

from support.factories import judgment_default, person_id
from support.portal_ops import bearer, error, record_count

COURT = "role:provider:spc.national"
JSONL = {"Content-Type": "application/x-ndjson"}


def jsonl(*rows: object) -> bytes:
    return b"\n".join(orjson.dumps(r) for r in rows) + b"\n"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    settings = Settings(db=store.url, max_records_per_request=4)
    with TestClient(create_app(settings, clock=store.clock)) as c:
        yield c


def test_jsonl_records_are_stored_and_bad_lines_reported_with_their_code(
    client: TestClient, store: Store
) -> None:
    good = judgment_default(ref="R-1")
    body = (
        jsonl(good)
        + b"\n"  # a blank line is skipped, but counts as a line
        + b"{not json\n"
        + jsonl(judgment_default(ref="R-2", subject="110105194912310021"))
        + jsonl(good)
    )
    r = client.post("/v1/records", content=body, headers={**bearer(store, COURT), **JSONL})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["accepted"], out["duplicates"], out["rejected"]) == (1, 1, 2)
    assert out["rejected_by_code"] == {"invalid_identifier": 1, "malformed": 1}
    assert [(e["line"], e["code"]) for e in out["errors"]] == [
        (3, "malformed"),
        (4, "invalid_identifier"),
    ]
    assert record_count(store) == 1


def test_a_json_array_and_application_jsonl_are_taken_too(client: TestClient, store: Store) -> None:
    headers = bearer(store, COURT)
    rows = [judgment_default(ref="A-1"), "a string"]
    r = client.post("/v1/records", json=rows, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 1
    assert [(e["line"], e["code"]) for e in r.json()["errors"]] == [(2, "malformed")]
    r = client.post(
        "/v1/records",
        content=jsonl(judgment_default(ref="A-2")),
        headers={**headers, "Content-Type": "application/jsonl; charset=utf-8"},
    )
    assert r.json()["accepted"] == 1
    assert record_count(store) == 2


def test_a_record_without_provider_takes_the_keys_only_provider(
    client: TestClient, store: Store
) -> None:
    row = judgment_default(ref="P-1")
    del row["provider"]
    r = client.post("/v1/records", content=jsonl(row), headers={**bearer(store, COURT), **JSONL})
    assert r.json()["accepted"] == 1


def test_derived_state_follows_as_after_the_cli_ingest(client: TestClient, store: Store) -> None:
    debtor = person_id(seq=71)
    row = judgment_default(
        ref="D-1",
        subject=debtor,
        occurred_at="2026-01-05",
        attributes={"case_no": "D-1", "amount": 8e4, "ground": "evades_enforcement"},
    )
    r = client.post("/v1/records", content=jsonl(row), headers={**bearer(store, COURT), **JSONL})
    assert r.json()["accepted"] == 1
    with store.reader() as conn:
        entries = conn.execute(
            select(list_entries.c.list).where(list_entries.c.subject == debtor)
        ).all()
    assert entries, "the subject's list entries were not derived"


def test_a_record_of_another_provider_refuses_the_whole_request(
    client: TestClient, store: Store
) -> None:
    rows = [judgment_default(ref="F-1"), judgment_default(ref="F-2", provider="sat.national")]
    r = client.post("/v1/records", json=rows, headers=bearer(store, COURT))
    body = error(r, 403, "provider_not_allowed")
    assert "line 2" in body["error"]["message"]
    assert record_count(store) == 0


def test_more_records_than_the_setting_are_refused_and_none_stored(
    client: TestClient, store: Store
) -> None:
    rows = [judgment_default(ref=f"M-{i}") for i in range(5)]
    error(client.post("/v1/records", json=rows, headers=bearer(store, COURT)), 413, "too_many")
    assert record_count(store) == 0


def test_refusals_of_who_asks_and_of_the_body(client: TestClient, store: Store) -> None:
    rows = [judgment_default(ref="X-1")]
    error(client.post("/v1/records", json=rows), 401, "unauthorised")
    airline = bearer(store, "transport.air.*", name="airline")
    error(client.post("/v1/records", json=rows, headers=airline), 403, "forbidden")
    court = bearer(store, COURT)
    as_text = {**court, "Content-Type": "text/plain"}
    error(
        client.post("/v1/records", content=jsonl(*rows), headers=as_text),
        415,
        "unsupported_media_type",
    )
    error(client.post("/v1/records", json={"records": rows}, headers=court), 422, "malformed")
    broken = {**court, "Content-Type": "application/json"}
    error(client.post("/v1/records", content=b"[{", headers=broken), 422, "malformed")
    assert record_count(store) == 0
