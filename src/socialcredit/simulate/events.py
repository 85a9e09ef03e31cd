"""The event table: every record to emit, as numeric columns (about 55 bytes a row).

Records are generated, timed, numbered and faulted as plain numpy columns;
strings (identifiers, document numbers, attribute JSON) are only made when a
chunk of the final, sorted table is written.

Columns:

* ``subject``, ``other``: global subject indices (persons, then enterprises,
  then institutions); ``other`` names a second subject an identifier
  attribute points to (court, supplier, legal representative...), or -1.
* ``category``, ``provider``: indices into the world's category and provider
  tables; ``issuer`` is the body whose document-number series the record's
  number comes from (usually the provider).
* ``occurred``, ``reported``: day numbers (``reported`` -1 until timed).
* ``doctype``, ``year``, ``seq``: the document number (series, year, number).
* ``link``: a parent record whose document number this one shares (an order
  restricting consumption shares its judgment-default case number), or, for
  corrections and withdrawals, the record they supersede.
* ``amount``, ``a``-``d``: category-specific values (see each domain module).
* ``variant``: normal, or one of the injected faults; ``farg`` its argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from socialcredit.simulate.calendar import Window

I64 = npt.NDArray[np.int64]

COLUMNS: dict[str, type[np.generic]] = {
    "subject": np.int32,
    "other": np.int32,
    "category": np.int16,
    "provider": np.int16,
    "issuer": np.int16,
    "occurred": np.int32,
    "reported": np.int32,
    "doctype": np.int16,
    "year": np.int16,
    "seq": np.int32,
    "link": np.int32,
    "amount": np.float64,
    "a": np.int32,
    "b": np.int32,
    "c": np.int32,
    "d": np.int32,
    "variant": np.int8,
    "farg": np.int8,
    "late": np.int8,
}
DEFAULTS: dict[str, float] = {
    "other": -1,
    "issuer": -1,
    "reported": -1,
    "doctype": 0,
    "year": 0,
    "seq": 0,
    "link": -1,
    "amount": np.nan,
    "a": -1,
    "b": -1,
    "c": -1,
    "d": -1,
    "variant": 0,
    "farg": 0,
    "late": 0,
}

# variants
NORMAL = 0
ERRONEOUS = 1  # reported with a wrong amount, later corrected
CORRECTION = 2  # supersedes an erroneous record, with the right attributes
WITHDRAWAL = 3  # withdraws a spurious record
DUPLICATE = 4  # exact copy of another line
SPURIOUS = 5  # reported about the wrong subject, later withdrawn
BAD_IDENTIFIER = 6  # invalid: subject identifier with a wrong check character
UNKNOWN_CATEGORY = 7  # invalid: category not in the catalogue
UNAUTHORISED = 8  # invalid: provider kind may not report the category
SCHEMA = 9  # invalid: an attribute missing or out of range
FAULTY = 10  # from a faulty feed (simulate/faulty_feed.py): a record too many, or an amount off
BIASED = 11  # over-reported about one group by a biased provider (simulate/biased_provider.py)
INVALID_VARIANTS = (BAD_IDENTIFIER, UNKNOWN_CATEGORY, UNAUTHORISED, SCHEMA)
EXPECTED_CODE = {
    BAD_IDENTIFIER: "invalid_identifier",
    UNKNOWN_CATEGORY: "unknown_category",
    UNAUTHORISED: "unauthorised_category",
    SCHEMA: "schema_violation",
}


@dataclass
class Table:
    cols: dict[str, npt.NDArray[np.generic]]

    def __len__(self) -> int:
        return len(self.cols["subject"])

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        return self.cols[name]

    def i64(self, name: str) -> I64:
        return self.cols[name].astype(np.int64)

    def take(self, idx: I64) -> Table:
        return Table({k: v[idx] for k, v in self.cols.items()})


def block(n: int, **values: npt.ArrayLike) -> Table:
    """A block of ``n`` rows; columns not given take their default, scalars broadcast."""
    unknown = set(values) - set(COLUMNS)
    if unknown:
        raise KeyError(f"unknown event columns: {sorted(unknown)}")
    cols: dict[str, npt.NDArray[np.generic]] = {}
    for name, dtype in COLUMNS.items():
        value = values.get(name, DEFAULTS.get(name))
        if value is None:
            raise KeyError(f"event column {name} is required")
        arr = np.asarray(value)
        if arr.ndim == 0:
            cols[name] = np.full(n, arr, dtype=dtype)
        else:
            if len(arr) != n:
                raise ValueError(f"column {name}: {len(arr)} values for {n} rows")
            cols[name] = arr.astype(dtype, copy=False)
    return Table(cols)


def concat(blocks: Sequence[Table]) -> Table:
    """One table from blocks; a block's ``link`` values are local to it and are shifted."""
    blocks = [b for b in blocks if len(b)]
    if not blocks:
        return block(0, subject=[], category=[], provider=[], occurred=[])
    offsets = np.cumsum([0, *[len(b) for b in blocks[:-1]]])
    cols: dict[str, npt.NDArray[np.generic]] = {}
    for name in COLUMNS:
        parts = []
        for off, b in zip(offsets, blocks, strict=True):
            part = b.cols[name]
            if name == "link":
                local = part.astype(np.int64)
                part = np.where(local >= 0, local + off, -1).astype(np.int32)
            parts.append(part)
        cols[name] = np.concatenate(parts)
    table = Table(cols)
    issuer = table.i64("issuer")
    table.cols["issuer"] = np.where(issuer < 0, table["provider"], issuer).astype(np.int16)
    return table


