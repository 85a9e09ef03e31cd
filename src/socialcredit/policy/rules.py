"""Rating schemes and scoring rules, as declared in a pack's ``scoring.yaml``.

The exact meaning of every field, shared by the incremental and the batch
engine, is written down in ``docs/engine.md``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from socialcredit.identifiers import SubjectKind
from socialcredit.policy.catalogue import Domain, Severity
from socialcredit.policy.law.citation import Basis, basis_text
from socialcredit.policy.predicate import Predicate

Role = Literal["legal_representative", "controller", "responsible_person"]
ROLE_CATEGORIES: dict[str, str] = {
    "legal_representative": "registry.legal_representative",
    "controller": "registry.controller",
    "responsible_person": "registry.responsible_person",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class EffectPeriods(_Strict):
    """How long a record counts, by severity class, in days from ``occurred_at``.

    Defaults follow the NDRC credit-repair measures: minor at most 3 months,
    general 3 months to 1 year, serious 1 to 3 years; sectors named in
    ``sector_minimum`` (food, drugs, special equipment, work safety, fire
    safety) count at least 1 year (NDRC Order No. 58, art. 7).
    """

    minor: int = Field(default=90, ge=0, le=90)
    general: int = Field(default=365, ge=90, le=365)
    serious: int = Field(default=1095, ge=365, le=1095)
    reward: int = Field(default=365, ge=1, le=1095)
    neutral: int = Field(default=365, ge=1, le=1095)
    sector_minimum: dict[str, int] = Field(default_factory=dict)

    def limits(self, severity: Severity) -> tuple[int, int]:
        return {
            "minor": (0, 90),
            "general": (90, 365),
            "serious": (365, 1095),
            "reward": (1, 1095),
            "neutral": (1, 1095),
        }[severity]


class Band(_Strict):
    grade: str = Field(min_length=1, max_length=8)
    min: float | None = Field(default=None, description="inclusive; the last band has none")


class Eligibility(_Strict):
    """Who a scheme scores, beyond its kinds and its pack's jurisdiction (docs/engine.md
    step 4), read from registry records for scope only, never in scoring."""

    adult: bool = Field(
        default=False,
        description="only persons of 18 or over on the day (Civil Code art. 17), by the "
        "date of birth of their registry.person record",
    )
    min_residence_days: int = Field(
        default=0,
        ge=0,
        le=3650,
        description="only subjects placed in the pack's jurisdiction at least this many "
        "days on the day (their registry.residence `since`)",
    )


class Scheme(_Strict):
    """A rating scale: base points and grade bands, best grade first."""

    name: str
    title: str
    title_zh: str | None = Field(default=None, description="the official Chinese title")
    kind: Literal["rating", "points"] = Field(
        default="rating",
        description="'points' marks a municipal points scheme: it may only reward",
    )
    subjects: tuple[SubjectKind, ...]
    base: float
    bands: tuple[Band, ...] = Field(min_length=1)
    consent: bool = Field(
        default=False,
        description="score only subjects whose latest registry.consent for this scheme is given",
    )
    eligibility: Eligibility | None = Field(
        default=None, description="adult and residence conditions of the scheme's scope"
    )
    legal_basis: Basis = ()

    @field_validator("bands")
    @classmethod
    def _ordered(cls, bands: tuple[Band, ...]) -> tuple[Band, ...]:
        mins = [b.min for b in bands[:-1]]
        if any(m is None for m in mins):
            raise ValueError("every band but the last needs a `min`")
        if bands[-1].min is not None:
            raise ValueError("the last band catches everything below: give it no `min`")
        values = [float(m) for m in mins if m is not None]
        if values != sorted(values, reverse=True) or len(set(values)) != len(values):
            raise ValueError("bands must be listed best first with strictly falling `min`")
        if len({b.grade for b in bands}) != len(bands):
            raise ValueError("grades must be distinct")
        return bands

    def grade_for(self, score: float) -> str:
        for band in self.bands:
            if band.min is None or score >= band.min:
                return band.grade
        raise AssertionError  # pragma: no cover

    def rank(self, grade: str) -> int:
        """0 for the best grade."""
        return [b.grade for b in self.bands].index(grade)

    @property
    def basis_text(self) -> str:
        return basis_text(self.legal_basis)


class Decay(_Strict):
    half_life_days: float = Field(gt=0)


class Repeat(_Strict):
    multiplier: float = Field(gt=1, le=10)


class Rule(_Strict):
    """Records of one category meeting a condition give points in a domain of a scheme."""

    id: str
    scheme: str
    category: str
    when: Predicate | None = None
    points: float
    per: str | None = Field(
        default=None, description="numeric attribute the points are multiplied by"
    )
    domain: Domain | None = Field(default=None, description="default: the category's domain")
    effect_days: int | None = Field(
        default=None, ge=0, description="default: the pack's period for the category's severity"
    )
    ended_by: tuple[str, ...] = Field(
        default=(), description="categories whose record about the same act ends the effect"
    )
    decay: Decay | None = None
    repeat: Repeat | None = None
    grade_cap: str | None = Field(
        default=None, description="while this rule counts, the grade is at most this"
    )
    via: Role | None = Field(
        default=None,
        description="score the person holding this role in the organisation the record is about",
    )
    legal_basis: Basis = ()
    note: str = ""

    @model_validator(mode="after")
    def _nonzero(self) -> Rule:
        if self.points == 0:
            raise ValueError("points: a rule that gives 0 points has no effect; remove it")
        return self

    @property
    def basis_text(self) -> str:
        return basis_text(self.legal_basis)


class Scoring(_Strict):
    effect_periods: EffectPeriods = EffectPeriods()
    schemes: dict[str, Scheme] = Field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
