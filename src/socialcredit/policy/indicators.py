"""Supervision indicators of officials, institutions and local governments:
``indicators.yaml``.

::

    supervision:
      indicators:
        overturned_per_100:
          title: Decisions overturned on review or appeal per 100 decisions
          title_zh: 行政决定被撤销率（每百件）
          units: [institution, official]
          formula: {name: overturned_rate, decisions: [market.administrative_penalty], per: 100}
      responsiveness:
        report_within_working_days: 7
        weights: {implementation: 0.5, data_on_time: 0.3, objections_on_time: 0.2}

Each indicator names one built-in computation (``formula.name``) with its parameters;
the computations themselves are in :mod:`socialcredit.supervision`. Loading checks the
structure; :func:`check_indicators` checks the names against the active catalogue and
lists. Indicators are information for supervisors: nothing derives a list entry, a
measure or a score from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

if TYPE_CHECKING:
    from socialcredit.policy.pack import Pack

FILE = "indicators.yaml"
Unit = Literal["institution", "official"]
AWARD = "government.procurement_award"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OverturnedRate(_Strict):
    """Decisions overturned on review or appeal per ``per`` decisions of the unit."""

    name: Literal["overturned_rate"]
    decisions: tuple[str, ...] = Field(min_length=1, description="the unit's decision categories")
    overturned: str = "government.decision_overturned"
    per: int = Field(default=100, ge=1)


class ObjectionsUpheld(_Strict):
    """Objections upheld (the record corrected or withdrawn) per ``per`` objections decided
    about records the unit reported."""

    name: Literal["objections_upheld"]
    per: int = Field(default=100, ge=1)


class DeadlinesMissed(_Strict):
    """Objection answers the unit gave after their deadline, or owes past it; with ``per``,
    per that many answers due."""

    name: Literal["remedy_deadlines_missed"]
    per: int | None = Field(default=None, ge=1)


class PublicityLag(_Strict):
    """Licensing and penalty decisions published later than ``working_days`` working days
    after the decision, per ``per`` decisions."""

    name: Literal["publicity_lag"]
    decisions: tuple[str, ...] = Field(min_length=1)
    working_days: int = Field(default=7, ge=1, le=60)
    per: int = Field(default=100, ge=1)


class RepeatedSingleSource(_Strict):
    """``min_awards`` or more awards by one method to one supplier within ``window_days``."""

    name: Literal["repeated_single_source"]
    category: str = AWARD
    method: str = "single_source"
    min_awards: int = Field(default=3, ge=2, le=100)
    window_days: int = Field(default=365, ge=1, le=3650)


class BlacklistedSupplier(_Strict):
    """Awards to an enterprise on a black list in force on the award date."""

    name: Literal["blacklisted_supplier"]
    category: str = AWARD
    lists: tuple[str, ...] = Field(default=(), description="black lists (none: every one)")


class UnderThreshold(_Strict):
    """``min_awards`` or more awards within ``window_days`` whose amounts lie just under
    ``threshold``: from ``threshold * (1 - band)`` up to, not including, ``threshold``."""

    name: Literal["under_threshold"]
    category: str = AWARD
    threshold: float = Field(gt=0)
    band: float = Field(default=0.1, gt=0, lt=1)
    min_awards: int = Field(default=3, ge=2, le=100)
    window_days: int = Field(default=365, ge=1, le=3650)
    same_supplier: bool = False


class RecordCount(_Strict):
    """Records of one category about the unit, with the total of an amount attribute."""

    name: Literal["record_count"]
    category: str
    amount: str | None = None


Formula = Annotated[
    OverturnedRate
    | ObjectionsUpheld
    | DeadlinesMissed
    | PublicityLag
    | RepeatedSingleSource
    | BlacklistedSupplier
    | UnderThreshold
    | RecordCount,
    Field(discriminator="name"),
]
RED_FLAGS = frozenset({"repeated_single_source", "blacklisted_supplier", "under_threshold"})
# the computations that can be about an official (a person holding office) too
FOR_OFFICIALS = frozenset({"overturned_rate", "record_count"})


class Indicator(_Strict):
    name: str = ""
    title: str = Field(min_length=1, max_length=200)
    title_zh: str = Field(default="", max_length=200)
    units: tuple[Unit, ...] = Field(default=("institution",), min_length=1)
    formula: Formula
    note: str = ""

    @property
    def red_flag(self) -> bool:
        return self.formula.name in RED_FLAGS

    @model_validator(mode="after")
    def _units(self) -> Indicator:
        if "official" in self.units and self.formula.name not in FOR_OFFICIALS:
            raise ValueError(f"{self.formula.name} measures institutions, not officials")
        if len(set(self.units)) != len(self.units):
            raise ValueError("a unit is named twice")
        return self


class Weights(_Strict):
    """How much each part counts in a jurisdiction's responsiveness score (0 to 1)."""

    implementation: float = Field(default=0.5, ge=0)
    data_on_time: float = Field(default=0.3, ge=0)
    objections_on_time: float = Field(default=0.2, ge=0)

    @model_validator(mode="after")
    def _some(self) -> Weights:
        if self.implementation + self.data_on_time + self.objections_on_time <= 0:
            raise ValueError("at least one weight must be above zero")
        return self


