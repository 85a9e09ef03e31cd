"""/subjects/{code} and /lists/{list}: the public record and the public lists as pages,
in Chinese by default and in English on request."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.factories import ingest_on, judgment_default, person_id
from support.portal_public import DEBTOR_NAME, FIRM_NAME, person_named, public_world
from support.remedies import DEBTOR, FIRM

EN = {"accept-language": "en"}


@pytest.fixture
def world(store: Store) -> dict[str, str]:
    return public_world(store)


@pytest.fixture
def client(store: Store, world: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def main_of(html: str) -> str:
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found is not None
    return found.group(0)


def test_a_persons_page_is_in_chinese_and_masked(client: TestClient, world: dict[str, str]) -> None:
    r = client.get(f"/subjects/{world[DEBTOR]}")
    assert r.status_code == 200, r.text
    html = r.text
    assert '<html lang="zh-CN">' in html
    assert html.count("<h1>") == 1 and "<h1>欧阳**</h1>" in html
    assert "失信被执行人名单" in html and "失信被执行人信息" in html and "<td>人民法院</td>" in html
    assert "2026年2月4日" in html and "2028年2月4日" in html
    assert "有效的名单信息" in html and '<th scope="col">法律依据</th>' in html
    assert "信用等级" not in main_of(html) and "双公示" not in html
    assert DEBTOR not in html and DEBTOR_NAME not in html


def test_an_enterprises_page_shows_grades_and_double_publicity(client: TestClient) -> None:
    html = client.get(f"/subjects/{FIRM}", headers=EN).text
    assert '<html lang="en">' in html
    assert f"<h1>{FIRM_NAME}</h1>" in html
    assert "Credit grades" in html and "Tax credit grade (enterprises)" in html
    assert "Administrative licensing and penalty decisions" in html
    assert "食品经营许可证" in html and "Fine" in html and "销售过期食品" in html
    assert "List of seriously illegal and dishonest enterprises" in html


def test_an_unknown_subject_page_is_a_not_found_page(client: TestClient) -> None:
    r = client.get(f"/subjects/{DEBTOR}", headers=EN)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert DEBTOR not in main_of(r.text)  # only the visitor's own address repeats it


def test_a_list_page_links_to_subjects_by_reference(
    client: TestClient, world: dict[str, str]
) -> None:
    html = client.get("/lists/court_defaulters").text
    assert "<h1>失信被执行人名单</h1>" in html
    assert f'<a href="/subjects/{world[DEBTOR]}">欧阳**</a>' in html
    assert '<label for="q">' in html and 'id="q" name="q"' in html
    assert '<th scope="col">名称</th>' in html
    assert DEBTOR not in html


def test_a_list_page_is_paged_and_searched(store: Store, client: TestClient) -> None:
    for seq in range(80, 83):
        code = person_id(seq=seq)
        person_named(store, code, "赵云")
        ingest_on(store, "2026-01-05", judgment_default(f"A{seq}", code, occurred_at="2026-01-05"))
    first = client.get("/lists/court_defaulters?page_size=2", headers=EN).text
    assert "Page 1 of 2" in first
    assert 'href="/lists/court_defaulters?page=2&amp;page_size=2" rel="next"' in first
    assert 'rel="prev"' not in first
    second = client.get("/lists/court_defaulters?page=2&page_size=2", headers=EN).text
    assert 'rel="prev"' in second and 'rel="next"' not in second
    found = client.get("/lists/court_defaulters", params={"q": "赵"}, headers=EN).text
    assert found.count("赵*") == 3 and "欧阳**" not in found
    assert 'value="赵"' in found
    none = client.get("/lists/court_defaulters", params={"q": "赵云"}, headers=EN).text
    assert "No entry in force matches." in none


def test_a_list_page_refuses_too_large_a_page_and_an_unknown_list(client: TestClient) -> None:
    r = client.get("/lists/court_defaulters?page_size=500", headers=EN)
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    r = client.get("/lists/secret_list", headers=EN)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_the_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for path in (f"/subjects/{FIRM}", "/lists/court_defaulters"):
        html = client.get(path).text
        assert "<script" not in html and "style=" not in html
        assert "http://" not in html and "https://" not in html
