"""Tax bureaus: arrears, evasion and the annual tax credit grade of enterprises.

The tax authority publishes the grades once a year, in April, for the year
before (the evaluation year): they follow the enterprise's honesty and that
year's arrears and evasion. Evasion gives D directly, and a direct D is kept
for two years (SAT Announcement 2014 No. 40 art. 32(7)); an enterprise
established in the evaluation year gets M (SAT Announcement 2018 No. 8).

Slots — arrears: ``a`` tax type, ``b`` months; evasion: ``d`` evaded share in
basis points; credit_grade: ``a`` grade, ``b`` year, ``amount`` score.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from socialcredit.simulate import numbering
from socialcredit.simulate.calendar import day_of, years_of
from socialcredit.simulate.domains.common import (
    Fields,
    Renderer,
    Typo,
    all_kinds,
    area_provider,
    by_kind,
    cycle,
    kinds_of,
)
from socialcredit.simulate.events import Table, block, lognormal, stack, weighted
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import ENTERPRISE, INSTITUTION, PERSON, World

I64 = npt.NDArray[np.int64]

TAX_TYPES = (
    "vat",
    "corporate_income",
    "individual_income",
    "consumption",
    "property",
    "stamp",
    "other",
)
FIRM_TAX_WEIGHTS = (0.5, 0.25, 0.05, 0.03, 0.07, 0.05, 0.05)
PERSON_TAX_WEIGHTS = (0.05, 0.0, 0.6, 0.0, 0.25, 0.02, 0.08)
GRADES = ("A", "B", "M", "C", "D")


def _arrears_evasion(world: World) -> tuple[Table, Table]:
    rng = world.rng("tax")
    cat = world.cat
    subject, day = all_kinds(
        world, rng, {PERSON: (0.002, 1.0), ENTERPRISE: (0.03, 1.0), INSTITUTION: (0.002, 1.0)}
    )
    n = len(subject)
    person = kinds_of(world, subject) == PERSON
    tax_type = np.where(
        person, weighted(rng, n, PERSON_TAX_WEIGHTS), weighted(rng, n, FIRM_TAX_WEIGHTS)
    )
    arrears = block(
        n,
        subject=subject,
        category=cat["tax.arrears"],
        provider=area_provider(world, "tax", subject),
        occurred=day,
        doctype=numbering.doc("tax_notice"),
        a=tax_type,
        b=np.minimum(rng.geometric(0.25, n), 600),
        amount=lognormal(rng, by_kind(world, subject, 8_000, 90_000, 40_000), 1.1, n),
    )
    subject, day = all_kinds(world, rng, {PERSON: (0.0003, 1.0), ENTERPRISE: (0.004, 1.5)})
    n = len(subject)
    city = rng.random(n) < 0.5
    provider = np.where(city, world.providers.at("tax", 0), area_provider(world, "tax", subject))
    evasion = block(
        n,
        subject=subject,
        category=cat["tax.evasion"],
        provider=provider,
        occurred=day,
        doctype=numbering.doc("tax_penalty"),
        amount=lognormal(rng, by_kind(world, subject, 60_000, 600_000), 1.2, n),
        d=np.round(rng.beta(2.0, 6.0, n) * 10_000).astype(np.int64),
    )
    return arrears, evasion


def _grades(world: World, arrears: Table, evasion: Table) -> Table:
    rng = world.rng("tax.grades")
    w, e = world.window, world.enterprises
    first, last = w.first_year - 1, w.last_year - 1
    years = np.arange(first, last + 1)
    published = {int(y): int(day_of(y + 1, 4, 10 + rng.integers(0, 16))) for y in years}
    span = len(years)

    def per_year(t: Table) -> npt.NDArray[np.int64]:
        subj = t.i64("subject")
        firm = subj >= world.enterprise0
        firm &= subj < world.institution0
        y = years_of(t.i64("occurred")[firm]) - first
        ok = (y >= 0) & (y < span)
        local = subj[firm][ok] - world.enterprise0
        counts: npt.NDArray[np.int64] = np.bincount(
            local * span + y[ok], minlength=e.count * span
        ).reshape(e.count, span)
        return counts

    owed, evaded = per_year(arrears), per_year(evasion)
    blocks: list[Table] = []
    tax_office = area_provider(world, "tax", np.arange(e.count) + world.enterprise0)
    for k, year in enumerate(years):
        day = published[int(year)]
        if not w.start <= day <= w.end:
            continue
        end_of_year = int(day_of(int(year), 12, 31))
        firms = np.flatnonzero(e.established <= end_of_year)
        new = e.established[firms] >= int(day_of(int(year), 1, 1))  # established that year
        score = 40.0 + 55.0 * e.honesty[firms] + rng.normal(0.0, 6.0, len(firms))
        score -= 12.0 * owed[firms, k] + 30.0 * evaded[firms, k]
        score = np.clip(np.round(score, 1), 0.0, 100.0)
        direct_d = evaded[firms, k] > 0
        if k > 0:
            direct_d |= evaded[firms, k - 1] > 0  # a direct D is kept for two years
        grade = np.select(
            [direct_d, new, score >= 90, score >= 70, score >= 40], [4, 2, 0, 1, 3], 4
        )
        blocks.append(
            block(
                len(firms),
                subject=firms + world.enterprise0,
                category=world.cat["tax.credit_grade"],
                provider=tax_office[firms],
                occurred=day,
                reported=day,
                doctype=numbering.doc("tax_grade"),
                year=int(year) + 1,
                a=grade,
                b=year,
                amount=np.where(direct_d | new, np.nan, score),
            )
        )
    if not blocks:
        return block(0, subject=[], category=[], provider=[], occurred=[])
    return stack(blocks)


def generate(world: World) -> list[Table]:
    arrears, evasion = _arrears_evasion(world)
    return [arrears, evasion, _grades(world, arrears, evasion)]


def _arrears(r: Rows) -> Fields:
    return {
        "notice_no": r.doc,
        "amount": jsonfmt.number(r.amount),
        "tax_type": jsonfmt.enum(r.a, TAX_TYPES),
        "months": jsonfmt.integer(r.b),
    }


def _evasion(r: Rows) -> Fields:
    return {
        "decision_no": r.doc,
        "amount": jsonfmt.number(r.amount),
        "share": jsonfmt.number(r.d / 10_000, 4),
    }


def _grade(r: Rows) -> Fields:
    return {
        "year": jsonfmt.integer(r.b),
        "grade": jsonfmt.enum(r.a, GRADES),
        "score": jsonfmt.number(r.amount, 1),
    }


TYPOS: dict[str, Typo] = {
    "tax.credit_grade": lambda r, m: cycle(r.a, m, len(GRADES)),
}
RENDERERS: dict[str, Renderer] = {
    "tax.arrears": _arrears,
    "tax.evasion": _evasion,
    "tax.credit_grade": _grade,
}
