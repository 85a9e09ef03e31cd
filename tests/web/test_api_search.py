"""GET /v1/search: public, masked for persons, bounded, in the one error shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcredit.store.database import Store
from socialcredit.store.public_refs import subject_of

from support.api import app_client, error
from support.portal_search import COURT, COURT_NAME, HAIRUN, HAIRUN_NAME, OUYANG, ZHANG_WEI, town


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    town(store)
    with app_client(store) as c:
        yield c


def hits(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    r = client.get("/v1/search", params=params)
    assert r.status_code == 200, r.text
    found: list[dict[str, Any]] = r.json()["hits"]
    return found


def test_anyone_finds_an_enterprise_by_name_in_full(client: TestClient) -> None:
    first = hits(client, q="荣成市海闰食品有限公司")[0]
    assert first == {
        "ref": HAIRUN,
        "code": HAIRUN,
        "kind": "enterprise",
        "name": HAIRUN_NAME,
        "score": first["score"],
    }
    assert 70 <= first["score"] < 100


@pytest.mark.parametrize("q", ["张伟", "Zhang Wei", "zhangwei", "張偉"])
def test_a_person_is_shown_masked_with_an_opaque_reference(
    client: TestClient, store: Store, q: str
) -> None:
    first = hits(client, q=q)[0]
    assert first["kind"] == "person"
    assert first["name"] == "张*"
    assert first["code"] == ZHANG_WEI[:6] + "********" + ZHANG_WEI[14:]
    assert first["ref"].startswith("P") and ZHANG_WEI not in first["ref"]
    with store.reader() as conn:
        assert subject_of(conn, first["ref"]) == ZHANG_WEI


def test_the_same_person_keeps_one_reference(client: TestClient) -> None:
    assert hits(client, q="张伟")[0]["ref"] == hits(client, q="zhang wei")[0]["ref"]


def test_a_compound_surname_is_kept_whole(client: TestClient) -> None:
    assert hits(client, q="欧阳娜娜")[0]["name"] == "欧阳**"


def test_a_full_identity_number_never_appears_in_an_answer(client: TestClient) -> None:
    for q in (ZHANG_WEI, "张", "zw", "欧阳", OUYANG):
        r = client.get("/v1/search", params={"q": q})
        assert r.status_code == 200
        assert ZHANG_WEI not in r.text and OUYANG not in r.text


def test_a_code_finds_its_subject(client: TestClient) -> None:
    assert [(h["code"], h["name"]) for h in hits(client, q=COURT)] == [(COURT, COURT_NAME)]
    assert [h["name"] for h in hits(client, q=ZHANG_WEI)] == ["张*"]


def test_an_empty_query_finds_nothing(client: TestClient) -> None:
    r = client.get("/v1/search", params={"q": " "})
    assert r.status_code == 200 and r.json() == {"query": "", "hits": []}
    assert client.get("/v1/search").json()["hits"] == []


def test_a_query_over_100_characters_is_refused(client: TestClient) -> None:
    assert client.get("/v1/search", params={"q": "张" * 100}).status_code == 200
    error(client.get("/v1/search", params={"q": "张" * 101}), 400, "query_too_long")


@pytest.mark.parametrize("limit", [0, 51, -1, "many"])
def test_the_limit_is_bounded(client: TestClient, limit: object) -> None:
    error(client.get("/v1/search", params={"q": "有限公司", "limit": limit}), 422, "malformed")


def test_the_limit_caps_the_hits(client: TestClient) -> None:
    assert len(hits(client, q="有限公司", limit=1)) == 1
    assert len(hits(client, q="有限公司", limit=50)) == 3


def test_only_get_is_answered(client: TestClient) -> None:
    assert client.post("/v1/search", params={"q": "x"}).status_code == 405
