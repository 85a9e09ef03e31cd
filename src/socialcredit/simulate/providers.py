"""The bodies that report records in the demo city, and how promptly they report."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from socialcredit.simulate.geography import AREAS, DISTRICTS

I64 = npt.NDArray[np.int64]

# Typical days between an act and its report, by provider kind.
MEAN_DELAY = {
    "court": 12.0,
    "tax": 4.0,
    "market": 6.0,
    "drug": 9.0,
    "bank": 25.0,
    "finance_regulator": 30.0,
    "traffic_police": 2.0,
    "railway": 3.0,
    "police": 1.0,
    "public_security": 6.0,
    "organisation": 8.0,
    "government_supervision": 18.0,
    "procurement": 2.0,
    "utility": 32.0,
    "blood_centre": 1.0,
    "community": 10.0,
    "civil_affairs": 25.0,
    "customs": 15.0,
}
BANKS = (
    ("中国工商银行股份有限公司威海分行", "ICBC", 0, 0.24),
    ("中国建设银行股份有限公司威海分行", "CCB", 0, 0.2),
    ("中国农业银行股份有限公司威海分行", "ABC", 0, 0.18),
    ("中国银行股份有限公司威海分行", "BOC", 0, 0.14),
    ("威海市商业银行股份有限公司", "WHCCB", 0, 0.14),
    ("山东荣成农村商业银行股份有限公司", "RCRCB", 3, 0.1),
)
UTILITIES = (
    ("water", "威海市水务集团有限公司"),
    ("electricity", "国网山东省电力公司威海供电公司"),
    ("gas", "威海港华燃气有限公司"),
    ("heating", "威海热电集团有限公司"),
)
_COMMUNITY_WORDS = (
    "东",
    "西",
    "南",
    "北",
    "新华",
    "光明",
    "海滨",
    "花园",
    "和平",
    "幸福",
    "阳光",
    "文化",
    "建设",
    "胜利",
    "青山",
    "望海",
    "福泰",
    "金海",
    "长春",
    "古寨",
)


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    kind: str
    name: str
    jurisdiction: str
    abbr: str  # used in document numbers
    area: int  # index into AREAS, -1 for national bodies
    registered_elsewhere: bool = False  # registered by a policy pack already


@dataclass
class Providers:
    items: list[Provider] = field(default_factory=list)
    by_kind_area: dict[tuple[str, int], int] = field(default_factory=dict)
    communities: list[I64] = field(default_factory=list)  # per district
    banks: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    bank_weights: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    utilities: dict[str, int] = field(default_factory=dict)
    mean_delay: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    duplicate_weight: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    late: tuple[int, ...] = ()
    sloppy: tuple[int, ...] = ()

    def add(
        self,
        kind: str,
        area: int,
        name: str,
        abbr: str | None = None,
        elsewhere: bool = False,
        jurisdiction: str | None = None,
    ) -> int:
        code = AREAS[area].code if area >= 0 else "national"
        base = f"{kind}.{code}"
        taken = sum(1 for p in self.items if p.id == base or p.id.startswith(base + "."))
        pid = base if taken == 0 else f"{base}.{taken + 1}"
        self.items.append(
            Provider(
                pid,
                kind,
                name,
                jurisdiction or code,
                abbr if abbr is not None else (AREAS[area].abbr if area >= 0 else ""),
                area,
                elsewhere,
            )
        )
        self.by_kind_area.setdefault((kind, area), len(self.items) - 1)
        return len(self.items) - 1

    def at(self, kind: str, area: int) -> int:
        return self.by_kind_area[(kind, area)]

    def area_array(self, kind: str) -> I64:
        """Provider index of ``kind`` for each area (city first, then the districts).

        Kinds with district bodies only serve city-level subjects from the central district.
        """
        return np.array(
            [
                self.by_kind_area.get((kind, a), self.by_kind_area.get((kind, 1), -1))
                for a in range(len(AREAS))
            ],
            dtype=np.int64,
        )

    def district_array(self, kind: str) -> I64:
        return np.array([self.at(kind, a + 1) for a in range(len(DISTRICTS))], dtype=np.int64)

    @property
    def count(self) -> int:
        return len(self.items)


def _is_district(area: int) -> bool:
    return AREAS[area].name.endswith("区")


def _traffic_police(area: int) -> str:
    if area == 0:
        return "威海市公安局交通警察支队"
    if _is_district(area):
        return f"威海市公安局交通警察支队{AREAS[area].short}大队"
    return f"{AREAS[area].name}公安局交通警察大队"


def _organisation(area: int) -> str:
    if area == 0:
        return "中共威海市委组织部"
    if _is_district(area):
        return f"中共威海市{AREAS[area].short}区委组织部"
    return f"中共{AREAS[area].short}市委组织部"


def _community_names(area: int, count: int) -> list[str]:
    towns = AREAS[area].subdistricts
    out: list[str] = []
    for k in range(count):
        town = towns[k % len(towns)]
        word = _COMMUNITY_WORDS[(k // len(towns)) % len(_COMMUNITY_WORDS)]
        number = k // (len(towns) * len(_COMMUNITY_WORDS))
        word = word + (str(number + 1) if number else "")
        if town.endswith("镇"):
            out.append(f"{AREAS[area].name}{town}{word}村村民委员会")
        else:
            out.append(f"{AREAS[area].name}{town}{word}社区居民委员会")
    return out


# Kinds this module gives the city bodies of; other kinds come from the packs (see ``extra``).
LOCAL_KINDS = (
    "court",
    "tax",
    "market",
    "traffic_police",
    "organisation",
    "government_supervision",
    "procurement",
    "civil_affairs",
    "police",
    "public_security",
    "drug",
    "finance_regulator",
    "blood_centre",
    "bank",
    "utility",
    "railway",
    "community",
    "customs",
)


@dataclass(frozen=True, slots=True)
class ExtraProvider:
    """A body of a kind the city module does not know, needed for some category."""

    kind: str
    title: str
    pack_id: str | None = None  # a provider the packs register already
    pack_name: str = ""


def make_providers(
    rng: np.random.Generator,
    persons: int,
    extra: tuple[ExtraProvider, ...] = (),
    kinds: frozenset[str] = frozenset(LOCAL_KINDS),
) -> Providers:
    """The city's bodies; ``kinds`` are the provider kinds the packs declare."""
    p = Providers()
    for a, area in enumerate(AREAS):
        p.add("court", a, "威海市中级人民法院" if a == 0 else area.name + "人民法院")
        p.add("tax", a, f"国家税务总局{area.name}税务局")
        p.add("market", a, f"{area.name}市场监督管理局")
        p.add("traffic_police", a, _traffic_police(a))
        p.add("organisation", a, _organisation(a))
        p.add("government_supervision", a, f"{area.name}人民政府督查室")
        p.add("procurement", a, f"{area.name}政府采购中心")
        p.add("civil_affairs", a, f"{area.name}民政局")
    for a in range(1, len(AREAS)):
        short = AREAS[a].short
        police = f"威海市公安局{short}分局" if _is_district(a) else f"{AREAS[a].name}公安局"
        p.add("police", a, police)
        station = AREAS[a].subdistricts[0].removesuffix("街道").removesuffix("镇")
        p.add("public_security", a, f"{police}{station}派出所")
    p.add("drug", 0, "山东省药品监督管理局威海检查分局", abbr="鲁药监威")
    p.add("finance_regulator", 0, "威海市地方金融监督管理局", abbr="威金")
    p.add("blood_centre", 0, "威海市中心血站")
    if "customs" in kinds:
        p.add("customs", 0, "中华人民共和国威海海关")
    banks = [p.add("bank", area, name, abbr=code) for name, code, area, _w in BANKS]
    p.banks = np.array(banks, dtype=np.int64)
    p.bank_weights = np.array([b[3] for b in BANKS]) / sum(b[3] for b in BANKS)
    for utility, name in UTILITIES:
        p.utilities[utility] = p.add("utility", 0, name, abbr=utility[0].upper())
    p.add("railway", -1, "China State Railway Group", abbr="济铁", elsewhere=True)
    for x in extra:
        if x.pack_id is not None:
            p.items.append(Provider(x.pack_id, x.kind, x.pack_name, "national", "国", -1, True))
            p.by_kind_area.setdefault((x.kind, -1), len(p.items) - 1)
        else:
            p.add(x.kind, 0, f"{x.title} (威海)")
    for d, district in enumerate(DISTRICTS):
        count = int(np.clip(round(persons * district.share / 1500), 2, 200))
        idx = [p.add("community", d + 1, name) for name in _community_names(d + 1, count)]
        p.communities.append(np.array(idx, dtype=np.int64))

    kinds_of = [x.kind for x in p.items]
    delay = np.array([MEAN_DELAY.get(k, 10.0) for k in kinds_of])
    delay[[i for i, x in enumerate(p.items) if x.kind == "court" and x.area == 0]] *= 1.6
    # a few providers are systematically late, a few emit more duplicates than the rest
    late: list[int] = []
    for kind in ("court", "utility", "community", "bank"):
        members = [i for i, k in enumerate(kinds_of) if k == kind and i not in late]
        late.append(members[int(rng.integers(0, len(members)))])
    delay[late] *= 6.0
    weights = np.ones(len(kinds_of))
    sloppy: list[int] = []
    for kind in ("traffic_police", "community"):
        members = [i for i, k in enumerate(kinds_of) if k == kind]
        sloppy.append(members[int(rng.integers(0, len(members)))])
    weights[sloppy] = 8.0
    p.mean_delay = delay
    p.duplicate_weight = weights
    p.late = tuple(late)
    p.sloppy = tuple(sloppy)
    return p
