"""Assessing a subject from the store: both times, roles, unknown subjects.

Runs on SQLite and, when configured, PostgreSQL (the ``store`` fixture).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from socialcredit.clock import FixedClock
from socialcredit.engine.incremental import evaluate_subject
from socialcredit.engine.ledger_view import assess, load_subject
from socialcredit.errors import NotFound
from socialcredit.ledger.ingest import Ingestor
from socialcredit.policy.pack import load_pack, load_pack_files
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.database import Store

from support.factories import PERSON, judgment_default, org_id, person_id

ORG = org_id()
LR = person_id()
T1 = dt.datetime(2026, 3, 2, 2, 0)  # the fixture clock: 10:00 in Beijing
T2 = dt.datetime(2026, 3, 5, 2, 0)

SCORING = """
schemes:
  g:
    title: Test grade
    subjects: [person, enterprise]
    base: 100
    bands: [{grade: A, min: 95}, {grade: B, min: 85}, {grade: C}]
rules:
  - {id: default, scheme: g, category: judicial.judgment_default, points: -10,
     ended_by: [judicial.judgment_fulfilled]}
  - {id: penalty, scheme: g, category: market.administrative_penalty, points: -4}
  - {id: penalty.lr, scheme: g, category: market.administrative_penalty, points: -6,
     via: legal_representative}
