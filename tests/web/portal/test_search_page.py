"""/search?q=: the results page, in the visitor's language, linking each subject by its
public reference; a person masked, an identity number nowhere in the page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.portal_search import HAIRUN, HAIRUN_NAME, ZHANG_WEI, town


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    town(store)
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def links(html: str) -> list[str]:
    return re.findall(r'href="(/subjects/[^"]+)"', html)


def test_an_enterprise_links_to_its_page_by_its_code(client: TestClient) -> None:
    r = client.get("/search", params={"q": "荣成市海闰食品有限公司"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert links(r.text)[0] == f"/subjects/{HAIRUN}"
    assert HAIRUN_NAME in r.text and "企业" in r.text
    assert r.text.count("<h1") == 1 and '<label for="q">' in r.text


def test_a_person_is_masked_and_linked_by_an_opaque_reference(client: TestClient) -> None:
    r = client.get("/search", params={"q": "Zhang Wei"})
    assert r.status_code == 200
    assert re.fullmatch(r"/subjects/P[0-9A-F]{16}", links(r.text)[0])
    assert "张*" in r.text and "自然人" in r.text
    assert ZHANG_WEI[:6] + "********" + ZHANG_WEI[14:] in r.text
    assert ZHANG_WEI not in r.text


def test_an_identity_number_searched_for_is_not_repeated(client: TestClient) -> None:
    r = client.get("/search", params={"q": ZHANG_WEI})
    assert r.status_code == 200
    assert len(links(r.text)) == 1 and ZHANG_WEI not in r.text


def test_the_page_follows_the_chosen_language(client: TestClient) -> None:
    client.cookies.set("sc_lang", "en")
    r = client.get("/search", params={"q": "海润食品"})
    assert '<html lang="en">' in r.text
    assert "Results for “海润食品”" in r.text and "Enterprise" in r.text


def test_an_empty_query_shows_the_form_and_a_hint(client: TestClient) -> None:
    r = client.get("/search")
    assert r.status_code == 200
    assert 'name="q"' in r.text and "请输入名称或代码进行查询" in r.text and not links(r.text)


def test_nothing_found_says_so(client: TestClient) -> None:
    r = client.get("/search", params={"q": "完全无关的名字啊"})
    assert r.status_code == 200
    assert "未找到与“完全无关的名字啊”相符的结果" in r.text and not links(r.text)


def test_a_query_over_the_bound_gets_the_error_page(client: TestClient) -> None:
    r = client.get("/search", params={"q": "张" * 101})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert "<code>query_too_long</code>" in r.text
