"""/me: a subject sees its own credit and acts on its own records only; /agency: an
agency reads a report only under the subject's authorisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.access.keys import create_key
from socialcredit.remedies.cases import cases, show
from socialcredit.remedies.objections import accept_objection, answer_objection, decide_objection
from socialcredit.services.agencies import grant, grants_of, reads_of
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.factories import ingest_on, resident
from support.portal import csrf_of
from support.portal_me import agency_login, subject_login
from support.remedies import DEBTOR, FIRM, OTHER, dishonest, listed_debtor, rid

RECORD = rid("(2026)鲁1082执51号")
OTHER_RECORD = rid("(2026)鲁1082执53号")


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    listed_debtor(store)
    listed_debtor(store, subject=OTHER)
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        c.cookies.set("sc_lang", "en")
        yield c


@pytest.fixture
def me(client: TestClient, store: Store) -> str:
    """The logged-in subject's form token."""
    subject_login(client, store, DEBTOR)
    return csrf_of(client.get("/me").text)


def test_the_page_needs_a_subject_login(client: TestClient) -> None:
    r = client.get("/me", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_the_page_shows_grade_records_measures_and_history(
    client: TestClient, store: Store, me: str
) -> None:
    r = client.get("/me")
    assert r.status_code == 200
    page = r.text
    assert '<strong class="grade">C</strong>' in page
    assert RECORD in page and "judicial.judgment_default" in page
    assert "Fa Shi [2013] No. 17" in page  # the rule's legal basis
    assert "transport.air.ticket" in page  # an action a measure in force restricts
    assert "List of dishonest judgment defaulters" in page
    assert "data:image/svg+xml;base64," in page  # the score history chart
    assert OTHER_RECORD not in page and OTHER not in page
    assert page.count("<h1") == 1


def test_the_page_is_in_chinese_by_default(client: TestClient, store: Store, me: str) -> None:
    client.cookies.set("sc_lang", "zh-CN")
    page = client.get("/me").text
    assert "我的信用" in page and '<html lang="zh-CN">' in page


def test_an_objection_filed_through_the_form_is_in_the_case_list(
    client: TestClient, store: Store, me: str
) -> None:
    form = {"csrf": me, "record": RECORD, "grounds": "wrong", "evidence": "paid in full"}
    r = client.post("/me/objections", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/me?done=objection"
    [case] = cases(store, subject=DEBTOR)
    page = client.get(r.headers["location"]).text
    assert "Your objection has been filed." in page
    assert case.case.id in page


def test_a_form_acts_only_on_the_subjects_own_records(
    client: TestClient, store: Store, me: str
) -> None:
    form = {"csrf": me, "record": OTHER_RECORD, "grounds": "wrong", "evidence": "x"}
    r = client.post("/me/objections", data=form)
    assert r.status_code == 404 and "not_found" in r.text
    assert cases(store) == []
    r = client.post("/me/repairs", data={"csrf": me, "record": OTHER_RECORD})
    assert r.status_code == 404
    assert cases(store) == []


def test_forms_without_the_token_or_with_bad_fields_are_refused(
    client: TestClient, store: Store, me: str
) -> None:
    form = {"record": RECORD, "grounds": "wrong", "evidence": "x"}
    r = client.post("/me/objections", data={**form, "csrf": "forged-token-123456"})
    assert r.status_code == 403 and "csrf_failed" in r.text
    r = client.post("/me/objections", data={**form, "csrf": me, "grounds": "dislike"})
    assert r.status_code == 422 and "invalid_form" in r.text
    r = client.post("/me/objections", data={**form, "csrf": me, "evidence": ""})
    assert r.status_code == 422
    assert cases(store) == []
    bad = {"csrf": me, "agency": "bank.one", "purpose": "loan", "until": "soon"}
    assert client.post("/me/grants", data=bad).status_code == 422
    late = {**bad, "until": "2027-06-01"}
    r = client.post("/me/grants", data=late)
    assert r.status_code == 422 and "invalid_grant" in r.text
    assert grants_of(store, DEBTOR) == []


def test_appeals_and_repairs_are_refused_in_the_users_language(
    client: TestClient, store: Store, me: str
) -> None:
    objection = {"csrf": me, "record": RECORD, "grounds": "wrong", "evidence": "x"}
    client.post("/me/objections", data=objection)
    [case] = cases(store, subject=DEBTOR)
    appeal = {"csrf": me, "case": case.case.id, "grounds": "wrong decision"}
    r = client.post("/me/appeals", data=appeal)  # not decided yet
    assert r.status_code == 409 and "This did not work" in r.text
    r = client.post("/me/appeals", data={**appeal, "case": "OBJ-20260302-000000000000"})
    assert r.status_code == 404
    r = client.post("/me/repairs", data={"csrf": me, "record": RECORD, "pledge": "yes"})
    assert r.status_code == 422 and "not_repairable" in r.text
    assert len(cases(store, subject=DEBTOR)) == 1


def test_a_decided_objection_is_appealed_through_the_form(
    client: TestClient, store: Store, me: str
) -> None:
    objection = {"csrf": me, "record": RECORD, "grounds": "wrong", "evidence": "x"}
    client.post("/me/objections", data=objection)
    [case] = cases(store, subject=DEBTOR)
    ledger = ingestor(store)
    accept_objection(ledger, case.case.id)
    answer_objection(ledger, case.case.id, "upheld", "the record stands", provider="spc.national")
    decide_objection(ledger, case.case.id, "upheld", "reviewer")
    appeal = {"csrf": me, "case": case.case.id, "grounds": "the court erred"}
    r = client.post("/me/appeals", data=appeal, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/me?done=appeal"
    assert show(store, case.case.id).case.state == "appealed"
    r = client.post("/me/appeals", data=appeal)  # once only
    assert r.status_code == 409 and "already_appealed" in r.text


def test_a_repair_is_applied_for_through_the_form(client: TestClient, store: Store) -> None:
    ingest_on(store, "2024-06-01", dishonest("D-1", "2024-06-01"))
    subject_login(client, store, FIRM, account="firm")
    token = csrf_of(client.get("/me").text)
    record = rid("D-1", "samr.national")
    r = client.post("/me/repairs", data={"csrf": token, "record": record, "pledge": "yes"})
    assert r.status_code == 422 and "missing_requirement" in r.text
    assert cases(store, subject=FIRM) == []
    form = {"csrf": token, "record": record, "pledge": "yes", "course": "yes"}
    r = client.post("/me/repairs", data=form, follow_redirects=False)
    assert r.headers["location"] == "/me?done=repair"
    [case] = cases(store, subject=FIRM)
    assert case.case.kind == "repair" and case.case.id in client.get("/me").text


def test_another_subjects_case_is_not_appealed(client: TestClient, store: Store) -> None:
    subject_login(client, store, OTHER, account="li")
    token = csrf_of(client.get("/me").text)
    objection = {"csrf": token, "record": OTHER_RECORD, "grounds": "wrong", "evidence": "x"}
    client.post("/me/objections", data=objection)
    [case] = cases(store, subject=OTHER)
    client.post("/logout", data={"csrf": token})
    subject_login(client, store, DEBTOR)
    token = csrf_of(client.get("/me").text)
    r = client.post("/me/appeals", data={"csrf": token, "case": case.case.id, "grounds": "x"})
    assert r.status_code == 404 and "not_found" in r.text


def test_an_agency_authorised_reads_and_the_read_is_listed(
    client: TestClient, store: Store, me: str
) -> None:
    form = {"csrf": me, "agency": "bank.one", "purpose": "mortgage", "until": "2026-06-01"}
    r = client.post("/me/grants", data=form, follow_redirects=False)
    assert r.headers["location"] == "/me?done=grant"
    [made] = grants_of(store, DEBTOR)
    assert (made.agency, made.expires_on) == ("bank.one", dt.date(2026, 6, 1))
    _key, token = create_key(store, "bank", ["role:agency:bank.one"])
    bank = {"Authorization": f"Bearer {token}"}
    url = f"/v1/subjects/{DEBTOR}/report?purpose=mortgage"
    assert client.get(url, headers=bank).status_code == 200
    page = client.get("/me").text
    assert page.count('<tr class="read">') == 1 and "mortgage" in page
    r = client.post(f"/me/grants/{made.id}/withdraw", data={"csrf": me}, follow_redirects=False)
    assert r.headers["location"] == "/me?done=withdrawn"
    assert client.get(url, headers=bank).status_code == 403
    again = client.post(f"/me/grants/{made.id}/withdraw", data={"csrf": me})
    assert again.status_code == 404


def test_another_subjects_grant_is_not_withdrawn(client: TestClient, store: Store, me: str) -> None:
    theirs = grant(store, OTHER, "bank.one", "loan", dt.date(2026, 4, 1))
    r = client.post(f"/me/grants/{theirs.id}/withdraw", data={"csrf": me})
    assert r.status_code == 404
    assert grants_of(store, OTHER)[0].withdrawn_at is None


def test_consent_to_a_points_scheme_is_given_then_withdrawn(
    client: TestClient, store: Store
) -> None:
    resident(store, DEBTOR)  # a Rongcheng resident: the points scheme asks consent
    subject_login(client, store, DEBTOR)
    page = client.get("/me").text
    assert "Give consent" in page
    token = csrf_of(page)
    r = client.post("/me/consent", data={"csrf": token, "scheme": "rongcheng", "given": "yes"})
    assert r.status_code == 200 and "Your consent has been recorded." in r.text
    assert "Withdraw consent" in r.text
    r = client.post("/me/consent", data={"csrf": token, "scheme": "national", "given": "yes"})
    assert r.status_code == 422
    r = client.post("/me/consent", data={"csrf": token, "scheme": "rongcheng", "given": "no"})
    assert "Give consent" in r.text


def test_the_agency_page_lists_masked_grants_and_reads_an_authorised_report(
    client: TestClient, store: Store
) -> None:
    grant(store, DEBTOR, "bank.one", "mortgage", dt.date(2026, 6, 1))
    grant(store, OTHER, "bank.two", "loan", dt.date(2026, 6, 1))
    agency_login(client, store, "bank.one")
    page = client.get("/agency").text
    assert page.count('<tr class="grant">') == 1
    assert DEBTOR not in page and DEBTOR[:6] + "********" + DEBTOR[14:] in page
    r = client.get(
        "/agency", params={"code": DEBTOR, "purpose": "mortgage"}, follow_redirects=False
    )
    assert r.headers["location"] == f"/agency/reports/{DEBTOR}?purpose=mortgage"
    r = client.get(r.headers["location"])
    assert r.status_code == 200 and "transport.air.ticket" in r.text
    assert len(reads_of(store, DEBTOR)) == 1
    r = client.get(f"/agency/reports/{DEBTOR}", params={"purpose": "marketing"})
    assert r.status_code == 403 and "Not authorised" in r.text
    r = client.get(f"/agency/reports/{OTHER}", params={"purpose": "loan"})
    assert r.status_code == 403
    assert reads_of(store, OTHER) == []
    assert client.get("/agency").text.count('<tr class="read">') == 1


def test_the_agency_form_refuses_a_code_that_is_no_identifier(
    client: TestClient, store: Store
) -> None:
    agency_login(client, store, "bank.one")
    r = client.get("/agency", params={"code": "12345", "purpose": "loan"})
    assert r.status_code == 400 and "invalid_identifier" in r.text
    assert reads_of(store, DEBTOR) == []


def test_a_subject_cannot_open_the_agency_pages(client: TestClient, store: Store, me: str) -> None:
    assert client.get("/agency").status_code == 403
    assert client.get(f"/agency/reports/{DEBTOR}?purpose=x").status_code == 403