class Responsiveness(_Strict):
    """Local governments' responsiveness to directives from a higher level."""

    directive: str = "government.directive"
    late: str = "government.directive_late"
    report_within_working_days: int = Field(
        default=7, ge=1, le=60, description="a record reported within N working days is on time"
    )
    grace_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="days past the deadline at which the implementation part reaches zero",
    )
    weights: Weights = Weights()


class IndicatorSettings(_Strict):
    indicators: dict[str, Indicator] = Field(default_factory=dict)
    responsiveness: Responsiveness = Responsiveness()

    @model_validator(mode="before")
    @classmethod
    def _named(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("indicators"), dict):
            named = {}
            for key, entry in data["indicators"].items():
                named[key] = {**entry, "name": key} if isinstance(entry, dict) else entry
            data = {**data, "indicators": named}
        return data


def parse_indicators(data: Any, problems: list[str]) -> IndicatorSettings | None:
    """The ``supervision`` section of a parsed ``indicators.yaml`` (None: the pack has none)."""
    if data is None:
        return None
    if not isinstance(data, dict) or set(data) != {"supervision"}:
        problems.append(f"{FILE}: must hold one mapping, supervision")
        return None
    try:
        return IndicatorSettings.model_validate(data["supervision"] or {})
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(section)"
            problems.append(f"{FILE}: supervision.{loc}: {err['msg']}")
        return None


def effective_indicators(packs: Sequence[Pack]) -> IndicatorSettings | None:
    """The settings in force: the last active pack that declares any."""
    for pack in reversed(packs):
        if pack.indicators is not None:
            return pack.indicators
    return None


def formula_categories(f: Formula) -> list[tuple[str, str]]:
    """The record categories a formula reads, each with the parameter that names it."""
    if isinstance(f, OverturnedRate):
        return [("decisions", c) for c in f.decisions] + [("overturned", f.overturned)]
    if isinstance(f, PublicityLag):
        return [("decisions", c) for c in f.decisions]
    if isinstance(f, RepeatedSingleSource | BlacklistedSupplier | UnderThreshold | RecordCount):
        return [("category", f.category)]
    return []


def check_indicators(
    settings: IndicatorSettings, categories: set[str], black_lists: set[str]
) -> list[str]:
    """Problems with the names the settings use: categories outside the catalogue, lists
    that are no black list of the active packs."""
    problems: list[str] = []
    for name, ind in settings.indicators.items():
        for field, category in formula_categories(ind.formula):
            if category not in categories:
                problems.append(
                    f"{FILE}: supervision.indicators.{name}.formula.{field}: "
                    f"unknown category {category!r}"
                )
        if isinstance(ind.formula, BlacklistedSupplier):
            for listed in ind.formula.lists:
                if listed not in black_lists:
                    problems.append(
                        f"{FILE}: supervision.indicators.{name}.formula.lists: "
                        f"{listed!r} is not a black list of the active packs"
                    )
    r = settings.responsiveness
    for field, category in (("directive", r.directive), ("late", r.late)):
        if category not in categories:
            problems.append(
                f"{FILE}: supervision.responsiveness.{field}: unknown category {category!r}"
            )
    return problems


__all__ = [
    "FILE",
    "RED_FLAGS",
    "BlacklistedSupplier",
    "DeadlinesMissed",
    "Formula",
    "Indicator",
    "IndicatorSettings",
    "ObjectionsUpheld",
    "OverturnedRate",
    "PublicityLag",
    "RecordCount",
    "RepeatedSingleSource",
    "Responsiveness",
    "UnderThreshold",
    "Weights",
    "check_indicators",
    "effective_indicators",
    "formula_categories",
    "parse_indicators",
]
