"""A group of event rows handed to a category's attribute renderer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.simulate.render import jsonfmt
from socialcredit.simulate.world import World

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


@dataclass
class Rows:
    world: World
    subject: I64
    other: I64
    provider: I64
    issuer: I64
    occurred: I64
    year: I64
    seq: I64
    amount: F64
    a: I64
    b: I64
    c: I64
    d: I64
    variant: I64
    farg: I64
    doc: pa.Array  # document number of each row, JSON-quoted
    dates: pa.Array  # JSON-quoted dates, indexed by day - date0
    date0: int

    def __len__(self) -> int:
        return len(self.subject)

    def ident(self, subjects: I64) -> pa.Array:
        """JSON-quoted identifiers of global subject indices."""
        return jsonfmt.quote(self.world.ident.take(pa.array(subjects)))

    def name(self, subjects: I64) -> pa.Array:
        return jsonfmt.quote(self.world.names.take(pa.array(subjects)))

    def date(self, days: I64) -> pa.Array:
        return self.dates.take(pa.array(np.asarray(days, dtype=np.int64) - self.date0))

    def local(self, subjects: I64, first: int) -> I64:
        """Indices into a population table (persons, enterprises...) from global ones."""
        return subjects - first
