"""What the safeguards audit reports: findings, per-check counts and the whole result.

Every finding names its check, the item it concerns (a list entry, a decision,
a pack, a list, a measure, a case), what is wrong, the rule it breaks (with
the source of the rule) and the fix. A finding of severity ``review`` (a local
addition to the allow-lists) is listed for a reviewer and does not make the
audit fail; every other finding is a violation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["violation", "review"]

# check -> (the rule it holds, with its source; the fix when the finding names none)
RULES: dict[str, tuple[str, str]] = {
    "legal_basis": (
        "every list, entry, measure and decision cites its legal basis (Guobanfa [2020] No. 49)",
        "cite the basis in the pack and activate the corrected version, or end the entry",
    ),
    "explanation": (
        "every entry and decision names the records and rules behind it (DESIGN.md 4)",
        "re-derive the entry (`socialcredit evaluate`) or correct the ground record",
    ),
    "notice": (
        "notice before a listing takes effect (DESIGN.md 5; Guobanfa [2020] No. 49)",
        "suspend the entry and give notice; run `socialcredit notices sweep`",
    ),
    "delivery": (
        "the listing notice reaches the subject before the listing takes effect (DESIGN.md 5)",
        "deliver the notice (`socialcredit notices sweep`) and suspend the entry until then",
    ),
    "objection_path": (
        "the provider who must answer an objection is registered and authorised (DESIGN.md 5)",
        "register the provider again or withdraw its records",
    ),
    "end_date": (
        "nothing lasts forever: an entry ends within its list's longest term (DESIGN.md 6)",
        "correct the list's term and re-derive the entry (`socialcredit evaluate`)",
    ),
    "protected": (
        "no category, attribute or rule about a protected ground (DESIGN.md 3)",
        "deactivate the pack (`socialcredit policy deactivate`) and propose a corrected version",
    ),
    "lint": (
        "the active packs pass the safeguards lint (`socialcredit policy validate`)",
        "deactivate the pack (`socialcredit policy deactivate`) and propose a corrected version",
    ),
    "basic_list": (
        "a punishment only from the National Basic List of Disciplinary Measures (2024), "
        "within its item's actions, effect and term, or a local addition citing a local "
        "regulation",
        "map the measure to its Basic List item in a corrected pack, or end the entry",
    ),
    "local_additions": (
        "local additions to the catalogue and the Basic List cite a local regulation and are "
        "reviewed (Guobanfa [2020] No. 49)",
        "review the addition against the local regulation it cites",
    ),
    "consent": (
        "a points scheme scores only residents who consent (Rongzhengfa [2021] No. 3; PIPL "
        "arts. 13-14)",
        "re-evaluate (`socialcredit evaluate`): the subject's score and entries must go",
    ),
    "timing": (
        "no entry takes effect before the list existed or before its ground was known "
        "(DESIGN.md, the one invariant)",
        "re-derive the entry (`socialcredit evaluate`)",
    ),
    "overdue": (
        "objections, appeals and repairs are answered by their deadlines (DESIGN.md 5)",
        "the party named must act on the case now",
    ),
    "red_list": (
        "a red-list entry rests on the grade or status the subject holds today",
        "re-derive the entries (`socialcredit evaluate`)",
    ),
    "stale": (
        "stored entries and index rows are what the ledger and policy derive today "
        "(DESIGN.md, the one invariant)",
        "re-derive the entries and the index (`socialcredit evaluate`)",
    ),
    "scope": (
        "a scheme's scope comes from residence or registration records (DESIGN.md 3)",
        "correct the scheme's scope",
    ),
}
CHECKS = tuple(RULES)


@dataclass(frozen=True)
class Violation:
    check: str
    item: str  # "<list entry id>", "decision <seq>", "pack <name>", "measure <name>", ...
    subject: str | None
    message: str  # what is wrong
    fix: str = ""  # default: the check's fix
    severity: Severity = "violation"

    @property
    def rule(self) -> str:
        return RULES[self.check][0]

    @property
    def remedy(self) -> str:
        return self.fix or RULES[self.check][1]

    def text(self) -> str:
        return f"{self.check}: {self.item}: {self.message} (fix: {self.remedy})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "item": self.item,
            "subject": self.subject,
            "message": self.message,
            "rule": self.rule,
            "fix": self.remedy,
            "severity": self.severity,
        }


Checked = tuple[str, Violation | None]
Result = Iterator[Checked]


@dataclass
class CheckCount:
    checked: int = 0
    violations: int = 0


@dataclass
class SafeguardsAudit:
    at: dt.datetime
    days: int
    entries: int = 0  # live black-list entries checked
    decisions: int = 0  # non-allow decisions checked
    packs: tuple[str, ...] = ()
    counts: dict[str, CheckCount] = field(default_factory=lambda: {c: CheckCount() for c in CHECKS})
    violations: list[Violation] = field(default_factory=list)
    review: list[Violation] = field(default_factory=list)  # listed, not failing
    seconds: dict[str, float] = field(default_factory=dict)  # time per group of checks
    notes: list[str] = field(default_factory=list)  # e.g. a check run on a sample

    @property
    def ok(self) -> bool:
        return not self.violations

    def record(self, results: Iterable[Checked]) -> None:
        for check, violation in results:
            count = self.counts[check]
            count.checked += 1
            if violation is None:
                continue
            if violation.severity == "review":
                self.review.append(violation)
            else:
                count.violations += 1
                self.violations.append(violation)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "at": self.at.isoformat(),
            "days": self.days,
            "entries": self.entries,
            "decisions": self.decisions,
            "packs": list(self.packs),
            "checks": {
                name: {"checked": c.checked, "violations": c.violations}
                for name, c in self.counts.items()
            },
            "violations": [v.to_dict() for v in self.violations],
            "review": [v.to_dict() for v in self.review],
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "notes": list(self.notes),
        }


def passed(check: str) -> Checked:
    return check, None


def found(
    check: str, item: str, subject: str | None, message: str, fix: str = "", **kw: Any
) -> Checked:
    return check, Violation(check, item, subject, message, fix, **kw)
