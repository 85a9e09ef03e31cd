"""What the desk shows of a flagged decision: the outcome its facts predict against the
outcome decided, and how unlikely the gap is (docs/supervision.md).

The models predict each case type's outcome on its own scale
(``supervision/judges_model.py``, ``TARGETS``): the criminal one the logarithm of the
sentence in months, which the desk turns back into months; the others a share or a
0/1 outcome, shown as they are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from socialcredit.remedies.cases import CaseView
from socialcredit.remedies.justification import summary
from socialcredit.web.portal.render import N_

SHARE = N_("Share of the claim awarded")
MODELLED = {
    "criminal": N_("Sentence in months"),
    "administrative": N_("Claim against the administrative body upheld (1) or dismissed (0)"),
    "civil": SHARE,
    "commercial": SHARE,
    "enforcement": SHARE,
}


@dataclass(frozen=True)
class FlagFacts:
    """The figures of a flag, formatted; ``None`` where the request did not record them
    (requests opened before the prediction was kept)."""

    court: str | None
    case_type: str | None
    modelled: str | None  # a message id of MODELLED
    predicted: str | None
    actual: str | None
    deviation_score: str | None
    p_value: str | None
    q_value: str | None
    requested_by: str | None
    answer: dict[str, Any] | None  # text, answered_by, on
    finding: dict[str, Any] | None  # outcome, reasons, decided_by, on


def _natural(case_type: str | None, value: Any) -> str | None:
    if not isinstance(value, int | float):
        return None
    if case_type == "criminal":
        return f"{math.exp(value):.1f}"
    return f"{value:.2f}"


def _small(value: Any) -> str | None:
    return f"{value:.2g}" if isinstance(value, int | float) else None


def flag_facts(view: CaseView) -> FlagFacts:
    found = summary(view)
    case_type = found["case_type"]
    score = found["deviation_score"]
    return FlagFacts(
        court=found["court"],
        case_type=case_type,
        modelled=MODELLED.get(case_type or "", SHARE) if found["modelled"] else None,
        predicted=_natural(case_type, found["predicted"]),
        actual=_natural(case_type, found["observed"]),
        deviation_score=f"{score:+.2f}" if isinstance(score, int | float) else None,
        p_value=_small(found["p_value"]),
        q_value=_small(found["q_value"]),
        requested_by=found["requested_by"],
        answer=found["answer"],
        finding=found["finding"],
    )


__all__ = ["MODELLED", "FlagFacts", "flag_facts"]
