"""Government integrity: overturned decisions, late directives, contract defaults by public
bodies, and procurement awards (a few bodies favour one supplier).

Slots — decision_overturned: ``a`` 0 court / 1 reconsideration, ``c`` overturned decision's
number (-1 if not given), ``d`` its code; directive_late: ``a`` directive number, ``b`` its
year, ``c`` days late; contract_default: ``other`` counterparty, ``c`` days overdue;
procurement_award: ``other`` supplier, ``a`` method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from socialcredit.simulate import institutions as inst_mod
from socialcredit.simulate import numbering
from socialcredit.simulate.calendar import years_of
from socialcredit.simulate.domains.common import (
    Fields,
    Renderer,
    Typo,
    area_provider,
    offences,
    reporting_provider,
)
from socialcredit.simulate.events import Table, block, lognormal, poisson, weighted
from socialcredit.simulate.names import SECTORS
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import INSTITUTION, World

I64 = npt.NDArray[np.int64]

DECISION_CODES = ("政处", "住建罚", "自然资罚", "执法罚", "人社决")
METHODS = (
    "open_tender",
    "invited_tender",
    "competitive_negotiation",
    "competitive_consultation",
    "single_source",
    "inquiry",
)
METHOD_WEIGHTS = (0.45, 0.05, 0.08, 0.15, 0.07, 0.2)
SUPPLIER_SECTORS = (
    "construction",
    "manufacturing",
    "retail",
    "e_commerce",
    "logistics",
    "other",
    "food",
    "drugs",
)
AWARDS_PER_YEAR = {
    inst_mod.COURT: 1.0,
    inst_mod.PROCURATORATE: 1.0,
    inst_mod.GOVERNMENT: 2.0,
    inst_mod.PUBLIC: 3.0,
}


@dataclass(frozen=True)
class Favouritism:
    institution: I64  # global subject index
    supplier: I64  # global subject index
    share: npt.NDArray[np.float64]


def _officials(world: World) -> I64:
    off = world.offices
    gov = world.institutions.type[off.institution] == inst_mod.GOVERNMENT
    out: I64 = np.unique(off.person[gov & (off.ended < 0)])
    return out


def _subjects(
    world: World,
    rng: np.random.Generator,
    inst_rate: float,
    public_rate: float,
    official_rate: float,
) -> tuple[I64, I64]:
    kind = world.institutions.type
    rate_type = np.select(
        [kind == inst_mod.GOVERNMENT, kind == inst_mod.PUBLIC], [inst_rate, public_rate], 0.0
    )
    s1, d1 = offences(world, rng, INSTITUTION, 1.0, 1.0, trait=rate_type * world.institutions.risk)
    officials = _officials(world)
    who, d2 = poisson(
        rng, np.full(len(officials), official_rate), world.window.start - 1, world.window
    )
    return np.concatenate([s1, officials[who]]), np.concatenate([d1, d2])


def _area_of(world: World, subjects: I64) -> I64:
    """Area of an institution, or of the (first) institution an official serves in."""
    area = world.subject_area[subjects].copy()
    person = subjects < world.enterprise0
    if person.any():
        off = world.offices
        seat_of = np.full(world.persons.count, -1, dtype=np.int64)
        seat_of[off.person[::-1]] = off.institution[::-1]
        area[person] = world.institutions.area[seat_of[subjects[person]]]
    return area


def favouritism(world: World) -> Favouritism:
    rng = world.rng("government.favouritism")
    inst = world.institutions
    count = max(1, round(0.04 * inst.count))
    chosen = np.sort(rng.choice(inst.count, count, replace=False))
    suppliers = supplier_pool(world)
    supplier = suppliers[rng.integers(0, len(suppliers), count)]
    swapped = [world.supplier_swap.get(int(s), int(s)) for s in supplier]
    return Favouritism(
        institution=chosen + world.institution0,
        supplier=np.array(swapped, dtype=np.int64),
        share=np.round(rng.uniform(0.5, 0.8, count), 2),
    )


def supplier_pool(world: World) -> I64:
    e = world.enterprises
    ok = np.isin(e.sector, [SECTORS.index(s) for s in SUPPLIER_SECTORS])
    ok &= e.established < world.window.start
    pool = np.flatnonzero(ok)
    if len(pool) == 0:
        pool = np.arange(e.count)
    out: I64 = pool + world.enterprise0
    return out


def generate(world: World) -> list[Table]:
    rng = world.rng("government")
    cat = world.cat
    supervision = world.providers.area_array("government_supervision")
    out: list[Table] = []

    subject, day = _subjects(world, rng, 0.06, 0.01, 0.01)
    n = len(subject)
    area = _area_of(world, subject)
    by_court = rng.random(n) < 0.6
    courts = world.providers.area_array("court")[area]
    named = rng.random(n) < 0.7
    out.append(
        block(
            n,
            subject=subject,
            category=cat["government.decision_overturned"],
            provider=supervision[area],
            issuer=np.where(by_court, courts, supervision[area]),
            occurred=day,
            doctype=np.where(
                by_court, numbering.doc("court_admin"), numbering.doc("reconsideration")
            ),
            a=np.where(by_court, 0, 1),
            c=np.where(named, rng.integers(1, 400, n), -1),
            d=rng.integers(0, len(DECISION_CODES), n),
        )
    )

    out.append(_regulators_overturned(world, supervision))

    subject, day = _subjects(world, rng, 0.12, 0.03, 0.02)
    n = len(subject)
    area = _area_of(world, subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["government.directive_late"],
            provider=supervision[area],
            occurred=day,
            doctype=numbering.doc("supervision"),
            a=rng.integers(1, 61, n),
            b=years_of(day) - (rng.random(n) < 0.3),
            c=np.minimum(rng.geometric(0.03, n), 3650),
        )
    )

    subject, day = _subjects(world, rng, 0.025, 0.02, 0.0)
    n = len(subject)
    area = _area_of(world, subject)
    suppliers = supplier_pool(world)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["government.contract_default"],
            provider=supervision[area],
            occurred=day,
            doctype=numbering.doc("gov_contract"),
            other=suppliers[rng.integers(0, len(suppliers), n)],
            amount=lognormal(rng, 800_000, 1.0, n),
            c=30 + rng.exponential(120.0, n).astype(np.int64),
        )
    )

    inst = world.institutions
    rates = np.array([AWARDS_PER_YEAR.get(int(t), 0.0) for t in inst.type])
    who, day = poisson(rng, rates, world.window.start - 1, world.window)
    n = len(who)
    subject = who + world.institution0
    supplier = suppliers[rng.integers(0, len(suppliers), n)]
    method = weighted(rng, n, METHOD_WEIGHTS)
    fav = favouritism(world)
    slot = np.full(inst.count, -1, dtype=np.int64)
    slot[fav.institution - world.institution0] = np.arange(len(fav.institution))
    mine = slot[who]
    favoured = (mine >= 0) & (rng.random(n) < fav.share[np.maximum(mine, 0)])
    supplier = np.where(favoured, fav.supplier[np.maximum(mine, 0)], supplier)
    method = np.where(favoured & (rng.random(n) < 0.6), METHODS.index("single_source"), method)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["government.procurement_award"],
            provider=area_provider(world, "procurement", subject),
            occurred=day,
            doctype=numbering.doc("procurement"),
            other=supplier,
            a=method,
            amount=lognormal(rng, 300_000, 1.2, n),
        )
    )
    return out


REGULATOR_OVERTURNED_PER_YEAR = 3.0


def _regulators_overturned(world: World, supervision: I64) -> Table:
    """Decisions of the bodies that report their own decisions (the market regulators),
    overturned on reconsideration or by a court: a few a year, more for riskier bodies."""
    rng = world.rng("government.regulators_overturned")
    inst = world.institutions
    mine = np.array(
        [
            i
            for i, p in enumerate(reporting_provider(world))
            if p and inst.type[i] == inst_mod.GOVERNMENT
        ],
        dtype=np.int64,
    )
    rate = REGULATOR_OVERTURNED_PER_YEAR * inst.risk[mine]
    who, day = poisson(rng, rate, world.window.start - 1, world.window)
    n = len(who)
    area = inst.area[mine[who]]
    by_court = rng.random(n) < 0.6
    return block(
        n,
        subject=mine[who] + world.institution0,
        category=world.cat["government.decision_overturned"],
        provider=supervision[area],
        issuer=np.where(by_court, world.providers.area_array("court")[area], supervision[area]),
        occurred=day,
        doctype=np.where(by_court, numbering.doc("court_admin"), numbering.doc("reconsideration")),
        a=np.where(by_court, 0, 1),
        c=rng.integers(1, 400, n),
        d=np.zeros(n, dtype=np.int64),
    )


def _overturned(r: Rows) -> Fields:
    abbr = jsonfmt.table([p.abbr for p in r.world.providers.items], quoted=False)
    decision = jsonfmt.join(
        '"',
        jsonfmt.take(abbr, r.provider),
        jsonfmt.take(jsonfmt.table(DECISION_CODES, quoted=False), np.maximum(r.d, 0)),
        "〔",
        jsonfmt.integer(r.year),
        "〕",
        jsonfmt.integer(np.maximum(r.c, 1)),
        '号"',
    )
    return {
        "case_no": r.doc,
        "decision_no": jsonfmt.where(r.c > 0, decision),
        "overturned_by": jsonfmt.enum(r.a, ("court", "reconsideration")),
    }


def _directive(r: Rows) -> Fields:
    directive = jsonfmt.join('"威政办字〔', jsonfmt.integer(r.b), "〕", jsonfmt.integer(r.a), '号"')
    return {"directive": directive, "days_late": jsonfmt.integer(r.c)}


def _contract(r: Rows) -> Fields:
    return {
        "contract_no": r.doc,
        "counterparty": r.ident(r.other),
        "amount": jsonfmt.number(r.amount),
        "days_overdue": jsonfmt.integer(r.c),
    }


def _award(r: Rows) -> Fields:
    return {
        "project_no": r.doc,
        "supplier": r.ident(r.other),
        "amount": jsonfmt.number(r.amount),
        "method": jsonfmt.enum(r.a, METHODS),
    }


def _late_typo(r: Rows, mask: npt.NDArray[np.bool_]) -> None:
    r.c[mask] = np.minimum(r.c[mask] * 10, 3650)


TYPOS: dict[str, Typo] = {"government.directive_late": _late_typo}
RENDERERS: dict[str, Renderer] = {
    "government.decision_overturned": _overturned,
    "government.directive_late": _directive,
    "government.contract_default": _contract,
    "government.procurement_award": _award,
}
