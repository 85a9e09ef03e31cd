"""Market and drug regulators: penalties, licences granted, product/food/drug safety,
abnormal operations, seriously illegal dishonesty. Food and drug cases concern food and
drug enterprises (and a few individual vendors).

Slots — penalty: ``a`` penalty type; licence: ``a`` licence item; safety violations:
``a`` product, ``b`` harm (food) or counterfeit (drugs); abnormal_operation: ``a`` reason;
serious: ``a`` ground.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from socialcredit.simulate import numbering
from socialcredit.simulate.calendar import day_of, years_of
from socialcredit.simulate.domains.common import (
    Fields,
    Renderer,
    Typo,
    all_kinds,
    area_provider,
    by_kind,
    cycle,
    kinds_of,
)
from socialcredit.simulate.events import Table, block, lognormal, stack, weighted
from socialcredit.simulate.names import SECTORS
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import ENTERPRISE, INSTITUTION, PERSON, World

I64 = npt.NDArray[np.int64]

PENALTIES = ("warning", "fine", "confiscation", "suspension", "licence_revoked", "detention")
PENALTY_WEIGHTS = (0.3, 0.5, 0.08, 0.05, 0.02, 0.05)
PRODUCTS = (
    "轮胎",
    "渔具",
    "电线电缆",
    "电动自行车",
    "儿童玩具",
    "服装",
    "化妆品",
    "充电宝",
    "电热水器",
    "建筑钢材",
    "涂料",
    "化肥",
    "食品包装材料",
    "燃气灶具",
)
FOODS = (
    "海参制品",
    "鱿鱼丝",
    "虾皮",
    "腌制海产品",
    "熟肉制品",
    "糕点",
    "桶装饮用水",
    "食用植物油",
    "海带制品",
    "冷冻水产品",
)
DRUGS = (
    "医用防护口罩",
    "一次性使用无菌注射器",
    "感冒灵颗粒",
    "电子血压计",
    "隐形眼镜护理液",
    "中药饮片",
    "医用敷料",
)
HARMS = ("none_found", "illness", "serious_illness", "death")
HARM_WEIGHTS = (0.85, 0.12, 0.025, 0.005)
REASONS = (
    "no_annual_report",
    "information_not_publicised",
    "false_information",
    "unreachable_address",
)
REASON_WEIGHTS = (0.7, 0.05, 0.05, 0.2)
GROUNDS = (
    "food_drug_safety",
    "public_health",
    "unfair_competition",
    "consumer_rights",
    "false_registration",
    "fraud_in_bidding",
    "other_serious",
)
OTHER_GROUND_WEIGHTS = (0.0, 0.05, 0.2, 0.25, 0.2, 0.15, 0.15)
FOOD, DRUGS_SECTOR = SECTORS.index("food"), SECTORS.index("drugs")
# licences granted to enterprises (published with the penalties: "double publicity")
LICENCES = (
    ("食品经营许可证", "预包装食品销售、散装食品销售"),
    ("食品生产许可证", "糕点、饮料、罐头生产"),
    ("药品经营许可证", "中成药、化学药制剂、抗生素制剂零售"),
    ("工业产品生产许可证", "电线电缆、建筑用钢筋生产"),
    ("特种设备生产许可证", "承压类特种设备安装、修理、改造"),
    ("医疗器械经营许可证", "第三类医疗器械批发"),
)


def _sector_is(world: World, *sectors: int) -> npt.NDArray[np.bool_]:
    return np.isin(world.enterprises.sector, sectors)


def _penalties(world: World, rng: np.random.Generator) -> Table:
    subject, day = all_kinds(
        world, rng, {PERSON: (0.003, 1.0), ENTERPRISE: (0.04, 1.2), INSTITUTION: (0.001, 1.0)}
    )
    n = len(subject)
    kind = kinds_of(world, subject)
    penalty = weighted(rng, n, PENALTY_WEIGHTS)
    penalty = np.where((penalty == 5) & (kind != PERSON), 1, penalty)
    money = np.isin(penalty, (1, 2))
    amount = lognormal(rng, by_kind(world, subject, 2_000, 30_000, 10_000), 1.0, n)
    sector = np.full(n, -1, dtype=np.int64)
    firm = kind == ENTERPRISE
    sector[firm] = world.enterprises.sector[subject[firm] - world.enterprise0]
    sector[kind == PERSON] = len(SECTORS)  # an individual business
    return block(
        n,
        subject=subject,
        category=world.cat["market.administrative_penalty"],
        provider=area_provider(world, "market", subject),
        occurred=day,
        doctype=numbering.doc("market_penalty"),
        a=penalty,
        b=sector,
        amount=np.where(money, amount, np.nan),
    )


def _licences(world: World, rng: np.random.Generator) -> Table:
    subject, day = all_kinds(world, rng, {ENTERPRISE: (0.05, 1.0)})
    n = len(subject)
    return block(
        n,
        subject=subject,
        category=world.cat["market.administrative_licence"],
        provider=area_provider(world, "market", subject),
        occurred=day,
        doctype=numbering.doc("market_licence"),
        a=rng.integers(0, len(LICENCES), n),
    )


def _safety(world: World, rng: np.random.Generator) -> list[Table]:
    cat = world.cat
    out: list[Table] = []
    goods = ~_sector_is(world, SECTORS.index("p2p_lending"), SECTORS.index("logistics"))
    subject, day = all_kinds(
        world, rng, {PERSON: (0.0003, 1.0), ENTERPRISE: (0.012, 1.2)}, {ENTERPRISE: goods}
    )
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["market.product_safety_violation"],
            provider=area_provider(world, "market", subject),
            occurred=day,
            doctype=numbering.doc("market_quality"),
            a=rng.integers(0, len(PRODUCTS), n),
            amount=lognormal(rng, by_kind(world, subject, 5_000, 40_000), 1.0, n),
        )
    )
    subject, day = all_kinds(
        world,
        rng,
        {PERSON: (0.0006, 1.0), ENTERPRISE: (0.07, 1.2)},
        {ENTERPRISE: _sector_is(world, FOOD)},
    )
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["market.food_safety_violation"],
            provider=area_provider(world, "market", subject),
            occurred=day,
            doctype=numbering.doc("market_food"),
            a=rng.integers(0, len(FOODS), n),
            b=weighted(rng, n, HARM_WEIGHTS),
            amount=lognormal(rng, by_kind(world, subject, 5_000, 50_000), 1.0, n),
        )
    )
    subject, day = all_kinds(
        world,
        rng,
        {PERSON: (0.0001, 1.0), ENTERPRISE: (0.06, 1.2)},
        {ENTERPRISE: _sector_is(world, DRUGS_SECTOR)},
    )
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["market.drug_safety_violation"],
            provider=world.providers.at("drug", 0),
            occurred=day,
            doctype=numbering.doc("drug_penalty"),
            a=rng.integers(0, len(DRUGS), n),
            b=(rng.random(n) < 0.1).astype(np.int64),
            amount=lognormal(rng, by_kind(world, subject, 10_000, 100_000), 1.0, n),
        )
    )
    return out


def _abnormal(world: World, rng: np.random.Generator) -> Table:
    w = world.window
    subject, day = all_kinds(world, rng, {ENTERPRISE: (0.03, 1.0)})
    n = len(subject)
    reason = weighted(rng, n, REASON_WEIGHTS)
    july = day_of(years_of(day), 7, 1 + rng.integers(0, 15, n))
    est = world.enterprises.established[subject - world.enterprise0]
    ok = (reason == 0) & (july <= w.end) & (july >= np.maximum(est + 365, w.start))
    day = np.where(ok, july, day)
    provider = area_provider(world, "market", subject)
    doc = numbering.doc("market_abnormal")
    listed = block(
        n,
        subject=subject,
        category=world.cat["market.abnormal_operation"],
        provider=provider,
        occurred=day,
        doctype=doc,
        a=reason,
    )
    cleared_day = day + 30 + rng.exponential(200.0, n).astype(np.int64)
    cleared = np.flatnonzero((rng.random(n) < 0.6) & (cleared_day <= w.end))
    removal = block(
        len(cleared),
        subject=subject[cleared],
        category=world.cat["market.abnormal_operation_cleared"],
        provider=provider[cleared],
        occurred=cleared_day[cleared],
        doctype=doc,
        link=cleared,
    )
    return stack([listed, removal])


def _serious(world: World, rng: np.random.Generator) -> Table:
    subject, day = all_kinds(world, rng, {ENTERPRISE: (0.0015, 2.0)})
    n = len(subject)
    sector = world.enterprises.sector[subject - world.enterprise0]
    food_drug = np.isin(sector, (FOOD, DRUGS_SECTOR)) & (rng.random(n) < 0.7)
    ground = np.where(food_drug, 0, weighted(rng, n, OTHER_GROUND_WEIGHTS))
    provider = np.where(
        rng.random(n) < 0.5,
        world.providers.at("market", 0),
        area_provider(world, "market", subject),
    )
    return block(
        n,
        subject=subject,
        category=world.cat["market.serious_illegal_dishonesty"],
        provider=provider,
        occurred=day,
        doctype=numbering.doc("market_serious"),
        a=ground,
        amount=lognormal(rng, 500_000, 1.0, n),
    )


def generate(world: World) -> list[Table]:
    rng = world.rng("market")
    return [
        _penalties(world, rng),
        *_safety(world, rng),
        _abnormal(world, rng),
        _serious(world, rng),
        _licences(world, world.rng("market_licence")),  # its own stream: others unchanged
    ]


_SECTOR_TEXT = (*SECTORS, "individual_business")


def _penalty(r: Rows) -> Fields:
    return {
        "decision_no": r.doc,
        "penalty": jsonfmt.enum(r.a, PENALTIES),
        "amount": jsonfmt.number(r.amount),
        "sector": jsonfmt.where(r.b >= 0, jsonfmt.enum(np.maximum(r.b, 0), _SECTOR_TEXT)),
    }


_LICENCE_ITEMS = jsonfmt.table([item for item, _ in LICENCES])
_LICENCE_SCOPES = jsonfmt.table([scope for _, scope in LICENCES])


def _licence(r: Rows) -> Fields:
    return {
        "decision_no": r.doc,
        "item": jsonfmt.take(_LICENCE_ITEMS, r.a),
        "reason": jsonfmt.take(_LICENCE_SCOPES, r.a),
    }


def _product(r: Rows) -> Fields:
    return {
        "decision_no": r.doc,
        "product": jsonfmt.enum(r.a, PRODUCTS),
        "amount": jsonfmt.number(r.amount),
    }


def _food(r: Rows) -> Fields:
    return {
        "decision_no": r.doc,
        "product": jsonfmt.enum(r.a, FOODS),
        "amount": jsonfmt.number(r.amount),
        "harm": jsonfmt.enum(r.b, HARMS),
    }


def _drug(r: Rows) -> Fields:
    return {
        "decision_no": r.doc,
        "product": jsonfmt.enum(r.a, DRUGS),
        "amount": jsonfmt.number(r.amount),
        "counterfeit": jsonfmt.boolean(r.b == 1),
    }


def _abnormal_listed(r: Rows) -> Fields:
    return {"decision_no": r.doc, "reason": jsonfmt.enum(r.a, REASONS)}


def _abnormal_cleared(r: Rows) -> Fields:
    return {"decision_no": r.doc}


def _serious_render(r: Rows) -> Fields:
    return {
        "decision_no": r.doc,
        "ground": jsonfmt.enum(r.a, GROUNDS),
        "amount": jsonfmt.number(r.amount),
    }


TYPOS: dict[str, Typo] = {
    "market.abnormal_operation": lambda r, m: cycle(r.a, m, len(REASONS)),
}
RENDERERS: dict[str, Renderer] = {
    "market.administrative_penalty": _penalty,
    "market.administrative_licence": _licence,
    "market.product_safety_violation": _product,
    "market.food_safety_violation": _food,
    "market.drug_safety_violation": _drug,
    "market.abnormal_operation": _abnormal_listed,
    "market.abnormal_operation_cleared": _abnormal_cleared,
    "market.serious_illegal_dishonesty": _serious_render,
}
