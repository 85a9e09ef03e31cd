"""What the hash chain hashes: canonical JSON, and a record row's content hash.

The chain (:mod:`socialcredit.store.chain`) and its verification
(:mod:`socialcredit.store.verify`) recompute these from stored rows; ingestion
computes them when a record arrives (:mod:`socialcredit.ledger.record`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import orjson


def canonical_json(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept as is."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def content_hash(
    *,
    provider: str,
    ref: str,
    subject: str,
    category: str,
    occurred_at: dt.date,
    reported_at: dt.date | None,
    attributes: str,
    legal_basis: str | None,
    supersedes: str | None,
    withdrawn: bool,
) -> str:
    """Hash of a record's content, recomputable from its stored row."""
    # canonical JSON of a list of scalars: no keys to sort, so orjson's bytes as they are
    content = orjson.dumps(
        [
            provider,
            ref,
            subject,
            category,
            occurred_at.isoformat(),
            reported_at.isoformat() if reported_at else None,
            attributes,
            legal_basis,
            supersedes,
            withdrawn,
        ]
    )
    return hashlib.sha256(content).hexdigest()
