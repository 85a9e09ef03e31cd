"""Red and black lists and the measures they trigger: ``lists.yaml`` and ``measures.yaml``.

The schema follows ``docs/lists.md`` field by field. Loading checks structure
only (types, unknown fields, the shape of an entry, citations of the
legal-basis registry); what the lists and measures may say -- legality,
notice, terms, proportionality, targets -- is checked across packs by
:mod:`socialcredit.policy.lint_lists` and :mod:`socialcredit.policy.lint_law`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from socialcredit.identifiers import SubjectKind
from socialcredit.policy.catalogue import Domain
from socialcredit.policy.law.citation import Basis, basis_text
from socialcredit.policy.predicate import Predicate, evaluate

ListKind = Literal["black", "red"]
Effect = Literal["deny", "restrict", "review", "privilege", "discount"]
PUNISHING: tuple[Effect, ...] = ("deny", "restrict", "review")
REWARDING: tuple[Effect, ...] = ("privilege", "discount")
Target = Literal[
    "subject", "legal_representative", "principal_manager", "directly_responsible", "controller"
]
ROLE_TARGETS: tuple[Target, ...] = (
    "legal_representative",
    "principal_manager",
    "directly_responsible",
    "controller",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class GradeEntry(_Strict):
    """Entry by grade: the subject's grade in ``scheme`` is one of ``grades``."""

    scheme: str
    grades: tuple[str, ...] = Field(min_length=1)


class Entry(_Strict):
    """Entry criteria: records of ``categories`` satisfying ``when``, or a ``grade``."""

    categories: tuple[str, ...] = ()
    when: Predicate | None = None
    grade: GradeEntry | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Entry:
        if bool(self.categories) == (self.grade is not None):
            raise ValueError("an entry names either `categories` (records) or a `grade`")
        if self.grade is not None and self.when is not None:
            raise ValueError("`when` applies to records: a grade entry has none")
        return self


class TermExtension(_Strict):
    """A longer term set case by case: the days named by an attribute of the ground record
    (e.g. ``extension_days``, set by the court), within the catalogue item's bounds."""

    attribute: str = Field(min_length=1)


class Term(_Strict):
    days: int | None = Field(default=None, ge=0, description="fixed term from effective_from")
    until_removed: bool = Field(
        default=False, description="lasts until a removal record, capped by max_days"
    )
    max_days: int | None = Field(default=None, ge=0)
    extension: TermExtension | None = None


class Override(_Strict):
    """A different term for entries whose ground record satisfies ``when``.

    The fields given replace the list's ``term`` fields; the others are kept.
    """

    when: Predicate
    days: int | None = Field(default=None, ge=0)
    until_removed: bool | None = None
    max_days: int | None = Field(default=None, ge=0)

    def apply(self, term: Term) -> Term:
        given = self.model_dump(exclude={"when"}, exclude_none=True)
        return term.model_copy(update=given)


class Removal(_Strict):
    """Records that end an entry (docs/lists.md, "Entries" step 5): of ``categories``,
    satisfying ``when``, about the same act as the entry's ground (``match: act``) or
    any later record of the subject (``match: subject``: a newer published grade)."""

    categories: tuple[str, ...] = Field(min_length=1)
    when: Predicate | None = None
    match: Literal["act", "subject"] = "act"


