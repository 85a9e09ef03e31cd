"""The legal-basis registry: the instruments a pack may cite (``instruments.yaml``).

Each instrument has a short stable id, its titles in Chinese and English, its
issuer, its level in the hierarchy of norms, its date and jurisdiction, and
the articles the platform relies on, each with a one-line summary. The level
decides what an instrument may ground: only the levels in
``PUNISHING_LEVELS`` may ground a punishing measure (Guobanfa [2020] No. 49).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from socialcredit.yaml_text import load_yaml

LAW_DIR = Path(__file__).parent

Level = Literal[
    "law",
    "administrative_regulation",
    "judicial_interpretation",
    "central_document",
    "departmental_rule",
    "local_regulation",
    "local_rule",
    "normative_document",
]
# what may ground a punishment (Guobanfa [2020] No. 49; the 2024 Basic List)
PUNISHING_LEVELS: tuple[Level, ...] = (
    "law",
    "administrative_regulation",
    "judicial_interpretation",
    "central_document",
)
# a black list applied nationwide: those, or a departmental rule where a field has no such basis
NATIONAL_LIST_LEVELS: tuple[Level, ...] = (*PUNISHING_LEVELS, "departmental_rule")
_DATE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")
_ARTICLE_KEY = re.compile(r"^\d+(-\d+)?$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Summary(_Strict):
    """What the platform relies on an article for, in English and Chinese."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


def jurisdiction_covers(jurisdiction: str, area: str) -> bool:
    """Whether a jurisdiction ('national' or a GB/T 2260 code) covers an area code or
    a narrower jurisdiction: ``XX0000`` covers its province, ``XXYY00`` its city."""
    if jurisdiction == "national":
        return True
    if area == "national":
        return False
    if jurisdiction.endswith("0000"):
        return area.startswith(jurisdiction[:2])
    if jurisdiction.endswith("00"):
        return area.startswith(jurisdiction[:4])
    return area == jurisdiction


class Instrument(_Strict):
    """One law, regulation, judicial interpretation, rule or document."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    issuer: str = Field(min_length=1)
    level: Level
    date: str = Field(description="promulgated or in force: YYYY-MM-DD, or YYYY")
    jurisdiction: str = "national"
    doc_no_en: str | None = None
    doc_no_zh: str | None = None
    numbered: bool = Field(default=True, description="false: cited whole, never by article")
    articles: dict[str, Summary] = Field(default_factory=dict)
    attachments: dict[str, Summary] = Field(default_factory=dict)
    note: str = ""

    @field_validator("date")
    @classmethod
    def _iso(cls, v: str) -> str:
        if not _DATE.match(v):
            raise ValueError("an ISO date YYYY-MM-DD, or the year YYYY")
        if len(v) == 10:
            dt.date.fromisoformat(v)
        return v

    @field_validator("jurisdiction")
    @classmethod
    def _area(cls, v: str) -> str:
        if v != "national" and not (len(v) == 6 and v.isdigit()):
            raise ValueError("must be 'national' or a 6-digit GB/T 2260 area code")
        return v

    @field_validator("articles")
    @classmethod
    def _keys(cls, v: dict[str, Summary]) -> dict[str, Summary]:
        for key in v:
            if not _ARTICLE_KEY.match(key):
                raise ValueError(f"article {key!r}: a number, or 'N-M' for article N-M (之M)")
        return v

    @model_validator(mode="after")
    def _numbered(self) -> Instrument:
        if self.numbered and not self.articles:
            raise ValueError("a numbered instrument lists the articles relied on")
        if not self.numbered and self.articles:
            raise ValueError("an instrument cited whole (numbered: false) lists no articles")
        local = self.level in ("local_regulation", "local_rule")
        if local and self.jurisdiction == "national":
            raise ValueError(f"a {self.level} names the area it applies in (jurisdiction)")
        return self


class Registry:
    """The instruments by id."""

    def __init__(self, instruments: dict[str, Instrument]) -> None:
        self.instruments = instruments

    def __contains__(self, key: object) -> bool:
        return key in self.instruments

    def __getitem__(self, key: str) -> Instrument:
        return self.instruments[key]

    def ids(self) -> list[str]:
        return sorted(self.instruments)


def read_law_yaml(name: str, key: str) -> dict[str, dict[str, object]]:
    """One of the platform's law files, as a mapping of id to entry."""
    data = load_yaml((LAW_DIR / name).read_text(encoding="utf-8"))
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise ValueError(f"{name}: needs a mapping `{key}`")
    return {str(k): {"id": str(k), **(v or {})} for k, v in entries.items()}


@cache
def registry() -> Registry:
    """The shipped registry (loaded once; a broken file is a platform defect and raises)."""
    raw = read_law_yaml("instruments.yaml", "instruments")
    return Registry({k: Instrument.model_validate(v) for k, v in raw.items()})
