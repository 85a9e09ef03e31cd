"""What an evaluation produces, shared by the incremental and the batch engine.

Scores are exact decimals with 4 places, carried as integers of 1/10,000
point ("units") so that sums never depend on float summation order.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

UNITS_PER_POINT = 10_000
Status = Literal["scored", "no_consent"]
DOMAIN_NAMES = ("government", "commercial", "social", "judicial")


def to_units(value: float) -> int:
    """Round half away from zero to 4 places, as an integer of 1/10,000 points.

    The batch engine computes exactly this in SQL:
    ``CAST(SIGN(x) * FLOOR(ABS(x) * 10000 + 0.5) AS BIGINT)``.
    """
    scaled = abs(value) * UNITS_PER_POINT + 0.5
    return int(math.copysign(math.floor(scaled), value)) if value else 0


def units_to_decimal(units: int) -> Decimal:
    return Decimal(units).scaleb(-4)


@dataclass(frozen=True, slots=True)
class LedgerRecord:
    """A record as stored, as the engines and the remedies read it (attributes parsed
    from their canonical JSON; built from a ``records`` row by
    :func:`socialcredit.engine.ledger_view.ledger_record`)."""

    seq: int
    id: str
    provider: str
    subject: str
    category: str
    occurred_at: dt.date
    recorded_at: dt.datetime
    attributes: dict[str, Any]
    supersedes: str | None
    withdrawn: bool
    ref: str = ""  # the provider's reference (a remedy case id is its filing's ref)
    legal_basis: str | None = None  # the provider's citation, as submitted


@dataclass(frozen=True, slots=True)
class SubjectRef:
    """A subject: its identifier and kind. Where it is comes from its registry records
    on the day asked (:mod:`socialcredit.engine.scope`), never from the identifier."""

    id: str
    kind: str


@dataclass(frozen=True)
class Contribution:
    """One active representative match: a record × rule and the points it gives."""

    record_id: str
    seq: int
    rule_id: str
    category: str
    domain: str
    act_key: str
    occurred_at: dt.date
    end: dt.date
    points: float  # base points p (rule points × `per` attribute)
    repeat: float  # 1, or the rule's repeat multiplier
    weight: float  # decay weight, 1 without decay
    units: int  # the contribution, in 1/10,000 points
    via: str | None = None  # the organisation whose record it is, for role rules

    @property
    def value(self) -> Decimal:
        return units_to_decimal(self.units)


@dataclass(frozen=True)
class Expired:
    record_id: str
    rule_id: str
    category: str
    occurred_at: dt.date
    end: dt.date
    # 'period' (effect period over), 'ended_by' (a fulfilment, clearing…), 'repaired'
    # (credit repair accepted, from its effective day) or 'suspended' (docs/remedies.md:
    # not effective from `end` while an objection is unanswered or an appeal pending)
    reason: str


@dataclass(frozen=True)
class Merged:
    record_id: str
    rule_id: str
    act_key: str
    into: str  # record id of the representative


@dataclass(frozen=True)
class Change:
    """What would change the grade: on `on`, this contribution stops counting."""

    record_id: str
    rule_id: str
    on: dt.date
    score_after_units: int
    grade_after: str | None


@dataclass(frozen=True)
class Lift:
    """An active contribution on the way to a better grade: it ends on ``end`` (by
    itself), and ``units`` (and its ``cap``, if any) go with it."""

    record_id: str
    rule_id: str
    end: dt.date
    units: int
    cap: str | None = None


@dataclass(frozen=True)
class BetterGrade:
    """The way to the next better grade, all else as today.

    ``on``: the first day the grade is at least ``grade`` with nothing done (the
    contributions in ``ending`` will have stopped counting), with the grade and score
    then; None when time alone never gets there. ``sooner``: the fewest active
    contributions (capping ones first, then the largest deductions) whose early end --
    a removal record, a correction, credit repair -- reaches ``grade`` today, with
    the score then; empty when even all of them would not.
    """

    grade: str
    on: dt.date | None
    grade_on: str | None
    score_on_units: int | None
    ending: tuple[Lift, ...]
    sooner: tuple[Lift, ...]
    score_sooner_units: int | None


@dataclass(frozen=True)
class SchemeAssessment:
    scheme: str
    pack: str
    version: str
    status: Status
    score_units: int | None
    domain_units: dict[str, int]
    grade: str | None
    contributions: tuple[Contribution, ...] = ()
    merged: tuple[Merged, ...] = ()
    expired: tuple[Expired, ...] = ()
    what_would_change: tuple[Change, ...] = ()
    better: BetterGrade | None = None  # the way to the next better grade (None: the best)

    @property
    def score(self) -> Decimal | None:
        return None if self.score_units is None else units_to_decimal(self.score_units)

    def key(self) -> tuple[Any, ...]:
        """What parity compares between engines."""
        return (
            self.scheme,
            self.status,
            self.score_units,
            tuple(self.domain_units.get(d, 0) for d in DOMAIN_NAMES),
            self.grade,
        )


@dataclass(frozen=True)
class Assessment:
    subject: str
    kind: str
    jurisdiction: str  # area of residence or registration on the day ("" when none)
    at: dt.datetime
    known_at: dt.datetime
    policy_version: str
    schemes: dict[str, SchemeAssessment] = field(default_factory=dict)
