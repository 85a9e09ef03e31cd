"""/policy: the packs in force as text; /policy/dry-run: a candidate's grade transitions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from socialcredit.policy.pack import PACKS_DIR
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.web.app import create_app

from support.portal import csrf_of
from support.portal_browser import client_login, seed

REFUSES = "points: -300\n    effect_days: 1095"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    seed(store)
    app = create_app(Settings(db=store.url), clock=store.clock)
    with TestClient(app, headers={"accept-language": "en"}) as c:
        yield c


def dry_run(client: TestClient, **form: str) -> tuple[int, str]:
    token = csrf_of(client.get("/policy").text)
    r = client.post("/policy/dry-run", data={"csrf": token, **form})
    return r.status_code, r.text


def test_an_officer_reads_every_active_rule_with_its_condition_and_basis(
    client: TestClient,
) -> None:
    client_login(client, "policy_officer")
    r = client.get("/policy")
    assert r.status_code == 200
    page = r.text
    assert page.count("<h1>") == 1 and "Policy in force" in page
    for pack in ("national", "food-drug", "rongcheng"):
        assert f'id="pack-{pack}"' in page
    assert "nat.judgment_default.refuses" in page
    assert "ground is able_but_refuses" in page  # the condition in words
    assert (
        "Dishonest Judgment Defaulters (Fa Shi [2013] No. 17, amended 2017) arts. 1(1), 2, 10"
        in page
    )
    assert "listed until performance" in page  # its explanation
    assert "court_defaulters" in page  # a list
    assert 'action="/policy/dry-run"' in page  # officers may dry-run


def test_a_supervisor_reads_the_policy_but_has_no_dry_run(client: TestClient) -> None:
    client_login(client, "supervisor")
    page = client.get("/policy").text
    assert "nat.judgment_default.refuses" in page
    assert "/policy/dry-run" not in page
    token = csrf_of(page)
    r = client.post("/policy/dry-run", data={"csrf": token, "pack": "national"})
    assert r.status_code == 403


def test_a_subject_is_refused_and_the_public_sent_to_log_in(client: TestClient) -> None:
    r = client.get("/policy", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/policy"
    client_login(client, "subject")
    assert client.get("/policy").status_code == 403


def test_the_shipped_pack_unchanged_moves_nobody(client: TestClient) -> None:
    client_login(client, "policy_officer")
    status, page = dry_run(client, pack="national")
    assert status == 200, page
    assert "national@" in page
    assert "changing grade: 0" in page
    assert "<strong>" not in page  # no count off the diagonal


def test_milder_points_move_the_defaulter_up_and_the_matrix_shows_it(client: TestClient) -> None:
    client_login(client, "policy_officer")
    scoring = (PACKS_DIR / "national" / "scoring.yaml").read_text(encoding="utf-8")
    assert REFUSES in scoring
    milder = scoring.replace(REFUSES, "points: -10\n    effect_days: 1095", 1)
    status, page = dry_run(client, pack="national", file="scoring.yaml", yaml=milder)
    assert status == 200, page
    row = re.search(r'<th scope="row">C</th>(.*?)</tr>', page, re.S)
    assert row is not None, page
    assert "<strong>1</strong>" in row.group(1)  # one subject leaves grade C
    assert "changing grade: 1" in page


def test_a_broken_candidate_is_refused_with_every_problem(client: TestClient) -> None:
    client_login(client, "policy_officer")
    status, page = dry_run(client, pack="national", file="scoring.yaml", yaml="rules: [1, 2")
    assert status == 400
    assert "scoring.yaml: not valid YAML" in page
    assert 'role="alert"' in page
    status, page = dry_run(client, pack="nowhere")
    assert status == 422 and "invalid_form" in page
    status, page = dry_run(client, pack="national", file="", yaml="a: 1")
    assert status == 422 and "file: choose the file" in page
    status, page = dry_run(client, pack="national", file="pack.yaml", yaml="#" * 200_001)
    assert status == 422 and "yaml: at most 200000 characters" in page


def test_a_dry_run_without_the_form_token_does_nothing(client: TestClient) -> None:
    client_login(client, "policy_officer")
    r = client.post("/policy/dry-run", data={"pack": "national"})
    assert r.status_code == 403 and "csrf_failed" in r.text
