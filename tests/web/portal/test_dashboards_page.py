"""/dashboards: a supervisor sees every chart as inline SVG beside the table of its
figures, in the page's language; others are sent to log in or refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.dashboards.catalogue import NAMES
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.portal_dash import checks, listings, log_in, objections


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    listings(store)
    checks(store)
    objections(store)
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def sections(html: str) -> dict[str, str]:
    return dict(re.findall(r'<section aria-labelledby="dash-(\w+)">(.*?)</section>', html, re.S))


def test_a_supervisor_sees_each_chart_with_its_table(client: TestClient, store: Store) -> None:
    log_in(client, store, "supervisor")
    r = client.get("/dashboards")
    assert r.status_code == 200, r.text
    found = sections(r.text)
    assert list(found) == list(NAMES)
    for name, html in found.items():
        chart = re.search(r'<svg role="img" aria-label="[^"]+"(.*?)</svg>', html, re.S)
        assert chart is not None and "<path" in chart[1], name  # marks drawn
        assert re.search(r"<table>\s*<caption>[^<]+</caption>", html), name
        assert '<th scope="col"' in html and "<td" in html, name
    assert not re.search(r"<script|https?://", r.text.split("<main", 1)[1])
    # Chinese by default: titles, headers and codes shown by their labels
    assert "异议处理结果" in found["objections"] and "维持" in found["objections"]
    assert r.text.count("<h1>") == 1


def test_the_page_in_english_formats_the_rates(client: TestClient, store: Store) -> None:
    log_in(client, store, "supervisor")
    client.cookies.set("sc_lang", "en")
    found = sections(client.get("/dashboards").text)
    objections_html = found["objections"]
    assert "Objection outcomes" in objections_html and "Decided on time" in objections_html
    assert re.search(r'<td class="num">100(\.0)? %</td>', objections_html)
    assert ">pending<" in objections_html and "—" in objections_html


def test_a_visitor_is_sent_to_log_in_and_a_reviewer_is_refused(
    client: TestClient, store: Store
) -> None:
    r = client.get("/dashboards", follow_redirects=False)
    assert r.status_code in (302, 303, 307) and "/login" in r.headers["location"]
    log_in(client, store, "reviewer", account="rv1")
    assert client.get("/dashboards").status_code == 403
