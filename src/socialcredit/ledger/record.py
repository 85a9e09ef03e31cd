"""The record: one immutable fact a provider reports about a subject.

A record's id is derived from its provider and the provider's own reference,
so resubmitting the same (provider, ref) names the same record. Its content
hash covers every field the provider sent, in canonical JSON, so identical
resubmissions are recognised and changed ones are refused as conflicts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool

from socialcredit.clock import Day


def record_id(provider: str, ref: str) -> str:
    return hashlib.sha256(f"{provider}\x1f{ref}".encode()).hexdigest()[:32]


class SubjectHint(BaseModel):
    """Who a record is about when the provider has no identifier: what it knows of the
    person, for entity resolution (:mod:`socialcredit.resolution`) to match."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    birth_date: Day | None = None
    address: str | None = Field(default=None, max_length=400)
    phone: str | None = Field(default=None, max_length=40)
    area: str | None = Field(default=None, pattern=r"^[0-9]{6}$")


class RecordIn(BaseModel):
    """A record as a provider submits it (JSONL line, CSV row or Parquet row)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    provider: str = Field(min_length=1, max_length=80)
    ref: str = Field(min_length=1, max_length=200)
    subject: str | None = Field(default=None, min_length=1, max_length=40)
    subject_hint: SubjectHint | None = None
    category: str = Field(min_length=1, max_length=80)
    occurred_at: Day
    reported_at: Day | None = None
    attributes: dict[str, JsonValue] = Field(default_factory=dict)
    legal_basis: str | None = Field(default=None, max_length=2000)
    supersedes: str | None = Field(default=None, min_length=1, max_length=200)
    withdrawn: StrictBool = False


class Record(NamedTuple):
    """A validated record, ready to append (or already in the ledger).

    Immutable; a named tuple rather than a frozen dataclass because ingestion
    builds one per record and a tuple is built three times faster."""

    id: str
    provider: str
    ref: str
    subject: str
    subject_kind: str
    category: str
    occurred_at: dt.date
    reported_at: dt.date | None
    attributes: str  # canonical JSON text
    legal_basis: str | None
    supersedes: str | None  # id of the superseded record
    withdrawn: bool
    content_hash: str
    links: tuple[tuple[str, str], ...] = ()  # (attribute, identifier) of identifier attributes
    hint: str | None = None  # canonical JSON of the subject hint of a record without subject
