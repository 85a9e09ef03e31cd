"""A subject's report as JSON: points (not units), ISO dates, every item naming its
scheme, and the policy that was active at the moment asked."""

from __future__ import annotations

import datetime as dt

from socialcredit.engine.report import report, to_json
from socialcredit.store.database import Store

from support.engine import Ledger, assess
from support.factories import PERSON as RESIDENT
from support.factories import ingest_on, judgment_default
from support.packs import make_policy

RULES = """
rules:
  - {id: r, scheme: s, category: test.offence, points: -12.5, per: amount, effect_days: 100,
     grade_cap: C}
  - {id: m, scheme: s, category: test.minor, points: -3, effect_days: 30}
"""


def test_the_report_speaks_in_points_and_dates_and_names_each_items_scheme() -> None:
    ledger = Ledger()
    first = ledger.add("test.offence", "2026-01-01", {"case_no": "A", "amount": 2})
    same_case = ledger.add("test.offence", "2026-01-02", {"case_no": "A", "amount": 1})
    old = ledger.add("test.minor", "2025-06-01")
    minor = ledger.add("test.minor", "2026-02-20")
    body = to_json(assess(make_policy(RULES), ledger.records), "a note")

    ending_minor = {
        "record_id": minor.id,
        "rule_id": "m",
        "end": "2026-03-22",
        "value": -3.0,
        "grade_cap": None,
    }
    ending_offence = {
        "record_id": first.id,
        "rule_id": "r",
        "end": "2026-04-11",
        "value": -25.0,
        "grade_cap": "C",
    }
    assert body == {
        "policy_note": "a note",
        "subject": ledger.records[0].subject,
        "kind": "person",
        "jurisdiction": "",
        "at": "2026-03-01T04:00:00",
        "known_at": "2026-03-01T04:00:00",
        "policy_version": "test@1",
        "scores": {
            "s": {
                "score": 72.0,
                "domains": {
                    "government": 0.0,
                    "commercial": -3.0,
                    "social": -25.0,
                    "judicial": 0.0,
                },
            }
        },
        "grades": {"s": "C"},
        "status": {"s": "scored"},
        "contributions": [
            {
                "scheme": "s",
                "record_id": first.id,
                "seq": 1,
                "rule_id": "r",
                "category": "test.offence",
                "domain": "social",
                "act_key": "A",
                "occurred_at": "2026-01-01",
                "end": "2026-04-11",
                "points": -25.0,
                "repeat": 1.0,
                "weight": 1.0,
                "value": -25.0,
                "via": None,
            },
            {
                "scheme": "s",
                "record_id": minor.id,
                "seq": 4,
                "rule_id": "m",
                "category": "test.minor",
                "domain": "commercial",
                "act_key": minor.id,
                "occurred_at": "2026-02-20",
                "end": "2026-03-22",
                "points": -3.0,
                "repeat": 1.0,
                "weight": 1.0,
                "value": -3.0,
                "via": None,
            },
        ],
        "merged": [
            {
                "scheme": "s",
                "record_id": same_case.id,
                "rule_id": "r",
                "act_key": "A",
                "into": first.id,
            }
        ],
        "expired": [
            {
                "scheme": "s",
                "record_id": old.id,
                "rule_id": "m",
                "category": "test.minor",
                "occurred_at": "2025-06-01",
                "end": "2025-07-01",
                "reason": "period",
            }
        ],
        "what_would_change": [
            {
                "scheme": "s",
                "record_id": first.id,
                "rule_id": "r",
                "on": "2026-04-11",
                "score_after": 97.0,
                "grade_after": "A",
            }
        ],
        "better_grade": {
            "s": {
                "grade": "B",
                "by_itself_on": "2026-04-11",
                "grade_then": "A",
                "score_then": 100.0,
                "ending": [ending_minor, ending_offence],
                "sooner": [ending_offence],
                "score_sooner": 97.0,
            }
        },
    }


def test_a_fraction_of_a_point_is_reported_to_the_ten_thousandth() -> None:
    ledger = Ledger()
    ledger.add("test.minor", "2026-02-01")
    rules = "rules:\n  - {id: m, scheme: s, category: test.minor, points: -0.1234}\n"
    body = to_json(assess(make_policy(rules), ledger.records))
    assert body["policy_note"] is None
    assert body["scores"]["s"]["score"] == 99.8766
    assert body["contributions"][0]["value"] == -0.1234
    assert body["better_grade"] == {}  # already at the best grade


def test_a_report_uses_the_policy_active_then_and_says_when_none_was(store: Store) -> None:
    ingest_on(store, "2026-03-01", judgment_default(subject=RESIDENT))
    now, note = report(store, RESIDENT)
    assert note is None
    assert now.at == store.clock.now()
    assert now.policy_version.startswith("national@")
    assert now.schemes["national"].contributions[0].category == "judicial.judgment_default"

    before, note = report(store, RESIDENT, dt.datetime(2025, 6, 1))
    assert note is not None
    assert note.startswith("no pack was active at 2025-06-01T00:00:00")
    assert before.policy_version == now.policy_version  # the first packs activated
    assert before.schemes["national"].contributions == ()  # learnt of in 2026
    known_now, _ = report(store, RESIDENT, dt.datetime(2025, 6, 1), store.clock.now())
    assert known_now.schemes["national"].contributions[0].category == "judicial.judgment_default"

    known_before, _ = report(store, RESIDENT, store.clock.now(), dt.datetime(2026, 2, 1))
    assert known_before.known_at == dt.datetime(2026, 2, 1)
    assert known_before.schemes["national"].contributions == ()  # not known then
