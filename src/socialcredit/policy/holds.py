"""The supervision of data providers: ``holds.yaml`` (``supervision:`` → ``holds:``).

How a feed's reliability is measured and when a feed is put on hold (README,
"Supervision: data providers and holds"). A feed is one provider's records of one
category; its signals are counted per week of arrival:

* **volume** -- the week's records against the feed's own history: outside
  ``median ± band_k · spread`` of the past ``history_weeks`` weeks, where the spread is
  the median absolute deviation scaled to a standard deviation (× 1.4826), never
  narrower than the Poisson noise of the median (its square root) nor than one record;
* **amounts** -- the share of the week's amounts (the first of ``amount_attributes`` a
  record carries) outside ``median ± amount_band_k · spread`` of the amounts of the
  past weeks, on a log10 scale, the spread never narrower than ``amount_min_spread``
  decades (fines of a few fixed sums have no spread of their own);
* **late** -- records appended more than ``late_days`` days after they occurred;
* **duplicates**, **conflicts**, **refused** (by error code) -- of everything sent;
* **corrections** -- corrections and withdrawals, of the records appended;
* **objections upheld** -- objections decided against the record (corrected or
  withdrawn), of the objections decided.

The reliability score is ``100 · (1 − Σ weight · min(1, rate / full_at))`` over the
past ``history_weeks`` weeks. A feed of a category whose kind is in ``kinds`` is put on
hold when a signal of the week crosses its ``hold_when`` threshold (and a severity in
``severities``: a hold only ever delays what counts against a subject, which is also
why a withdrawal is never held); the rates are
judged from ``min_records`` records of the week on, the amounts from ``min_amounts``
(against a band of at least ``min_history_amounts`` past amounts).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from socialcredit.policy.catalogue import Catalogue, CategoryKind, Severity
from socialcredit.policy.law.citation import Basis

FILE = "holds.yaml"
Signal = Literal[
    "volume",
    "amounts",
    "late",
    "duplicates",
    "conflicts",
    "refused",
    "corrections",
    "objections_upheld",
]
SIGNALS: tuple[Signal, ...] = get_args(Signal)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(_Strict):
    """One signal's part of the reliability score."""

    weight: float = Field(ge=0, le=1, description="the share of the score it can cost")
    full_at: float = Field(
        gt=0, le=1, description="the rate (or share of anomalous weeks) costing the whole weight"
    )


def _default_score() -> dict[Signal, Component]:
    weights: dict[Signal, tuple[float, float]] = {
        "volume": (0.2, 0.25),
        "amounts": (0.15, 0.25),
        "late": (0.1, 0.5),
        "duplicates": (0.05, 0.1),
        "conflicts": (0.1, 0.05),
        "refused": (0.15, 0.1),
        "corrections": (0.1, 0.1),
        "objections_upheld": (0.15, 0.5),
    }
    return {k: Component(weight=w, full_at=f) for k, (w, f) in weights.items()}


class HoldWhen(_Strict):
    """The thresholds of the week that put a feed on hold (None: never on this signal)."""

    volume: bool = Field(default=True, description="the week's volume above its band")
    amounts: float | None = Field(
        default=0.5, gt=0, le=1, description="share of the week's amounts outside their band"
    )
    late: float | None = Field(default=None, gt=0, le=1)
    duplicates: float | None = Field(default=None, gt=0, le=1)
    conflicts: float | None = Field(default=0.1, gt=0, le=1)
    refused: float | None = Field(default=0.2, gt=0, le=1)
    corrections: float | None = Field(default=None, gt=0, le=1)
    objections_upheld: float | None = Field(default=None, gt=0, le=1)


class HoldSettings(_Strict):
    """The pack's settings for the supervision of providers (the defaults are the national
    pack's figures, but for its legal basis and its calendar categories)."""

    legal_basis: Basis = ()
    history_weeks: int = Field(default=12, ge=4, le=104, description="weeks a band is made of")
    min_history_weeks: int = Field(
        default=6, ge=2, le=104, description="weeks of a feed's history before its bands count"
    )
    band_k: float = Field(default=5.0, gt=0, le=20, description="volume band: median ± k·spread")
    amount_band_k: float = Field(default=3.0, gt=0, le=20, description="amount band, log10")
    amount_min_spread: float = Field(
        default=0.25, ge=0, le=3, description="the narrowest amount spread, in decades"
    )
    late_days: int = Field(default=60, ge=1, le=3650)
    amount_attributes: tuple[str, ...] = ("amount", "fine")
    min_records: int = Field(default=20, ge=1, description="a week's rates count from N records")
    min_amounts: int = Field(default=3, ge=1, description="a week's amounts count from N amounts")
    min_history_amounts: int = Field(
        default=10, ge=1, description="amounts of the past weeks an amount band needs"
    )
    kinds: tuple[CategoryKind, ...] = Field(
        default=("conduct",), description="the kinds of category whose feeds may be held"
    )
    severities: tuple[Severity, ...] = Field(
        default=("minor", "general", "serious"),
        description="the severity classes of category whose feeds may be held",
    )
    no_volume: tuple[str, ...] = Field(
        default=(),
        description="categories published on a calendar (a yearly grade): no volume signal",
    )
    hold_when: HoldWhen = HoldWhen()
    score: dict[Signal, Component] = Field(default_factory=_default_score)

    @model_validator(mode="after")
    def _consistent(self) -> HoldSettings:
        if self.min_history_weeks > self.history_weeks:
            raise ValueError("min_history_weeks: more than history_weeks")
        missing = [s for s in SIGNALS if s not in self.score]
        if missing:
            raise ValueError(f"score: no weight for {', '.join(missing)}")
        total = sum(c.weight for c in self.score.values())
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"score: the weights add up to {total:g}, not 1")
        return self


def parse_holds(data: Any, problems: list[str]) -> HoldSettings | None:
    """The settings of a parsed ``holds.yaml`` (None: the pack has none)."""
    if data is None:
        return None
    section = data.get("supervision") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) != {"supervision"} or not isinstance(section, dict):
        problems.append(f"{FILE}: must be a mapping with one section, supervision: holds:")
        return None
    for key in sorted(set(section) - {"holds"}, key=str):
        problems.append(f"{FILE}: supervision.{key}: unknown section")
    try:
        return HoldSettings.model_validate(section.get("holds") or {})
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
            problems.append(f"{FILE}: supervision.holds: {loc}: {err['msg']}")
        return None


def lint_holds(packs: Sequence[Any], catalogue: Catalogue) -> list[str]:
    """The settings against the catalogue of the packs active together: a calendar
    category must exist; at most one pack sets the supervision of providers."""
    problems: list[str] = []
    setting = [p for p in packs if p.holds is not None]
    for pack in setting[1:]:
        problems.append(
            f"{pack.name}: {FILE}: supervision.holds: also set by pack {setting[0].name}: "
            "one pack sets the supervision of providers"
        )
    for pack in setting:
        for i, name in enumerate(pack.holds.no_volume):
            if name not in catalogue:
                problems.append(
                    f"{pack.name}: {FILE}: supervision.holds: no_volume.{i}: "
                    f"{name!r} is not in the catalogue"
                )
    return problems


__all__ = [
    "FILE",
    "SIGNALS",
    "Component",
    "HoldSettings",
    "HoldWhen",
    "Signal",
    "lint_holds",
    "parse_holds",
]
