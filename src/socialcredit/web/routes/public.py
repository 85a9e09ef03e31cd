"""The public API: ``GET /v1/subjects/{code}`` (what the disclosure rules publish of a
subject) and ``GET /v1/lists/{list}/entries`` (a public list, paged). No key needed.

``{code}`` is a public reference: an organisation's USCC, or a person's opaque
``P…`` reference (never an identity number); a field the rules do not publish
for the subject's kind is absent from the answer.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from socialcredit.disclosure.public import MAX_PAGE_SIZE, public_list, public_subject
from socialcredit.errors import NotFound
from socialcredit.store.database import Store
from socialcredit.store.public_refs import subject_of
from socialcredit.web.deps import StoreDep
from socialcredit.web.schema import OPEN

router = APIRouter(prefix="/v1", tags=["public"])

Ref = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        description="an organisation's USCC or a person's public reference (P and 16 hex "
        "digits, as the public pages link it); an identity number is not accepted",
        examples=["91371082MA3C4D5E7U"],
    ),
]


class PublicEntry(BaseModel):
    name: str = Field(alias="list", description="the list's name")
    kind: Literal["black", "red"]
    title: str
    title_zh: str
    authority: str
    authority_zh: str
    legal_basis: str
    legal_basis_zh: str
    start: str = Field(description="the day the entry took effect")
    end: str = Field(description="the day it ends, unless removed sooner")
    ground: str | None = Field(default=None, description="what the entry rests on")
    ground_zh: str | None = None
    attributes: dict[str, Any] | None = Field(
        default=None, description="the ground record's published attributes (e.g. case_no)"
    )


class PublicGrade(BaseModel):
    scheme: str
    title: str
    title_zh: str
    grade: str | None = None
    score: float | None = None


class PublicDecision(BaseModel):
    type: Literal["licence", "penalty"]
    decision_no: str | None
    item: str | None = Field(description="the licence granted, or the kind of penalty")
    reason: str | None = Field(description="what the licence permits, or the act penalised")
    basis: str | None
    authority: str
    date: str


class PublicSubject(BaseModel):
    """What the public may see of a subject; a field not published for its kind is absent."""

    ref: str
    kind: str
    at: str
    name: str | None = Field(default=None, description="masked for a person: surname and *")
    identifier: str | None = Field(
        default=None, description="a resident identity number only masked"
    )
    entries: list[PublicEntry]
    grades: list[PublicGrade] | None = None
    decisions: list[PublicDecision] | None = None


class PublicListEntry(BaseModel):
    ref: str = Field(description="link to /v1/subjects/{ref}")
    kind: str
    start: str
    end: str
    name: str | None = None
    identifier: str | None = None
    attributes: dict[str, Any] | None = None


class PublicList(BaseModel):
    name: str = Field(alias="list", description="the list's name")
    title: str
    title_zh: str
    kind: Literal["black", "red"]
    authority: str
    authority_zh: str
    legal_basis: str
    legal_basis_zh: str
    at: str
    page: int
    page_size: int
    total: int
    entries: list[PublicListEntry]


def resolve(store: Store, ref: str) -> str:
    """The subject a public reference stands for (404 not_found when none)."""
    with store.reader() as conn:
        code = subject_of(conn, ref)
    if code is None:
        raise NotFound("no public record has this reference", field="code")
    return code


@router.get(
    "/subjects/{code}",
    response_model=PublicSubject,
    response_model_exclude_unset=True,
    responses=OPEN,
)
def subject(code: Ref, store: StoreDep) -> dict[str, Any]:
    """A subject's public record: its list entries in force and, as the disclosure rules
    publish them for its kind, its name, code, grades and licensing and penalty decisions."""
    return public_subject(store, resolve(store, code))


@router.get(
    "/lists/{list}/entries",
    response_model=PublicList,
    response_model_exclude_unset=True,
    responses=OPEN,
)
def list_entries(
    name: Annotated[
        str, Path(alias="list", max_length=80, description="a list's name, e.g. court_defaulters")
    ],
    store: StoreDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[
        int,
        Query(ge=1, description=f"at most {MAX_PAGE_SIZE} (422 page_too_large beyond)"),
    ] = 20,
    q: Annotated[
        str | None,
        Query(max_length=100, description="part of a shown name, shown code or reference"),
    ] = None,
) -> dict[str, Any]:
    """The entries in force of a public list, newest first."""
    return public_list(store, name, page, page_size, q or None)
