"""Persons and enterprises: identifiers, names and the latent traits that drive behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from socialcredit.simulate import ids, names
from socialcredit.simulate.areas import area_table
from socialcredit.simulate.calendar import Window, day_of, shift_years, to_days, years_of, ymd_of
from socialcredit.simulate.geography import DISTRICT_SHARES, DISTRICTS, SHANDONG

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

BORN_LOCALLY = 0.82  # share of residents born in Weihai
BORN_IN_PROVINCE = 0.6  # of the others, share born elsewhere in Shandong
CHRONIC_SHARE = 0.03  # persons who offend chronically


@dataclass(frozen=True)
class Persons:
    count: int
    birth: I64
    male: B
    birth_area: I64
    district: I64  # index into DISTRICTS of the residence
    risk: F64  # offending propensity (rate multiplier)
    chronic: B
    civic: F64  # pro-social propensity
    drives: B
    consent: B  # consents to the Rongcheng points scheme
    ident: npt.NDArray[np.uint8]
    name: pa.Array


@dataclass(frozen=True)
class Enterprises:
    count: int
    district: I64
    sector: I64  # index into names.SECTORS
    established: I64
    honesty: F64  # latent integrity in [0, 1]
    risk: F64  # rate multiplier derived from honesty
    capital: F64
    legal_rep: I64  # person index
    controller: I64  # person index
    control_share: F64
    ident: npt.NDArray[np.uint8]
    name: pa.Array


def _unique_sequences(key: I64, male: B) -> I64:
    """Sequence numbers unique within each (area, birth date, sex): odd male, even female."""
    group = key * 2 + male.astype(np.int64)
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_group)) + 1]
    run = np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - run
    if len(rank) and rank.max() >= 499:
        raise ValueError("too many persons share an area, birth date and sex")
    half = (rank * 37 + key % 1009) % 499
    return np.where(male, 2 * half + 1, 2 * half + 2)


def adults_at(rng: np.random.Generator, persons: Persons, days: I64, age: int = 20) -> I64:
    """For each day, a random person at least ``age`` years old on that day."""
    by_birth = np.argsort(persons.birth, kind="stable")
    eligible = np.searchsorted(persons.birth[by_birth], days - int(age * 365.2425), "right")
    pick = (rng.random(len(days)) * np.maximum(eligible, 1)).astype(np.int64)
    out: I64 = by_birth[pick]
    return out


def make_persons(rng: np.random.Generator, count: int, end: dt.date) -> Persons:
    oldest = to_days(shift_years(end, -81)) + 1  # 80 at the end date
    youngest = to_days(shift_years(end, -18))  # 18 at the end date
    birth = oldest + (rng.beta(1.5, 1.4, count) * (youngest - oldest)).astype(np.int64)
    male = rng.random(count) < 0.5
    district = rng.choice(len(DISTRICTS), count, p=DISTRICT_SHARES)

    table = area_table()
    years = years_of(birth)
    born_district = np.where(
        rng.random(count) < 0.9, district, rng.integers(0, len(DISTRICTS), count)
    )
    area = np.zeros(count, dtype=np.int64)
    for i, d in enumerate(DISTRICTS):
        rows = np.flatnonzero(born_district == i)
        area[rows] = table.lineage_code(int(d.code), years[rows])
    elsewhere = np.flatnonzero(rng.random(count) >= BORN_LOCALLY)
    in_province = rng.random(len(elsewhere)) < BORN_IN_PROVINCE
    area[elsewhere[in_province]] = table.draw(rng, years[elsewhere[in_province]], SHANDONG)
    area[elsewhere[~in_province]] = table.draw(rng, years[elsewhere[~in_province]])

    ymd = ymd_of(birth)
    sequence = _unique_sequences(area * 100_000_000 + ymd, male)
    ident = ids.ric(area, ymd, sequence)

    chronic = rng.random(count) < CHRONIC_SHARE
    risk = np.where(chronic, rng.gamma(2.0, 4.0, count), rng.gamma(0.6, 1.0, count))
    civic = rng.gamma(0.5, 2.0, count) / (1.0 + 0.3 * risk)
    drives = rng.random(count) < np.where(male, 0.72, 0.46)
    rongcheng = district == next(i for i, d in enumerate(DISTRICTS) if d.code == "371082")
    consent = rongcheng & (rng.random(count) < 0.65)
    return Persons(
        count=count,
        birth=birth,
        male=male,
        birth_area=area,
        district=district,
        risk=risk,
        chronic=chronic,
        civic=civic,
        drives=drives,
        consent=consent,
        ident=ident,
        name=names.person_names(rng, male),
    )


def make_enterprises(
    rng: np.random.Generator, count: int, window: Window, persons: Persons, counter0: int
) -> Enterprises:
    district = rng.choice(len(DISTRICTS), count, p=DISTRICT_SHARES)
    sector = rng.choice(
        len(names.SECTORS), count, p=np.array(names.SECTOR_WEIGHTS) / sum(names.SECTOR_WEIGHTS)
    )
    earliest = int(day_of(1985, 1, 1))
    age = rng.exponential(9.0 * 365.2425, count).astype(np.int64)
    established = np.maximum(window.end - 1 - age, earliest)
    honesty = rng.beta(6.0, 2.0, count)
    risk = ((1.0 - honesty) / 0.25) ** 2
    capital = np.round(np.exp(rng.normal(np.log(1_000_000), 1.2, count)), -4).clip(10_000, None)

    legal_rep = adults_at(rng, persons, established)
    other = adults_at(rng, persons, established)
    controller = np.where(rng.random(count) < 0.6, legal_rep, other)
    control_share = np.round(rng.uniform(0.3, 1.0, count), 2)

    modern = established >= int(day_of(2015, 10, 1))
    body = ids.org_bodies(np.arange(count, dtype=np.int64) + counter0, modern)
    area = np.array([int(d.code) for d in DISTRICTS], dtype=np.int64)[district]
    ident = ids.uscc(b"9", np.full(count, ord("1"), dtype=np.uint8), area, body)
    place = pa.array(
        [d.name if d.name.endswith("市") and len(d.name) == 3 else "威海" for d in DISTRICTS]
    )
    prefix = pc.if_else(
        pa.array(rng.random(count) < 0.15), pa.scalar("山东"), place.take(pa.array(district))
    )
    return Enterprises(
        count=count,
        district=district,
        sector=sector,
        established=established,
        honesty=honesty,
        risk=risk,
        capital=capital,
        legal_rep=legal_rep,
        controller=controller,
        control_share=control_share,
        ident=ident,
        name=names.enterprise_names(rng, prefix, sector),
    )
