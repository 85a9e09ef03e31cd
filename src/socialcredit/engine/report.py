"""A subject's report: its assessment under the policy active at the time, as JSON.

Shape: ``subject``, ``kind``, ``jurisdiction``, ``at``, ``known_at``,
``policy_version``, ``scores`` (per scheme: score and the four domain scores),
``grades`` (per scheme), ``status`` (per scheme), ``contributions``,
``merged``, ``expired`` and ``what_would_change`` (each a list of items naming
their scheme), and ``better_grade`` (per scheme below the best grade: the way to
the next better one).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from socialcredit.engine.ledger_view import assess
from socialcredit.engine.model import Assessment, BetterGrade, Lift, units_to_decimal
from socialcredit.ledger.policy_store import policy_at
from socialcredit.store.database import Store


def _points(units: int | None) -> float | None:
    return None if units is None else float(units_to_decimal(units))


def _item(scheme: str, obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"scheme": scheme}
    for key, value in dataclasses.asdict(obj).items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        if key == "units":
            key, value = "value", _points(value)
        elif key.endswith("_units"):
            key, value = key.removesuffix("_units"), _points(value)
        out[key] = value
    return out


def _lift(x: Lift) -> dict[str, Any]:
    return {
        "record_id": x.record_id,
        "rule_id": x.rule_id,
        "end": x.end.isoformat(),
        "value": _points(x.units),
        "grade_cap": x.cap,
    }


def _better(b: BetterGrade) -> dict[str, Any]:
    return {
        "grade": b.grade,
        "by_itself_on": b.on.isoformat() if b.on is not None else None,
        "grade_then": b.grade_on,
        "score_then": _points(b.score_on_units),
        "ending": [_lift(x) for x in b.ending],
        "sooner": [_lift(x) for x in b.sooner],
        "score_sooner": _points(b.score_sooner_units),
    }


def to_json(a: Assessment, note: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "policy_note": note,
        "subject": a.subject,
        "kind": a.kind,
        "jurisdiction": a.jurisdiction,
        "at": a.at.isoformat(),
        "known_at": a.known_at.isoformat(),
        "policy_version": a.policy_version,
        "scores": {},
        "grades": {},
        "status": {},
        "contributions": [],
        "merged": [],
        "expired": [],
        "what_would_change": [],
        "better_grade": {},
    }
    for name, s in a.schemes.items():
        body["scores"][name] = {
            "score": _points(s.score_units),
            "domains": {d: _points(u) for d, u in s.domain_units.items()},
        }
        body["grades"][name] = s.grade
        body["status"][name] = s.status
        for key, items in (
            ("contributions", s.contributions),
            ("merged", s.merged),
            ("expired", s.expired),
            ("what_would_change", s.what_would_change),
        ):
            body[key].extend(_item(name, i) for i in items)
        if s.better is not None:
            body["better_grade"][name] = _better(s.better)
    return body


def report(
    store: Store, subject: str, at: dt.datetime | None = None, known_at: dt.datetime | None = None
) -> tuple[Assessment, str | None]:
    """Assess a subject with the packs that were active at ``at`` (and a note when
    ``at`` is before any pack was active)."""
    at = store.clock.now() if at is None else at
    with store.reader() as conn:
        policy, note = policy_at(conn, at)
        return assess(conn, policy, subject, at, known_at), note
