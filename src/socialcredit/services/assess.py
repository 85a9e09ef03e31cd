"""The subject as it stands right after a step: its grades and its list entries.

Every outcome re-evaluates the subject at once: the ingestion hook has already
re-derived the list entries and the enforcement index in the step's
transaction; this reads the result back for the response.
"""

from __future__ import annotations

from typing import Any

import orjson

from socialcredit.enforcement.entries import entries_for
from socialcredit.engine.ledger_view import assess as assess_subject
from socialcredit.engine.ledger_view import load_subject
from socialcredit.engine.report import to_json
from socialcredit.ledger.policy_store import policy_at
from socialcredit.store.database import Store


def assess(store: Store, subject: str) -> dict[str, Any]:
    """The subject's report now (docs: ``socialcredit report --json``) with its list
    entries under ``lists``."""
    now = store.clock.now()
    with store.reader() as conn:
        policy, note = policy_at(conn, now)
        body = to_json(assess_subject(conn, policy, subject, now), note)
        ref, records, _roles = load_subject(conn, subject, now)
    body["lists"] = [
        orjson.loads(e.model_dump_json()) for e in entries_for(policy, ref, records, now)
    ]
    return body


__all__ = ["assess"]
