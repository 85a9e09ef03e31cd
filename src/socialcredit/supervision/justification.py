"""Justification requests for the decisions the judges' analytic flags.

Each flagged decision whose justification was never requested opens one
(:func:`socialcredit.remedies.justification.request_justification`): its court answers
with text, the reviewer role of the supervision settings finds it justified or not.
Requesting again after a new run opens requests only for decisions newly flagged.
"""

from __future__ import annotations

from socialcredit.ledger.ingest import Ingestor
from socialcredit.remedies.cases import CaseView
from socialcredit.remedies.justification import (
    Flag,
    request_justification,
    requested_decisions,
)
from socialcredit.supervision.judges import JudgesReport
from socialcredit.supervision.judges_model import TARGETS


def request_flagged(ledger: Ingestor, report: JudgesReport, requested_by: str) -> list[CaseView]:
    """Open a justification request for every flagged decision without one; the cases
    opened, in the report's order (most significant first)."""
    done = requested_decisions(ledger)
    opened: list[CaseView] = []
    for flag in report.flags:
        if flag.decision in done:
            continue
        found = Flag(
            flag.decision,
            flag.deviation_score,
            flag.p_value,
            flag.q_value,
            observed=flag.observed,
            predicted=flag.predicted,
            modelled=TARGETS.get(flag.case_type, "share of the claim awarded"),
        )
        opened.append(
            request_justification(
                ledger, found, requested_by=requested_by, reviewer=report.settings.reviewer
            )
        )
    return opened


__all__ = ["request_flagged"]
