"""Notices: one for every change that affects a subject, idempotent, to the legal
representative of a listed organisation too; the CLI and the HTTP API show them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, insert, select
from typer.testing import CliRunner

from socialcredit.access.keys import create_key
from socialcredit.cli import app as cli_app
from socialcredit.clock import FixedClock
from socialcredit.enforcement.publish import publish_grade_lists
from socialcredit.engine.ledger_view import assess
from socialcredit.engine.model import DOMAIN_NAMES
from socialcredit.ledger.policy_store import policy_at
from socialcredit.notices.model import Notice, create_notices, notice_id, notices_for
from socialcredit.notices.sweep import generate_due, grade_kind
from socialcredit.notices.text import render_text
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import assessments, audit_log, evaluation_runs, notices
from socialcredit.web.app import create_app

from support.factories import ingest_on, judgment_default, org_id, person_id
from support.factories import resident as place

DEBTOR = person_id(seq=31)
OTHER = person_id(seq=33)
ENTERPRISE = org_id(code="MA3C4D5F7")
REPRESENTATIVE = person_id(seq=35)
CASE = "(2026)鲁1082执21号"


def ingest(store: Store, *rows: dict[str, Any]) -> None:
    result = ingestor(store).ingest_dicts(rows)
    assert result.rejected == 0, result.errors


def default(subject: str = DEBTOR, case: str = CASE, day: str = "2026-03-01") -> dict[str, Any]:
    return judgment_default(
        ref=case,
        subject=subject,
        occurred_at=day,
        attributes={"case_no": case, "amount": 8e4, "ground": "evades_enforcement"},
    )


def fulfilled(subject: str = DEBTOR, case: str = CASE, day: str = "2026-04-05") -> dict[str, Any]:
    return {
        "provider": "spc.national",
        "ref": f"{case}-done",
        "subject": subject,
        "category": "judicial.judgment_fulfilled",
        "occurred_at": day,
        "attributes": {"case_no": case, "how": "paid_in_full"},
    }


def of(store: Store, subject: str) -> list[Notice]:
    with store.reader() as conn:
        return notices_for(conn, subject)


def kinds(found: list[Notice]) -> list[str]:
    return [n.kind for n in found]


def move(store: Store, at: str) -> None:
    clock = store.clock
    assert isinstance(clock, FixedClock)
    clock.set(at)


def test_a_pending_listing_is_notified_with_its_effective_date(store: Store) -> None:
    # the default of 2026-03-01 is reported the next day (the clock says 2026-03-02):
    # the 30 days' notice runs from the day the platform learnt of it
    ingest(store, default())
    (notice,) = of(store, DEBTOR)
    assert notice.kind == "listing_pending" and notice.recipient == DEBTOR
    body = notice.body
    assert body.adverse and body.list == "court_defaulters"
    assert notice.effective_on == body.effective_on == dt.date(2026, 4, 1)
    assert body.ends_on == dt.date(2028, 3, 31)
    # why: the ground record and the list's rule; the legal basis of list and measures
    assert body.records[0].category == "judicial.judgment_default"
    assert any("court_defaulters" in r for r in body.rules)
    assert any("Fa Shi [2013] No. 17" in b for b in body.legal_basis)
    assert any("Fa Shi [2015] No. 17" in b for b in body.legal_basis)
    assert any(m.measure == "hc_1_travel_class" for m in body.measures)
    # how to object, with the deadlines an objection filed today would get
    assert body.objection.records == (body.records[0].id,)
    assert "socialcredit objections file" in body.objection.text
    deadlines = {d.what: d.date for d in body.objection.deadlines}
    assert deadlines["object before it takes effect"] == dt.date(2026, 4, 1)
    assert deadlines["accepted by (if you object today)"] == dt.date(2026, 3, 4)
    # how to repair: the national pack removes the listing on performance
    assert body.repair is not None
    assert body.repair.removal_categories == ("judicial.judgment_fulfilled",)
    text = render_text(notice)
    for part in ("What", "Why", "Legal basis", "How to object", "How to repair", "Deadlines"):
        assert part in text
    with store.reader() as conn:
        events = [
            r.ref
            for r in conn.execute(select(audit_log.c.ref, audit_log.c.event))
            if r.event == "notice.created"
        ]
    assert events == [notice.id]


def test_a_listing_taking_effect_is_notified_by_the_sweep(store: Store) -> None:
    ingest(store, default())  # reported on 2026-03-02: in force from 2026-04-01
    move(store, "2026-03-31T02:00:00")
    assert generate_due(store).total == 0  # nothing has happened yet
    move(store, "2026-04-01T02:00:00")
    result = generate_due(store)
    assert result.created == {"listing_effective": 1}
    assert kinds(of(store, DEBTOR)) == ["listing_pending", "listing_effective"]
    effective = of(store, DEBTOR)[1]
    assert effective.effective_on == dt.date(2026, 4, 1) and effective.body.adverse


def test_removal_is_notified(store: Store) -> None:
    ingest(store, default())
    move(store, "2026-04-05T02:00:00")
    generate_due(store)
    ingest(store, fulfilled())
    ended = of(store, DEBTOR)[-1]
    assert ended.kind == "listing_ended" and not ended.body.adverse
    assert ended.effective_on == dt.date(2026, 4, 5)
    assert "removed by record" in ended.body.what
    assert {r.category for r in ended.body.records} >= {"judicial.judgment_fulfilled"}
    # the sweep sees the same end: no second notice
    move(store, "2026-04-06T02:00:00")
    assert generate_due(store).total == 0


def test_a_listing_back_in_force_is_notified_again(store: Store) -> None:
    ingest(store, default())
    move(store, "2026-04-05T02:00:00")
    generate_due(store)
    ingest(store, fulfilled())
    move(store, "2026-04-10T02:00:00")
    withdrawal = {**fulfilled(), "ref": "fulfilment-withdrawn", "supersedes": f"{CASE}-done"}
    ingest(store, {**withdrawal, "withdrawn": True})  # the fulfilment was reported in error
    found = of(store, DEBTOR)
    assert kinds(found) == [
        "listing_pending",
        "listing_effective",
        "listing_ended",
        "listing_effective",
    ]
    again = found[-1]
    assert again.effective_on == dt.date(2026, 4, 10)
    assert "counts again from 2026-04-10" in again.body.what


def test_a_withdrawn_ground_ends_the_listing(store: Store) -> None:
    ingest(store, default())
    move(store, "2026-03-03T02:00:00")
    ingest(store, {**default(), "ref": "withdrawal", "supersedes": CASE, "withdrawn": True})
    assert kinds(of(store, DEBTOR)) == ["listing_pending", "listing_ended"]
    assert "withdrawn" in of(store, DEBTOR)[1].body.what


def test_a_listed_enterprise_and_its_legal_representative_are_told(store: Store) -> None:
    ingest_on(  # reported when it happened: pending, both told
        store,
        "2026-01-05",
        {
            "provider": "samr.national",
            "ref": "lr-7",
            "subject": ENTERPRISE,
            "category": "registry.legal_representative",
            "occurred_at": "2019-05-01",
            "attributes": {"person": REPRESENTATIVE},
        },
        default(subject=ENTERPRISE, day="2026-01-05"),  # took effect on 2026-02-04
    )
    assert {(n.kind, n.recipient) for n in of(store, ENTERPRISE)} == {
        ("listing_pending", ENTERPRISE),
        ("listing_pending", REPRESENTATIVE),
    }
    assert not [n for n in of(store, REPRESENTATIVE) if n.kind == "measure_applies"]
    generate_due(store)  # today (2026-03-02) the listing is in force
    assert {(n.kind, n.recipient) for n in of(store, ENTERPRISE)} == {
        ("listing_pending", ENTERPRISE),
        ("listing_pending", REPRESENTATIVE),
        ("listing_effective", ENTERPRISE),
        ("listing_effective", REPRESENTATIVE),
    }
    about = [n for n in of(store, ENTERPRISE) if n.kind == "listing_effective"]
    assert all(n.effective_on == dt.date(2026, 2, 4) for n in about)
    to_rep = next(n for n in about if n.recipient == REPRESENTATIVE)
    assert to_rep.body.role == "legal_representative"
    assert "legal representative of" in to_rep.body.what
    # the measures that reach the representative personally (2015 provisions art. 3)
    mine = [n for n in of(store, REPRESENTATIVE) if n.kind == "measure_applies"]
    assert len(mine) == 1 and mine[0].body.via == ENTERPRISE
    assert {m.measure for m in mine[0].body.measures} >= {"hc_1_travel_class"}
    assert {m.target for m in mine[0].body.measures} == {"legal_representative"}


def evaluation_run(store: Store, *subjects: str) -> None:
    """An evaluation run as the batch engine stores one, computed by the incremental
    engine (the reference the batch engine is held to)."""
    now = store.clock.now()
    with store.writer() as conn:
        policy, _ = policy_at(conn, now)
        run = int(conn.execute(select(func.max(evaluation_runs.c.id))).scalar() or 0) + 1
        conn.execute(delete(assessments))
        for subject in subjects:
            for scheme, a in assess(conn, policy, subject, now).schemes.items():
                conn.execute(
                    insert(assessments).values(
                        subject=subject,
                        scheme=scheme,
                        run=run,
                        status=a.status,
                        score_units=a.score_units,
                        grade=a.grade,
                        **{f"{d}_units": a.domain_units.get(d, 0) for d in DOMAIN_NAMES},
                    )
                )
        conn.execute(
            insert(evaluation_runs).values(
                id=run,
                engine="incremental",
                at=now,
                known_at=now,
                policy_version=policy.version,
                policy_digest=policy.digest,
                subjects=len(subjects),
                started_at=now,
                finished_at=now,
            )
        )


def test_grades_falling_into_the_two_lowest_bands_and_rising_to_the_top(store: Store) -> None:
    ingest(store, default(), {**default(subject=OTHER, case="old", day="2020-01-01")})
    evaluation_run(store, DEBTOR, OTHER)
    result = generate_due(store)
    assert result.created.get("grade_low") == 1 and result.grades_run == 1
    (low,) = [n for n in of(store, DEBTOR) if n.kind == "grade_low"]
    assert low.body.scheme == "national" and low.body.grade == "C"
    assert low.body.adverse and low.body.records and low.body.repair is not None
    assert "What would change the grade" in low.body.why
    assert not [n for n in of(store, OTHER) if n.kind.startswith("grade")]  # AAA, first seen
    assert generate_due(store).total == 0  # the same run is compared once

    move(store, "2026-04-05T02:00:00")
    ingest(store, fulfilled())
    evaluation_run(store, DEBTOR, OTHER)
    generate_due(store)
    (top,) = [n for n in of(store, DEBTOR) if n.kind == "grade_top"]
    assert top.body.grade == "AAA" and top.body.previous_grade == "C" and not top.body.adverse


@pytest.mark.parametrize(
    ("grade", "previous", "expected"),
    [
        ("C", None, "grade_low"),
        ("D", "C", "grade_low"),
        ("C", "D", None),
        ("B", "A", None),
        ("AAA", "B", "grade_top"),
        ("AAA", None, None),
    ],
)
def test_grade_kinds(grade: str, previous: str | None, expected: str | None) -> None:
    assert grade_kind(("AAA", "AA", "A", "B", "C", "D"), grade, previous) == expected


def test_a_red_list_entry_is_notified_as_a_reward(store: Store) -> None:
    ingest(
        store,
        {
            "provider": "sat.national",
            "ref": "grade-2025",
            "subject": ENTERPRISE,
            "category": "tax.credit_grade",
            "occurred_at": "2026-03-01",
            "attributes": {"year": 2025, "grade": "A"},
        },
    )
    (reward,) = of(store, ENTERPRISE)
    assert reward.kind == "red_listing" and reward.body.list == "tax_a_grade"
    assert not reward.body.adverse and reward.body.repair is None


def test_notices_are_idempotent(store: Store) -> None:
    ingest(store, default())  # reported on 2026-03-02: in force from 2026-04-01
    ingest(store, default())  # a duplicate record: nothing changes
    move(store, "2026-04-01T02:00:00")
    generate_due(store)
    generate_due(store)
    found = of(store, DEBTOR)
    assert kinds(found) == ["listing_pending", "listing_effective"]
    with store.writer() as conn:
        assert create_notices(conn, found, store.clock.now()) == []
        assert conn.execute(select(func.count()).select_from(notices)).scalar() == 2
    first = found[0]
    assert first.id == notice_id(DEBTOR, DEBTOR, first.kind, first.ref, first.effective_on)


def test_the_cli_lists_a_subjects_notices(store: Store) -> None:
    ingest(store, default())
    runner = CliRunner()
    result = runner.invoke(cli_app, ["--db", store.url, "notices", "list", DEBTOR, "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [n["kind"] for n in body] == ["listing_pending"]
    assert body[0]["body"]["effective_on"] == "2026-04-01"  # reported on 2026-03-02
    text = runner.invoke(cli_app, ["--db", store.url, "notices", "list", DEBTOR])
    assert text.exit_code == 0 and "listing_pending" in text.stdout


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    ingest(store, default())
    with TestClient(create_app(Settings(db=store.url), clock=store.clock)) as c:
        yield c


def test_the_api_shows_notices_to_subject_services_and_reviewers(
    store: Store, client: TestClient
) -> None:
    _key, service = create_key(store, "subject portal", ["role:subject-service"])
    _key, airline = create_key(store, "airline", ["transport.air.*"])
    r = client.get("/v1/notices", params={"subject": DEBTOR}, headers={"X-API-Key": service})
    assert r.status_code == 200
    body = r.json()
    assert body["subject"] == DEBTOR and body["notices"][0]["kind"] == "listing_pending"
    r = client.get("/v1/notices", params={"subject": DEBTOR}, headers={"X-API-Key": airline})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get("/v1/notices", params={"subject": DEBTOR}).status_code == 401
    r = client.get("/v1/notices", params={"subject": "nope"}, headers={"X-API-Key": service})
    assert r.status_code == 422 and r.json()["error"]["field"] == "query.subject"  # the schema
    wrong_check_digit = DEBTOR[:17] + ("1" if DEBTOR[17] != "1" else "2")
    r = client.get(
        "/v1/notices", params={"subject": wrong_check_digit}, headers={"X-API-Key": service}
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_identifier"


def test_grade_based_entries_are_notified_as_grades_not_as_entries(store: Store) -> None:
    ingest(store, default())
    resident = person_id(seq=37)
    place(store, resident)  # the honour list is Rongcheng's: its residents only
    now = store.clock.now()
    with store.writer() as conn:
        policy, _ = policy_at(conn, now)
        units = dict.fromkeys((f"{d}_units" for d in DOMAIN_NAMES), 0)
        conn.execute(
            insert(assessments).values(
                subject=resident,
                scheme="rongcheng",
                run=1,
                status="scored",
                score_units=10_600_000,
                grade="AAA",
                **units,
            )
        )
        published = publish_grade_lists(conn, policy, dt.date(2026, 3, 2))
    assert published == {"rongcheng_honour": 1}
    assert generate_due(store).created == {}  # republished with every run: not an entry change
    assert of(store, resident) == []