"""


@pytest.fixture
def policy() -> PolicySet:
    national = load_pack("national")
    return PolicySet([load_pack_files({**national.files, "scoring.yaml": SCORING}, national.path)])


def _ingest(store: Store, *rows: dict[str, Any]) -> None:
    result = Ingestor(store).ingest_dicts(rows)
    assert result.rejected == 0, result.errors
    assert result.accepted == len(rows)


def _clock(store: Store) -> FixedClock:
    assert isinstance(store.clock, FixedClock)
    return store.clock


def _penalty(ref: str, occurred: str = "2026-01-05") -> dict[str, Any]:
    return {
        "provider": "samr.national",
        "ref": ref,
        "subject": ORG,
        "category": "market.administrative_penalty",
        "occurred_at": occurred,
        "attributes": {"decision_no": ref, "penalty": "fine", "amount": 5000},
    }


def _lr(ref: str, person: str, occurred: str = "2024-05-01") -> dict[str, Any]:
    return {
        "provider": "samr.national",
        "ref": ref,
        "subject": ORG,
        "category": "registry.legal_representative",
        "occurred_at": occurred,
        "attributes": {"person": person},
    }


def test_assess_as_of_what_was_known_then(store: Store, policy: PolicySet) -> None:
    _ingest(store, judgment_default())
    _clock(store).set(T2)
    _ingest(
        store,
        {
            "provider": "spc.national",
            "ref": "withdrawal-1",
            "subject": PERSON,
            "category": "judicial.judgment_default",
            "occurred_at": "2025-03-01",
            "supersedes": "(2025)鲁1082执1号",
            "withdrawn": True,
        },
    )
    now = assess(store, policy, PERSON)  # at: the store's clock, T2
    assert (now.at, now.known_at) == (T2, T2)
    assert now.schemes["g"].score_units == 100 * 10_000
    then = assess(store, policy, PERSON, at=T2, known_at=T1)
    assert (then.at, then.known_at) == (T2, T1)
    assert then.schemes["g"].score_units == 90 * 10_000
    assert then.schemes["g"].grade == "B"
    assert [c.rule_id for c in then.schemes["g"].contributions] == ["default"]
    assert assess(store, policy, PERSON, at=T1).schemes["g"].score_units == 90 * 10_000


def test_an_unknown_subject_is_not_found(store: Store, policy: PolicySet) -> None:
    with pytest.raises(NotFound, match="no subject") as err:
        assess(store, policy, person_id(seq=9))
    assert err.value.code == "not_found"
    assert err.value.field == "subject"


def test_the_legal_representative_is_found_through_record_links(
    store: Store, policy: PolicySet
) -> None:
    _ingest(store, _lr("lr-1", LR), _penalty("P-1"))
    person = assess(store, policy, LR)  # no record is about LR: known from the link
    assert (person.kind, person.jurisdiction) == ("person", "")  # no residence record
    [c] = person.schemes["g"].contributions
    assert (c.rule_id, c.via, c.act_key) == ("penalty.lr", ORG, f"{ORG}:P-1")
    assert person.schemes["g"].score_units == 94 * 10_000
    org = assess(store, policy, ORG)
    assert [c.rule_id for c in org.schemes["g"].contributions] == ["penalty"]
    # a new legal representative, reported later, replaces LR from its day on
    _clock(store).set(T2)
    _ingest(store, _lr("lr-2", PERSON, occurred="2026-03-03"))
    assert assess(store, policy, LR).schemes["g"].score_units == 100 * 10_000
    before = assess(store, policy, LR, at=T2 - dt.timedelta(days=3), known_at=T2)
    assert before.schemes["g"].score_units == 94 * 10_000
    assert assess(store, policy, PERSON).schemes["g"].score_units == 94 * 10_000


def test_load_subject_reads_only_what_is_known_and_needed(store: Store, policy: PolicySet) -> None:
    _ingest(
        store,
        _lr("lr-1", LR),
        _penalty("P-1"),
        {
            "provider": "samr.national",
            "ref": "reg-1",
            "subject": ORG,
            "category": "registry.enterprise",
            "occurred_at": "2020-01-01",
            "attributes": {"name": "Test Co.", "sector": "food"},
        },
    )
    _clock(store).set(T2)
    _ingest(store, _penalty("P-2"), {**_penalty("P-1-withdrawal"), "supersedes": "P-1",
                                     "withdrawn": True})  # fmt: skip
    with store.reader() as conn:
        subject, own, roles = load_subject(conn, LR, T1, policy=policy)
        assert (subject.id, own) == (LR, [])
        [org] = roles
        assert org.organisation.id == ORG
        assert [r.category for r in org.records] == [
            "registry.legal_representative",
            "market.administrative_penalty",
        ]
        _, _, roles = load_subject(conn, LR, T2, policy=policy)
        refs = [(r.category, r.withdrawn) for r in roles[0].records]
        assert refs == [
            ("registry.legal_representative", False),
            ("market.administrative_penalty", False),
            ("market.administrative_penalty", False),
            ("market.administrative_penalty", True),
        ]
        _, _, everything = load_subject(conn, LR, T2)
        assert len(everything[0].records) == 5
        subject, own, roles = load_subject(conn, LR, T2, policy=policy)
        direct = evaluate_subject(policy, subject, own, T2, roles=roles)
    via_store = assess(store, policy, LR, at=T2)
    assert via_store.schemes == direct.schemes
    assert via_store.schemes["g"].score_units == 94 * 10_000  # P-1 withdrawn, P-2 counts


def test_assess_accepts_a_connection(store: Store, policy: PolicySet) -> None:
    _ingest(store, judgment_default())
    with store.reader() as conn:
        result = assess(conn, policy, PERSON, at=T1, explain=False)
        before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        now = assess(conn, policy, PERSON)  # a bare connection: the system clock
        after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert result.schemes["g"].score_units == 90 * 10_000
    assert result.schemes["g"].contributions == ()
    assert before <= now.at == now.known_at <= after
    assert [c.rule_id for c in now.schemes["g"].contributions] == ["default"]


def test_assess_without_the_explanation_gives_the_same_scores(
    store: Store, policy: PolicySet
) -> None:
    _ingest(store, judgment_default())
    full = assess(store, policy, PERSON).schemes["g"]
    fast = assess(store, policy, PERSON, explain=False).schemes["g"]
    assert (fast.score_units, fast.grade) == (full.score_units, full.grade) == (90 * 10_000, "B")
    assert [c.rule_id for c in full.contributions] == ["default"]
    assert (fast.contributions, fast.what_would_change, fast.better) == ((), (), None)
