"""The benchmark policy (benchmarks/batch_policy.py) as a decision table in zen-engine (GoRules),
the kind of business rules engine a team would otherwise pick: the table maps a record's
category and attributes to the rules it matches (collect hit policy: one row per rule, with
its scheme, points, domain, effect days, half-life, repeat, cap, role and act key), each
effective record is evaluated on its own with ``ZenDecision.evaluate``, and what a
per-record engine cannot do — end days, roles, one act once, repeats, decay, sums,
consent, grades and caps — is done around it in pandas, as in benchmarks/batch_pandas.py.

zen-engine is not a dependency of the project: install it by hand (``pip install
zen-engine``); without it ``available()`` is false and the benchmark skips this baseline.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks import batch_pandas

try:
    import zen
except ImportError:  # pragma: no cover - optional
    zen = None

GRADES = ("AAA", "AA", "A", "B", "C", "D")
JD, TAX, LOAN = "judicial.judgment_default", "tax.arrears", "finance.loan_default"
PEN, FOOD = "market.administrative_penalty", "market.food_safety_violation"
TRAFFIC, VOL = "transport.traffic_violation", "civic.volunteer_hours"
NUMBER = 'type($) == "number"'  # a `per` attribute must be a number
# input columns: id -> field of the context {"category": ..., "a": attributes}
INPUTS = {
    "category": "category",
    "penalty_points": "a.penalty_points",
    "months_overdue": "a.months_overdue",
    "penalty": "a.penalty",
    "amount": "a.amount",
    "hours": "a.hours",
}
OUTPUTS = ("rule", "scheme", "points", "domain", "days", "half", "repeat", "cap", "via", "key")
# one row per rule, in the policy's order; cells are zen unary tests (inputs) and
# expressions (outputs), "" is "any" / null
RULES: list[dict[str, str]] = [
    {"category": JD, "points": "-300", "domain": '"judicial"', "days": "1095", "cap": '"C"',
     "key": "a.case_no"},
    {"category": JD, "points": "-100", "domain": '"judicial"', "days": "1095",
     "via": '"legal_representative"', "key": "a.case_no"},
    {"category": TAX, "amount": NUMBER, "points": "-0.0002 * a.amount",
     "domain": '"commercial"', "days": "365", "half": "180", "key": "a.notice_no"},
    {"category": LOAN, "months_overdue": ">= 3", "points": "-40", "domain": '"commercial"',
     "days": "365", "repeat": "1.5", "key": "a.contract_no"},
    {"category": PEN, "penalty": '"fine", "confiscation", "suspension", "licence_revoked"',
     "points": "-50", "domain": '"commercial"', "days": 'a.sector == "food" ? 730 : 365',
     "key": "a.decision_no"},
    {"category": FOOD, "points": "-150", "domain": '"commercial"', "days": "1095",
     "key": "a.decision_no"},
    {"category": FOOD, "points": "-60", "domain": '"commercial"', "days": "1095",
     "via": '"controller"', "key": "a.decision_no"},
    {"category": TRAFFIC, "penalty_points": ">= 6", "points": "-5", "domain": '"social"',
     "days": "90", "repeat": "2", "key": "a.ticket_no"},
    {"category": TRAFFIC, "scheme": '"rongcheng"', "points": "-5", "domain": '"social"',
     "days": "90", "repeat": "2", "key": "a.ticket_no"},
    {"category": LOAN, "scheme": '"rongcheng"', "points": "-20", "domain": '"commercial"',
     "days": "365", "key": "a.contract_no"},
    {"category": VOL, "hours": NUMBER, "scheme": '"rongcheng"', "points": "0.5 * a.hours",
     "domain": '"social"', "days": "365", "half": "120"},
]  # fmt: skip


def available() -> bool:
    return zen is not None


def graph() -> dict[str, Any]:
    """The JDM decision graph: input -> decision table (collect) -> output."""
    rows = []
    for order, rule in enumerate(RULES):
        cells = {"scheme": '"national"', **rule, "rule": str(order)}
        cells["category"] = json.dumps(rule["category"])  # a string literal
        row = {"_id": f"r{order}"}
        row |= {f"in_{name}": cells.get(name, "") for name in INPUTS}
        row |= {f"out_{name}": cells.get(name, "") for name in OUTPUTS}
        rows.append(row)
    table = {
        "hitPolicy": "collect",
        "inputs": [
            {"id": f"in_{name}", "name": name, "type": "expression", "field": field}
            for name, field in INPUTS.items()
        ],
        "outputs": [
            {"id": f"out_{name}", "name": name, "type": "expression", "field": name}
            for name in OUTPUTS
        ],
        "rules": rows,
    }
    at = {"x": 0, "y": 0}
    return {
        "contentType": "application/vnd.gorules.decision",
        "nodes": [
            {"id": "record", "type": "inputNode", "name": "Record", "position": at},
            {"id": "rules", "type": "decisionTableNode", "name": "Rules", "position": at,
             "content": table},
            {"id": "matches", "type": "outputNode", "name": "Matches", "position": at},
        ],
        "edges": [
            {"id": "e1", "type": "edge", "sourceId": "record", "targetId": "rules"},
            {"id": "e2", "type": "edge", "sourceId": "rules", "targetId": "matches"},
        ],
    }  # fmt: skip


def evaluate(folder: Path, day: dt.date, known_at: dt.datetime) -> pd.DataFrame:
    if zen is None:
        raise RuntimeError("zen-engine is not installed (pip install zen-engine)")
    decision = zen.ZenEngine().create_decision(json.dumps(graph()))
    eff = batch_pandas.effective(folder, day, known_at)
    # every effective record through the rules engine, one evaluation each
    at: list[int] = []
    hits: list[dict[str, Any]] = []
    for i, (category, attributes) in enumerate(
        zip(eff["category"], eff["attributes"], strict=True)
    ):
        context = f'{{"category":{json.dumps(category)},"a":{attributes}}}'
        for hit in decision.evaluate(context)["result"]:
            at.append(i)
            hits.append(hit)
    found = pd.DataFrame(hits, columns=list(OUTPUTS))
    rec = eff.iloc[at].reset_index(drop=True)
    m = pd.DataFrame({
        "subject": rec["subject"], "scheme": found["scheme"], "ord": found["rule"],
        "seq": rec["seq"], "occurred_at": rec["occurred_at"],
        "act": found["key"].map(_text, na_action="ignore").fillna(rec["id"]),
        "p": found["points"].astype(float), "domain": found["domain"], "e": found["days"],
        "half": found["half"].astype(float), "rep": found["repeat"].astype(float),
        "cap": found["cap"].map(GRADES.index, na_action="ignore"), "via": found["via"],
    })  # fmt: skip
    # the fulfilments, roles and consents the aggregation reads, with parsed attributes
    wanted = ("judicial.judgment_fulfilled", "registry.legal_representative",
              "registry.controller", "registry.consent")  # fmt: skip
    side = eff[eff["category"].isin(wanted)]
    side = side.assign(attrs=side["attributes"].map(json.loads))
    cat = {name: side[side["category"] == name] for name in wanted}
    return batch_pandas.assess(m, cat, folder, day)


def _text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)
