"""Provider faults injected into the event table.

Before timing and numbering (so that they get their own document numbers):

* spurious records — a conduct record filed against the wrong subject, later withdrawn;
* invalid records that ingestion must reject: a subject identifier with a wrong check
  character, an unknown category, a category the provider may not report, an attribute
  missing or out of range.

After timing and numbering:

* erroneous records — an amount off by a factor of ten (or another typo of the category:
  a wrong offence, grade, volume...), later corrected by a new record that supersedes it;
* withdrawals of the spurious records;
* exact duplicates (some providers are sloppier than others).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from socialcredit.simulate import events, numbering
from socialcredit.simulate.behaviour import amount_mask, registry_mask, typo_mask
from socialcredit.simulate.events import Table
from socialcredit.simulate.world import World

I64 = npt.NDArray[np.int64]

SPURIOUS_SHARE = 0.003
INVALID_SHARE = 0.001
ERROR_SHARE = 0.007
DUPLICATE_SHARE = 0.003
BOGUS_CATEGORIES = (
    "judicial.judgement_default",
    "transport.jaywalking",
    "social.littering",
    "market.fake_review",
    "finance.late_payment",
)


def _numbered(world: World, table: Table) -> npt.NDArray[np.bool_]:
    """Rows with a numbered document of their own (their copies get fresh numbers)."""
    styles = np.array([t.style != "ident" for t in numbering.TYPES])
    return styles[table.i64("doctype")] & (table.i64("link") < 0)


def other_subject(world: World, rng: np.random.Generator, subject: I64) -> I64:
    """A different subject of the same kind."""
    kind = world.subject_kind[subject]
    first = np.array([0, world.enterprise0, world.institution0])[kind]
    size = np.array([world.persons.count, world.enterprises.count, world.institutions.count])[kind]
    shift = 1 + (rng.random(len(subject)) * np.maximum(size - 1, 1)).astype(np.int64)
    out: I64 = first + (subject - first + shift) % size
    return out


def inject_before(world: World, table: Table) -> Table:
    rng = world.rng("faults.before")
    n = len(table)
    category = table.i64("category")
    decision = world.cat["judicial.case_decision"]
    conduct = _numbered(world, table) & ~registry_mask(world)[category] & (category != decision)
    src = np.flatnonzero(conduct & (rng.random(n) < SPURIOUS_SHARE))
    spurious = table.take(src)
    spurious.cols["subject"] = other_subject(world, rng, spurious.i64("subject")).astype(np.int32)
    spurious.cols["variant"][:] = events.SPURIOUS
    spurious.cols["reported"][:] = -1

    src = np.flatnonzero(_numbered(world, table) & (rng.random(n) < INVALID_SHARE))
    bad = table.take(src)
    m = len(src)
    variant = np.array(events.INVALID_VARIANTS)[rng.permutation(m) % len(events.INVALID_VARIANTS)]
    bad.cols["variant"] = variant.astype(np.int8)
    bad.cols["reported"][:] = -1
    farg = np.zeros(m, dtype=np.int64)
    farg[variant == events.BAD_IDENTIFIER] = rng.integers(
        0, 10, int((variant == events.BAD_IDENTIFIER).sum())
    )
    farg[variant == events.UNKNOWN_CATEGORY] = rng.integers(
        0, len(BOGUS_CATEGORIES), int((variant == events.UNKNOWN_CATEGORY).sum())
    )
    farg[variant == events.SCHEMA] = rng.integers(0, 2, int((variant == events.SCHEMA).sum()))
    bad.cols["farg"] = farg.astype(np.int8)
    rows = np.flatnonzero(variant == events.UNAUTHORISED)
    provider = bad.i64("provider")
    bad_category = bad.i64("category")
    for c in np.unique(bad_category[rows]):
        mine = rows[bad_category[rows] == c]
        others = np.flatnonzero(~world.allowed[:, c])
        provider[mine] = others[rng.integers(0, len(others), len(mine))]
    bad.cols["provider"] = provider.astype(np.int16)
    bad.cols["issuer"] = np.where(
        variant == events.UNAUTHORISED, provider, bad.i64("issuer")
    ).astype(np.int16)
    return events.append(table, spurious, bad)


def _later(rng: np.random.Generator, day: I64, mean: float, end: int) -> I64:
    out: I64 = np.minimum(day + 1 + rng.gamma(2.0, mean / 2.0, len(day)).astype(np.int64), end)
    return out


def inject_after(world: World, table: Table) -> Table:
    rng = world.rng("faults.after")
    n = len(table)
    end = world.window.end
    category = table.i64("category")
    variant = table.i64("variant")
    reported = table.i64("reported")
    normal = variant == events.NORMAL

    has_amount = amount_mask(world)[category] & ~np.isnan(table["amount"].astype(np.float64))
    typo = normal & (typo_mask(world)[category] | has_amount)
    wrong = np.flatnonzero(typo & (rng.random(n) < ERROR_SHARE))
    table.cols["variant"][wrong] = events.ERRONEOUS
    corrections = table.take(wrong)
    corrections.cols["variant"][:] = events.CORRECTION
    corrections.cols["link"] = wrong.astype(np.int32)
    corrections.cols["reported"] = _later(rng, reported[wrong], 20.0, end).astype(np.int32)
    corrections.cols["late"][:] = 0

    spurious = np.flatnonzero(variant == events.SPURIOUS)
    withdrawals = table.take(spurious)
    withdrawals.cols["variant"][:] = events.WITHDRAWAL
    withdrawals.cols["link"] = spurious.astype(np.int32)
    withdrawals.cols["reported"] = _later(rng, reported[spurious], 30.0, end).astype(np.int32)
    withdrawals.cols["late"][:] = 0

    weight = world.providers.duplicate_weight[table.i64("provider")]
    normal = table.i64("variant") == events.NORMAL
    scale = DUPLICATE_SHARE / max(float(weight[normal].mean()) if normal.any() else 1.0, 1e-9)
    copied = np.flatnonzero(normal & (rng.random(n) < weight * scale))
    duplicates = table.take(copied)
    duplicates.cols["variant"][:] = events.DUPLICATE
    duplicates.cols["link"] = copied.astype(np.int32)
    duplicates.cols["late"][:] = 0  # the original is the late report
    return events.append(table, corrections, withdrawals, duplicates)


def sort_order(world: World, table: Table) -> I64:
    """Output order: by reported day, registry first, then provider, then row (stable)."""
    reported = table.i64("reported") - world.window.start + (1 << 16)
    conduct = (~registry_mask(world)[table.i64("category")]).astype(np.int64)
    key = (reported * 2 + conduct) * (1 << 15) + table.i64("provider")
    out: I64 = np.argsort(key, kind="stable")
    return out
