"""What a resident identity number's digits say, for outcome monitoring only.

GB 11643-1999: digits 1-6 are the area code of first household registration
(a birthplace proxy, GB/T 2260), 7-14 the date of birth, 17 the sequence
number whose parity gives the sex. This module is the only place that reads
them (tests/test_scope_guard.py walks ``src/`` to hold it): a fairness report
counts outcomes by birth province, age band and sex to find disparate impact
(docs/safeguards.md). Nothing that decides may use them: where a person lives
comes from residence records (:mod:`socialcredit.engine.scope`), legal majority
from the population registry's date of birth.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from stdnum.cn import ric

from socialcredit.errors import SocialCreditError
from socialcredit.identifiers import parse

AGE_BANDS = ((0, 18), (18, 30), (30, 45), (45, 60), (60, 200))


class NotAPerson(SocialCreditError):
    """Demographics are read from resident identity numbers only."""

    code = "not_a_person"
    status = 400


@dataclass(frozen=True, slots=True)
class Demographics:
    birth_province: str  # GB/T 2260 province code of first household registration
    birth_date: dt.date
    sex: str  # 'male' or 'female' (GB 11643: odd or even sequence number)

    def age_band(self, on: dt.date) -> str:
        years = on.year - self.birth_date.year
        if (on.month, on.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        low, high = next(b for b in AGE_BANDS if b[0] <= years < b[1])
        return f"{low}-{high - 1}" if high < 200 else f"{low}+"


def demographics(identifier: str) -> Demographics:
    """The demographic groups a resident identity number records (for monitoring)."""
    ident = parse(identifier)
    if ident.kind != "person":
        raise NotAPerson(f"{identifier}: not a resident identity number", field="subject")
    number = ident.value
    return Demographics(
        birth_province=number[:2] + "0000",
        birth_date=ric.get_birth_date(number),
        sex="male" if int(number[16]) % 2 else "female",
    )


def outcomes_by_group(
    outcomes: Iterable[tuple[str, str]], on: dt.date
) -> dict[tuple[str, str, str], Counter[str]]:
    """Count ``(identifier, outcome)`` pairs by (birth province, age band on ``on``, sex);
    organisations are left out."""
    out: dict[tuple[str, str, str], Counter[str]] = {}
    for identifier, outcome in outcomes:
        if parse(identifier).kind != "person":
            continue
        d = demographics(identifier)
        out.setdefault((d.birth_province, d.age_band(on), d.sex), Counter())[outcome] += 1
    return out


__all__ = ["AGE_BANDS", "Demographics", "NotAPerson", "demographics", "outcomes_by_group"]
