"""The National Public Credit Information Basic Catalogue as data (``catalogue.yaml``).

An item says what information may be collected, about which kinds of
subject, with which attributes -- each of a *class* that decides who may read
it -- and how long it may have effect or be shown. A pack's category names
its item (``catalogue_item``); its attributes must be the item's, of the same
type, and their class comes from the item, never from the pack.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from socialcredit.identifiers import SubjectKind
from socialcredit.policy.catalogue import AttributeType
from socialcredit.policy.law.citation import Basis
from socialcredit.policy.law.registry import read_law_yaml

AttributeClass = Literal["conduct", "amount", "reference", "party"]
# what rules, lists and measures may read: the subject's own conduct and its amounts
READABLE: tuple[AttributeClass, ...] = ("conduct", "amount")
PartyRole = Literal[
    "legal_representative",
    "principal_manager",
    "directly_responsible",
    "controller",
    "office",
    "court",
    "counterparty",
    "defendant",
]
# the roles a rule's `via` may follow (SPC Fa Shi [2015] No. 17 art. 3 para. 2):
# never kinship, household or association, and not office, court, counterparty or defendant
LEGAL_ROLES: tuple[PartyRole, ...] = (
    "legal_representative",
    "principal_manager",
    "directly_responsible",
    "controller",
)
ItemKind = Literal["conduct", "reward", "registry", "supervision"]


def _as_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ItemAttribute(_Strict):
    """An attribute the catalogue allows: its type and class (and enum values, party role)."""

    type: AttributeType
    class_: AttributeClass = Field(alias="class")
    values: tuple[str, ...] | None = None
    role: Annotated[tuple[PartyRole, ...], BeforeValidator(_as_tuple)] = ()
    scope_only: bool = Field(
        default=False, description="decides a scheme's scope only; nothing may read it"
    )

    @model_validator(mode="after")
    def _consistent(self) -> ItemAttribute:
        if (self.class_ == "party") != bool(self.role):
            raise ValueError("a party attribute, and only one, names the legal role it records")
        if self.class_ == "party" and self.type != "identifier":
            raise ValueError("a party attribute is an identifier")
        if self.values is not None and self.type != "enum":
            raise ValueError("only an enum lists values")
        return self


class ItemExtension(_Strict):
    """A longer term set case by case in the record (e.g. by the court)."""

    attribute: str
    min_days: int = Field(ge=1)
    max_days: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> ItemExtension:
        if self.min_days > self.max_days:
            raise ValueError("min_days is above max_days")
        return self


class CatalogueItem(_Strict):
    """One item of the catalogue (or of a local pack's additions)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    kind: ItemKind
    legal_basis: Basis = Field(min_length=1)
    subjects: tuple[SubjectKind, ...] = Field(min_length=1)
    attributes: dict[str, ItemAttribute] = Field(default_factory=dict)
    max_days: int | None = Field(default=None, ge=1)
    extension: ItemExtension | None = None
    until_removed_max_days: int | None = Field(default=None, ge=1)
    note: str = ""

    @model_validator(mode="after")
    def _periods(self) -> CatalogueItem:
        if self.kind in ("conduct", "reward") and self.max_days is None:
            raise ValueError("conduct and reward information has a longest period (max_days)")
        ext = self.extension
        if ext is not None:
            spec = self.attributes.get(ext.attribute)
            if spec is None or spec.type != "integer":
                raise ValueError(f"extension.attribute: {ext.attribute!r} is no integer attribute")
        return self

    def longest_days(self) -> int:
        """The longest the information may count: a fixed term with the longest extension,
        or the cap of a term that lasts until removed."""
        fixed = (self.max_days or 0) + (self.extension.max_days if self.extension else 0)
        return max(fixed, self.until_removed_max_days or 0)


@cache
def shipped_catalogue() -> dict[str, CatalogueItem]:
    """The platform's catalogue, by item id."""
    raw = read_law_yaml("catalogue.yaml", "items")
    return {k: CatalogueItem.model_validate(v) for k, v in raw.items()}
