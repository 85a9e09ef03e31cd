"""Banks and the local financial regulator: loan defaults, P2P defaults, illegal fundraising.

Slots — loan_default: ``a`` contract type, ``b`` months overdue; p2p_default: ``a`` platform.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from socialcredit.simulate import numbering
from socialcredit.simulate.domains.common import Fields, Renderer, all_kinds, by_kind, kinds_of
from socialcredit.simulate.events import Table, block, lognormal, weighted
from socialcredit.simulate.names import SECTORS
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import ENTERPRISE, INSTITUTION, PERSON, World

I64 = npt.NDArray[np.int64]

CONTRACTS = ("loan", "guarantee", "credit_card")
PERSON_CONTRACT_WEIGHTS = (0.45, 0.1, 0.45)
FIRM_CONTRACT_WEIGHTS = (0.7, 0.3, 0.0)
PLATFORMS = ("鑫融网贷", "汇金宝", "融易借", "聚财通", "海贷网", "金桥在线", "易通贷")
P2P_SECTOR = SECTORS.index("p2p_lending")


def generate(world: World) -> list[Table]:
    rng = world.rng("finance")
    cat = world.cat
    regulator = world.providers.at("finance_regulator", 0)
    out: list[Table] = []

    subject, day = all_kinds(
        world, rng, {PERSON: (0.008, 1.0), ENTERPRISE: (0.012, 1.0), INSTITUTION: (0.0005, 1.0)}
    )
    n = len(subject)
    person = kinds_of(world, subject) == PERSON
    banks = world.providers.banks[weighted(rng, n, world.providers.bank_weights)]
    out.append(
        block(
            n,
            subject=subject,
            category=cat["finance.loan_default"],
            provider=banks,
            occurred=day,
            doctype=numbering.doc("loan"),
            a=np.where(
                person,
                weighted(rng, n, PERSON_CONTRACT_WEIGHTS),
                weighted(rng, n, FIRM_CONTRACT_WEIGHTS),
            ),
            b=np.minimum(rng.geometric(0.3, n), 600),
            amount=lognormal(rng, by_kind(world, subject, 30_000, 800_000, 500_000), 1.1, n),
        )
    )

    subject, day = all_kinds(world, rng, {PERSON: (0.002, 1.0), ENTERPRISE: (0.002, 1.0)})
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["finance.p2p_default"],
            provider=regulator,
            occurred=day,
            doctype=numbering.doc("p2p"),
            a=rng.integers(0, len(PLATFORMS), n),
            amount=lognormal(rng, by_kind(world, subject, 20_000, 200_000), 1.0, n),
        )
    )

    # P2P lending platforms raise funds illegally far more often than other enterprises
    p2p = world.enterprises.sector == P2P_SECTOR
    s1, d1 = all_kinds(world, rng, {ENTERPRISE: (0.06, 1.0)}, {ENTERPRISE: p2p})
    s2, d2 = all_kinds(
        world, rng, {PERSON: (0.00015, 2.0), ENTERPRISE: (0.0004, 2.0)}, {ENTERPRISE: ~p2p}
    )
    subject, day = np.concatenate([s1, s2]), np.concatenate([d1, d2])
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["finance.illegal_fundraising"],
            provider=regulator,
            occurred=day,
            doctype=numbering.doc("fundraising"),
            amount=lognormal(rng, by_kind(world, subject, 300_000, 5_000_000), 1.2, n),
        )
    )
    return out


def _loan(r: Rows) -> Fields:
    return {
        "contract_no": r.doc,
        "contract": jsonfmt.enum(r.a, CONTRACTS),
        "amount": jsonfmt.number(r.amount),
        "months_overdue": jsonfmt.integer(r.b),
    }


def _p2p(r: Rows) -> Fields:
    return {
        "contract_no": r.doc,
        "platform": jsonfmt.enum(r.a, PLATFORMS),
        "amount": jsonfmt.number(r.amount),
    }


def _fundraising(r: Rows) -> Fields:
    return {"decision_no": r.doc, "amount": jsonfmt.number(r.amount)}


RENDERERS: dict[str, Renderer] = {
    "finance.loan_default": _loan,
    "finance.p2p_default": _p2p,
    "finance.illegal_fundraising": _fundraising,
}
