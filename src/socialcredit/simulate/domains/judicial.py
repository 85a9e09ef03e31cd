"""Courts: judgment defaulters and their orders, sham litigation, contempt, breach, and
the decided cases of judges (some judges biased).

Slots — judgment_default: ``a`` ground, ``b`` the days the court extends the term by when
aggravated (365, 730 or 1095; -1 when not aggravated); fulfilled: ``a`` how;
contempt: ``a`` act, ``amount`` fine; civil_breach: ``a`` contract;
case_decision: ``other`` court, ``a`` case type, ``b`` cause, ``c`` outcome*4 +
appealed*2 + reversed + 32 * (sentence months or award ratio in basis points),
``d`` days to close, ``amount`` claim.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from socialcredit.simulate import numbering
from socialcredit.simulate.calendar import years_of
from socialcredit.simulate.domains.common import (
    Fields,
    Renderer,
    Typo,
    all_kinds,
    by_kind,
    court,
    court_institution,
    cycle,
)
from socialcredit.simulate.events import Table, block, choose, lognormal, poisson, stack, weighted
from socialcredit.simulate.institutions import SPECIALTIES
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import ENTERPRISE, INSTITUTION, PERSON, World

I64 = npt.NDArray[np.int64]

GROUNDS = (
    "able_but_refuses",
    "obstructs_enforcement",
    "evades_enforcement",
    "asset_report_violation",
    "consumption_order_violation",
    "settlement_refused",
)
GROUND_WEIGHTS = (0.55, 0.05, 0.15, 0.12, 0.05, 0.08)
HOW = (
    "paid_in_full",
    "settlement_performed",
    "creditor_consent",
    "no_assets_found",
    "enforcement_terminated",
    "guarantee_provided",
    "enforcement_suspended",
    "enforcement_refused",
)
# modelled shares: most cases end in performance; a guarantee lifts only the
# consumption restriction, suspension and refusal are rare
HOW_WEIGHTS = (0.53, 0.2, 0.08, 0.07, 0.05, 0.04, 0.02, 0.01)
ACTS = (
    "false_evidence",
    "violence_or_threat",
    "hiding_assets",
    "disorder_in_court",
    "refusing_assistance",
)
ACT_WEIGHTS = (0.3, 0.1, 0.3, 0.2, 0.1)
CONTRACTS = ("loan", "guarantee", "sale", "lease", "utility", "other")
CONTRACT_WEIGHTS = (0.35, 0.1, 0.25, 0.12, 0.05, 0.13)
OUTCOMES = (
    "upheld",
    "partly_upheld",
    "dismissed",
    "settled",
    "convicted",
    "acquitted",
    "withdrawn",
)
# per case type (civil, commercial, administrative, criminal, enforcement)
OUTCOME_WEIGHTS = np.array(
    [
        [0.33, 0.30, 0.10, 0.20, 0, 0, 0.07],
        [0.35, 0.30, 0.10, 0.18, 0, 0, 0.07],
        [0.15, 0.05, 0.60, 0.00, 0, 0, 0.20],
        [0.00, 0.00, 0.00, 0.00, 0.97, 0.01, 0.02],
        [0.60, 0.00, 0.00, 0.30, 0, 0, 0.10],
    ]
)
CAUSES: tuple[tuple[str, ...], ...] = (
    (
        "民间借贷纠纷",
        "买卖合同纠纷",
        "离婚纠纷",
        "机动车交通事故责任纠纷",
        "劳动争议",
        "房屋租赁合同纠纷",
        "物业服务合同纠纷",
    ),
    (
        "金融借款合同纠纷",
        "股权转让纠纷",
        "建设工程施工合同纠纷",
        "保险合同纠纷",
        "融资租赁合同纠纷",
    ),
    ("行政处罚", "行政许可", "行政强制", "政府信息公开", "工伤认定"),
    ("盗窃罪", "危险驾驶罪", "诈骗罪", "故意伤害罪", "交通肇事罪", "开设赌场罪"),
    ("民间借贷纠纷执行", "金融借款合同纠纷执行", "买卖合同纠纷执行"),
)
CAUSE_NAMES = tuple(c for group in CAUSES for c in group)
CAUSE_START = np.cumsum([0, *[len(g) for g in CAUSES[:-1]]])
SENTENCE_MEDIAN = (10.0, 3.0, 24.0, 18.0, 14.0, 20.0)  # months, by criminal cause
CLOSE_MEAN = (75.0, 110.0, 90.0, 60.0, 160.0)  # days, by case type
CLAIM_MEDIAN = (60_000.0, 500_000.0, np.nan, np.nan, 100_000.0)
CASE_DOCS = ("court_civil", "court_civil", "court_admin", "court_criminal", "court_enforcement")
DECISIONS_PER_YEAR = 60.0
CIVIL, COMMERCIAL, ADMINISTRATIVE, CRIMINAL, ENFORCEMENT = range(5)


def _enforcement(world: World) -> Table:
    rng = world.rng("judicial.enforcement")
    cat, w = world.cat, world.window
    subject, day = all_kinds(
        world, rng, {PERSON: (0.006, 1.3), ENTERPRISE: (0.015, 1.0), INSTITUTION: (0.002, 1.0)}
    )
    n = len(subject)
    provider = court(world, rng, subject)
    amount = lognormal(rng, by_kind(world, subject, 60_000, 400_000, 300_000), 1.1, n)
    doc = numbering.doc("court_enforcement")
    parent = block(
        n,
        subject=subject,
        category=cat["judicial.judgment_default"],
        provider=provider,
        occurred=day,
        doctype=doc,
        amount=amount,
        a=weighted(rng, n, GROUND_WEIGHTS),
        # aggravated cases: the court extends the term by 1 to 3 years (SPC Fa Shi [2013]
        # No. 17, amended 2017, art. 2); the number of years is modelled from the subject
        b=np.where(rng.random(n) < 0.05, 365 * (1 + subject % 3), -1),
    )
    restricted = np.flatnonzero(rng.random(n) < 0.6)
    restriction = block(
        len(restricted),
        subject=subject[restricted],
        category=cat["judicial.consumption_restriction"],
        provider=provider[restricted],
        occurred=np.minimum(day[restricted] + rng.integers(0, 11, len(restricted)), w.end),
        doctype=doc,
        amount=amount[restricted],
        link=restricted,
    )
    risk = np.concatenate([world.persons.risk, world.enterprises.risk, world.institutions.risk])
    p_fulfil = np.clip(0.88 - 0.06 * risk[subject], 0.25, 0.9)
    paid_day = day + rng.exponential(240.0, n).astype(np.int64) + 7
    paid = np.flatnonzero((rng.random(n) < p_fulfil) & (paid_day <= w.end))
    fulfilled = block(
        len(paid),
        subject=subject[paid],
        category=cat["judicial.judgment_fulfilled"],
        provider=provider[paid],
        occurred=paid_day[paid],
        doctype=doc,
        link=paid,
        a=weighted(rng, len(paid), HOW_WEIGHTS),
    )
    return stack([parent, restriction, fulfilled])


def _simple(world: World) -> list[Table]:
    rng = world.rng("judicial.other")
    cat = world.cat
    out: list[Table] = []
    subject, day = all_kinds(
        world, rng, {PERSON: (0.0004, 1.5), ENTERPRISE: (0.001, 1.2), INSTITUTION: (0.0001, 1.0)}
    )
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["judicial.sham_litigation"],
            provider=court(world, rng, subject),
            occurred=day,
            doctype=numbering.doc("court_civil"),
            amount=lognormal(rng, 200_000, 1.0, n),
        )
    )
    subject, day = all_kinds(
        world, rng, {PERSON: (0.0008, 1.5), ENTERPRISE: (0.001, 1.0), INSTITUTION: (0.0002, 1.0)}
    )
    n = len(subject)
    person = by_kind(world, subject, 1.0, 0.0) > 0
    fine = np.where(person, rng.integers(1, 51, n) * 1000, rng.integers(5, 101, n) * 10_000)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["judicial.contempt"],
            provider=court(world, rng, subject),
            occurred=day,
            doctype=numbering.doc("court_sanction"),
            a=weighted(rng, n, ACT_WEIGHTS),
            amount=fine,
        )
    )
    subject, day = all_kinds(
        world, rng, {PERSON: (0.01, 1.0), ENTERPRISE: (0.03, 1.0), INSTITUTION: (0.004, 1.0)}
    )
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["judicial.civil_breach"],
            provider=court(world, rng, subject),
            occurred=day,
            doctype=numbering.doc("court_civil"),
            a=weighted(rng, n, CONTRACT_WEIGHTS),
            amount=lognormal(rng, by_kind(world, subject, 50_000, 300_000, 200_000), 1.0, n),
        )
    )
    return out


def _decisions(world: World) -> Table:
    rng = world.rng("judicial.decisions")
    j = world.judges
    since = world.offices.start[j.office]  # a judge decides cases from appointment on
    who, day = poisson(rng, np.full(len(j.person), DECISIONS_PER_YEAR), since, world.window)
    n = len(who)
    case_type = np.where(
        rng.random(n) < 0.85, j.specialty[who], rng.integers(0, len(SPECIALTIES), n)
    )
    counts = np.array([len(g) for g in CAUSES])
    cause_local = (rng.random(n) * counts[case_type]).astype(np.int64)
    cause = CAUSE_START[case_type] + cause_local
    close = np.minimum(
        rng.gamma(2.0, np.array(CLOSE_MEAN)[case_type] / 2.0).astype(np.int64) + 5, 3650
    )
    bias = j.bias[who]
    weights = OUTCOME_WEIGHTS[case_type].copy()
    civil = case_type <= COMMERCIAL
    weights[civil, 2] *= np.clip(1.0 - 1.5 * bias[civil], 0.05, 3.0)
    outcome = choose(rng, weights)
    claim = lognormal(rng, np.nan_to_num(np.array(CLAIM_MEDIAN)[case_type], nan=1.0), 1.2, n)
    claim = np.where(np.isnan(np.array(CLAIM_MEDIAN)[case_type]), np.nan, claim)
    ratio = np.select(
        [outcome == 0, outcome == 1, outcome == 3],
        [np.ones(n), rng.beta(3.0, 2.0, n), rng.beta(4.0, 3.0, n)],
        0.0,
    )
    ratio = np.where(civil & (outcome != 0), np.clip(ratio * (1.0 + bias), 0.05, 1.0), ratio)
    crime = np.clip(cause - CAUSE_START[CRIMINAL], 0, len(SENTENCE_MEDIAN) - 1)
    months = np.exp(rng.normal(np.log(np.array(SENTENCE_MEDIAN)[crime]), 0.5)) * (1.0 + bias)
    months = np.clip(np.ceil(months), 1, 600).astype(np.int64)
    extra = np.where(case_type == CRIMINAL, months, np.round(ratio * 10_000).astype(np.int64))
    appeal_rate = np.array([0.15, 0.15, 0.15, 0.10, 0.02])[case_type]
    appealed = rng.random(n) < appeal_rate
    reversed_ = appealed & (rng.random(n) < 0.07 + 0.45 * np.abs(bias))
    courts = world.providers.area_array("court")[world.institutions.area[j.court[who]]]
    docs = np.array([numbering.doc(d) for d in CASE_DOCS])[case_type]
    return block(
        n,
        subject=j.person[who],
        category=world.cat["judicial.case_decision"],
        provider=courts,
        occurred=day,
        year=years_of(day - close),
        doctype=docs,
        other=court_institution(world, courts),
        amount=claim,
        a=case_type,
        b=cause,
        c=outcome * 4 + appealed * 2 + reversed_ + 32 * extra,
        d=close,
    )


def generate(world: World) -> list[Table]:
    return [_enforcement(world), *_simple(world), _decisions(world)]


def _default(r: Rows) -> Fields:
    return {
        "case_no": r.doc,
        "amount": jsonfmt.number(r.amount),
        "ground": jsonfmt.enum(r.a, GROUNDS),
        "aggravated": jsonfmt.where(r.b > 0, jsonfmt.boolean(r.b > 0)),
        "extension_days": jsonfmt.where(r.b > 0, jsonfmt.integer(r.b)),
    }


def _case_amount(r: Rows) -> Fields:
    return {"case_no": r.doc, "amount": jsonfmt.number(r.amount)}


def _fulfilled(r: Rows) -> Fields:
    return {"case_no": r.doc, "how": jsonfmt.enum(r.a, HOW)}


def _contempt(r: Rows) -> Fields:
    return {"case_no": r.doc, "act": jsonfmt.enum(r.a, ACTS), "fine": jsonfmt.number(r.amount)}


def _breach(r: Rows) -> Fields:
    return {
        "case_no": r.doc,
        "contract": jsonfmt.enum(r.a, CONTRACTS),
        "amount": jsonfmt.number(r.amount),
    }


def _decision(r: Rows) -> Fields:
    outcome = (r.c % 32) // 4
    appealed = (r.c % 4) // 2 == 1
    extra = r.c // 32
    money = (r.a != CRIMINAL) & (r.a != ADMINISTRATIVE)
    awarded = money & np.isin(outcome, (0, 1, 3))
    return {
        "case_no": r.doc,
        "court": r.ident(r.other),
        "case_type": jsonfmt.enum(r.a, SPECIALTIES),
        "cause": jsonfmt.enum(r.b, CAUSE_NAMES),
        "claim_amount": jsonfmt.where(money, jsonfmt.number(r.amount)),
        "awarded_amount": jsonfmt.where(
            awarded, jsonfmt.number(np.nan_to_num(r.amount) * extra / 10_000)
        ),
        "sentence_months": jsonfmt.where(
            (r.a == CRIMINAL) & (outcome == 4), jsonfmt.integer(extra)
        ),
        "outcome": jsonfmt.enum(outcome, OUTCOMES),
        "days_to_close": jsonfmt.integer(r.d),
        "appealed": jsonfmt.boolean(appealed),
        "reversed_on_appeal": jsonfmt.where(appealed, jsonfmt.boolean(r.c % 2 == 1)),
    }


TYPOS: dict[str, Typo] = {
    "judicial.judgment_fulfilled": lambda r, m: cycle(r.a, m, len(HOW)),
}
RENDERERS: dict[str, Renderer] = {
    "judicial.judgment_default": _default,
    "judicial.consumption_restriction": _case_amount,
    "judicial.judgment_fulfilled": _fulfilled,
    "judicial.sham_litigation": _case_amount,
    "judicial.contempt": _contempt,
    "judicial.civil_breach": _breach,
    "judicial.case_decision": _decision,
}
