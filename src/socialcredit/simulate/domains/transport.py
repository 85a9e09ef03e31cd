"""Traffic police and the railway: traffic violations (common), drunk driving (rare),
fare evasion and misconduct on trains.

Slots — traffic_violation: ``a`` offence; drunk_driving: ``amount`` blood alcohol
(mg/100 ml); fare_evasion / train_misconduct: ``a`` train prefix, ``b`` train number,
``c`` act (misconduct).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.simulate import numbering
from socialcredit.simulate.domains.common import Fields, Renderer, Typo, cycle, offences
from socialcredit.simulate.events import Table, block, weighted
from socialcredit.simulate.geography import DISTRICTS
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import PERSON, World

I64 = npt.NDArray[np.int64]

# offence, penalty points, fine in yuan, relative frequency
TRAFFIC = (
    ("机动车违反禁止标线指示", 3, 200, 0.15),
    ("机动车违反规定停放", 0, 150, 0.30),
    ("驾驶机动车违反道路交通信号灯通行", 6, 200, 0.08),
    ("驾驶机动车超过规定时速未达20%", 1, 200, 0.15),
    ("驾驶时拨打接听手持电话", 3, 200, 0.06),
    ("驾驶人未按规定使用安全带", 1, 50, 0.05),
    ("机动车行经人行横道未按规定让行", 3, 200, 0.06),
    ("驾驶机动车超过规定时速20%以上未达50%", 6, 200, 0.04),
    ("机动车不按导向车道行驶", 2, 100, 0.06),
    ("机动车违反规定使用专用车道", 3, 200, 0.03),
    ("驾驶与准驾车型不符的机动车", 9, 1000, 0.01),
    ("驾驶机动车超过规定时速50%以上", 12, 1500, 0.01),
)
TRAIN_PREFIXES = ("G", "D", "K", "T")
TRAIN_WEIGHTS = (0.5, 0.3, 0.15, 0.05)
ACTS = ("seat_occupation", "smoking", "disorderly_conduct", "obstructing_doors", "assaulting_staff")
ACT_WEIGHTS = (0.4, 0.35, 0.15, 0.07, 0.03)


def _traffic_police(world: World, rng: np.random.Generator, subject: I64, at_home: float) -> I64:
    """Traffic police where the offence happened: mostly the home district."""
    n = len(subject)
    home = world.subject_area[subject]
    roll = rng.random(n)
    area = np.where(roll < at_home, home, 1 + rng.integers(0, len(DISTRICTS), n))
    area = np.where(roll > 0.9, 0, area)
    out: I64 = world.providers.area_array("traffic_police")[area]
    return out


def generate(world: World) -> list[Table]:
    rng = world.rng("transport")
    cat = world.cat
    drivers = world.persons.drives
    railway = world.providers.at("railway", -1)
    out: list[Table] = []

    subject, day = offences(world, rng, PERSON, 0.5, 0.6, drivers)
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["transport.traffic_violation"],
            provider=_traffic_police(world, rng, subject, 0.7),
            occurred=day,
            doctype=numbering.doc("traffic"),
            a=weighted(rng, n, [t[3] for t in TRAFFIC]),
        )
    )
    subject, day = offences(world, rng, PERSON, 0.0015, 1.5, drivers)
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["transport.drunk_driving"],
            provider=_traffic_police(world, rng, subject, 0.8),
            occurred=day,
            doctype=numbering.doc("drunk"),
            amount=np.minimum(np.round(80.0 + rng.gamma(2.0, 40.0, n), 1), 999.0),
        )
    )
    for name, base, exponent, doc in (
        ("transport.fare_evasion", 0.003, 1.0, "fare"),
        ("transport.train_misconduct", 0.002, 1.2, "train"),
    ):
        subject, day = offences(world, rng, PERSON, base, exponent)
        n = len(subject)
        out.append(
            block(
                n,
                subject=subject,
                category=cat[name],
                provider=railway,
                occurred=day,
                doctype=numbering.doc(doc),
                a=weighted(rng, n, TRAIN_WEIGHTS),
                b=rng.integers(1, 9999, n),
                c=weighted(rng, n, ACT_WEIGHTS),
                amount=rng.integers(20, 600, n).astype(np.float64),
            )
        )
    return out


def _train(r: Rows) -> pa.Array:
    prefix = jsonfmt.take(jsonfmt.table(TRAIN_PREFIXES, quoted=False), r.a)
    return jsonfmt.quote(jsonfmt.join(prefix, jsonfmt.integer(r.b)))


def _traffic(r: Rows) -> Fields:
    return {
        "ticket_no": r.doc,
        "offence": jsonfmt.enum(r.a, [t[0] for t in TRAFFIC]),
        "penalty_points": jsonfmt.integer(np.array([t[1] for t in TRAFFIC])[r.a]),
        "fine": jsonfmt.integer(np.array([t[2] for t in TRAFFIC])[r.a]),
    }


def _drunk(r: Rows) -> Fields:
    return {"ticket_no": r.doc, "blood_alcohol_mg": jsonfmt.number(r.amount, 1)}


def _fare(r: Rows) -> Fields:
    return {"ticket_no": r.doc, "train_no": _train(r), "amount": jsonfmt.number(r.amount)}


def _misconduct(r: Rows) -> Fields:
    return {"ticket_no": r.doc, "act": jsonfmt.enum(r.c, ACTS), "train_no": _train(r)}


def _alcohol_typo(r: Rows, mask: npt.NDArray[np.bool_]) -> None:
    r.amount[mask] = np.where(r.amount[mask] < 899.0, r.amount[mask] + 100.0, 80.0)


TYPOS: dict[str, Typo] = {
    "transport.traffic_violation": lambda r, m: cycle(r.a, m, len(TRAFFIC)),
    "transport.drunk_driving": _alcohol_typo,
    "transport.train_misconduct": lambda r, m: cycle(r.c, m, len(ACTS)),
}
RENDERERS: dict[str, Renderer] = {
    "transport.traffic_violation": _traffic,
    "transport.drunk_driving": _drunk,
    "transport.fare_evasion": _fare,
    "transport.train_misconduct": _misconduct,
}
