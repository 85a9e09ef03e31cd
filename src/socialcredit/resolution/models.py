"""Match model versions: each trained model stored with its audit entry.

A version is ``MM-<yyyymmddHHMMSS>-<8 hex of the model>``; its row keeps the splink
model (settings with the estimated m and u probabilities) in canonical JSON, how many
registry persons and hinted records it was estimated on, and the audit entry that
carries the model's hash. Every link names the version that scored it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select

from socialcredit.clock import naive_utc
from socialcredit.store.chain import AuditWriter
from socialcredit.store.content import canonical_json
from socialcredit.store.database import Store
from socialcredit.store.tables import match_models

EVENT = "resolution.model_trained"


@dataclass(frozen=True)
class MatchModel:
    id: str
    persons: int
    hinted: int
    model: dict[str, Any]


def save_model(store: Store, model: dict[str, Any], persons: int, hinted: int) -> MatchModel:
    now = naive_utc(store.clock.now())
    text = canonical_json(model)
    digest = hashlib.sha256(text.encode()).hexdigest()
    version = f"MM-{now:%Y%m%d%H%M%S}-{digest[:8]}"
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        audit.append(
            EVENT,
            version,
            {"id": version, "persons": persons, "hinted": hinted, "model_sha256": digest},
        )
        conn.execute(
            match_models.insert().values(
                id=version,
                created_at=now,
                persons=persons,
                hinted=hinted,
                model=text,
                audit_seq=audit.seq,
            )
        )
    return MatchModel(version, persons, hinted, model)


def latest_model(store: Store) -> MatchModel | None:
    with store.reader() as conn:
        row = conn.execute(
            select(match_models).order_by(match_models.c.audit_seq.desc()).limit(1)
        ).first()
    if row is None:
        return None
    return MatchModel(row.id, int(row.persons), int(row.hinted), orjson.loads(row.model))


__all__ = ["EVENT", "MatchModel", "latest_model", "save_model"]
