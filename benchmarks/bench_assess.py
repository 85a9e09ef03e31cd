"""One subject assessed by the incremental engine: `python -m benchmarks.bench_assess`.

A person in Rongcheng (every default scheme in scope, consent given) with 100
varied records: every category the default rules read, case numbers shared
so that acts merge, fulfilments that end acts, corrections and withdrawals,
records that have expired. ``evaluate_subject`` is timed on its own (the pure
function, no database), with and without the explanation; the median of many
runs is reported, after a first call that builds the policy's lookup tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from typing import Any

from benchmarks.results import machine, median, write_section
from socialcredit.engine.incremental import evaluate_subject
from socialcredit.engine.model import LedgerRecord, SubjectRef
from socialcredit.ledger.record import record_id
from socialcredit.policy.catalogue import AttributeSpec, Category
from socialcredit.policy.pack import default_packs
from socialcredit.policy.policy_set import PolicySet

AT = dt.datetime(2026, 3, 1, 4, 0)  # noon in Beijing
SUBJECT = SubjectRef("371082199005120039", "person")
CASES = [f"(2025)鲁1082执{n}号" for n in range(1, 31)]


def _value(name: str, spec: AttributeSpec, case_key: str | None, rng: random.Random) -> Any:
    if name == case_key:
        return rng.choice(CASES)
    low = spec.min if spec.min is not None else 0
    high = spec.max if spec.max is not None else 100_000
    match spec.type:
        case "enum":
            assert spec.values is not None
            return rng.choice(spec.values)
        case "integer":
            return rng.randint(int(low), int(min(high, low + 24)))
        case "number":
            return round(rng.uniform(low, high), 2)
        case "boolean":
            return rng.random() < 0.3
        case "date":
            return "2025-12-31"
        case "identifier":
            return SUBJECT.id
    return "x"


def _attributes(cat: Category, rng: random.Random) -> dict[str, Any]:
    return {
        name: _value(name, spec, cat.case_key, rng)
        for name, spec in cat.attributes.items()
        if spec.required or rng.random() < 0.7
    }


def records(policy: PolicySet, n: int = 100, seed: int = 7) -> list[LedgerRecord]:
    """``n`` varied records of the subject, in ledger order."""
    rng = random.Random(seed)
    catalogue = policy.catalogue
    scored = sorted(
        {
            info.rule.category
            for info in policy.rules
            if SUBJECT.kind in info.category.subjects and info.rule.via is None
        }
    )
    enders = sorted({c for info in policy.rules for c in info.rule.ended_by})
    out: list[LedgerRecord] = []

    def add(category: str, attributes: dict[str, Any], **kw: Any) -> LedgerRecord:
        seq = len(out) + 1
        occurred = AT.date() - dt.timedelta(days=rng.randint(0, 1400))
        rec = LedgerRecord(
            seq=seq,
            id=record_id("bench", str(seq)),
            provider="bench",
            subject=SUBJECT.id,
            category=category,
            occurred_at=kw.get("occurred", occurred),
            recorded_at=dt.datetime.combine(occurred, dt.time(3)),
            attributes=attributes,
            supersedes=kw.get("supersedes"),
            withdrawn=kw.get("withdrawn", False),
        )
        out.append(rec)
        return rec

    for scheme, info in policy.schemes.items():
        if info.scheme.consent:
            add("registry.consent", {"scheme": scheme, "given": True})
    # where the subject lives and its date of birth: Rongcheng's scope (engine/scope.py)
    settled = dt.date(2015, 3, 1)
    add("registry.residence", {"area": "371082", "since": "2015-03-01"}, occurred=settled)
    add("registry.person", {"name": "张三", "birth_date": "1990-05-12"}, occurred=settled)
    setup = len(out)  # corrections below touch conduct records only
    while len(out) < n:
        roll = rng.random()
        if roll < 0.08 and enders:
            category = rng.choice(enders)
            add(category, _attributes(catalogue[category], rng))
        elif roll < 0.14 and len(out) > setup:
            target = rng.choice(out[setup:])
            withdrawn = rng.random() < 0.3
            attributes = {} if withdrawn else _attributes(catalogue[target.category], rng)
            add(
                target.category,
                attributes,
                supersedes=target.id,
                withdrawn=withdrawn,
                occurred=target.occurred_at,
            )
        else:
            category = rng.choice(scored)
            add(category, _attributes(catalogue[category], rng))
    return out


def _time(policy: PolicySet, recs: list[LedgerRecord], explain: bool, runs: int) -> float:
    samples: list[float] = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        evaluate_subject(policy, SUBJECT, recs, AT, explain=explain)
        samples.append(time.perf_counter_ns() - started)
    return median(samples) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3000)
    args = parser.parse_args()
    policy = PolicySet(default_packs())
    recs = records(policy, args.records)
    started = time.perf_counter_ns()
    first = evaluate_subject(policy, SUBJECT, recs, AT)
    first_us = (time.perf_counter_ns() - started) / 1000
    with_explanation = _time(policy, recs, True, args.runs)
    scores_only = _time(policy, recs, False, args.runs)
    counts = [
        f"{name}: {len(s.contributions)} counting, {len(s.merged)} merged, "
        f"{len(s.expired)} expired, grade {s.grade}"
        for name, s in first.schemes.items()
    ]
    lines = [
        f"Policy: {policy.version} ({len(policy.rules)} rules, {len(policy.schemes)} schemes).",
        f"One person with {len(recs)} records; median of {args.runs} runs; {machine()}.",
        "",
        "| measure | time |",
        "| --- | ---: |",
        f"| evaluate_subject, with explanation | {with_explanation:.0f} µs |",
        f"| evaluate_subject, scores only (`explain=False`) | {scores_only:.0f} µs |",
        f"| first call (builds the policy's lookup tables) | {first_us:.0f} µs |",
        "",
        "Matches per scheme in scope: " + "; ".join(counts) + ".",
    ]
    body = "`python -m benchmarks.bench_assess`\n\n" + "\n".join(lines)
    print("\n".join(lines))
    write_section("Assessment (incremental)", body)


if __name__ == "__main__":
    main()
