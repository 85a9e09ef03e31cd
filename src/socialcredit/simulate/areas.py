"""GB/T 2260 area codes valid for a birth year, as python-stdnum checks them.

``stdnum.cn.ric`` accepts an area code only if one of the county names the
``cn/loc.dat`` database holds for it was in use in the birth year (names
carry ``[start-end]`` year ranges). The file is parsed once into arrays so
that codes can be drawn per birth year without a loop over persons.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]

FIRST_YEAR = 1900
LAST_YEAR = 2100

# County-level entries that do not name a place of birth.
_NOT_PLACES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

# Weihai's districts and the codes their territory carried before (GB/T 2260
# history: Yantai prefecture until 1983, Yantai city 1983-1987, Weihai since).
WEIHAI_LINEAGE: dict[int, tuple[int, ...]] = {
    371002: (372102, 370620, 371002),  # 环翠区 (the former county-level 威海市)
    371003: (372132, 370632, 371022, 371081, 371003),  # 文登区
    371082: (372133, 370633, 371023, 371082),  # 荣成市
    371083: (372130, 370630, 371021, 371083),  # 乳山市
}


@dataclass(frozen=True)
class AreaTable:
    """County-level codes with a validity mask per year (``valid[code, year - FIRST_YEAR]``)."""

    codes: I64
    names: tuple[str, ...]
    valid: npt.NDArray[np.bool_]

    def index(self, code: int) -> int:
        pos = int(np.searchsorted(self.codes, code))
        if pos >= len(self.codes) or self.codes[pos] != code:
            raise KeyError(code)
        return pos

    def valid_in(self, code: int, year: int) -> bool:
        return bool(self.valid[self.index(code), year - FIRST_YEAR])

    def lineage_code(self, district: int, years: I64) -> I64:
        """For each birth year, the latest code of ``district``'s lineage valid that year."""
        out = np.zeros(len(years), dtype=np.int64)
        for code in WEIHAI_LINEAGE[district]:
            ok = self.valid[self.index(code), np.asarray(years) - FIRST_YEAR]
            out = np.where(ok, code, out)
        if (out == 0).any():
            raise ValueError(f"no code of {district}'s lineage is valid for some birth year")
        return out

    def draw(self, rng: np.random.Generator, years: I64, prefix: int | None = None) -> I64:
        """A code valid in each year, uniformly among place codes (optionally of a province)."""
        years = np.asarray(years, dtype=np.int64)
        out = np.zeros(len(years), dtype=np.int64)
        allowed = np.ones(len(self.codes), dtype=bool)
        if prefix is not None:
            allowed = self.codes // 10000 == prefix
        for year in np.unique(years):
            rows = np.flatnonzero(years == year)
            candidates = self.codes[allowed & self.valid[:, int(year) - FIRST_YEAR]]
            out[rows] = candidates[rng.integers(0, len(candidates), len(rows))]
        return out


def _ranges(county: str) -> list[tuple[int, int]]:
    """Year ranges in which a county entry (``"[1989-]荣成市,..."``) is valid."""
    spans: list[tuple[int, int]] = []
    for part in county.split(","):
        if not part.startswith("["):
            return [(FIRST_YEAR, LAST_YEAR)]
        span, _, _name = part[1:].partition("]")
        start, _, end = span.partition("-")
        spans.append((int(start) if start else FIRST_YEAR, int(end) if end else LAST_YEAR))
    return spans


def _name(county: str) -> str:
    return county.split(",")[-1].split("]")[-1]


@lru_cache(maxsize=1)
def area_table() -> AreaTable:
    text = importlib.resources.files("stdnum").joinpath("cn/loc.dat").read_text("utf-8")
    codes: list[int] = []
    names: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    province = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            province = line.split()[0]
            continue
        prefix, _, props = line.strip().partition(" ")
        if not props.startswith('county="') or prefix.endswith("00"):
            continue
        county = props[len('county="') : -1]
        if _name(county) in _NOT_PLACES:
            continue
        codes.append(int(province + prefix))
        names.append(_name(county))
        spans.append(_ranges(county))
    order = np.argsort(np.array(codes), kind="stable")
    valid = np.zeros((len(codes), LAST_YEAR - FIRST_YEAR + 1), dtype=bool)
    for row, i in enumerate(order):
        for start, end in spans[i]:
            valid[row, start - FIRST_YEAR : end - FIRST_YEAR + 1] = True
    return AreaTable(
        codes=np.array(codes, dtype=np.int64)[order],
        names=tuple(names[i] for i in order),
        valid=valid,
    )
