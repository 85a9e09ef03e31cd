"""Rewards and the Rongcheng social categories: blood donation, volunteering, heroic acts;
utility arrears, utility theft and damage to public facilities.

Rewards follow the civic trait, offences the risk trait.

Slots — blood_donation: ``a`` component, ``b`` volume; volunteer_hours: ``a`` activity,
``b`` half-hours; heroic_act: ``a`` level; utility_*: ``a`` utility, ``b`` months,
``c`` 1 if a court found the arrears; facility damage: ``a`` facility.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.simulate import numbering
from socialcredit.simulate.calendar import shift_years, to_days
from socialcredit.simulate.domains.common import (
    Fields,
    Renderer,
    Typo,
    all_kinds,
    area_provider,
    by_kind,
    cycle,
    offences,
)
from socialcredit.simulate.events import Table, block, lognormal, weighted
from socialcredit.simulate.providers import UTILITIES
from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import ENTERPRISE, PERSON, World

I64 = npt.NDArray[np.int64]

COMPONENTS = ("whole_blood", "platelets", "plasma")
COMPONENT_WEIGHTS = (0.8, 0.12, 0.08)
VOLUMES = ((200, 300, 400), (200, 250, 250), (400, 500, 600))
VOLUME_WEIGHTS = (0.2, 0.3, 0.5)
ACTIVITIES = ("environment", "elderly_care", "community", "disaster_relief", "teaching")
ACTIVITY_WEIGHTS = (0.3, 0.25, 0.3, 0.05, 0.1)
LEVELS = ("county", "city", "province", "national")
LEVEL_WEIGHTS = (0.6, 0.3, 0.08, 0.02)
UTILITY_NAMES = tuple(u for u, _ in UTILITIES)
ARREARS_WEIGHTS = (0.3, 0.3, 0.15, 0.25)
THEFT_WEIGHTS = (0.25, 0.6, 0.1, 0.05)
FACILITIES = (
    "公交站亭",
    "路灯",
    "消防栓",
    "公共座椅",
    "交通信号灯",
    "井盖",
    "公共自行车",
    "健身器材",
    "垃圾分类亭",
)


def _rewards(world: World, rng: np.random.Generator) -> list[Table]:
    p, cat = world.persons, world.cat
    out: list[Table] = []
    sixty = to_days(shift_years(world.window.end_date, -60))
    donor = (rng.random(p.count) < np.clip(0.09 * p.civic, 0, 0.8)) & (p.birth >= sixty)
    subject, day = offences(world, rng, PERSON, 1.3, 0.0, donor)
    n = len(subject)
    component = weighted(rng, n, COMPONENT_WEIGHTS)
    volume = np.array(VOLUMES)[component, weighted(rng, n, VOLUME_WEIGHTS)]
    out.append(
        block(
            n,
            subject=subject,
            category=cat["civic.blood_donation"],
            provider=world.providers.at("blood_centre", 0),
            occurred=day,
            doctype=numbering.doc("blood"),
            a=component,
            b=volume,
        )
    )
    volunteer = rng.random(p.count) < np.clip(0.1 * p.civic, 0, 0.8)
    subject, day = offences(world, rng, PERSON, 2.5, 0.0, volunteer)
    n = len(subject)
    activity = weighted(rng, n, ACTIVITY_WEIGHTS)
    halves = np.where(activity == 3, rng.integers(16, 145, n), 2 + 2 * rng.geometric(0.35, n))
    out.append(
        block(
            n,
            subject=subject,
            category=cat["civic.volunteer_hours"],
            provider=world.person_community[subject],
            occurred=day,
            doctype=numbering.doc("volunteer"),
            a=activity,
            b=np.minimum(halves, 600),
        )
    )
    subject, day = offences(world, rng, PERSON, 0.0005, 1.0, trait=p.civic)
    n = len(subject)
    level = weighted(rng, n, LEVEL_WEIGHTS)
    office = np.where(
        level == 0,
        area_provider(world, "civil_affairs", subject),
        world.providers.at("civil_affairs", 0),
    )
    out.append(
        block(
            n,
            subject=subject,
            category=cat["civic.heroic_act"],
            provider=office,
            occurred=day,
            doctype=numbering.doc("heroic"),
            a=level,
        )
    )
    return out


def _utilities(world: World, rng: np.random.Generator) -> list[Table]:
    cat = world.cat
    out: list[Table] = []
    subject, day = all_kinds(world, rng, {PERSON: (0.02, 0.8), ENTERPRISE: (0.02, 1.0)})
    n = len(subject)
    utility = weighted(rng, n, ARREARS_WEIGHTS)
    months = np.minimum(rng.geometric(0.35, n), 120)
    monthly = by_kind(world, subject, 150.0, 6_000.0) * rng.uniform(0.5, 2.0, n)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["social.utility_arrears"],
            provider=np.array([world.providers.utilities[u] for u in UTILITY_NAMES])[utility],
            occurred=day,
            doctype=numbering.doc("utility"),
            a=utility,
            b=months,
            c=(rng.random(n) < 0.05).astype(np.int64),
            amount=np.round(monthly * months),
        )
    )
    subject, day = all_kinds(world, rng, {PERSON: (0.0008, 1.5), ENTERPRISE: (0.0015, 1.0)})
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["social.utility_theft"],
            provider=area_provider(world, "public_security", subject),
            occurred=day,
            doctype=numbering.doc("police_penalty"),
            a=weighted(rng, n, THEFT_WEIGHTS),
            amount=lognormal(rng, by_kind(world, subject, 3_000, 30_000), 1.0, n),
        )
    )
    subject, day = offences(world, rng, PERSON, 0.0006, 1.5)
    n = len(subject)
    out.append(
        block(
            n,
            subject=subject,
            category=cat["social.public_facility_damage"],
            provider=area_provider(world, "public_security", subject),
            occurred=day,
            doctype=numbering.doc("police_penalty"),
            a=rng.integers(0, len(FACILITIES), n),
            amount=lognormal(rng, 1_500, 0.8, n),
        )
    )
    return out


def generate(world: World) -> list[Table]:
    rng = world.rng("civic")
    return [*_rewards(world, rng), *_utilities(world, rng)]


def _account(r: Rows) -> pa.Array:
    letter = jsonfmt.take(jsonfmt.table([u[0].upper() for u in UTILITY_NAMES], quoted=False), r.a)
    number = jsonfmt.padded((r.subject * 7919 + 1_234_567) % 10**10, 10)
    return jsonfmt.quote(jsonfmt.join(letter, number))


def _blood(r: Rows) -> Fields:
    return {"volume_ml": jsonfmt.integer(r.b), "component": jsonfmt.enum(r.a, COMPONENTS)}


def _volunteer(r: Rows) -> Fields:
    return {"hours": jsonfmt.number(r.b / 2, 1), "activity": jsonfmt.enum(r.a, ACTIVITIES)}


def _heroic(r: Rows) -> Fields:
    return {"decision_no": r.doc, "level": jsonfmt.enum(r.a, LEVELS)}


def _arrears(r: Rows) -> Fields:
    return {
        "account_no": _account(r),
        "utility": jsonfmt.enum(r.a, UTILITY_NAMES),
        "months": jsonfmt.integer(r.b),
        "amount": jsonfmt.number(r.amount),
        "court_found": jsonfmt.boolean(r.c == 1),
    }


def _theft(r: Rows) -> Fields:
    return {
        "decision_no": r.doc,
        "utility": jsonfmt.enum(r.a, UTILITY_NAMES),
        "amount": jsonfmt.number(r.amount),
    }


def _damage(r: Rows) -> Fields:
    return {
        "decision_no": r.doc,
        "facility": jsonfmt.enum(r.a, FACILITIES),
        "amount": jsonfmt.number(r.amount),
    }


def _hours_typo(r: Rows, mask: npt.NDArray[np.bool_]) -> None:
    r.b[mask] = np.where(r.b[mask] <= 300, r.b[mask] * 2, r.b[mask] // 2)


def _volume_typo(r: Rows, mask: npt.NDArray[np.bool_]) -> None:
    r.b[mask] = np.where(r.b[mask] == 200, 400, 200)


TYPOS: dict[str, Typo] = {
    "civic.blood_donation": _volume_typo,
    "civic.volunteer_hours": _hours_typo,
    "civic.heroic_act": lambda r, m: cycle(r.a, m, len(LEVELS)),
}
RENDERERS: dict[str, Renderer] = {
    "civic.blood_donation": _blood,
    "civic.volunteer_hours": _volunteer,
    "civic.heroic_act": _heroic,
    "social.utility_arrears": _arrears,
    "social.utility_theft": _theft,
    "social.public_facility_damage": _damage,
}
