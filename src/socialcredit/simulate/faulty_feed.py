"""A faulty feed: one provider's records of one category go wrong from some day on.

Injected last, after every other fault, so that the rest of the city is what it would
have been without it (its own random stream; no other row renumbered):

* ``volume`` -- the provider's system sends, with each record it reports from ``start``
  on, ``factor - 1`` more records about other subjects of the same kind (a join gone
  wrong, test data sent to production), each with a document number of its own that
  continues the provider's series;
* ``amounts`` -- the amounts of its records reported from ``start`` on are ``factor``
  times what they should be (fen reported as yuan, for ``factor`` 100).

The faulty rows get the variant :data:`socialcredit.simulate.events.FAULTY` (rows that
were already a fault keep theirs) and are listed in the truth files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from socialcredit.simulate import events, numbering
from socialcredit.simulate.calendar import from_days, to_days
from socialcredit.simulate.events import Table
from socialcredit.simulate.faults import other_subject
from socialcredit.simulate.world import World

Mode = Literal["volume", "amounts"]
MODES: tuple[Mode, ...] = ("volume", "amounts")
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FaultyFeed:
    provider: str  # a provider id of the simulated city
    category: str
    start: dt.date  # records reported from this day on go wrong
    mode: Mode = "volume"
    factor: float = 10.0  # volume: records sent for each one; amounts: the multiplier

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode: one of {', '.join(MODES)}, not {self.mode!r}")
        if self.factor <= 1 or (self.mode == "volume" and self.factor != int(self.factor)):
            raise ValueError("factor: more than 1 (a whole number of records for volume)")


def _where(world: World, feed: FaultyFeed) -> tuple[int, int]:
    ids = [p.id for p in world.providers.items]
    if feed.provider not in ids:
        raise ValueError(f"provider: {feed.provider!r} is not a provider of the city")
    if feed.category not in world.cat:
        raise ValueError(f"category: {feed.category!r} is not a category of the city")
    return ids.index(feed.provider), world.cat[feed.category]


def inject(world: World, table: Table, feed: FaultyFeed) -> tuple[Table, Mask]:
    """The table with the feed's fault, and which of its rows are faulty."""
    provider, category = _where(world, feed)
    ours = (
        (table.i64("provider") == provider)
        & (table.i64("category") == category)
        & (table.i64("reported") >= to_days(feed.start))
    )
    normal = table.i64("variant") == events.NORMAL
    if feed.mode == "amounts":
        hit = ours & ~np.isnan(table["amount"].astype(np.float64))
        table.cols["amount"][hit] = table["amount"][hit] * feed.factor
        table.cols["variant"][hit & normal] = events.FAULTY
        return table, hit
    rng = world.rng("faults.feed")
    src = np.repeat(np.flatnonzero(ours & normal), int(feed.factor) - 1)
    copies = table.take(src)
    copies.cols["subject"] = other_subject(world, rng, copies.i64("subject")).astype(np.int32)
    copies.cols["variant"][:] = events.FAULTY
    copies.cols["link"][:] = -1
    copies.cols["late"][:] = 0
    _number_after(table, copies)
    out = events.append(table, copies)
    mask = np.zeros(len(out), dtype=np.bool_)
    mask[len(table) :] = True
    return out, mask


def _number_after(table: Table, copies: Table) -> None:
    """Give numbered copies the next numbers of their series (issuer, series, year)."""
    styles = np.array([t.style != "ident" for t in numbering.TYPES])
    key = (table.i64("issuer") * 64 + table.i64("doctype")) * 512 + (table.i64("year") - 1800)
    last: dict[int, int] = {}
    for k, s in zip(key.tolist(), table.i64("seq").tolist(), strict=True):
        if s > last.get(k, 0):
            last[k] = s
    copy_key = (copies.i64("issuer") * 64 + copies.i64("doctype")) * 512 + (
        copies.i64("year") - 1800
    )
    seq = copies.i64("seq")
    numbered = styles[copies.i64("doctype")]
    for i in np.flatnonzero(numbered):
        k = int(copy_key[i])
        last[k] = last.get(k, 0) + 1
        seq[i] = last[k]
    copies.cols["seq"] = seq.astype(np.int32)


number_after = _number_after  # the biased provider numbers its extra records alike


def describe(table: Table, mask: Mask, feed: FaultyFeed) -> dict[str, Any]:
    """The fault as ``truth.json`` gives it: what went wrong, from when, and how many
    records it made faulty (``first_reported``: the day the first of them was sent)."""
    reported = table.i64("reported")[mask]
    return {
        "provider": feed.provider,
        "category": feed.category,
        "mode": feed.mode,
        "factor": feed.factor,
        "from": feed.start.isoformat(),
        "first_reported": from_days(int(reported.min())).isoformat() if len(reported) else None,
        "records": int(mask.sum()),
    }


__all__ = ["MODES", "FaultyFeed", "describe", "inject", "number_after"]
