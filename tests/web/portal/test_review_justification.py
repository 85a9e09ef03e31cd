"""Justification requests on the reviewers' desk: once the court has answered (over
the API), a request waits in its own queue by deadline, for the role it names, with the
flagged decision's facts, the court's answer and its history; the reviewer finds it
justified or not through the same function as the API. No objection step is ever taken
on it, and the judge never decides their own."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.ledger.record import record_id
from socialcredit.remedies import steps as s
from socialcredit.remedies.cases import show
from socialcredit.remedies.justification import Flag, request_justification
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.supervision.judges_model import TARGETS
from socialcredit.web.app import create_app
from socialcredit.web.portal.justification_facts import MODELLED

from support.judges import COURT_PROVIDER, OUTLIER, flagged_case, outlier_id
from support.portal import csrf_of
from support.portal_review import account, error_code, login
from support.remedies import move

WHY = "The defendant reoffended during probation (Criminal Law art. 77)."


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


@pytest.fixture
def court(store: Store) -> dict[str, str]:
    _key, token = create_key(store, "court", [f"role:provider:{COURT_PROVIDER}"])
    return {"Authorization": f"Bearer {token}"}


def answer(client: TestClient, court: dict[str, str], case: str, text: str = WHY) -> None:
    r = client.post(f"/v1/justifications/{case}/answer", json={"text": text}, headers=court)
    assert r.status_code == 200, r.text


def step(client: TestClient, case: str, **form: str) -> object:
    token = csrf_of(client.get(f"/review/{case}").text)
    return client.post(f"/review/{case}", data={"csrf": token, **form}, follow_redirects=False)


def queue(html: str) -> str:
    found = re.search(r'<section aria-labelledby="queue-justifications">.*?</section>', html, re.S)
    assert found, "no justifications queue on the desk"
    return found.group(0)


def rows(html: str) -> list[str]:
    return re.findall(r'<tr class="case[^"]*">.*?</tr>', html, flags=re.DOTALL)


def another(store: Store, reviewer: str = "reviewer") -> str:
    """A second request about another of the judge's decisions (opened today)."""
    other = record_id(COURT_PROVIDER, "(2025)鲁1002刑初5000号")
    flag = Flag(other, 3.4, 0.0007, 0.04, observed=2.9, predicted=2.3, modelled="log months")
    view = request_justification(ingestor(store), flag, requested_by="s", reviewer=reviewer)
    return view.case.id


def test_an_answered_request_waits_in_its_queue_and_the_reviewer_finds_it_unjustified(
    client: TestClient, court: dict[str, str], store: Store
) -> None:
    case = flagged_case(store)
    login(client, account(store, "li", "reviewer"))
    # waiting for the court: not in the queue, and no step is the reviewer's
    assert rows(queue(client.get("/review").text)) == []
    page = client.get(f"/review/{case}").text
    assert "The court has not answered yet." in page and 'name="action"' not in page

    move(store, "2026-03-10")
    answer(client, court, case)
    (row,) = rows(queue(client.get("/review").text))
    assert case in row and "answered by the court" in row and "Mar 31, 2026" in row
    assert "15 working days left" in row

    page = client.get(f"/review/{case}").text
    facts = summary_rows(page)
    assert float(facts["Actual decision"]) > 3 * float(facts["Predicted from comparable cases"])
    assert facts["Outcome modelled"] == "Sentence in months"
    assert float(facts["p-value"]) < 1e-4
    for shown in (WHY, outlier_id(), "judicial.case_decision", "sentence_months", OUTLIER):
        assert shown in page
    for label in ("Justification requested", "The court answered"):
        assert f": {label}" in page
    assert 'value="justified"' in page and 'value="unjustified"' in page
    assert 'value="dismiss"' not in page and 'value="uphold"' not in page

    r = step(client, case, action="unjustified")  # a finding needs its reasons
    assert r.status_code == 422 and error_code(r.text) == "invalid_form"
    r = step(client, case, action="unjustified", reasons="probation was never revoked")
    assert r.status_code == 303
    decided = show(store, case).case
    assert (decided.state, decided.outcome) == ("decided", "unjustified")
    assert decided.steps[-1].attributes["decided_by"] == "Li (user:li)"
    page = client.get(r.headers["location"]).text  # type: ignore[attr-defined]
    assert "The justification is found insufficient." in page
    assert "unjustified: the deviation is not explained" in page
    assert 'name="action"' not in page
    assert rows(queue(client.get("/review").text)) == []
    r = step(client, case, action="justified", reasons="again")
    assert r.status_code == 409 and error_code(r.text) == "invalid_transition"

    client.cookies.set("sc_lang", "zh-CN")
    assert "被标记裁判的理由说明" in client.get("/review").text
    assert "不成立：偏离未得到解释" in client.get(f"/review/{case}").text