class ListDef(_Strict):
    """A red or black list (docs/lists.md, "Declaring lists")."""

    name: str
    title: str
    title_zh: str | None = Field(default=None, description="the official Chinese title")
    kind: ListKind
    domain: Domain
    authority: str
    authority_zh: str | None = Field(default=None, description="the authority in Chinese")
    subjects: tuple[SubjectKind, ...] = Field(min_length=1)
    legal_basis: Basis = ()
    notice_days: int = Field(default=0, ge=0)
    zero_notice_basis: Basis | None = None
    entry: Entry
    term: Term | None = None
    removal: tuple[Removal, ...] = ()  # one rule, or a list of rules: any of them ends it
    overrides: tuple[Override, ...] = ()
    note: str = ""

    @field_validator("removal", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if value is None:
            return ()
        return (value,) if isinstance(value, dict) else value

    @property
    def grade_based(self) -> bool:
        return self.entry.grade is not None

    @property
    def basis_text(self) -> str:
        return basis_text(self.legal_basis)

    @property
    def zero_notice_text(self) -> str:
        return basis_text(self.zero_notice_basis or ())

    def longest_days(self, extension_max: int = 0) -> int | None:
        """The longest term an entry can have (``extension_max``: the most a per-case
        extension may add); None when some term has no end."""
        base = self.term or Term()
        longest = 0
        for term in (base, *(o.apply(base) for o in self.overrides)):
            if term.until_removed:
                bound = term.max_days if term.max_days is not None else term.days
            elif term.days is not None:
                bound = term.days + (extension_max if term.extension is not None else 0)
            else:
                bound = term.max_days
            if bound is None:
                return None
            longest = max(longest, bound)
        return longest

    @property
    def removal_categories(self) -> tuple[str, ...]:
        """Every category a removal rule names, each once."""
        return tuple(dict.fromkeys(c for r in self.removal for c in r.categories))

    def term_for(self, attributes: dict[str, Any]) -> tuple[Term, int]:
        """The term of an entry whose ground has these attributes, and its extra days: the
        ground's extension attribute when it is a positive whole number of days."""
        term = self.term or Term()
        for override in self.overrides:
            if evaluate(override.when, attributes):
                term = override.apply(term)
                break
        extra = 0
        if term.extension is not None:
            value = attributes.get(term.extension.attribute)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                extra = value
        return term, extra


class MeasureDef(_Strict):
    """One consequence on some actions, triggered by lists (docs/lists.md, "Measures")."""

    name: str
    title: str
    title_zh: str | None = Field(default=None, description="the official Chinese title")
    actions: tuple[str, ...] = Field(min_length=1)
    effect: Effect
    condition: str | None = None
    lists: tuple[str, ...] = Field(min_length=1)
    agencies: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ("subject",)
    legal_basis: Basis = ()
    basic_list_item: str | None = Field(
        default=None,
        description="a punishing measure: the item of the National Basic List (or of a local "
        "addition) it applies",
    )
    domains: tuple[Domain, ...] = Field(
        default=(), description="a reward: the domains of the lists it follows"
    )
    note: str = ""

    @property
    def basis_text(self) -> str:
        return basis_text(self.legal_basis)


# -- loading --------------------------------------------------------------------------


def _describe(file: str, entry: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
        out.append(f"{file}: {entry}: {loc}: {err['msg']}")
    return out


def _entries(data: Any, file: str, key: str, problems: list[str]) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(f"{file}: must be a mapping with a `{key}` section")
        return {}
    for extra in sorted(set(data) - {key}, key=str):  # YAML keys need not be strings
        problems.append(f"{file}: {extra}: unknown section")
    value = data.get(key) or {}
    if not isinstance(value, dict):
        problems.append(f"{file}: {key}: must be a mapping of name to entry")
        return {}
    return value


def parse_lists(data: Any, problems: list[str]) -> dict[str, ListDef]:
    """The lists of a parsed ``lists.yaml`` (None: the pack has none)."""
    out: dict[str, ListDef] = {}
    for name, entry in _entries(data, "lists.yaml", "lists", problems).items():
        if not isinstance(entry, dict):
            problems.append(f"lists.yaml: {name}: must be a mapping")
            continue
        try:
            out[name] = ListDef.model_validate({"name": name, **entry})
        except ValidationError as exc:
            problems.extend(_describe("lists.yaml", name, exc))
    return out


def parse_measures(data: Any, problems: list[str]) -> dict[str, MeasureDef]:
    """The measures of a parsed ``measures.yaml`` (None: the pack has none)."""
    out: dict[str, MeasureDef] = {}
    for name, entry in _entries(data, "measures.yaml", "measures", problems).items():
        if not isinstance(entry, dict):
            problems.append(f"measures.yaml: {name}: must be a mapping")
            continue
        try:
            out[name] = MeasureDef.model_validate({"name": name, **entry})
        except ValidationError as exc:
            problems.extend(_describe("measures.yaml", name, exc))
    return out
