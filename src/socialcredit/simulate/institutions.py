"""Public bodies of the city, the officials holding offices in them, and the judges."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.simulate import ids
from socialcredit.simulate.calendar import Window, shift_years, to_days
from socialcredit.simulate.geography import AREAS, DISTRICT_SHARES
from socialcredit.simulate.population import Persons

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

TYPES = ("court", "procuratorate", "government", "public_institution", "social_organisation")
COURT, PROCURATORATE, GOVERNMENT, PUBLIC = 0, 1, 2, 3
LEVELS = ("national", "provincial", "municipal", "county", "township")

_BUREAUS = (
    "发展和改革局",
    "财政局",
    "教育局",
    "公安局",
    "民政局",
    "人力资源和社会保障局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "卫生健康局",
    "市场监督管理局",
    "农业农村局",
    "应急管理局",
    "综合行政执法局",
    "审计局",
    "生态环境局",
)
_CITY_NAMES = {"发展和改革局": "发展和改革委员会", "卫生健康局": "卫生健康委员会"}
_PUBLIC = (
    "人民医院",
    "中医医院",
    "妇幼保健院",
    "疾病预防控制中心",
    "图书馆",
    "文化馆",
    "社会福利中心",
    "不动产登记中心",
    "公共资源交易中心",
    "实验中学",
    "实验小学",
)

JUDGE_TITLES = ("审判员", "庭长", "副庭长")
JUDGE_RANKS = (
    "一级高级法官",
    "二级高级法官",
    "三级高级法官",
    "四级高级法官",
    "一级法官",
    "二级法官",
)
RANKS = ("正厅级", "副厅级", "正处级", "副处级", "正科级", "副科级")
SPECIALTIES = ("civil", "commercial", "administrative", "criminal", "enforcement")
SPECIALTY_SHARES = (0.42, 0.13, 0.05, 0.2, 0.2)


@dataclass(frozen=True)
class Institutions:
    count: int
    area: I64  # index into AREAS
    type: I64  # index into TYPES
    level: I64  # index into LEVELS
    court_of_area: I64  # institution index of the court of each area
    risk: F64
    ident: npt.NDArray[np.uint8]
    name: pa.Array
    names: tuple[str, ...]


@dataclass(frozen=True)
class Offices:
    person: I64
    institution: I64
    title: tuple[str, ...]
    rank: tuple[str, ...]
    start: I64
    ended: I64  # day the office ended, -1 if it has not
    head: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Judges:
    office: I64  # index into Offices
    person: I64
    court: I64  # institution index
    specialty: I64  # index into SPECIALTIES
    bias: F64  # relative deviation of sentences (criminal) or awards (civil); 0 if unbiased


def _head_title(name: str, area: int) -> str:
    if name.endswith("人民法院"):
        return "院长"
    if name.endswith("检察院"):
        return "检察长"
    if name.endswith("人民政府"):
        return "区长" if AREAS[area].name.endswith("区") else "市长"
    for suffix, title in (("局", "局长"), ("委员会", "主任"), ("学", "校长"), ("院", "院长")):
        if name.endswith(suffix):
            return title
    return "主任"


def _bodies(public_count: int) -> list[tuple[int, int, str]]:
    """(area, type, name) of every body: courts first (one per area), then the rest."""
    bodies: list[tuple[int, int, str]] = []
    for a, area in enumerate(AREAS):
        court = "威海市中级人民法院" if a == 0 else area.name + "人民法院"
        bodies.append((a, COURT, court))
    for a, area in enumerate(AREAS):
        bodies.append((a, PROCURATORATE, area.name + "人民检察院"))
        bodies.append((a, GOVERNMENT, area.name + "人民政府"))
        for bureau in _BUREAUS:
            bureau_name = _CITY_NAMES.get(bureau, bureau) if a == 0 else bureau
            bodies.append((a, GOVERNMENT, area.name + bureau_name))
    shares = np.array([0.2, *[0.8 * s for s in DISTRICT_SHARES]])
    per_area = np.maximum(1, np.round(shares * public_count)).astype(int)
    for a, area in enumerate(AREAS):
        made = 0
        for suffix in _PUBLIC:
            if made < per_area[a]:
                bodies.append((a, PUBLIC, area.name + suffix))
                made += 1
        towns = area.subdistricts or ("",)
        k = 0
        while made < per_area[a]:
            town = towns[k % len(towns)]
            round_ = k // len(towns)
            kind = ("卫生院", "中心学校", "中学", "小学")[round_ % 4]
            number = "" if round_ < 4 else f"第{round_ // 4 + 1}"
            bodies.append((a, PUBLIC, f"{area.name}{town}{number}{kind}"))
            made += 1
            k += 1
    return bodies


def make_institutions(rng: np.random.Generator, persons: int, counter0: int) -> Institutions:
    bodies = _bodies(max(10, persons // 1500))
    count = len(bodies)
    area = np.array([b[0] for b in bodies], dtype=np.int64)
    kind = np.array([b[1] for b in bodies], dtype=np.int64)
    codes = np.array([int(AREAS[a].code) for a in area], dtype=np.int64)
    body = ids.org_bodies(np.arange(count, dtype=np.int64) + counter0, np.zeros(count, bool))
    entity_type = np.where(kind == PUBLIC, ord("2"), ord("1")).astype(np.uint8)
    ident = ids.uscc(b"1", entity_type, codes, body)
    level = np.where(area == 0, LEVELS.index("municipal"), LEVELS.index("county"))
    names = tuple(b[2] for b in bodies)
    return Institutions(
        count=count,
        area=area,
        type=kind,
        level=level,
        court_of_area=np.arange(len(AREAS), dtype=np.int64),
        risk=rng.gamma(1.5, 1 / 1.5, count),
        ident=ident,
        name=pa.array(names),
        names=names,
    )


def make_offices(
    rng: np.random.Generator, persons: Persons, inst: Institutions, window: Window
) -> tuple[Offices, Judges]:
    judges_per_court = np.round(
        max(10, persons.count // 2500) * np.array([0.25, *[0.75 * s for s in DISTRICT_SHARES]])
    ).astype(int)
    deputies = np.where(inst.type == COURT, 1, np.where(inst.type == PUBLIC, 1, 2))
    seats_inst: list[int] = []
    titles: list[str] = []
    ranks: list[str] = []
    head: list[bool] = []
    judge_court: list[int] = []
    for i in range(inst.count):
        title = _head_title(inst.names[i], int(inst.area[i]))
        government = inst.names[i].endswith("人民政府")
        top = (0 if government else 2) if inst.area[i] == 0 else (2 if government else 4)
        for d in range(1 + int(deputies[i])):
            seats_inst.append(i)
            titles.append(title if d == 0 else "副" + title)
            ranks.append(RANKS[min(top + (0 if d == 0 else 1), len(RANKS) - 1)])
            head.append(d == 0)
        if inst.type[i] == COURT:
            for _ in range(int(judges_per_court[inst.area[i]])):
                seats_inst.append(i)
                pick = rng.random()
                titles.append(JUDGE_TITLES[0 if pick < 0.65 else (1 if pick < 0.85 else 2)])
                ranks.append(JUDGE_RANKS[int(rng.integers(0, len(JUDGE_RANKS)))])
                head.append(False)
                judge_court.append(len(seats_inst) - 1)
    seats = len(seats_inst)
    young = to_days(shift_years(window.end_date, -30))
    old = to_days(shift_years(window.end_date, -60))
    eligible = np.flatnonzero((persons.birth <= young) & (persons.birth >= old))
    if len(eligible) < seats:
        eligible = np.arange(persons.count)
    person = rng.choice(eligible, size=min(seats, len(eligible)), replace=False)
    if len(person) < seats:
        raise ValueError("too few persons to fill the offices of the city's institutions")
    # appointed at 23 at the earliest
    start = np.maximum(
        window.start - rng.integers(30, 15 * 365, seats), persons.birth[person] + 8401
    )
    ended = np.full(seats, -1, dtype=np.int64)
    is_judge = np.zeros(seats, dtype=bool)
    is_judge[judge_court] = True
    leaves = (~is_judge) & (~np.array(head)) & (rng.random(seats) < 0.12)
    ended[leaves] = window.start + rng.integers(30, max(31, window.days - 1), int(leaves.sum()))
    offices = Offices(
        person=person.astype(np.int64),
        institution=np.array(seats_inst, dtype=np.int64),
        title=tuple(titles),
        rank=tuple(ranks),
        start=start.astype(np.int64),
        ended=ended,
        head=np.array(head),
    )
    office_idx = np.array(judge_court, dtype=np.int64)
    n_j = len(office_idx)
    specialty = rng.choice(len(SPECIALTIES), n_j, p=SPECIALTY_SHARES)
    bias = np.zeros(n_j)
    eligible_bias = np.flatnonzero(np.isin(specialty, (0, 1, 3)))
    n_biased = min(len(eligible_bias), max(2, round(0.05 * n_j)))
    biased = rng.choice(eligible_bias, size=n_biased, replace=False)
    size = rng.uniform(0.25, 0.6, n_biased) * np.where(rng.random(n_biased) < 0.6, 1, -1)
    bias[biased] = np.round(size, 3)
    judges = Judges(
        office=office_idx,
        person=offices.person[office_idx],
        court=offices.institution[office_idx],
        specialty=specialty,
        bias=bias,
    )
    return offices, judges
