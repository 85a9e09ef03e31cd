"""Records a hold quarantined, as the engines read the ledger.

A provider's feed put on hold (supervision/) keeps its new records in the ledger,
each with a ``quarantine`` row, and no engine counts them: while held they are as if
not yet recorded; a reviewer's release makes a record count from that moment, as if
recorded then (its own dates decide its effect, and a listing on it gives its notice
from the release); a rejection withdraws it. The rule is written once here, as the
SQL both engines read records through: the incremental engine's loaders
(:mod:`socialcredit.engine.ledger_view`) and the batch engine's snapshot
(:mod:`socialcredit.engine.batch.snapshot`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Join, and_, func, or_

from socialcredit.store.tables import quarantine, records

# the ledger as the engines read it: each record with its quarantine row, if any
LEDGER: Join = records.outerjoin(quarantine, quarantine.c.record == records.c.id)

# when the engines learnt of a record: when it was recorded, or its release
KNOWN_FROM: ColumnElement[Any] = func.coalesce(
    quarantine.c.released_at, records.c.recorded_at
).label("recorded_at")


def known_by(known_at: dt.datetime) -> ColumnElement[bool]:
    """The records the engines know at ``known_at``: recorded by then and not held (a
    record a hold quarantined counts once released, from its release on)."""
    return and_(
        records.c.recorded_at <= known_at,
        or_(quarantine.c.record.is_(None), quarantine.c.released_at <= known_at),
    )


__all__ = ["KNOWN_FROM", "LEDGER", "known_by"]
