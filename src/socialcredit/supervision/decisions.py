"""The decided cases judges are supervised on, read from a ledger snapshot.

One row per ``judicial.case_decision`` record in force (neither corrected nor
withdrawn) decided in the period: the judge (the record's subject), the court and the
provider that reported it, the case facts -- case type, cause, the claim, the court's
level from its ``registry.institution`` record and, where the court names the defendant,
how many conduct records about the defendant occurred before the decision -- and the
outcome: the outcome code, the amount awarded and the sentence. Nothing else about any
party is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcredit.engine.batch.adapters.snapshot_sql import query_snapshot
from socialcredit.engine.batch.snapshot import Named, Snapshot

CATEGORY = "judicial.case_decision"
# all :func:`read_decisions` reads: the records about the subjects the decisions name --
# their judges, their courts (whose registry records give the level) and their defendants
# (whose earlier conduct is a case fact) -- with the corrections of each
READ = Named(frozenset({CATEGORY}), ("court", "defendant"))
F64 = npt.NDArray[np.float64]
OBJ = npt.NDArray[np.object_]

_SQL = """
WITH current AS (
    SELECT r.* FROM records r
    WHERE NOT r.withdrawn
      AND NOT EXISTS (SELECT 1 FROM records s WHERE s.supersedes = r.id)
), levels AS (
    SELECT subject AS court, arg_max(json_extract_string(attributes, '$.level'), seq) AS level
    FROM current WHERE category = 'registry.institution'
    GROUP BY subject
)
, decided AS (
    SELECT d.*, json_extract_string(d.attributes, '$.defendant') AS defendant
    FROM current d
    WHERE d.category = ? AND d.occurred_at >= ? AND d.occurred_at <= ?
), priors AS (
    SELECT d.id, count(*) AS priors
    FROM decided d
    JOIN current p ON p.subject = d.defendant AND p.occurred_at < d.occurred_at
    WHERE list_contains(?::VARCHAR[], p.category)
    GROUP BY d.id
)
SELECT d.id, d.provider, d.subject AS judge, d.occurred_at,
       json_extract_string(d.attributes, '$.court') AS court,
       json_extract_string(d.attributes, '$.case_type') AS case_type,
       json_extract_string(d.attributes, '$.cause') AS cause,
       json_extract_string(d.attributes, '$.outcome') AS outcome,
       TRY_CAST(json_extract(d.attributes, '$.claim_amount') AS DOUBLE) AS claim,
       TRY_CAST(json_extract(d.attributes, '$.awarded_amount') AS DOUBLE) AS awarded,
       TRY_CAST(json_extract(d.attributes, '$.sentence_months') AS DOUBLE) AS sentence,
       coalesce(l.level, 'unknown') AS court_level,
       CASE WHEN d.defendant IS NULL THEN NULL ELSE coalesce(p.priors, 0) END AS priors
FROM decided d
LEFT JOIN levels l ON l.court = json_extract_string(d.attributes, '$.court')
LEFT JOIN priors p ON p.id = d.id
ORDER BY d.seq
"""


@dataclass(frozen=True)
class Decisions:
    """Decided cases, column by column (one index per decision)."""

    id: OBJ
    provider: OBJ
    judge: OBJ
    court: OBJ
    occurred: OBJ  # datetime.date
    case_type: OBJ
    cause: OBJ
    outcome: OBJ
    claim: F64  # NaN where the record has none
    awarded: F64
    sentence: F64
    court_level: OBJ
    priors: F64  # the defendant's earlier conduct records; NaN where none is named

    def __len__(self) -> int:
        return len(self.id)

    def take(self, index: npt.NDArray[np.int64]) -> Decisions:
        return Decisions(**{name: getattr(self, name)[index] for name in _FIELDS})


_FIELDS = tuple(Decisions.__dataclass_fields__)


def from_arrow(table: pa.Table) -> Decisions:
    """Decisions from an Arrow table with the columns of :class:`Decisions`."""

    def text(name: str) -> OBJ:
        return np.array(table.column(name).to_pylist(), dtype=object)

    def number(name: str) -> F64:
        values = table.column(name).to_pylist()
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    return Decisions(
        id=text("id"),
        provider=text("provider"),
        judge=text("judge"),
        court=text("court"),
        occurred=text("occurred_at"),
        case_type=text("case_type"),
        cause=text("cause"),
        outcome=text("outcome"),
        claim=number("claim"),
        awarded=number("awarded"),
        sentence=number("sentence"),
        court_level=text("court_level"),
        priors=number("priors"),
    )


def read_decisions(
    snapshot: Snapshot,
    conduct: Sequence[str],
    since: dt.date = dt.date.min,
    until: dt.date = dt.date.max,
) -> Decisions:
    """The decided cases in force in ``snapshot``, decided from ``since`` to ``until``;
    a defendant's earlier records are those of the ``conduct`` categories."""
    params = [CATEGORY, since, until, list(conduct)]
    return from_arrow(query_snapshot(snapshot, _SQL, params))


__all__ = ["CATEGORY", "READ", "Decisions", "from_arrow", "read_decisions"]
