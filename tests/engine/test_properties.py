"""Properties of the incremental engine over random ledgers (hypothesis).

The explanation accounts for every point, scores do not depend on the order
records are given in, and ``explain=False`` changes nothing but the lists.
"""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.engine.incremental import RoleRecords
from socialcredit.engine.model import DOMAIN_NAMES, Assessment, LedgerRecord

from support.engine import Ledger, assess
from support.packs import ORG, PERSON, make_policy

RULES = """
rules:
  - {id: a, scheme: s, category: test.offence, points: -3, per: amount, effect_days: 200,
     ended_by: [test.cleared], repeat: {multiplier: 1.5}}
  - {id: b, scheme: s, category: test.offence, points: -20, when: {attr: level, eq: high},
     grade_cap: C}
  - {id: c, scheme: s, category: test.related, points: -12, ended_by: [test.cleared]}
  - {id: d, scheme: s, category: test.minor, points: -2, decay: {half_life_days: 20}}
  - {id: e, scheme: s, category: test.reward, points: 4, repeat: {multiplier: 2}}
  - {id: f, scheme: s, category: test.food, points: -7}
  - {id: g, scheme: s, category: test.offence, points: -9, via: legal_representative}
"""
POLICY = make_policy(RULES)
CATEGORIES = (
    "test.offence",
    "test.related",
    "test.cleared",
    "test.minor",
    "test.reward",
    "test.food",
)

event = st.tuples(
    st.sampled_from(CATEGORIES),
    st.integers(0, 700),  # days before the assessment
    st.integers(0, 4),  # case number
    st.sampled_from(["low", "high"]),
    st.integers(0, 12),  # amount
    st.integers(0, 30),  # recorded this many days after it occurred
    st.sampled_from(["new", "new", "new", "correct", "withdraw"]),
    st.booleans(),  # about the organisation
)
AT = dt.date(2026, 3, 1)


def _ledger(events: list[tuple[str, int, int, str, int, int, str, bool]]) -> Ledger:
    ledger = Ledger()
    ledger.add("registry.legal_representative", "2020-01-01", {"person": PERSON.id}, subject=ORG)
    for category, ago, case, level, amount, delay, action, org in events:
        occurred = AT - dt.timedelta(days=ago)
        attributes = {"case_no": f"C{case}", "level": level, "amount": amount}
        subject = ORG if org else PERSON
        target = next((r for r in reversed(ledger.records) if r.subject == subject.id), None)
        recorded = (occurred + dt.timedelta(days=delay)).isoformat() + "T01:00:00"
        if action != "new" and target is not None:
            ledger.add(
                target.category,
                target.occurred_at.isoformat(),
                {} if action == "withdraw" else attributes,
                subject=subject,
                recorded=recorded,
                supersedes=target,
                withdrawn=action == "withdraw",
            )
        else:
            ledger.add(
                category, occurred.isoformat(), attributes, subject=subject, recorded=recorded
            )
    return ledger


def _run(records: list[LedgerRecord], org: list[LedgerRecord], explain: bool = True) -> Assessment:
    return assess(POLICY, records, roles=[RoleRecords(ORG, tuple(org))], explain=explain)


@settings(max_examples=150, deadline=None)
@given(st.lists(event, max_size=25), st.randoms(use_true_random=False))
def test_the_explanation_accounts_for_every_point(
    events: list[tuple[str, int, int, str, int, int, str, bool]], rnd: random.Random
) -> None:
    ledger = _ledger(events)
    own, org = ledger.of(PERSON), ledger.of(ORG)
    result = _run(own, org)
    s = result.schemes["s"]
    assert s.score_units == 100 * 10_000 + sum(c.units for c in s.contributions)
    for domain in DOMAIN_NAMES:
        assert s.domain_units[domain] == sum(c.units for c in s.contributions if c.domain == domain)
    assert all(c.end > AT for c in s.contributions)
    assert all(e.end <= AT for e in s.expired)
    representatives = {c.record_id for c in s.contributions} | {e.record_id for e in s.expired}
    assert {m.into for m in s.merged} <= representatives
    # order of the input does not matter
    shuffled_own, shuffled_org = list(own), list(org)
    rnd.shuffle(shuffled_own)
    rnd.shuffle(shuffled_org)
    assert _run(shuffled_own, shuffled_org).schemes == result.schemes
    # explain=False: the same scores
    fast = _run(own, org, explain=False).schemes["s"]
    assert fast.key() == s.key()
