"""``/me`` shows the subject's risk score, the four reasons lowering it in the page's
language, the model version, and that nothing follows from it; nothing without an
active model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.factories import resident
from support.portal_me import subject_login
from support.remedies import DEBTOR, listed_debtor
from support.risk import activate_card


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    resident(store, DEBTOR)
    listed_debtor(store)
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        subject_login(c, store, DEBTOR)
        yield c


def page(client: TestClient, lang: str) -> str:
    client.cookies.set("sc_lang", lang)
    r = client.get("/me")
    assert r.status_code == 200, r.text
    return r.text


def test_no_active_model_no_risk_section(client: TestClient) -> None:
    assert 'id="risk"' not in page(client, "en")


def test_the_score_and_reasons_in_english_and_chinese(client: TestClient, store: Store) -> None:
    model = activate_card(store)
    en = page(client, "en")
    assert "Predicted risk of a serious default" in en
    assert '<strong class="risk-score">495</strong>' in en
    assert f"Model version {model.version}" in en
    assert "No list entry and no measure follows from it" in en
    assert en.index("court judgments not yet performed") < en.index("serious defaults")
    assert (
        en.count(
            "<li>",
            en.index('class="risk-reasons"'),
            en.index("</ol>", en.index('class="risk-reasons"')),
        )
        == 4
    )
    zh = page(client, "zh-CN")
    assert "严重违约风险预测" in zh and "尚未履行的法院判决" in zh
    assert "不会据此将您列入任何名单" in zh and "court judgments" not in zh
