"""Customs (Weihai Customs): credit status of trading enterprises and revoked certifications.

Trading enterprises get a status when the period opens (advanced-certified for some honest
ones, dishonest for some dishonest ones, general for the rest); during the period a few
certified enterprises lose their certification (a revocation and the new status).

Used only while the catalogue has the categories with these attributes; otherwise the
generic module covers them.

Slots — credit_status: ``a`` status; certification_revoked: ``a`` new status; ``c`` the
enterprise's certificate number.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.simulate import numbering
from socialcredit.simulate.domains.common import Fields, Renderer
from socialcredit.simulate.events import Table, block, stack
from socialcredit.simulate.names import SECTORS
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import World

I64 = npt.NDArray[np.int64]

STATUS = ("advanced_certified", "general", "dishonest")
NEW_STATUS = ("general", "dishonest")
TRADING_SECTORS = (
    "manufacturing",
    "e_commerce",
    "logistics",
    "food",
    "chemicals",
    "drugs",
    "retail",
)
EXPECTED = {
    "customs.credit_status": {"status", "certificate_no", "decision_no"},
    "customs.certification_revoked": {"certificate_no", "new_status"},
}


def available(world: World) -> bool:
    return "customs" in world.provider_kinds and all(
        name in world.cat and set(world.catalogue[name].attributes) == attrs
        for name, attrs in EXPECTED.items()
    )


def generate(world: World) -> list[Table]:
    if not available(world):
        return []
    rng = world.rng("customs")
    w, e = world.window, world.enterprises
    customs = world.providers.at("customs", 0)
    doc = numbering.doc("customs")
    trading = np.isin(e.sector, [SECTORS.index(s) for s in TRADING_SECTORS])
    trading &= rng.random(e.count) < 0.35
    firms = np.flatnonzero(trading & (e.established < w.end - 90))
    honesty = e.honesty[firms]
    status = np.where(
        (honesty > 0.8) & (rng.random(len(firms)) < 0.6),
        0,
        np.where((honesty < 0.5) & (rng.random(len(firms)) < 0.5), 2, 1),
    )
    day = np.maximum(e.established[firms], w.start) + rng.integers(0, 90, len(firms))
    initial = block(
        len(firms),
        subject=firms + world.enterprise0,
        category=world.cat["customs.credit_status"],
        provider=customs,
        occurred=np.minimum(day, w.end),
        doctype=doc,
        a=status,
        c=firms,
    )
    certified = np.flatnonzero(status == 0)
    lose_day = day[certified] + 90 + (rng.exponential(2.0, len(certified)) * 365).astype(int)
    p_lose = np.clip(0.4 + 3.0 * (0.95 - honesty[certified]), 0.1, 0.8)
    lose = np.flatnonzero((lose_day <= w.end) & (rng.random(len(certified)) < p_lose))
    rows = certified[lose]
    new = (rng.random(len(rows)) < 0.2).astype(np.int64)
    revoked = block(
        len(rows),
        subject=firms[rows] + world.enterprise0,
        category=world.cat["customs.certification_revoked"],
        provider=customs,
        occurred=lose_day[lose],
        doctype=doc,
        a=new,
        c=firms[rows],
    )
    status_after = block(
        len(rows),
        subject=firms[rows] + world.enterprise0,
        category=world.cat["customs.credit_status"],
        provider=customs,
        occurred=lose_day[lose],
        doctype=doc,
        a=new + 1,
        c=firms[rows],
    )
    return [stack([initial, revoked, status_after])]


def _certificate(r: Rows) -> pa.Array:
    return jsonfmt.quote(jsonfmt.join("AEOCN3710", jsonfmt.padded(r.c, 6)))


def _status(r: Rows) -> Fields:
    return {
        "status": jsonfmt.enum(r.a, STATUS),
        "certificate_no": jsonfmt.where(r.a == 0, _certificate(r)),
        "decision_no": jsonfmt.where(r.a == 2, r.doc),
    }


def _revoked(r: Rows) -> Fields:
    return {"certificate_no": _certificate(r), "new_status": jsonfmt.enum(r.a, NEW_STATUS)}


RENDERERS: dict[str, Renderer] = {
    "customs.credit_status": _status,
    "customs.certification_revoked": _revoked,
}
