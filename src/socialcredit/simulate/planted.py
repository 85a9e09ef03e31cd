"""Procurement red flags planted in the city, and written to ``truth-officials.json``.

The thresholds are the packs' (indicators.yaml): repeated single-source awards to one
supplier, several awards just under the approval threshold, and an award to an enterprise
on a black list that day. So that the planted cases are the only ones, the background
awards are kept clear of them first:

* an award to an enterprise a black list could hold (one with a record a black list
  enters on, a C or D tax grade -- a D a typo away -- counting) goes to a clean supplier
  instead, the same one for every award to that enterprise (``World.supplier_swap``, so
  that the favouritism in truth.json names the supplier the records name);
* of the single-source awards of one institution to one supplier, only the first stays
  single-source (the others become competitive negotiations);
* an amount within the band under the threshold is lowered below the band.

Runs after the spurious records are injected (their subjects count too) and before the
reports are timed; planted records carry their own report day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from socialcredit.policy.indicators import (
    BlacklistedSupplier,
    IndicatorSettings,
    RepeatedSingleSource,
    UnderThreshold,
    effective_indicators,
)
from socialcredit.policy.pack import Pack, default_packs
from socialcredit.simulate import events, numbering
from socialcredit.simulate.calendar import from_days
from socialcredit.simulate.domains import government, market, tax
from socialcredit.simulate.domains.common import area_provider
from socialcredit.simulate.events import Table, block
from socialcredit.simulate.world import World

I64 = npt.NDArray[np.int64]
AWARD = "government.procurement_award"
GROUND = "market.serious_illegal_dishonesty"  # the planted listing's ground
GRADE = "tax.credit_grade"
NEAR_D = (tax.GRADES.index("C"), tax.GRADES.index("D"))
FILE = "truth-officials.json"
LISTED_AFTER = 60  # days from the ground to the award: reported, notice served, in force


@dataclass
class Planted:
    single_source: list[dict[str, Any]] = field(default_factory=list)
    under_threshold: list[dict[str, Any]] = field(default_factory=list)
    blacklisted_supplier: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class _Rules:
    single: RepeatedSingleSource | None
    under: UnderThreshold | None
    listed: BlacklistedSupplier | None
    grounds: frozenset[str]  # categories a black list enters on
    samr_list: bool  # the planted ground's list counts


def _rules(packs: list[Pack]) -> _Rules | None:
    settings: IndicatorSettings | None = effective_indicators(packs)
    if settings is None:
        return None
    formulas = [ind.formula for ind in settings.indicators.values()]
    single = next((f for f in formulas if isinstance(f, RepeatedSingleSource)), None)
    under = next((f for f in formulas if isinstance(f, UnderThreshold)), None)
    listed = next((f for f in formulas if isinstance(f, BlacklistedSupplier)), None)
    black = {n: d for p in packs for n, d in p.lists.items() if d.kind == "black"}
    grounds = frozenset(c for d in black.values() for c in d.entry.categories)
    samr = [n for n, d in black.items() if GROUND in d.entry.categories and d.entry.when is None]
    counts = bool(samr) and (
        listed is None or not listed.lists or bool(set(samr) & set(listed.lists))
    )
    return _Rules(single, under, listed, grounds, counts)


def _tainted(world: World, table: Table, grounds: frozenset[str]) -> set[int]:
    """Enterprises a black list could hold, on any day."""
    category = table.i64("category")
    codes = [world.cat[c] for c in grounds if c in world.cat]
    hit = np.isin(category, codes)
    if GRADE in grounds and GRADE in world.cat:
        grade = category == world.cat[GRADE]
        hit &= ~grade | np.isin(table.i64("a"), NEAR_D)
    subject = table.i64("subject")[hit]
    return {int(s) for s in subject if world.enterprise0 <= s < world.institution0}


def plant(world: World, table: Table, packs: list[Pack] | None = None) -> tuple[Table, Planted]:
    """The table with the background cleared and the red flags planted."""
    rules = _rules(list(default_packs() if packs is None else packs))
    planted = Planted()
    if rules is None or AWARD not in world.cat:
        return table, planted
    rng = world.rng("planted")
    award = table.i64("category") == world.cat[AWARD]
    tainted = _tainted(world, table, rules.grounds)
    pool = np.array(
        [s for s in government.supplier_pool(world) if int(s) not in tainted], dtype=np.int64
    )
    if len(pool) < 10:
        return table, planted
    # the enterprises planted cases use: distinct, clean, kept out of the background
    cases = _cases(world, len(pool) // 2, rules)
    if cases == 0:
        return table, planted
    reserved = rng.choice(pool, size=cases * _SUPPLIERS_PER_CASE, replace=False)
    background = pool[~np.isin(pool, reserved)]
    swap_from = sorted(tainted | {int(s) for s in reserved})
    swap_to = background[rng.integers(0, len(background), len(swap_from))]
    world.supplier_swap.update(zip(swap_from, (int(s) for s in swap_to), strict=True))
    other = table.i64("other")
    rows = np.flatnonzero(award)
    other[rows] = [world.supplier_swap.get(int(s), int(s)) for s in other[rows]]
    table.cols["other"] = other.astype(np.int32)
    _clear(table, rows, rules)
    blocks = _plant(world, rng, rules, cases, reserved, planted)
    return events.append(table, *blocks), planted


def _clear(table: Table, rows: I64, rules: _Rules) -> None:
    method, amount = table.i64("a"), table["amount"].astype(np.float64)
    if rules.single is not None:
        single = government.METHODS.index(rules.single.method)
        seen: set[tuple[int, int]] = set()
        order = rows[np.argsort(table.i64("occurred")[rows], kind="stable")]
        for r in order:
            if method[r] != single:
                continue
            key = (int(table["subject"][r]), int(table["other"][r]))
            if key in seen:
                method[r] = government.METHODS.index("competitive_negotiation")
            seen.add(key)
    if rules.under is not None:
        low = rules.under.threshold * (1 - rules.under.band)
        band = rows[(amount[rows] >= low) & (amount[rows] < rules.under.threshold)]
        amount[band] = np.floor(amount[band] * (1 - rules.under.band) ** 2)
    table.cols["a"] = method.astype(np.int32)
    table.cols["amount"] = amount


def _institutions(world: World, rng: np.random.Generator, n: int) -> I64:
    inst = world.institutions
    able = np.flatnonzero(np.isin(inst.type, list(government.AWARDS_PER_YEAR)))
    out: I64 = rng.choice(able, size=min(n, len(able)), replace=False) + world.institution0
    return out


def _awards(
    world: World, subject: int, supplier: I64, days: I64, amount: npt.NDArray[np.float64], how: int
) -> Table:
    n = len(days)
    provider = area_provider(world, "procurement", np.full(n, subject))
    return block(
        n,
        subject=np.full(n, subject),
        category=world.cat[AWARD],
        provider=provider,
        issuer=provider,  # appended after the blocks were joined: its own number series
        occurred=days,
        reported=days + 2,
        doctype=numbering.doc("procurement"),
        other=supplier,
        a=np.full(n, how),
        amount=amount,
    )


_MARGIN = 90  # planted days keep this far from the ends of the period
_SUPPLIERS_PER_CASE = 7  # at most: one per award of a case, and one spare


def _cases(world: World, suppliers: int, rules: _Rules) -> int:
    """How many cases of each flag to plant: two, and one more per 150 institutions; none
    when the period is too short to hold a window or there are too few clean suppliers."""
    counts = [r.min_awards for r in (rules.single, rules.under) if r is not None]
    if max(counts, default=1) + 1 > _SUPPLIERS_PER_CASE:
        return 0
    if world.window.days < 2 * _MARGIN + 2 * LISTED_AFTER:
        return 0
    cases = 2 + world.institutions.count // 150
    return min(cases, suppliers // _SUPPLIERS_PER_CASE)


def _spread(rng: np.random.Generator, world: World, n: int, window: int) -> I64:
    """``n`` distinct days within a span shorter than ``window``, inside the period."""
    w = world.window
    span = max(n, min(int(window * 0.8), w.days - 2 * _MARGIN))
    start = int(rng.integers(w.start + _MARGIN, max(w.start + _MARGIN + 1, w.end - span - _MARGIN)))
    offsets = np.sort(rng.choice(span, size=n, replace=False))
    out: I64 = start + offsets
    return out


def _plant(
    world: World,
    rng: np.random.Generator,
    rules: _Rules,
    cases: int,
    reserved: I64,
    planted: Planted,
) -> list[Table]:
    bodies = iter(_institutions(world, rng, 3 * cases))
    suppliers = iter(int(s) for s in reserved)
    blocks: list[Table] = []
    inquiry = government.METHODS.index("inquiry")
    ceiling = rules.under.threshold * (1 - rules.under.band) * 0.5 if rules.under else 500_000.0
    if rules.single is not None:
        how = government.METHODS.index(rules.single.method)
        for _ in range(cases):
            body, supplier = int(next(bodies)), next(suppliers)
            days = _spread(rng, world, rules.single.min_awards, rules.single.window_days)
            amount = np.floor(rng.uniform(0.2, 1.0, len(days)) * ceiling)
            blocks.append(_awards(world, body, np.full(len(days), supplier), days, amount, how))
            planted.single_source.append(_truth(world, body, days, supplier))
    if rules.under is not None:
        u = rules.under
        for _ in range(cases):
            body = int(next(bodies))
            days = _spread(rng, world, u.min_awards, u.window_days)
            low = u.threshold * (1 - u.band)
            amount = np.floor(rng.uniform(low + 1, u.threshold - 1, len(days)))
            same = next(suppliers)
            who = np.array([same if u.same_supplier else next(suppliers) for _ in days])
            blocks.append(_awards(world, body, who, days, amount, inquiry))
            planted.under_threshold.append(
                _truth(world, body, days, same if u.same_supplier else None)
            )
    if rules.listed is not None and rules.samr_list and GROUND in world.cat:
        for _ in range(cases):
            body, supplier = int(next(bodies)), next(suppliers)
            w = world.window
            ground = int(rng.integers(w.start + _MARGIN, w.end - LISTED_AFTER - _MARGIN))
            blocks.append(_ground(world, supplier, ground))
            day = np.array([ground + LISTED_AFTER], dtype=np.int64)
            amount = np.floor(rng.uniform(0.2, 1.0, 1) * ceiling)
            blocks.append(_awards(world, body, np.array([supplier]), day, amount, inquiry))
            planted.blacklisted_supplier.append(_truth(world, body, day, supplier))
    return blocks


def _ground(world: World, supplier: int, day: int) -> Table:
    provider = area_provider(world, "market", np.array([supplier]))
    return block(
        1,
        subject=[supplier],
        category=world.cat[GROUND],
        provider=provider,
        issuer=provider,
        occurred=[day],
        reported=[day + 2],
        doctype=numbering.doc("market_serious"),
        a=[market.GROUNDS.index("fraud_in_bidding")],
    )


def _truth(world: World, body: int, days: I64, supplier: int | None) -> dict[str, Any]:
    ident = world.ident
    out: dict[str, Any] = {"institution": ident[body].as_py()}
    if supplier is not None:
        out["supplier"] = ident[supplier].as_py()
    out["awards"] = [from_days(int(d)).isoformat() for d in days]
    return out


def write_planted(planted: Planted, out: Path) -> list[str]:
    """Write the planted red flags; return the file name."""
    body = {
        "about": "procurement red flags planted by the simulator (supervision of officials)",
        "repeated_single_source": planted.single_source,
        "under_threshold": planted.under_threshold,
        "blacklisted_supplier": planted.blacklisted_supplier,
    }
    text = json.dumps(body, ensure_ascii=False, indent=1) + "\n"
    (out / FILE).write_text(text, encoding="utf-8")
    return [FILE]


__all__ = ["FILE", "Planted", "plant", "write_planted"]
