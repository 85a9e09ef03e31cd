"""A biased provider: a unit that over-reports one home region or one age band.

For every record of ``category`` it reports about a person, the unit sends
``factor - 1`` more about persons of the target group (born in the province ``value``,
``"650000"``, or of the age band ``value`` at the end of the simulation, ``"18-29"``,
``"60+"``), each with a document number of its own that continues the unit's series.
Unlike a faulty feed (simulate/faulty_feed.py) the bias runs from the unit's first
record, so its volume never jumps: only outcome monitoring by group can see it.

The rows get the variant :data:`socialcredit.simulate.events.BIASED` and are listed in
the truth files (``truth-faults.parquet``, fault ``biased_provider``; ``truth.json``
under ``biased_provider``). Injected after every other fault, from its own random stream,
so that the rest of the city is what it would have been without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from socialcredit.simulate import events
from socialcredit.simulate.calendar import ymd_of
from socialcredit.simulate.events import Table
from socialcredit.simulate.faulty_feed import number_after
from socialcredit.simulate.world import PERSON, World

Group = Literal["region", "age_band"]
GROUPS: tuple[Group, ...] = ("region", "age_band")
Mask = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BiasedProvider:
    provider: str  # a provider id of the simulated city
    category: str  # a category it reports about persons
    group: Group
    value: str  # a province code (region) or an age band ("18-29", "60+")
    factor: int = 3  # records about the group sent for each genuine one

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"group: one of {', '.join(GROUPS)}, not {self.group!r}")
        if self.factor < 2:
            raise ValueError("factor: a whole number of at least 2")
        if self.group == "region" and not (
            len(self.value) == 6 and self.value.isdigit() and self.value.endswith("0000")
        ):
            raise ValueError("value: a province code such as 650000")
        if self.group == "age_band":
            _band(self.value)


def _band(value: str) -> tuple[int, int]:
    low, _, high = value.partition("-")
    try:
        if value.endswith("+"):
            return int(value[:-1]), 1000
        return int(low), int(high) + 1
    except ValueError:
        raise ValueError(f"value: an age band such as 18-29 or 60+, not {value!r}") from None


def members(world: World, bias: BiasedProvider) -> I64:
    """The persons (subject numbers) of the target group."""
    p = world.persons
    if bias.group == "region":
        hit = p.birth_area // 10000 == int(bias.value) // 10000
    else:
        low, high = _band(bias.value)
        end = int(ymd_of(np.array([world.window.end]))[0])
        age = (end - ymd_of(p.birth)) // 10000
        hit = (age >= low) & (age < high)
    out: I64 = np.flatnonzero(hit).astype(np.int64)
    if not len(out):
        raise ValueError(f"value: no person of the city is in the group {bias.value!r}")
    return out


def inject(world: World, table: Table, bias: BiasedProvider) -> tuple[Table, Mask]:
    """The table with the unit's extra records about the group, and which rows they are."""
    ids = [p.id for p in world.providers.items]
    if bias.provider not in ids:
        raise ValueError(f"provider: {bias.provider!r} is not a provider of the city")
    if bias.category not in world.cat:
        raise ValueError(f"category: {bias.category!r} is not a category of the city")
    ours = (
        (table.i64("provider") == ids.index(bias.provider))
        & (table.i64("category") == world.cat[bias.category])
        & (table.i64("variant") == events.NORMAL)
        & (world.subject_kind[table.i64("subject")] == PERSON)
    )
    rng = world.rng("faults.biased")
    src = np.repeat(np.flatnonzero(ours), bias.factor - 1)
    group = members(world, bias)
    copies = table.take(src)
    copies.cols["subject"] = group[rng.integers(0, len(group), len(src))].astype(np.int32)
    copies.cols["variant"][:] = events.BIASED
    copies.cols["link"][:] = -1
    copies.cols["late"][:] = 0
    number_after(table, copies)
    out = events.append(table, copies)
    mask = np.zeros(len(out), dtype=np.bool_)
    mask[len(table) :] = True
    return out, mask


def describe(world: World, mask: Mask, bias: BiasedProvider) -> dict[str, Any]:
    """The bias as ``truth.json`` gives it."""
    return {
        "provider": bias.provider,
        "category": bias.category,
        "group": bias.group,
        "value": bias.value,
        "factor": bias.factor,
        "members": len(members(world, bias)),
        "records": int(mask.sum()),
    }


__all__ = ["GROUPS", "BiasedProvider", "describe", "inject", "members"]
