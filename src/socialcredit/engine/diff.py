"""Dry-running a candidate policy over the real ledger, before anyone activates it.

Both policies are evaluated by the batch engine over one snapshot; the result
is, per scheme, a grade transition matrix, how many subjects change grade by
jurisdiction (city) and subject kind, and a sample of changed subjects with
the incremental engine's explanation under each policy.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from socialcredit.clock import naive_utc
from socialcredit.engine.batch.run import evaluate_snapshot
from socialcredit.engine.batch.snapshot import export_snapshot
from socialcredit.engine.ledger_view import assess, locate_many
from socialcredit.engine.report import to_json
from socialcredit.errors import PolicyError
from socialcredit.identifiers import parse
from socialcredit.policy.lint import lint_packs
from socialcredit.policy.pack import Pack
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.database import Store

Key = tuple[str, str]  # (subject, scheme)


@dataclass
class SchemeDiff:
    scheme: str
    subjects: int = 0
    changed: int = 0
    matrix: dict[str, dict[str, int]] = field(default_factory=dict)  # from -> to -> n
    by_group: dict[str, int] = field(default_factory=dict)  # "<city> <kind>" -> changed

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class PolicyDiff:
    baseline: str
    candidate: str
    at: dt.datetime
    known_at: dt.datetime
    schemes: dict[str, SchemeDiff]
    samples: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "candidate": self.candidate,
            "at": self.at.isoformat(),
            "known_at": self.known_at.isoformat(),
            "schemes": {k: v.to_dict() for k, v in self.schemes.items()},
            "samples": self.samples,
        }


def candidate_policy(active: Sequence[Pack], candidate: Pack) -> PolicySet:
    """The active packs with ``candidate`` in place of the pack of its name (or added);
    refused like an activation if the lint finds a problem."""
    packs = [p for p in active if p.name != candidate.name]
    packs.insert(
        next((i for i, p in enumerate(active) if p.name == candidate.name), len(packs)), candidate
    )
    problems = lint_packs(packs)
    if problems:
        raise PolicyError("the candidate pack would not be lawful with the active packs", problems)
    return PolicySet(packs)


def _grades(table: Any) -> dict[Key, str]:
    out = {}
    for row in table.select(["subject", "scheme", "status", "grade"]).to_pylist():
        out[(row["subject"], row["scheme"])] = (
            row["grade"] if row["status"] == "scored" else "no consent"
        )
    return out


def _city(area: str | None) -> str:
    return "nowhere" if area is None else area[:4] + "00"


def _areas(
    store: Store, subjects: set[str], at: dt.datetime, known: dt.datetime
) -> dict[str, str | None]:
    """Where each changed subject is on the day, by its registry records."""
    with store.reader() as conn:
        return locate_many(conn, subjects, at, known)


def diff_policies(
    store: Store,
    baseline: PolicySet,
    candidate: PolicySet,
    at: dt.datetime | None = None,
    known_at: dt.datetime | None = None,
    sample: int = 5,
) -> PolicyDiff:
    at = naive_utc(at) if at is not None else store.clock.now()
    known = naive_utc(known_at) if known_at is not None else at
    with tempfile.TemporaryDirectory(prefix="socialcredit-diff-") as tmp:
        export_snapshot(store, tmp, known)
        before = _grades(evaluate_snapshot(tmp, baseline, at, known))
        after = _grades(evaluate_snapshot(tmp, candidate, at, known))
    keys = set(before) | set(after)
    areas = _areas(store, {k[0] for k in keys if before.get(k) != after.get(k)}, at, known)
    schemes: dict[str, SchemeDiff] = {}
    changed: list[Key] = []
    for key in sorted(set(before) | set(after)):
        subject, scheme = key
        old, new = before.get(key, "out of scope"), after.get(key, "out of scope")
        d = schemes.setdefault(scheme, SchemeDiff(scheme))
        d.subjects += 1
        d.matrix.setdefault(old, {})
        d.matrix[old][new] = d.matrix[old].get(new, 0) + 1
        if old != new:
            d.changed += 1
            ident = parse(subject)
            group = f"{_city(areas.get(subject))} {ident.kind}"
            d.by_group[group] = d.by_group.get(group, 0) + 1
            changed.append(key)
    samples = []
    for subject, scheme in changed[:sample]:
        with store.reader() as conn:
            a = to_json(assess(conn, baseline, subject, at, known))
            b = to_json(assess(conn, candidate, subject, at, known))
        samples.append(
            {
                "subject": subject,
                "scheme": scheme,
                "from": before.get((subject, scheme)),
                "to": after.get((subject, scheme)),
                "before": [c for c in a["contributions"] if c["scheme"] == scheme],
                "after": [c for c in b["contributions"] if c["scheme"] == scheme],
                "score_before": a["scores"].get(scheme, {}).get("score"),
                "score_after": b["scores"].get(scheme, {}).get("score"),
            }
        )
    return PolicyDiff(baseline.version, candidate.version, at, known, schemes, samples)
