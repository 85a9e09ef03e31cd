"""Versions of the risk scorecard, kept in ``risk_models`` and in the audit chain.

A trained model is a *candidate*. Before anyone activates it, it goes through a dry run
on the ledger as it stands (who would move, by how much: :mod:`.dryrun`), kept with it;
activation retires the active version. Every write is one transaction with its audit
entry (``risk.model_trained``, ``risk.model_dry_run``, ``risk.model_activated``), and
every score names the version that gave it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from sqlalchemy import Connection, func, select, update

from socialcredit.clock import naive_utc
from socialcredit.errors import NotFound
from socialcredit.store.chain import AuditWriter
from socialcredit.store.content import canonical_json
from socialcredit.store.database import Store
from socialcredit.store.tables import risk_models
from socialcredit.supervision.errors import SupervisionError
from socialcredit.supervision.risk.scorecard import Scorecard

State = Literal["candidate", "active", "retired"]


class NoRiskModel(NotFound):
    code = "no_risk_model"


class RiskModelState(SupervisionError):
    """A step the model's state does not allow (activating one never dry-run, say)."""

    code = "risk_model_state"


@dataclass(frozen=True)
class ModelVersion:
    version: int
    state: State
    trained_at: dt.datetime
    known_at: dt.datetime
    cutoff: dt.date
    parent: int | None
    card: Scorecard
    evaluation: dict[str, Any]
    dry_run: dict[str, Any] | None
    activated_at: dt.datetime | None
    audit_seq: int

    def summary(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "state": self.state,
            "trained_at": self.trained_at.isoformat(),
            "cutoff": self.cutoff.isoformat(),
            "parent": self.parent,
            "features": [f.name for f in self.card.features],
            "auc": self.evaluation.get("auc"),
            "baseline_auc": self.evaluation.get("baseline_auc"),
            "dry_run": self.dry_run is not None,
            "activated_at": self.activated_at.isoformat() if self.activated_at else None,
        }


def _row(r: Any) -> ModelVersion:
    return ModelVersion(
        r.version, r.state, r.trained_at, r.known_at, r.cutoff, r.parent,
        Scorecard.from_dict(orjson.loads(r.card)), orjson.loads(r.evaluation),
        orjson.loads(r.dry_run) if r.dry_run else None, r.activated_at, r.audit_seq,
    )  # fmt: skip


def save_candidate(
    store: Store,
    card: Scorecard,
    *,
    cutoff: dt.date,
    known_at: dt.datetime,
    evaluation: dict[str, Any],
    parent: int | None = None,
) -> ModelVersion:
    """Keep a newly trained model as the next version, a candidate."""
    now = naive_utc(store.clock.now())
    body, ev = canonical_json(card.to_dict()), canonical_json(evaluation)
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        version = int(conn.execute(select(func.coalesce(func.max(risk_models.c.version), 0)))
                      .scalar_one()) + 1  # fmt: skip
        audit.append(
            "risk.model_trained",
            f"risk-model-{version}",
            {"version": version, "cutoff": cutoff.isoformat(), "parent": parent,
             "known_at": naive_utc(known_at).isoformat(), "card": card.to_dict(),
             "evaluation": orjson.loads(ev)},
        )  # fmt: skip
        conn.execute(
            risk_models.insert().values(
                version=version, state="candidate", trained_at=now,
                known_at=naive_utc(known_at), cutoff=cutoff, parent=parent, card=body,
                evaluation=ev, dry_run=None, activated_at=None, audit_seq=audit.seq,
            )
        )  # fmt: skip
    return get(store, version)


def record_dry_run(store: Store, version: int, result: dict[str, Any]) -> ModelVersion:
    """Keep the dry run of a candidate (its audit entry carries it whole)."""
    now = naive_utc(store.clock.now())
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        model = _get(conn, version)
        if model.state != "candidate":
            raise RiskModelState(f"risk model {version} is {model.state}, not a candidate")
        text = canonical_json(result)
        audit.append("risk.model_dry_run", f"risk-model-{version}",
                     {"version": version, "dry_run": orjson.loads(text)})  # fmt: skip
        conn.execute(update(risk_models).where(risk_models.c.version == version)
                     .values(dry_run=text))  # fmt: skip
    return get(store, version)


def activate(store: Store, version: int, *, note: str = "") -> ModelVersion:
    """Make a dry-run candidate the active model and retire the one it replaces."""
    now = naive_utc(store.clock.now())
    with store.writer() as conn, AuditWriter(conn, now) as audit:
        model = _get(conn, version)
        if model.state != "candidate":
            raise RiskModelState(f"risk model {version} is {model.state}, not a candidate")
        if model.dry_run is None:
            raise RiskModelState(
                f"risk model {version} has not been dry-run: run `socialcredit risk dry-run "
                f"{version}` and read who would move before activating it"
            )
        previous = _active(conn)
        audit.append("risk.model_activated", f"risk-model-{version}",
                     {"version": version, "replaces": previous.version if previous else None,
                      "note": note})  # fmt: skip
        if previous is not None:
            conn.execute(update(risk_models).where(risk_models.c.version == previous.version)
                         .values(state="retired"))  # fmt: skip
        conn.execute(update(risk_models).where(risk_models.c.version == version)
                     .values(state="active", activated_at=now))  # fmt: skip
    return get(store, version)


def _get(conn: Connection, version: int) -> ModelVersion:
    row = conn.execute(select(risk_models).where(risk_models.c.version == version)).first()
    if row is None:
        raise NoRiskModel(f"no risk model version {version}", field="version")
    return _row(row)


def _active(conn: Connection) -> ModelVersion | None:
    row = conn.execute(select(risk_models).where(risk_models.c.state == "active")).first()
    return None if row is None else _row(row)


def get(store: Store, version: int) -> ModelVersion:
    with store.reader() as conn:
        return _get(conn, version)


def active(store: Store) -> ModelVersion | None:
    with store.reader() as conn:
        return _active(conn)


def require_active(store: Store) -> ModelVersion:
    model = active(store)
    if model is None:
        raise NoRiskModel(
            "no risk model is active: `socialcredit risk train`, then dry-run and activate it"
        )
    return model


def versions(store: Store) -> list[ModelVersion]:
    with store.reader() as conn:
        rows = conn.execute(select(risk_models).order_by(risk_models.c.version)).all()
    return [_row(r) for r in rows]


__all__ = [
    "ModelVersion",
    "NoRiskModel",
    "RiskModelState",
    "activate",
    "active",
    "get",
    "record_dry_run",
    "require_active",
    "save_candidate",
    "versions",
]