def append(table: Table, *extra: Table) -> Table:
    """Rows added at the end; the extra rows' links are already global."""
    return Table({k: np.concatenate([table.cols[k], *(e.cols[k] for e in extra)]) for k in COLUMNS})


def keep(table: Table, mask: npt.NDArray[np.bool_]) -> Table:
    """Rows where ``mask`` holds; links are renumbered (links to dropped rows become -1)."""
    new_index = np.cumsum(mask) - 1
    out = table.take(np.flatnonzero(mask))
    link = out.i64("link")
    ok = link >= 0
    fixed = np.full(len(link), -1, dtype=np.int64)
    fixed[ok] = np.where(mask[link[ok]], new_index[link[ok]], -1)
    out.cols["link"] = fixed.astype(np.int32)
    return out


def poisson(
    rng: np.random.Generator,
    rate: npt.NDArray[np.float64],
    since: npt.ArrayLike,
    window: Window,
) -> tuple[I64, I64]:
    """Events at ``rate`` a year per subject from max(start, since) to the end.

    Returns the subject (local index) and the day of each event.
    """
    since_arr = np.broadcast_to(np.asarray(since, dtype=np.int64), rate.shape)
    counts = rng.poisson(rate * window.exposure_years(since_arr))
    who = np.repeat(np.arange(len(rate), dtype=np.int64), counts)
    first = np.maximum(since_arr[who], window.start)
    span = window.end + 1 - first
    day = first + (rng.random(len(who)) * span).astype(np.int64)
    return who, np.minimum(day, window.end)


def weighted(
    rng: np.random.Generator, n: int, weights: Sequence[float] | npt.NDArray[np.float64]
) -> I64:
    """``n`` draws of indices with the given relative weights."""
    p = np.asarray(weights, dtype=np.float64)
    out: I64 = rng.choice(len(p), n, p=p / p.sum())
    return out


def lognormal(
    rng: np.random.Generator, median: npt.ArrayLike, sigma: float, n: int
) -> npt.NDArray[np.float64]:
    """Amounts in yuan, rounded to whole yuan."""
    logs = np.log(np.asarray(median, dtype=np.float64))
    out: npt.NDArray[np.float64] = np.rint(np.exp(rng.normal(logs, sigma, n)))
    return out


def stack(blocks: Sequence[Table]) -> Table:
    """Blocks joined into one block whose ``link`` values already index the joined rows."""
    return Table({k: np.concatenate([b.cols[k] for b in blocks]) for k in COLUMNS})


def choose(rng: np.random.Generator, probabilities: npt.NDArray[np.float64]) -> I64:
    """One draw per row from per-row probabilities (rows need not sum to one)."""
    cum = np.cumsum(probabilities, axis=1)
    u = rng.random(len(cum)) * cum[:, -1]
    count: I64 = (cum < u[:, None]).sum(axis=1)
    out: I64 = np.minimum(count, probabilities.shape[1] - 1)
    return out
