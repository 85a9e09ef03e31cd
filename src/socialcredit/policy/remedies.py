"""Due-process settings of a pack: ``remedies.yaml`` (docs/remedies.md).

Deadlines for objections and appeals, who decides, and what credit repair a
subject may apply for: per list and per record category (or severity class)
whether early repair is possible, the minimum period served first and what
must be shown (a fulfilment record, a credit pledge, a credit-repair course).
Loading checks structure; :mod:`socialcredit.policy.lint_remedies` checks the
settings against the other active packs.
"""

from __future__ import annotations

import fnmatch
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from socialcredit.policy.law.citation import Basis, basis_text

FILE = "remedies.yaml"
Requirement = Literal["fulfilment", "pledge", "course"]
RepairSeverity = Literal["minor", "general", "serious"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Deadlines(_Strict):
    """Defaults: docs/remedies.md, "Deadlines"."""

    accept_working_days: int = Field(
        default=2, ge=1, le=10, description="accept an objection within N working days of filing"
    )
    answer_working_days: int = Field(
        default=10,
        ge=1,
        le=30,
        description="the provider answers within N working days after the acceptance deadline",
    )
    review_days: int = Field(
        default=15,
        ge=1,
        le=60,
        description="the review is complete N days after the provider's answer is due",
    )
    appeal_days: int = Field(
        default=10, ge=1, le=60, description="appeal within N days of the objection decision"
    )
    appeal_decision_days: int = Field(
        default=15, ge=1, le=90, description="an appeal is decided within N days of filing"
    )
    repair_decision_working_days: int = Field(
        default=5, ge=1, le=30, description="a repair application is decided within N working days"
    )


class Reviewers(_Strict):
    """The API role (scope ``role:<name>``) that takes each decision."""

    objection: str = Field(default="reviewer", min_length=1, max_length=60)
    appeal: str = Field(default="appeal-reviewer", min_length=1, max_length=60)
    repair: str = Field(default="reviewer", min_length=1, max_length=60)


class RepairRule(_Strict):
    """Whether early repair is possible, after how long and on what showing."""

    repairable: bool = True
    min_days: int | None = Field(
        default=None,
        ge=0,
        description="days served before a repair may be applied for: from the record's "
        "occurred_at, or from a list entry's effective_from",
    )
    requires: tuple[Requirement, ...] = ()
    fulfilment_categories: tuple[str, ...] = Field(
        default=(), description="categories of record that show the obligation fulfilled"
    )
    reason: str = Field(default="", description="why repair is not possible")
    legal_basis: Basis = ()

    @model_validator(mode="after")
    def _complete(self) -> RepairRule:
        if self.repairable and self.min_days is None:
            raise ValueError("a repairable entry needs `min_days`")
        if not self.repairable and not self.reason.strip():
            raise ValueError("say why repair is not possible (`reason`)")
        return self

    @property
    def basis_text(self) -> str:
        return basis_text(self.legal_basis)


class RepairPolicy(_Strict):
    records: dict[RepairSeverity, RepairRule] = Field(
        default_factory=dict, description="by severity class; reward and neutral: nothing to repair"
    )
    sector_minimum: dict[str, int] = Field(
        default_factory=dict, description="minimum days served, by sector (NDRC Order No. 58)"
    )
    categories: dict[str, RepairRule] = Field(
        default_factory=dict, description="by category name or pattern ('judicial.*')"
    )
    lists: dict[str, RepairRule] = Field(default_factory=dict)

    def for_category(self, name: str) -> RepairRule | None:
        """The category's own rule: its exact name first, then the first matching pattern."""
        rule = self.categories.get(name)
        if rule is not None:
            return rule
        for pattern, found in self.categories.items():
            if fnmatch.fnmatchcase(name, pattern):
                return found
        return None


class RemedySettings(_Strict):
    deadlines: Deadlines = Deadlines()
    reviewers: Reviewers = Reviewers()
    repair: RepairPolicy = RepairPolicy()
    legal_basis: Basis = ()

    def over(self, base: RemedySettings) -> RemedySettings:
        """These settings laid over ``base`` (a less specific pack's): repair entries are
        replaced key by key, deadlines and reviewers when given."""
        given = self.model_fields_set
        categories = dict(self.repair.categories)  # own entries (and patterns) are tried first
        for name, rule in base.repair.categories.items():
            categories.setdefault(name, rule)
        repair = RepairPolicy(
            records={**base.repair.records, **self.repair.records},
            sector_minimum={**base.repair.sector_minimum, **self.repair.sector_minimum},
            categories=categories,
            lists={**base.repair.lists, **self.repair.lists},
        )
        return RemedySettings(
            deadlines=self.deadlines if "deadlines" in given else base.deadlines,
            reviewers=self.reviewers if "reviewers" in given else base.reviewers,
            repair=repair,
            legal_basis=self.legal_basis or base.legal_basis,
        )


class _BasisField(_Strict):
    legal_basis: Basis


def _describe(entry: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
        out.append(f"{FILE}: {entry}: {loc}: {err['msg']}")
    return out


def parse_remedies(data: Any, problems: list[str]) -> RemedySettings | None:
    """The settings of a parsed ``remedies.yaml`` (None: the pack has none).

    Each section, and each repair entry, is validated on its own so that every
    problem is reported with its entry and field."""
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(f"{FILE}: must be a mapping with deadlines, reviewers and repair")
        return None
    found = len(problems)
    for key in sorted(set(data) - {"deadlines", "reviewers", "repair", "legal_basis"}, key=str):
        problems.append(f"{FILE}: {key}: unknown section")
    values: dict[str, Any] = {}
    for key, model in (("deadlines", Deadlines), ("reviewers", Reviewers)):
        if data.get(key) is not None:
            try:
                values[key] = model.model_validate(data[key])
            except ValidationError as exc:
                problems.extend(_describe(key, exc))
    repair = data.get("repair") or {}
    if not isinstance(repair, dict):
        problems.append(f"{FILE}: repair: must be a mapping")
        repair = {}
    for key in sorted(set(repair) - set(RepairPolicy.model_fields), key=str):
        problems.append(f"{FILE}: repair.{key}: unknown section")
    sections: dict[str, Any] = {}
    for section in ("records", "categories", "lists"):
        entries = repair.get(section) or {}
        if not isinstance(entries, dict):
            problems.append(f"{FILE}: repair.{section}: must be a mapping of name to entry")
            continue
        parsed: dict[str, RepairRule] = {}
        for name, entry in entries.items():
            try:
                parsed[str(name)] = RepairRule.model_validate(entry)
            except ValidationError as exc:
                problems.extend(_describe(f"repair.{section}.{name}", exc))
        sections[section] = parsed
    sections["sector_minimum"] = repair.get("sector_minimum") or {}
    try:
        values["repair"] = RepairPolicy.model_validate(sections)
    except ValidationError as exc:
        problems.extend(_describe("repair", exc))
    if data.get("legal_basis") is not None:
        try:
            values["legal_basis"] = _BasisField.model_validate(
                {"legal_basis": data["legal_basis"]}
            ).legal_basis
        except ValidationError as exc:
            problems.extend(_describe("legal_basis", exc))
    if len(problems) > found:
        return None
    return RemedySettings(**values)
