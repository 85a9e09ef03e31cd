"""Directives from the city to its districts' governments: a duty to report a category by
a deadline (``government.directive``). Each district implements one when its own body
first reports the category after the issue day, which the record stream decides.

Slots: ``a`` the directive's number in its year, ``b`` its year, ``c`` the category to
report (index into ``TARGETS``), ``d`` days from issue to the deadline.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from socialcredit.simulate import institutions as inst_mod
from socialcredit.simulate import numbering
from socialcredit.simulate.calendar import years_of
from socialcredit.simulate.domains.common import Fields, Renderer
from socialcredit.simulate.events import Table, block
from socialcredit.simulate.geography import AREAS
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import World

I64 = npt.NDArray[np.int64]

CATEGORY = "government.directive"
TARGETS = (
    "market.administrative_licence",
    "market.administrative_penalty",
    "transport.traffic_violation",
    "tax.arrears",
)
PER_YEAR = 3
LEAD_DAYS = (30, 90)  # deadline between one and three months after issue


def district_governments(world: World) -> I64:
    """Global subject indices of the districts' people's governments."""
    inst = world.institutions
    found = [
        i
        for i in range(inst.count)
        if inst.area[i] >= 1
        and inst.type[i] == inst_mod.GOVERNMENT
        and inst.names[i] == AREAS[int(inst.area[i])].name + "人民政府"
    ]
    return np.array(found, dtype=np.int64) + world.institution0


def generate(world: World) -> list[Table]:
    if CATEGORY not in world.cat:
        return []
    rng = world.rng("government.directives")
    w = world.window
    governments = district_governments(world)
    count = max(1, round(PER_YEAR * w.days / 365.25))
    last = w.end - LEAD_DAYS[1]
    if last <= w.start or len(governments) == 0:
        return []
    # spread over the period: one in each of ``count`` equal spans, on a random day of it
    span = (last - w.start) / count
    issued = (w.start + (np.arange(count) + rng.random(count)) * span).astype(np.int64)
    years = years_of(issued)
    number = np.ones(count, dtype=np.int64)
    for k in range(1, count):
        number[k] = number[k - 1] + 1 if years[k] == years[k - 1] else 1
    target = rng.integers(0, len(TARGETS), count)
    lead = rng.integers(LEAD_DAYS[0], LEAD_DAYS[1], count)
    n = count * len(governments)
    each = np.repeat(np.arange(count), len(governments))
    return [
        block(
            n,
            subject=np.tile(governments, count),
            category=world.cat[CATEGORY],
            provider=world.providers.area_array("government_supervision")[0],
            occurred=issued[each],
            doctype=numbering.doc("supervision"),
            a=number[each],
            b=years[each],
            c=target[each],
            d=lead[each],
        )
    ]


def _directive(r: Rows) -> Fields:
    codes = jsonfmt.table([a.code for a in AREAS])
    area = r.world.subject_area[r.subject]
    return {
        "directive": jsonfmt.join(
            '"威政督字〔', jsonfmt.integer(r.b), "〕", jsonfmt.integer(r.a), '号"'
        ),
        "task": jsonfmt.take(jsonfmt.table(["data_reporting"]), np.zeros(len(r), np.int64)),
        "target": jsonfmt.take(jsonfmt.table(TARGETS), r.c),
        "jurisdiction": jsonfmt.take(codes, area),
        "deadline": r.date(r.occurred + r.d),
    }


RENDERERS: dict[str, Renderer] = {CATEGORY: _directive}
