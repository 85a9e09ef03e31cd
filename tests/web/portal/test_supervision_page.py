"""/dashboards/supervision: a supervisor or an auditor sees the latest saved run of each
supervision analytic -- its chart inlined as SVG beside the table of its main figures,
when it was computed and as of when -- in the page's language; an analytic never saved
says how to save it; a changed run or an unsafe chart is not shown; the public is sent to
log in and other roles are refused."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import supervision_reports
from socialcredit.supervision.saved import Run, latest_of, save
from socialcredit.web.app import create_app

from support.judges import BIASED
from support.portal_dash import log_in
from support.supervision_saved import KINDS, save_all, supervised_city

PAGE = "/dashboards/supervision"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def sections(html: str) -> dict[str, str]:
    return dict(re.findall(r'<section aria-labelledby="sup-(\w+)">(.*?)</section>', html, re.S))


def table_rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_a_supervisor_sees_each_saved_report_with_its_chart_and_table(
    client: TestClient, store: Store
) -> None:
    supervised_city(store)
    save_all(store)
    log_in(client, store, "supervisor")
    r = client.get(PAGE)
    assert r.status_code == 200, r.text
    found = sections(r.text)
    assert list(found) == list(KINDS)
    for kind, html in found.items():
        chart = re.search(r'<svg role="img" aria-label="[^"]+"(.*?)</svg>', html, re.S)
        assert chart is not None and "<path" in chart[1], kind  # the marks are drawn
        assert "xmlns" not in chart[0], kind  # inlined: no namespace URL
        assert re.search(r"<table>\s*<caption>[^<]+</caption>", html), kind
        assert '<th scope="col"' in html and table_rows(html), kind
        assert f"socialcredit supervise {kind} --save" in html and "SUP-" + kind in html
    main = r.text.split("<main", 1)[1]
    assert not re.search(r"<script|https?://|xlink", main)
    # Chinese by default; the instants in China time
    assert "<h1>监督分析报告</h1>" in r.text
    assert re.search(r"计算于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d（用时 [\d.]+ 秒）", r.text)
    # the main figures: the biased judge flagged, the indicator that flags a unit, the
    # ranking, the feed and its score
    judges = table_rows(found["judges"])
    assert [row[0] for row in judges] == [BIASED] and judges[0][2] == "40"
    assert "标记 1 位法官、1 份裁判" in found["judges"]
    officials = {row[0]: row for row in table_rows(found["officials"]) if row[1] == "机构"}
    assert officials["同一供应商多次单一来源采购"][3:4] == ["1"]
    assert officials["同一供应商多次单一来源采购"][6] != "—"
    ranking = table_rows(found["jurisdictions"])
    assert ranking[0][:2] == ["1", "371002"]
    feeds = table_rows(found["providers"])
    assert ["spc.national", "judicial.judgment_default"] in [row[:2] for row in feeds]


def test_the_page_in_english(client: TestClient, store: Store) -> None:
    supervised_city(store)
    save_all(store, "judges", "providers")
    log_in(client, store, "auditor", account="au1")
    client.cookies.set("sc_lang", "en")
    r = client.get(PAGE)
    assert r.status_code == 200
    found = sections(r.text)
    assert "Judges: deviation from what the case facts predict" in found["judges"]
    assert re.search(r"Computed \w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d", found["judges"])
    assert "8 judges, 320 decisions scored; 1 judges and 1 decisions flagged" in found["judges"]
    assert '<th scope="col" class="num">Reliability (0-100)</th>' in found["providers"]
    for kind in ("officials", "jurisdictions"):
        assert "Not computed yet: run <code>socialcredit supervise" in found[kind]


def test_nothing_saved_says_how_to_save_each_report(client: TestClient, store: Store) -> None:
    log_in(client, store, "supervisor")
    r = client.get(PAGE)
    assert r.status_code == 200
    found = sections(r.text)
    assert list(found) == list(KINDS)
    for kind, html in found.items():
        assert f"尚未计算：请运行 <code>socialcredit supervise {kind} --save</code>" in html
        assert "<svg" not in html and "<table" not in html


def test_a_run_changed_since_it_was_saved_is_not_shown(client: TestClient, store: Store) -> None:
    saved = save(store, _run())
    with store.writer() as conn:
        conn.execute(
            update(supervision_reports)
            .where(supervision_reports.c.id == saved.id)
            .values(report='{"feeds": [{"provider": "forged", "score": 100}]}')
        )
    log_in(client, store, "supervisor")
    html = sections(client.get(PAGE).text)["providers"]
    assert "计算于 2026年3月2日 10:00:00" in html  # the store's clock, in China time
    client.cookies.set("sc_lang", "en")
    html = sections(client.get(PAGE).text)["providers"]
    assert 'role="alert"' in html and "no longer matches the audit entry" in html
    assert "forged" not in html and "<svg" not in html


def test_a_chart_that_is_not_plain_drawing_is_refused_and_the_table_kept(
    client: TestClient, store: Store
) -> None:
    unsafe = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    save(store, _run(svg=unsafe))
    log_in(client, store, "supervisor")
    client.cookies.set("sc_lang", "en")
    page = client.get(PAGE).text
    html = sections(page)["providers"]
    assert "not plain drawing markup" in html and "<script" not in page
    assert table_rows(html)[0][:3] == ["court.test", "judicial.judgment_default", "87.5"]


def test_the_public_is_sent_to_log_in_and_other_roles_are_refused(
    client: TestClient, store: Store
) -> None:
    save(store, _run())
    r = client.get(PAGE, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    for n, role in enumerate(("reviewer", "policy_officer", "admin", "agency", "subject")):
        client.cookies.clear()
        extra = {"agency": "credit-agency.test"} if role == "agency" else {}
        if role == "subject":
            extra = {"subject": "110101199003074477"}
        _log_in_as(client, store, role, f"u{n}", **extra)
        refused = client.get(PAGE)
        assert refused.status_code == 403, role
        assert "court.test" not in refused.text and "<svg" not in refused.text


def test_the_dashboards_link_the_reports_for_those_who_may_read_them(
    client: TestClient, store: Store
) -> None:
    log_in(client, store, "supervisor")
    assert f'href="{PAGE}"' in client.get("/dashboards").text
    client.cookies.clear()
    log_in(client, store, "policy_officer", account="po1")
    board = client.get("/dashboards")
    assert board.status_code == 200 and f'href="{PAGE}"' not in board.text


def _run(svg: str = "") -> Run:
    report = {
        "week": "2026-03-02",
        "window_weeks": 8,
        "feeds": [
            {"provider": "court.test", "category": "judicial.judgment_default", "score": 87.5,
             "sent": 16, "hold": None},
        ],
    }  # fmt: skip
    drawn = svg or '<svg xmlns="http://www.w3.org/2000/svg" width="4"><path d="M0 0h4"/></svg>'
    return Run("providers", dt.datetime(2026, 3, 2, 1, 0), {"weeks": 12}, report, drawn)


def _log_in_as(client: TestClient, store: Store, role: str, account: str, **acts: str) -> None:
    from socialcredit.access.users import create_user

    from support.portal import csrf_of

    create_user(store, account, account, role, "correct horse battery", **acts)
    token = csrf_of(client.get("/login").text)
    done = client.post(
        "/login",
        data={"account": account, "password": "correct horse battery", "csrf": token},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert latest_of(store, "providers") is not None
