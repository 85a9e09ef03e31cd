"""The reviewers' desk: the queues by deadline, one case, and the steps a reviewer takes
there -- through the remedies functions the API uses, at once for the next check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.remedies.cases import show
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.factories import ingest_on, person_id
from support.portal import csrf_of
from support.portal_review import account, error_code, login
from support.remedies import CASE_NO, DEBTOR, FIRM, dishonest, listed_debtor, move

FLIGHT = {"subject": DEBTOR, "action": "transport.air.ticket"}
ENTRY = f"court_defaulters:{DEBTOR}:{CASE_NO}"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    listed_debtor(store)
    ingest_on(store, "2024-06-01", dishonest("D-1", "2024-06-01"))
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


@pytest.fixture
def keys(store: Store) -> dict[str, dict[str, str]]:
    roles = {
        "subjects": ["role:subject-service"],
        "court": ["role:provider:spc.national"],
        "airline": ["transport.air.*", "procurement.*"],
    }
    out = {}
    for name, scopes in roles.items():
        _key, token = create_key(store, name, scopes)
        out[name] = {"Authorization": f"Bearer {token}"}
    return out


def api(client: TestClient, method: str, path: str, key: dict[str, str], **body: Any) -> Any:
    r = client.request(method, path, headers=key, json=body or None)
    assert r.status_code in (200, 201), r.text
    return r.json()


def object_to(client: TestClient, keys: dict[str, dict[str, str]], **extra: Any) -> str:
    body = {"subject": DEBTOR, "entry": ENTRY, "grounds": "wrong", "evidence": "receipt"}
    created = api(client, "POST", "/v1/objections", keys["subjects"], **body, **extra)
    return str(created["case"]["case"])


def flight(client: TestClient, keys: dict[str, dict[str, str]]) -> str:
    return str(api(client, "POST", "/v1/checks", keys["airline"], **FLIGHT)["outcome"])


def step(client: TestClient, case: str, **form: str) -> Any:
    """Take a step through the case page's form, as the logged-in reviewer."""
    token = csrf_of(client.get(f"/review/{case}").text)
    return client.post(f"/review/{case}", data={"csrf": token, **form}, follow_redirects=False)


def rows(html: str) -> list[str]:
    return re.findall(r'<tr class="case[^"]*">.*?</tr>', html, flags=re.DOTALL)


def test_a_reviewer_accepts_and_upholds_an_objection_and_the_next_check_sees_it(
    client: TestClient, keys: dict[str, dict[str, str]], store: Store
) -> None:
    case = object_to(client, keys)
    login(client, account(store, "li", "reviewer"))
    desk = client.get("/review")
    assert desk.status_code == 200
    assert "Objections" in desk.text and "Appeals" not in desk.text
    (row,) = rows(desk.text)
    accept_by = show(store, case).next
    assert accept_by is not None and accept_by.deadline is not None
    assert case in row and "Mar 4, 2026" in row and "2 working days left" in row
    assert "overdue" not in row

    page = client.get(f"/review/{case}")
    assert page.status_code == 200
    for shown in ("judicial.judgment_default", "spc.national", CASE_NO, "receipt", "wrong"):
        assert shown in page.text
    assert 'value="accept"' in page.text and 'value="uphold"' not in page.text

    r = step(client, case, action="accept")
    assert r.status_code == 303 and r.headers["location"] == f"/review/{case}?done=accept"
    assert "The objection is accepted." in client.get(r.headers["location"]).text
    assert show(store, case).case.state == "accepted"
    # waiting for the provider: no step is the reviewer's
    assert 'name="action"' not in client.get(f"/review/{case}").text

    answer = {"outcome": "upheld", "reasons": "unpaid"}
    api(client, "POST", f"/v1/objections/{case}/answer", keys["court"], **answer)
    assert flight(client, keys) == "deny"
    page = client.get(f"/review/{case}")
    assert "the record stands" in page.text and "unpaid" in page.text

    r = step(client, case, action="uphold", reasons="the debt was paid before the listing")
    assert r.status_code == 303
    decided = show(store, case).case
    assert (decided.state, decided.outcome) == ("decided", "withdrawn")
    assert decided.steps[-1].attributes["decided_by"] == "Li (user:li)"
    assert flight(client, keys) == "allow"
    page = client.get(r.headers["location"])
    assert "The objection is upheld." in page.text
    assert "objection upheld: the record is withdrawn" in page.text
    assert "Li (user:li)" in page.text
    labels = ["Objection filed", "Objection accepted", "Provider answered", "Objection decided"]
    found = [page.text.index(f": {label}") for label in labels]
    assert found == sorted(found)  # the whole history, in order
    assert "The record has since been withdrawn." in page.text
    assert rows(client.get("/review").text) == []
    client.cookies.set("sc_lang", "zh-CN")
    assert "异议成立：撤销记录" in client.get(f"/review/{case}").text