def summary_rows(html: str) -> dict[str, str]:
    """The rows of the flag's table: label -> value."""
    section = re.search(r'<section aria-labelledby="flag">.*?</section>', html, re.S)
    assert section, "no flag section"
    found = re.findall(r'<th scope="row">(.*?)</th><td[^>]*>(.*?)</td>', section.group(0))
    return dict(found)


def test_the_queue_is_by_deadline_and_marks_the_overdue(
    client: TestClient, court: dict[str, str], store: Store
) -> None:
    first = flagged_case(store)
    move(store, "2026-03-05")
    second = another(store)
    answer(client, court, second, "the plea agreement")
    answer(client, court, first)
    login(client, account(store, "li", "reviewer"))
    early, late = rows(queue(client.get("/review").text))
    assert first in early and second in late  # due 31 March, then 3 April
    move(store, "2026-04-01")
    early, late = rows(queue(client.get("/review").text))
    assert first in early and 'class="case overdue"' in early
    assert "overdue" not in late
    page = client.get(f"/review/{second}").text
    assert summary_rows(page)["Predicted from comparable cases"] == "10.0"  # exp(2.3) months


def test_an_objection_step_on_a_request_writes_nothing(
    client: TestClient, court: dict[str, str], store: Store
) -> None:
    case = flagged_case(store)
    answer(client, court, case)
    login(client, account(store, "li", "reviewer"))
    for action in ("dismiss", "uphold", "grant"):
        r = step(client, case, action=action, reasons="x")
        assert r.status_code == 422 and error_code(r.text) == "wrong_case_kind", action
    assert show(store, case).case.state == "answered"
    with store.reader() as conn:
        decision = s.get_record(conn, outlier_id())
        assert s.head_of(conn, decision).id == decision.id  # still in force


def test_the_judge_never_decides_the_justification_of_their_own_decision(
    client: TestClient, court: dict[str, str], store: Store
) -> None:
    case = flagged_case(store)
    answer(client, court, case)
    login(client, account(store, "zhou", "reviewer", subject=OUTLIER))
    page = client.get(f"/review/{case}").text
    assert "You filed this case" in page and 'name="action"' not in page
    r = client.post(
        f"/review/{case}", data={"csrf": csrf_of(page), "action": "justified", "reasons": "mine"}
    )
    assert r.status_code == 403 and error_code(r.text) == "own_case"
    assert show(store, case).case.state == "answered"


def test_a_request_is_for_the_role_it_names_and_answers_others_as_missing(
    client: TestClient, court: dict[str, str], store: Store
) -> None:
    case = flagged_case(store)
    answer(client, court, case)
    named = another(store, reviewer="appeal-reviewer")
    answer(client, court, named, "the plea agreement")
    login(client, account(store, "wang", "appeal_reviewer"))
    (row,) = rows(queue(client.get("/review").text))
    assert named in row and case not in row
    missing = case[:13] + ("0" * 12 if case[13:] != "0" * 12 else "1" * 12)
    for target in (case, missing):
        r = client.get(f"/review/{target}")
        assert r.status_code == 404 and error_code(r.text) == "not_found"
        token = csrf_of(client.get("/review").text)
        r = client.post(
            f"/review/{target}", data={"csrf": token, "action": "justified", "reasons": "x"}
        )
        assert r.status_code == 404 and error_code(r.text) == "not_found"
    assert step(client, named, action="justified", reasons="explained").status_code == 303
    assert show(store, named).case.outcome == "justified"
    assert show(store, case).case.state == "answered"
    login(client, account(store, "li", "reviewer"))
    assert named not in client.get("/review").text


def test_every_case_type_the_analytic_models_has_its_label_on_the_desk() -> None:
    assert set(MODELLED) == set(TARGETS)
