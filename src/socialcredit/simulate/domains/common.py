"""Helpers shared by the domain modules."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.simulate.events import poisson
from socialcredit.simulate.render.rows import Rows
from socialcredit.simulate.world import ENTERPRISE, INSTITUTION, PERSON, World

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Fields = dict[str, pa.Array | None]
Renderer = Callable[[Rows], Fields]
# A typo a provider makes in a record it later corrects: changes the masked rows in place.
Typo = Callable[[Rows, npt.NDArray[np.bool_]], None]


def amount_typo(rows: Rows, mask: npt.NDArray[np.bool_]) -> None:
    """The default typo: an amount ten times too high."""
    rows.amount[mask] *= 10


def cycle(values: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_], size: int) -> None:
    """A wrong enumeration value: the next one."""
    values[mask] = (values[mask] + 1) % size


ADULT_DAYS = 6575  # 18 years


def first(world: World, kind: int) -> int:
    return (0, world.enterprise0, world.institution0)[kind]


def traits(world: World, kind: int) -> tuple[F64, I64]:
    """Risk multiplier and the day from which each subject of ``kind`` can act."""
    if kind == PERSON:
        p = world.persons
        return p.risk, p.birth + ADULT_DAYS
    if kind == ENTERPRISE:
        e = world.enterprises
        return e.risk, e.established
    i = world.institutions
    return i.risk, np.full(i.count, world.window.start - 1, dtype=np.int64)


def offences(
    world: World,
    rng: np.random.Generator,
    kind: int,
    base: float,
    exponent: float = 1.0,
    eligible: npt.NDArray[np.bool_] | None = None,
    trait: F64 | None = None,
) -> tuple[I64, I64]:
    """Acts of subjects of ``kind`` at ``base * risk ** exponent`` a year: (global subject, day).

    ``trait`` replaces the risk trait (e.g. the civic trait for rewards).
    """
    risk, since = traits(world, kind)
    if trait is not None:
        risk = trait
    rate = base * risk**exponent
    if eligible is not None:
        rate = np.where(eligible, rate, 0.0)
    who, day = poisson(rng, rate, since, world.window)
    return who + first(world, kind), day


def area_provider(world: World, kind: str, subjects: I64) -> I64:
    """The provider of ``kind`` in each subject's area (city bodies for city-level subjects)."""
    return world.providers.area_array(kind)[world.subject_area[subjects]]


def court(world: World, rng: np.random.Generator, subjects: I64, city_share: float = 0.12) -> I64:
    """Court provider of each case: mostly the district court, some the intermediate court."""
    courts = world.providers.area_array("court")
    area = np.where(rng.random(len(subjects)) < city_share, 0, world.subject_area[subjects])
    out: I64 = courts[area]
    return out


def court_institution(world: World, court_provider: I64) -> I64:
    """Global subject index of the court institution behind court providers."""
    area = np.array([p.area for p in world.providers.items], dtype=np.int64)[court_provider]
    out: I64 = world.institutions.court_of_area[area] + world.institution0
    return out


def kinds_of(world: World, subjects: I64) -> I64:
    return world.subject_kind[subjects].astype(np.int64)


def by_kind(
    world: World, subjects: I64, person: float, enterprise: float, institution: float | None = None
) -> F64:
    """A per-row value chosen by the subject's kind."""
    kind = kinds_of(world, subjects)
    inst = enterprise if institution is None else institution
    out: F64 = np.select([kind == PERSON, kind == ENTERPRISE], [person, enterprise], inst)
    return out


def all_kinds(
    world: World,
    rng: np.random.Generator,
    rates: dict[int, tuple[float, float]],
    eligible: dict[int, npt.NDArray[np.bool_]] | None = None,
) -> tuple[I64, I64]:
    """Offences of several subject kinds, concatenated: {kind: (base, exponent)}."""
    subjects: list[I64] = []
    days: list[I64] = []
    for kind in (PERSON, ENTERPRISE, INSTITUTION):
        if kind not in rates:
            continue
        base, exponent = rates[kind]
        mask = None if eligible is None else eligible.get(kind)
        s, d = offences(world, rng, kind, base, exponent, mask)
        subjects.append(s)
        days.append(d)
    return np.concatenate(subjects), np.concatenate(days)


def reporting_provider(world: World) -> list[str | None]:
    """Per institution, the provider id it reports under: the courts and the market
    regulators are bodies of the city and providers both (the same name)."""
    ids = {p.name: p.id for p in world.providers.items if p.kind in ("court", "market")}
    return [ids.get(name) for name in world.institutions.names]
