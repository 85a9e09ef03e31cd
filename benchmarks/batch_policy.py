"""The policy the batch benchmark evaluates: the shipped catalogues with a fixed scoring.

Fixed here (not the shipped ``scoring.yaml`` files, which change) because the two
baselines — a hand-written DuckDB query and a pandas implementation — implement exactly
these rules. They use every feature of docs/engine.md: predicates, ``per``, ``ended_by``,
sector minima, decay, repeats, grade caps, roles and consent.
"""

from __future__ import annotations

from typing import Any

import yaml

from socialcredit.policy.pack import load_pack
from socialcredit.policy.policy_set import PolicySet
from socialcredit.policy.rules import Scoring

NATIONAL = """
effect_periods:
  minor: 90
  general: 365
  serious: 1095
  reward: 365
  neutral: 365
  sector_minimum: {food: 730}
schemes:
  national:
    title: National grade
    subjects: [person, enterprise, institution]
    base: 1000
    bands:
      - {grade: AAA, min: 980}
      - {grade: AA, min: 950}
      - {grade: A, min: 900}
      - {grade: B, min: 800}
      - {grade: C, min: 600}
      - {grade: D}
rules:
  - {id: jd, scheme: national, category: judicial.judgment_default, points: -300,
     ended_by: [judicial.judgment_fulfilled], grade_cap: C}
  - {id: jd_lr, scheme: national, category: judicial.judgment_default, points: -100,
     via: legal_representative}
  - {id: tax, scheme: national, category: tax.arrears, points: -0.0002, per: amount,
     decay: {half_life_days: 180}}
  - {id: loan, scheme: national, category: finance.loan_default, points: -40,
     when: {attr: months_overdue, gte: 3}, repeat: {multiplier: 1.5}}
  - {id: pen, scheme: national, category: market.administrative_penalty, points: -50,
     when: {attr: penalty, in: [fine, confiscation, suspension, licence_revoked]}}
  - {id: food, scheme: national, category: market.food_safety_violation, points: -150}
  - {id: food_ctl, scheme: national, category: market.food_safety_violation, points: -60,
     via: controller}
  - {id: traffic, scheme: national, category: transport.traffic_violation, points: -5,
     when: {attr: penalty_points, gte: 6}, repeat: {multiplier: 2}}
"""
CITY = """
schemes:
  rongcheng:
    title: Rongcheng points
    subjects: [person]
    base: 1000
    consent: true
    bands:
      - {grade: AAA, min: 1050}
      - {grade: AA, min: 1030}
      - {grade: A, min: 960}
      - {grade: B, min: 850}
      - {grade: C, min: 600}
      - {grade: D}
rules:
  - {id: rc_traffic, scheme: rongcheng, category: transport.traffic_violation, points: -5,
     repeat: {multiplier: 2}}
  - {id: rc_loan, scheme: rongcheng, category: finance.loan_default, points: -20}
  - {id: rc_volunteer, scheme: rongcheng, category: civic.volunteer_hours, points: 0.5,
     per: hours, decay: {half_life_days: 120}}
"""


def _scoring(text: str) -> Scoring:
    data: dict[str, Any] = yaml.safe_load(text)
    for name, scheme in data.get("schemes", {}).items():
        scheme["name"] = name
    return Scoring.model_validate(data)


def bench_policy() -> PolicySet:
    national = load_pack("national").model_copy(update={"scoring": _scoring(NATIONAL)})
    food = load_pack("food-drug").model_copy(update={"scoring": Scoring()})
    city = load_pack("rongcheng").model_copy(update={"scoring": _scoring(CITY)})
    return PolicySet([national, food, city])
