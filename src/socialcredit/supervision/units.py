"""The units supervision rates: institutions, from their registration, and officials, the
persons holding an office in one.

An institution's comparable units share its type and level (``government/county``); an
official is compared with the officials of institutions of the same type and level. The
registration's ``provider`` names the provider id the institution reports records under,
which is how its decisions and the records it reported are found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from socialcredit.supervision.period import Period
from socialcredit.supervision.records import Row

INSTITUTION = "registry.institution"
OFFICE = "registry.office"
CATEGORIES = (INSTITUTION, OFFICE)


@dataclass(frozen=True, slots=True)
class Institution:
    id: str
    name: str
    type: str
    level: str
    provider: str | None

    @property
    def group(self) -> str:
        return f"{self.type}/{self.level}"


@dataclass(frozen=True, slots=True)
class Tenure:
    """A person's office in an institution: from ``start`` to ``end`` (None: still held)."""

    person: str
    institution: str
    title: str
    start: dt.date
    end: dt.date | None

    def days_in(self, period: Period) -> tuple[dt.date, dt.date] | None:
        """The days of the period the office was held, if any."""
        first = max(self.start, period.since)
        last = period.until if self.end is None else min(self.end, period.until)
        return (first, last) if first <= last else None


@dataclass(frozen=True)
class Units:
    institutions: dict[str, Institution]
    tenures: tuple[Tenure, ...]

    def by_provider(self) -> dict[str, Institution]:
        return {i.provider: i for i in self.institutions.values() if i.provider}

    def officials(self, period: Period) -> dict[str, list[Tenure]]:
        """Persons holding an office in a registered institution during the period."""
        out: dict[str, list[Tenure]] = {}
        for t in self.tenures:
            if t.institution in self.institutions and t.days_in(period) is not None:
                out.setdefault(t.person, []).append(t)
        return out

    def official_group(self, tenures: list[Tenure]) -> str:
        """The group of the institution of the official's latest office."""
        latest = max(tenures, key=lambda t: (t.start, t.institution))
        return self.institutions[latest.institution].group


def _latest(rows: Iterable[Row]) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for row in rows:
        held = out.get(row.subject)
        if held is None or row.occurred >= held.occurred:
            out[row.subject] = row
    return out


def read_units(rows: Iterable[Row]) -> Units:
    """Units from the current registry.institution and registry.office records."""
    rows = list(rows)
    institutions = {
        subject: Institution(
            subject,
            row.text("name") or subject,
            row.text("type") or "unknown",
            row.text("level") or "unknown",
            row.text("provider"),
        )
        for subject, row in _latest(r for r in rows if r.category == INSTITUTION).items()
    }
    seats: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row.category == OFFICE and row.text("institution"):
            seats.setdefault((row.subject, row.attrs["institution"]), []).append(row)
    tenures = []
    for (person, institution), records in sorted(seats.items()):
        records.sort(key=lambda r: r.occurred)
        start = records[0].occurred
        last = records[-1]
        tenures.append(
            Tenure(person, institution, last.text("title") or "", start, last.day("ended"))
        )
    return Units(institutions, tuple(tenures))


__all__ = ["CATEGORIES", "Institution", "Tenure", "Units", "read_units"]
