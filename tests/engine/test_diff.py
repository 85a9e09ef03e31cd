"""Dry-running a candidate policy over the ledger: who would change grade, where, and why.

Runs on SQLite and, when configured, PostgreSQL (the ``store`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest

from socialcredit.engine.diff import candidate_policy, diff_policies
from socialcredit.errors import PolicyError
from socialcredit.policy.pack import Pack, load_pack, load_pack_files
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default, org_id, person_id, resident

DEBTOR = person_id(seq=11)  # lives in Rongcheng (371082)
DRIFTER = person_id(seq=13)  # no residence record: placed nowhere
CLEAN = person_id(seq=15)  # lives in Rongcheng, no offence
ORG = org_id()

SCHEME = """
schemes:
  g:
    title: Test grade
    subjects: [person, enterprise]
    base: 100
    bands: [{grade: A, min: 95}, {grade: B, min: 85}, {grade: C}]
rules:
  - {id: default, scheme: g, category: judicial.judgment_default, points: POINTS}
  - {id: penalty, scheme: g, category: market.administrative_penalty, points: -4}
"""
ENTERPRISES = """
  h:
    title: Enterprises only
    subjects: [enterprise]
    base: 100
    bands: [{grade: A, min: 95}, {grade: B}]
"""


def _national(scoring: str, version: str) -> Pack:
    national = load_pack("national")
    meta = national.files["pack.yaml"].replace('version: "2026.1"', f'version: "{version}"')
    files = {**national.files, "pack.yaml": meta, "scoring.yaml": scoring}
    return load_pack_files(files, national.path)


BASELINE = PolicySet([_national(SCHEME.replace("POINTS", "-10"), "1")])
HARSHER = PolicySet(
    [
        _national(
            SCHEME.replace("POINTS", "-20").replace("rules:", ENTERPRISES + "rules:")
            + "  - {id: h.penalty, scheme: h, category: market.administrative_penalty, "
            "points: -4}\n",
            "2",
        )
    ]
)


def _penalty(ref: str) -> dict[str, object]:
    return {
        "provider": "samr.national",
        "ref": ref,
        "subject": ORG,
        "category": "market.administrative_penalty",
        "occurred_at": "2026-01-05",
        "attributes": {"decision_no": ref, "penalty": "fine", "amount": 5000},
    }


@pytest.fixture
def ledger(store: Store) -> Store:
    resident(store, DEBTOR)
    resident(store, CLEAN)
    ingest_on(
        store,
        "2026-03-01",
        judgment_default("(2025)鲁1082执1号", DEBTOR),
        judgment_default("(2025)鲁1082执2号", DRIFTER),
        _penalty("p-1"),
    )
    return store


def test_the_diff_counts_grade_transitions_per_scheme_and_where_the_changed_live(
    ledger: Store,
) -> None:
    diff = diff_policies(ledger, BASELINE, HARSHER)
    assert (diff.baseline, diff.candidate) == ("national@1", "national@2")
    assert diff.at == diff.known_at == ledger.clock.now()
    g, h = diff.schemes["g"], diff.schemes["h"]
    assert (g.subjects, g.changed) == (4, 2)  # the two defaulters fall from B to C
    assert g.matrix == {"A": {"A": 2}, "B": {"C": 2}}
    assert g.by_group == {"371000 person": 1, "nowhere person": 1}
    assert (h.subjects, h.changed) == (1, 1)  # the new scheme rates the enterprise
    assert h.matrix == {"out of scope": {"A": 1}}
    assert h.by_group == {"nowhere enterprise": 1}
    assert set(diff.schemes) == {"g", "h"}


def test_each_sample_shows_the_grade_score_and_contributions_before_and_after(
    ledger: Store,
) -> None:
    diff = diff_policies(ledger, BASELINE, HARSHER)
    samples = {(s["subject"], s["scheme"]): s for s in diff.samples}
    assert set(samples) == {(DEBTOR, "g"), (DRIFTER, "g"), (ORG, "h")}
    debtor = samples[(DEBTOR, "g")]
    assert (debtor["from"], debtor["to"]) == ("B", "C")
    assert (debtor["score_before"], debtor["score_after"]) == (90.0, 80.0)
    assert [(c["rule_id"], c["value"]) for c in debtor["before"]] == [("default", -10.0)]
    assert [(c["rule_id"], c["value"]) for c in debtor["after"]] == [("default", -20.0)]
    enterprise = samples[(ORG, "h")]
    assert (enterprise["from"], enterprise["to"]) == (None, "A")
    assert (enterprise["score_before"], enterprise["score_after"]) == (None, 96.0)
    assert enterprise["before"] == []  # the g penalty is not this scheme's
    assert [c["rule_id"] for c in enterprise["after"]] == ["h.penalty"]

    two = diff_policies(ledger, BASELINE, HARSHER, sample=2).samples
    assert [(s["subject"], s["scheme"]) for s in two] == sorted(samples)[:2]
    assert diff_policies(ledger, BASELINE, HARSHER, sample=0).samples == []


def test_the_diff_reads_the_ledger_as_it_was_known(ledger: Store) -> None:
    then = dt.datetime(2026, 2, 1)  # the residents were registered; no offence was known
    diff = diff_policies(ledger, BASELINE, HARSHER, known_at=then)
    assert diff.known_at == then and diff.at == ledger.clock.now()
    assert set(diff.schemes) == {"g"}
    assert diff.schemes["g"].to_dict() == {
        "scheme": "g",
        "subjects": 2,
        "changed": 0,
        "matrix": {"A": {"A": 2}},
        "by_group": {},
    }
    assert diff.samples == []
    body = diff.to_dict()
    assert body["at"] == ledger.clock.now().isoformat()
    assert body["known_at"] == "2026-02-01T00:00:00"
    assert (body["baseline"], body["candidate"]) == ("national@1", "national@2")
    assert body["schemes"]["g"]["matrix"] == {"A": {"A": 2}}
    assert body["samples"] == []


def test_a_diff_at_an_earlier_time_evaluates_on_that_day(ledger: Store) -> None:
    aware = dt.datetime(2026, 3, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    diff = diff_policies(ledger, BASELINE, HARSHER, at=aware)
    assert diff.at == ledger.clock.now()  # 10:00 in Beijing is 02:00 UTC
    early = diff_policies(ledger, BASELINE, HARSHER, at=dt.datetime(2026, 2, 1))
    assert early.known_at == dt.datetime(2026, 2, 1)
    assert early.schemes["g"].changed == 0


# -- the candidate policy -----------------------------------------------------------------

SHIPPED = [load_pack(name) for name in ("national", "food-drug", "rongcheng")]


def _variant(name: str, old: str, new: str, file: str = "pack.yaml") -> Pack:
    pack = next(p for p in SHIPPED if p.name == name)
    assert old in pack.files[file]
    return load_pack_files({**pack.files, file: pack.files[file].replace(old, new)}, pack.path)


def test_a_candidate_takes_the_place_of_the_active_pack_of_its_name() -> None:
    food = _variant("food-drug", 'version: "2026.1"', 'version: "2026.2"')
    policy = candidate_policy(SHIPPED, food)
    assert [p.name for p in policy.packs] == ["national", "food-drug", "rongcheng"]
    assert policy.packs[1] is food
    assert policy.version == "national@2026.1+food-drug@2026.2+rongcheng@2026.1"


def test_a_candidate_of_a_new_name_joins_the_active_packs_last() -> None:
    policy = candidate_policy(SHIPPED[:2], SHIPPED[2])
    assert [p.name for p in policy.packs] == ["national", "food-drug", "rongcheng"]


def test_a_candidate_the_lint_refuses_is_not_dry_run() -> None:
    # each file loads, but a rule id the national pack already uses is refused across packs
    clash = _variant("food-drug", "id: fd.food_violation\n", "id: nat.judgment_default\n",
                     "scoring.yaml")  # fmt: skip
    with pytest.raises(PolicyError) as err:
        candidate_policy(SHIPPED, clash)
    assert err.value.code == "invalid_policy"
    assert "would not be lawful" in str(err.value)
    assert err.value.problems == [
        "food-drug: scoring.yaml: rules[0] (nat.judgment_default): id: also used by national "
        "rules[1] (nat.judgment_default)"
    ]
