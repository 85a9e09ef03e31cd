"""The category catalogue: which kinds of record exist and what they carry.

A category is declared in a pack's ``categories.yaml`` with its integrity
domain, its severity class, the kinds of subject it may be about and an
attribute schema. At ingestion each category's schema is compiled into a
pydantic model, so a record's attributes are checked by pydantic, never by
hand.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    create_model,
    field_validator,
)

from socialcredit.clock import Day
from socialcredit.identifiers import SubjectKind, parse
from socialcredit.policy.law.citation import Basis, basis_text

Domain = Literal["government", "commercial", "social", "judicial"]
DOMAINS: tuple[Domain, ...] = ("government", "commercial", "social", "judicial")
Severity = Literal["minor", "general", "serious", "reward", "neutral"]
# remedy: due-process steps (docs/remedies.md), never scored or listed
CategoryKind = Literal["conduct", "registry", "supervision", "remedy"]
AttributeType = Literal["string", "integer", "number", "boolean", "date", "identifier", "enum"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AttributeSpec(_Strict):
    """One attribute of a category: its type, whether it is required, its range."""

    type: AttributeType
    required: bool = False
    description: str = ""
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    values: tuple[str, ...] | None = None
    kinds: tuple[SubjectKind, ...] | None = Field(
        default=None, description="for identifier attributes: which subject kinds it may name"
    )
    tags: tuple[str, ...] = ()

    @field_validator("values")
    @classmethod
    def _values_not_empty(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if v is not None and not v:
            raise ValueError("an enum needs at least one value")
        return v


class Category(_Strict):
    """A kind of record, e.g. ``judicial.judgment_default``."""

    name: str
    title: str
    kind: CategoryKind = "conduct"
    domain: Domain | None = None
    severity: Severity = "neutral"
    subjects: tuple[SubjectKind, ...]
    sector: str | None = Field(
        default=None, description="the regulated sector the category belongs to, if any"
    )
    catalogue_item: str | None = Field(
        default=None,
        description="the item of the national catalogue (or of a local addition) it records",
    )
    legal_basis: Basis = ()
    case_key: str | None = Field(
        default=None,
        description="attribute naming the act (e.g. case number): records sharing it are one act",
    )
    attributes: dict[str, AttributeSpec] = Field(default_factory=dict)
    tags: tuple[str, ...] = ()
    note: str = ""
    hinted: bool = Field(
        default=False,
        description="may arrive without an identifier, with a subject_hint that entity "
        "resolution matches to a person (community, utility, volunteer, older court files)",
    )

    @field_validator("name")
    @classmethod
    def _dotted(cls, v: str) -> str:
        head, dot, tail = v.partition(".")
        if not dot or not head or not tail or not v.replace(".", "").replace("_", "").isalnum():
            raise ValueError(f"category names are '<area>.<event>' in snake case, got {v!r}")
        return v

    @property
    def basis_text(self) -> str:
        return basis_text(self.legal_basis)

    @cached_property
    def attributes_model(self) -> type[BaseModel]:
        """A pydantic model that validates this category's attributes."""
        fields: dict[str, Any] = {}
        for name, spec in self.attributes.items():
            annotation = _annotation(spec, name)
            fields[name] = (annotation, ...) if spec.required else (annotation | None, None)
        model: type[BaseModel] = create_model(
            "Attributes_" + self.name.replace(".", "_"),
            __config__=ConfigDict(extra="forbid", frozen=True),
            **fields,
        )
        return model


# integers a JSON reader keeps exactly everywhere (IEEE doubles); beyond them an
# integer attribute needs an explicit range, and a number is refused
SAFE_INTEGER = (-(2**53 - 1), 2**53 - 1)


def _exact_number(value: Any) -> Any:
    """A whole number given for a ``number`` attribute must survive the float."""
    whole = isinstance(value, int) and not isinstance(value, bool)
    if whole and not SAFE_INTEGER[0] <= value <= SAFE_INTEGER[1]:
        raise ValueError(f"{value} is too large to keep exactly")
    return value


def _check_identifier(kinds: tuple[SubjectKind, ...] | None, field: str) -> Any:
    def check(value: str) -> str:
        ident = parse(value, field)
        if kinds is not None and ident.kind not in kinds:
            raise ValueError(f"must name a {' or '.join(kinds)}, {value!r} is a {ident.kind}")
        return ident.value

    return check


def _annotation(spec: AttributeSpec, name: str) -> Any:
    match spec.type:
        case "string":
            return Annotated[str, Field(min_length=1, max_length=spec.max_length or 2000)]
        case "integer":
            low = SAFE_INTEGER[0] if spec.min is None else spec.min
            high = SAFE_INTEGER[1] if spec.max is None else spec.max
            return Annotated[StrictInt, Field(ge=low, le=high)]
        case "number":
            return Annotated[
                float,
                BeforeValidator(_exact_number),
                Field(ge=spec.min, le=spec.max, strict=True),
            ]
        case "boolean":
            return StrictBool
        case "date":
            return Day
        case "identifier":
            return Annotated[str, AfterValidator(_check_identifier(spec.kinds, name))]
        case "enum":
            assert spec.values is not None
            return Literal[spec.values]
    raise AssertionError(spec.type)  # pragma: no cover


class Catalogue:
    """All categories known to the active packs, by name."""

    def __init__(self, categories: dict[str, Category]) -> None:
        self.categories = categories

    def __contains__(self, name: object) -> bool:
        return name in self.categories

    def __getitem__(self, name: str) -> Category:
        return self.categories[name]

    def __len__(self) -> int:
        return len(self.categories)

    def names(self) -> list[str]:
        return sorted(self.categories)
