"""Which area a subject is in on a day, and which schemes it is in scope of (docs/engine.md step 4).

A subject's area never comes from its identifier's digits (the area code of a
resident identity number is the place of first household registration, not
where the person lives). It comes from registry records, read from the ledger
like any other record, as of the day asked and as known then:

* a person's from ``registry.residence`` (``area``, ``since``, optional
  ``ended``): the current record with the latest ``since`` on or before the
  day (then ``occurred_at``, then ``seq``); none when its ``ended`` is on or
  before the day;
* an enterprise's from ``registry.enterprise`` and an institution's from
  ``registry.institution`` (their ``area``): the latest current record that
  names an area; ``since`` is its own, else the day it occurred.

The legal-majority condition of a scheme's ``eligibility`` reads the date of
birth of the population registry's record (``registry.person``,
``birth_date``, the latest current record that has one) -- for scope only,
never in scoring (the catalogue marks it ``scope_only``).

A subject with no such record is in national schemes only. Every comparison is
between ISO dates as text, so that the batch engine
(:mod:`socialcredit.engine.batch.scoping`) computes exactly the same in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from socialcredit.engine.model import LedgerRecord
from socialcredit.policy.policy_set import SchemeInfo, covers

RESIDENCE_CATEGORY = "registry.residence"
BIRTH_CATEGORY = "registry.person"
# the record that places each kind of subject (Residence Permit Regulation 2015 art. 2
# for persons; market-entity and institution registration for organisations)
PLACE_CATEGORIES: dict[str, str] = {
    "person": RESIDENCE_CATEGORY,
    "enterprise": "registry.enterprise",
    "institution": "registry.institution",
}
SCOPE_CATEGORIES = frozenset({*PLACE_CATEGORIES.values(), BIRTH_CATEGORY})
# Civil Code art. 17: a natural person of 18 or over is an adult
AGE_OF_MAJORITY = 18


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a subject is on a day, by its registry records.

    ``area``: GB/T 2260 code of residence or registration (None: no record places
    it); ``since``: ISO date from which it has been there; ``birth_date``: ISO date
    of the population registry's record (persons; None when unknown).
    """

    area: str | None = None
    since: str | None = None
    birth_date: str | None = None


NOWHERE = Scope()


def scope_of(kind: str, records: Iterable[LedgerRecord], day: dt.date) -> Scope:
    """The scope of a subject of ``kind`` on ``day`` from its effective records
    (steps 1-3 already applied: visible, current, not suspended)."""
    iso = day.isoformat()
    place_category = PLACE_CATEGORIES.get(kind)
    place: tuple[str, str, int] | None = None  # (since, occurred_at, seq)
    found: LedgerRecord | None = None
    born: tuple[str, int] | None = None
    birth_date: str | None = None
    for r in records:
        attrs = r.attributes
        if r.category == place_category:
            area = attrs.get("area")
            if not isinstance(area, str):
                continue
            since = place_since(attrs.get("since"), r.occurred_at, kind)
            if since > iso:
                continue
            key = (since, r.occurred_at.isoformat(), r.seq)
            if place is None or key > place:
                place, found = key, r
        if kind == "person" and r.category == BIRTH_CATEGORY:
            value = attrs.get("birth_date")
            if isinstance(value, str) and (
                born is None or (r.occurred_at.isoformat(), r.seq) > born
            ):
                born, birth_date = (r.occurred_at.isoformat(), r.seq), value
    if found is None or place is None:
        return Scope(birth_date=birth_date)
    ended = found.attributes.get("ended")
    if kind == "person" and isinstance(ended, str) and ended <= iso:
        return Scope(birth_date=birth_date)
    return Scope(str(found.attributes["area"]), place[0], birth_date)


def place_since(value: object, occurred_at: dt.date, kind: str) -> str:
    """The day a place record takes effect: a residence's ``since`` (else the day it
    occurred); an organisation's registration from the day it occurred."""
    if kind == "person" and isinstance(value, str):
        return value
    return occurred_at.isoformat()


def adult_born_by(day: dt.date) -> str:
    """The latest date of birth of a person who is an adult on ``day`` (Civil Code
    art. 17): the same day 18 years before (28 February for 29 February)."""
    year = day.year - AGE_OF_MAJORITY
    try:
        return day.replace(year=year).isoformat()
    except ValueError:
        return dt.date(year, 2, 28).isoformat()


def resident_since_by(day: dt.date, days: int) -> str:
    """The latest ``since`` of a subject resident at least ``days`` days on ``day``."""
    return (day - dt.timedelta(days=days)).isoformat()


def in_scope(info: SchemeInfo, kind: str, scope: Scope, day: dt.date) -> bool:
    """Step 4: the scheme scores subjects of this kind, its pack's jurisdiction covers
    the subject's area on ``day``, and the scheme's eligibility holds on ``day``."""
    scheme = info.scheme
    if kind not in scheme.subjects:
        return False
    if info.jurisdiction != "national" and (
        scope.area is None or not covers(info.jurisdiction, scope.area)
    ):
        return False
    rule = scheme.eligibility
    if rule is None:
        return True
    if rule.adult and (scope.birth_date is None or scope.birth_date > adult_born_by(day)):
        return False
    if rule.min_residence_days:
        cutoff = resident_since_by(day, rule.min_residence_days)
        if scope.area is None or scope.since is None or scope.since > cutoff:
            return False
    return True


def area_covered(jurisdiction: str, scope: Scope) -> bool:
    """Whether a pack's jurisdiction covers a subject placed so (lists, measures)."""
    if jurisdiction == "national":
        return True
    return scope.area is not None and covers(jurisdiction, scope.area)


__all__ = [
    "AGE_OF_MAJORITY",
    "BIRTH_CATEGORY",
    "NOWHERE",
    "PLACE_CATEGORIES",
    "RESIDENCE_CATEGORY",
    "SCOPE_CATEGORIES",
    "Scope",
    "adult_born_by",
    "area_covered",
    "in_scope",
    "place_since",
    "resident_since_by",
    "scope_of",
]