def test_overdue_cases_are_marked_and_the_earliest_deadline_comes_first(
    client: TestClient, keys: dict[str, dict[str, str]], store: Store
) -> None:
    first = object_to(client, keys)
    move(store, "2026-03-03")
    body = {
        "subject": FIRM,
        "entry": f"serious_illegal_dishonest_enterprises:{FIRM}:D-1",
        "grounds": "wrong",
        "evidence": "receipt",
    }
    second = api(client, "POST", "/v1/objections", keys["subjects"], **body)["case"]["case"]
    login(client, account(store, "li", "reviewer"))
    found = rows(client.get("/review").text)
    assert [first in found[0], second in found[1]] == [True, True]
    assert not any("overdue" in r for r in found)

    move(store, "2026-03-06")  # first due 2026-03-04, second 2026-03-05
    html = client.get("/review").text
    late, later = rows(html)
    assert first in late and 'class="case overdue"' in late
    assert "Overdue" in late and "2 working days late" in late
    assert second in later and "1 working days late" in later
    assert "Overdue" in client.get(f"/review/{first}").text

    client.cookies.set("sc_lang", "zh-CN")
    assert "已逾期" in client.get("/review").text


def test_a_step_without_the_form_token_or_with_an_unknown_action_writes_nothing(
    client: TestClient, keys: dict[str, dict[str, str]], store: Store
) -> None:
    case = object_to(client, keys)
    login(client, account(store, "li", "reviewer"))
    r = client.post(f"/review/{case}", data={"action": "accept"}, follow_redirects=False)
    assert r.status_code == 403 and error_code(r.text) == "csrf_failed"
    r = client.post(
        f"/review/{case}", data={"action": "accept", "csrf": "forged" * 4}, follow_redirects=False
    )
    assert r.status_code == 403 and error_code(r.text) == "csrf_failed"
    r = step(client, case, action="approve")
    assert r.status_code == 422 and error_code(r.text) == "invalid_form"
    assert "accept" in r.text  # the error names the actions there are
    r = step(client, case)
    assert r.status_code == 422 and error_code(r.text) == "invalid_form"
    assert show(store, case).case.state == "filed"

    step(client, case, action="accept")
    api(
        client,
        "POST",
        f"/v1/objections/{case}/answer",
        keys["court"],
        outcome="upheld",
        reasons="x",
    )
    r = step(client, case, action="dismiss")  # a decision needs its reasons
    assert r.status_code == 422 and error_code(r.text) == "invalid_form"
    r = step(client, case, action="accept")  # the state no longer allows it
    assert r.status_code == 409 and error_code(r.text) == "invalid_transition"
    assert show(store, case).case.state == "answered"


def test_a_case_outside_the_visitors_queues_answers_as_a_missing_one(
    client: TestClient, keys: dict[str, dict[str, str]], store: Store
) -> None:
    case = object_to(client, keys)
    login(client, account(store, "wang", "appeal_reviewer"))
    desk = client.get("/review").text
    assert "Appeals" in desk and "Objections" not in desk and case not in desk
    missing = case[:13] + ("0" * 12 if case[13:] != "0" * 12 else "1" * 12)
    for target in (case, missing):
        r = client.get(f"/review/{target}")
        assert r.status_code == 404 and error_code(r.text) == "not_found"
        token = csrf_of(client.get("/review").text)
        r = client.post(f"/review/{target}", data={"csrf": token, "action": "accept"})
        assert r.status_code == 404 and error_code(r.text) == "not_found"
    assert show(store, case).case.state == "filed"


