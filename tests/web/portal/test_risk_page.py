"""/dashboards/risk: a supervisor or an auditor sees the active model's out-of-time AUC
and KS against the baseline, its calibration and every version, in the page's
language; without a model the page says how to train one; the dashboards link it for
them only; the public is sent to log in and a policy officer is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.supervision.risk import models
from socialcredit.web.app import create_app

from support.portal_dash import log_in
from support.risk import EVALUATION, activate_card, card

PAGE = "/dashboards/risk"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'class="{table}"', 1)[1].split("</table>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    ]


def test_without_a_model_the_page_says_how_to_train_one(client: TestClient, store: Store) -> None:
    log_in(client, store, "auditor")
    client.cookies.set("sc_lang", "en")
    html = client.get(PAGE).text
    assert "No risk model is active" in html and "socialcredit risk train" in html
    assert "No model has been trained." in html


def test_a_supervisor_sees_the_figures_and_the_versions(client: TestClient, store: Store) -> None:
    active = activate_card(store)
    models.save_candidate(store, card(), cutoff=active.cutoff, known_at=store.clock.now(),
                          evaluation=EVALUATION, parent=active.version)  # fmt: skip
    log_in(client, store, "supervisor")
    client.cookies.set("sc_lang", "en")
    html = client.get(PAGE).text
    assert f"version {active.version}" in html
    assert cells(html, "risk-ranking") == [
        ["Scorecard", "0.750", "0.500"],
        ["Baseline: adverse records in the last two years", "0.700", "0.400"],
    ]
    assert cells(html, "risk-calibration") == [["1", "4", "0.0200", "0.2500"]]
    versions = cells(html, "risk-versions")
    assert [(v[0], v[1], v[-1]) for v in versions] == [
        ("2", "candidate", "not yet"),
        ("1", "active", "done"),
    ]
    client.cookies.set("sc_lang", "zh-CN")
    zh = client.get(PAGE).text
    assert "风险评分卡" in zh and "基准：近两年的失信记录数" in zh and "启用中" in zh
    assert "/dashboards/risk" in client.get("/dashboards").text


def test_the_public_is_sent_to_log_in_and_others_are_refused(
    client: TestClient, store: Store
) -> None:
    r = client.get(PAGE, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    log_in(client, store, "policy_officer", account="po1")
    assert client.get(PAGE).status_code == 403
    assert "/dashboards/risk" not in client.get("/dashboards").text
