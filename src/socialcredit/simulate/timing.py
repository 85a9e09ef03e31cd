"""When providers report: typical delays per provider, systematically late providers,
occasional very late reports, and nothing reported after the end of the period."""

from __future__ import annotations

import numpy as np

from socialcredit.simulate import events
from socialcredit.simulate.behaviour import registry_mask
from socialcredit.simulate.events import Table
from socialcredit.simulate.world import World

LATE_SHARE = 0.008  # conduct records reported 90-540 days late
LATE_MIN, LATE_MAX = 90, 540
PRIMARY = ("registry.person", "registry.enterprise", "registry.institution")


def time_reports(world: World, table: Table) -> Table:
    """Fill ``reported`` where it is -1; drop what is not reported by the end.

    Works on the table's own (narrow) column types: the table can hold 100 M rows.
    """
    rng = world.rng("timing")
    w = world.window
    reported = table["reported"].astype(np.int32)  # a copy
    occurred = table["occurred"]
    category = table["category"]
    pending = np.flatnonzero(reported < 0)
    mean = world.providers.mean_delay[table["provider"][pending]]
    delay = np.round(rng.gamma(1.5, mean / 1.5)).astype(np.int32)
    del mean
    late = (~registry_mask(world)[category[pending]]) & (rng.random(len(pending)) < LATE_SHARE)
    delay[late] += rng.integers(LATE_MIN, LATE_MAX + 1, int(late.sum()), dtype=np.int32)
    reported[pending] = occurred[pending] + delay
    del delay
    table["late"][pending[late]] = 1
    del pending, late

    # no record about a subject (or naming one) before the subject's own registration
    subject = table["subject"]
    primary = np.isin(category, [world.cat[c] for c in PRIMARY])
    known = np.full(world.subjects, w.end + 1, dtype=np.int32)
    np.minimum.at(known, subject[primary], reported[primary])
    np.maximum(reported, np.where(primary, reported, known[subject]), out=reported)
    del primary
    other = table["other"]
    named = np.flatnonzero(other >= 0)
    reported[named] = np.maximum(reported[named], known[other[named]])
    del named
    # a record sharing its parent's number is reported no earlier than the parent
    link = table["link"]
    child = np.flatnonzero(link >= 0)
    reported[child] = np.maximum(reported[child], reported[link[child]])
    table.cols["reported"] = reported

    keep = reported <= w.end
    keep[child] &= keep[link[child]]
    return events.keep(table, keep)
