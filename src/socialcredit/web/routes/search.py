"""GET /v1/search?q=&limit=: the public lookup by name or code (lookup/)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from socialcredit.lookup.public import public_search, shown_query
from socialcredit.lookup.search import MAX_LIMIT, MAX_QUERY
from socialcredit.web.deps import StoreDep
from socialcredit.web.schema import OPEN, errors

router = APIRouter(prefix="/v1", tags=["search"])
RESPONSES = {**OPEN, **errors(400)}  # as every public route, and a query too long


class HitOut(BaseModel):
    ref: str = Field(description="the subject's public reference: /subjects/{ref}")
    code: str = Field(description="the code; a person's identity number masked")
    kind: str = Field(description="person, enterprise or institution")
    name: str = Field(description="the registered name; a person's given name masked")
    score: float = Field(description="how well the name matches, 0-100")


class SearchOut(BaseModel):
    query: str = Field(description="the query as searched; an identity number masked")
    hits: list[HitOut]


@router.get("/search")
def get_search(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            description=f"a name (characters, traditional or simplified, or pinyin) or a "
            f"code; at most {MAX_QUERY} characters (400 query_too_long); an empty query "
            "finds nothing",
        ),
    ] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> SearchOut:
    """Subjects whose registered name or code matches ``q``, best first. Public: a
    person's name and identity number are masked."""
    hits = public_search(store, q, limit)
    return SearchOut(
        query=shown_query(q),
        hits=[
            HitOut(ref=h.ref, code=h.code, kind=h.kind, name=h.name, score=h.score) for h in hits
        ],
    )
