"""What a name, a date of birth, an area and an address are compared as.

A name is kept as written, in simplified characters (traditional forms folded with
zhconv) and in its pinyin without tones (pypinyin), so that a provider who wrote 張偉,
张玮 or "Zhang Wei" still meets 张伟 -- each at its own level of the one name
comparison (:mod:`socialcredit.resolution.matcher`); an address in simplified characters
without spaces. The registry side reads the population registry (``registry.person``:
name, birth date) and the latest residence (``registry.residence``: address, area) of
each person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from pypinyin import lazy_pinyin
from sqlalchemy import Connection, select
from zhconv import convert  # type: ignore[import-untyped]

from socialcredit.store.tables import hinted_records, records

_NOT_LETTERS = re.compile(r"[^a-z]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a comparison: a registry person or a hinted record (``uid``)."""

    uid: str
    name_raw: str | None  # as written, spaces dropped
    name: str | None
    name_pinyin: str | None
    birth_date: str | None
    birth_year: str | None
    area: str | None
    address: str | None

    def row(self) -> dict[str, str | None]:
        return {
            "uid": self.uid,
            "name_raw": self.name_raw,
            "name": self.name,
            "name_pinyin": self.name_pinyin,
            "birth_date": self.birth_date,
            "birth_year": self.birth_year,
            "area": self.area,
            "address": self.address,
        }


@lru_cache(maxsize=1 << 17)  # names and addresses repeat: each is converted once
def simplified(text: str) -> str:
    return _SPACES.sub("", str(convert(text, "zh-cn")))


@lru_cache(maxsize=1 << 17)
def pinyin(name: str) -> str:
    """The name's pinyin, letters only: 張偉, 张伟 and "Zhang Wei" are all zhangwei."""
    if name.isascii():
        return _NOT_LETTERS.sub("", name.lower())
    return _NOT_LETTERS.sub("", "".join(_sound(c) for c in simplified(name)))


@lru_cache(maxsize=1 << 14)
def _sound(char: str) -> str:
    """One character's pinyin without tone (character by character: fast on a registry)."""
    return "".join(lazy_pinyin(char)).lower()


def party(uid: str, facts: Mapping[str, Any]) -> Party:
    """A party from what is known of it (a hint, or a person's registry facts)."""
    name = facts.get("name")
    born = facts.get("birth_date")
    address = facts.get("address")
    area = facts.get("area")
    return Party(
        uid=uid,
        name_raw=_SPACES.sub("", name) if isinstance(name, str) and not name.isascii() else None,
        name=simplified(name) if isinstance(name, str) and not name.isascii() else None,
        name_pinyin=pinyin(name) if isinstance(name, str) else None,
        birth_date=born if isinstance(born, str) else None,
        birth_year=born[:4] if isinstance(born, str) else None,
        area=area if isinstance(area, str) else None,
        address=simplified(address) if isinstance(address, str) else None,
    )


def registry_persons(conn: Connection) -> Iterator[Party]:
    """Every person of the population registry, with the latest residence reported."""
    facts: dict[str, dict[str, Any]] = {}
    query = (
        select(records.c.subject, records.c.category, records.c.attributes)
        .where(records.c.category.in_(("registry.person", "registry.residence")))
        .where(records.c.withdrawn.is_(False))
        .order_by(records.c.seq)
    )
    for subject, category, text in conn.execute(query):
        attrs = orjson.loads(text)
        known = facts.setdefault(subject, {})
        if category == "registry.person":
            known["name"] = attrs.get("name")
            known["birth_date"] = attrs.get("birth_date")
            known.setdefault("area", attrs.get("residence"))
        elif attrs.get("ended") is None:
            known["address"] = attrs.get("address")
            known["area"] = attrs.get("area")
    for subject, known in facts.items():
        if known.get("name"):
            yield party(subject, known)


def waiting(conn: Connection, statuses: Iterable[str] = ("unlinked",)) -> Iterator[Party]:
    """The hinted records of the given statuses, as parties."""
    query = select(hinted_records.c.id, hinted_records.c.hint).where(
        hinted_records.c.status.in_(tuple(statuses))
    )
    for uid, hint in conn.execute(query):
        yield party(uid, orjson.loads(hint))


__all__ = ["Party", "party", "pinyin", "registry_persons", "simplified", "waiting"]
