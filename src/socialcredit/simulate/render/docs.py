"""Document numbers and references of event rows."""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from socialcredit.simulate import events, numbering
from socialcredit.simulate.geography import AREAS, CITY, PROVINCE_ABBR
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.world import World

I64 = npt.NDArray[np.int64]

# A record sharing its parent's number is told apart by the court's "之一/之二" convention.
CATEGORY_SUFFIX = {
    "judicial.consumption_restriction": "之一",
    "judicial.judgment_fulfilled": "之二",
    "market.abnormal_operation_cleared": "之一",
}
VARIANT_SUFFIX = {events.CORRECTION: "-C", events.WITHDRAWAL: "-W"}


def _provider_table(world: World, attr: str) -> pa.Array:
    values: list[str] = []
    for p in world.providers.items:
        area = AREAS[p.area] if p.area >= 0 else CITY
        values.append({"abbr": p.abbr, "court": area.court, "code": area.code}[attr])
    return jsonfmt.table(values, quoted=False)


def numbers(world: World, doctype: I64, issuer: I64, year: I64, seq: I64, subject: I64) -> pa.Array:
    """Document numbers (unquoted) of rows, e.g. ``(2025)鲁1082执123号``."""
    n = len(doctype)
    if n == 0:
        return pa.array([], pa.string())
    order = np.argsort(doctype, kind="stable")
    sorted_types = doctype[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_types)) + 1, n]
    abbr = _provider_table(world, "abbr")
    court = _provider_table(world, "court")
    code = _provider_table(world, "code")
    parts: list[pa.Array] = []
    for lo, hi in itertools.pairwise(starts):
        rows = order[lo:hi]
        kind = numbering.TYPES[int(sorted_types[lo])]
        y = jsonfmt.integer(year[rows])
        s = jsonfmt.integer(seq[rows])
        who = pa.array(issuer[rows])
        if kind.style == "court":
            parts.append(
                jsonfmt.join("(", y, ")" + PROVINCE_ABBR, court.take(who), kind.code, s, "号")
            )
        elif kind.style == "doc":
            parts.append(jsonfmt.join(abbr.take(who), kind.code, "〔", y, "〕", s, "号"))
        elif kind.style in ("serial", "contract"):
            head = abbr.take(who) if kind.style == "contract" else pa.scalar(kind.code)
            area = code.take(who) if kind.with_area else pa.scalar("")
            parts.append(jsonfmt.join(head, area, y, jsonfmt.padded(seq[rows], kind.pad)))
        else:
            ident = world.ident.take(pa.array(subject[rows]))
            tail = pc.if_else(pa.array(seq[rows] > 0), jsonfmt.join("-", s), pa.scalar(""))
            parts.append(jsonfmt.join(kind.code, ident, tail))
    merged = pa.concat_arrays(parts)
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    return merged.take(pa.array(inverse))


def suffixes(world: World, category: I64, variant: I64) -> tuple[pa.Array, pa.Array]:
    """The category suffix and the variant suffix of each row's reference."""
    cat = jsonfmt.table([CATEGORY_SUFFIX.get(c, "") for c in world.categories], quoted=False)
    var = jsonfmt.table(
        [VARIANT_SUFFIX.get(v, "") for v in range(max(VARIANT_SUFFIX) + 1)], quoted=False
    )
    return cat.take(pa.array(category)), var.take(
        pa.array(np.where(variant <= max(VARIANT_SUFFIX), variant, 0))
    )