def test_a_subject_and_the_public_are_kept_off_the_desk(client: TestClient, store: Store) -> None:
    r = client.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/review"
    login(client, account(store, "zhang", "subject", subject=DEBTOR))
    r = client.get("/review")
    assert r.status_code == 403 and error_code(r.text) == "forbidden"


def test_a_reviewer_takes_no_step_on_a_case_they_filed(
    client: TestClient, keys: dict[str, dict[str, str]], store: Store
) -> None:
    representative = person_id(seq=77)
    case = object_to(client, keys, filed_by=representative)
    # a reviewer whose account names their own person: the representative who filed
    login(client, account(store, "li", "reviewer", subject=representative))
    client.cookies.set("sc_lang", "en")
    page = client.get(f"/review/{case}").text
    assert "You filed this case" in page and 'name="action"' not in page
    token = csrf_of(page)
    r = client.post(f"/review/{case}", data={"csrf": token, "action": "accept"})
    assert r.status_code == 403 and error_code(r.text) == "own_case"
    assert show(store, case).case.state == "filed"
    # nor on a case about the reviewer's own person
    client.cookies.clear()
    login(client, account(store, "wang", "reviewer", subject=DEBTOR))
    token = csrf_of(client.get(f"/review/{case}").text)
    r = client.post(f"/review/{case}", data={"csrf": token, "action": "accept"})
    assert r.status_code == 403 and error_code(r.text) == "own_case"
    assert show(store, case).case.state == "filed"


def test_an_appeal_is_for_the_second_reviewer_who_may_suspend_the_listing(
    client: TestClient, keys: dict[str, dict[str, str]], store: Store
) -> None:
    case = object_to(client, keys)
    login(client, account(store, "li", "reviewer"))
    step(client, case, action="accept")
    api(
        client,
        "POST",
        f"/v1/objections/{case}/answer",
        keys["court"],
        outcome="upheld",
        reasons="x",
    )
    assert step(client, case, action="dismiss", reasons="unpaid").status_code == 303
    assert show(store, case).case.outcome == "upheld"
    api(client, "POST", "/v1/appeals", keys["subjects"], case=case, grounds="paid")
    # the first reviewer follows the case but the appeal steps are not theirs
    r = step(client, case, action="suspend")
    assert r.status_code == 403 and error_code(r.text) == "forbidden"

    login(client, account(store, "wang", "appeal_reviewer"))
    (row,) = rows(client.get("/review").text)
    assert case in row
    assert step(client, case, action="suspend", reasons="doubt").status_code == 303
    assert show(store, case).case.suspended and flight(client, keys) == "allow"
    assert 'value="suspend"' not in client.get(f"/review/{case}").text
    r = step(client, case, action="appeal_upheld", reasons="the listing was right")
    assert r.status_code == 303
    decided = show(store, case).case
    assert (decided.state, decided.outcome) == ("appeal_decided", "upheld")
    assert decided.steps[-1].attributes["decided_by"] == "Wang (user:wang)"
    move(store, "2026-03-03")
    assert flight(client, keys) == "deny"


def test_a_repair_granted_on_the_desk_ends_the_listing_at_once(
    client: TestClient, keys: dict[str, dict[str, str]], store: Store
) -> None:
    bid = {"subject": FIRM, "action": "procurement.bid"}
    entry = f"serious_illegal_dishonest_enterprises:{FIRM}:D-1"
    body = {"subject": FIRM, "entry": entry, "pledge": True, "course": True}
    case = api(client, "POST", "/v1/repairs", keys["subjects"], **body)["case"]["case"]
    assert api(client, "POST", "/v1/checks", keys["airline"], **bid)["outcome"] == "deny"
    login(client, account(store, "li", "reviewer"))
    desk = client.get("/review").text
    assert "Credit repair applications" in desk and case in desk
    page = client.get(f"/review/{case}").text
    assert 'value="grant"' in page and 'value="refuse"' in page
    r = step(client, case, action="grant", reasons="pledge and course shown")
    assert r.status_code == 303
    assert show(store, case).case.outcome == "accepted"
    assert api(client, "POST", "/v1/checks", keys["airline"], **bid)["outcome"] == "allow"
    assert "The repair is granted." in client.get(r.headers["location"]).text
