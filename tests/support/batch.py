"""Small ledgers written as a Parquet snapshot and evaluated by the batch engine; every
evaluation is checked against the incremental engine on the same records (parity)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
from sqlalchemy import select

from socialcredit.engine.batch import evaluate_snapshot, write_snapshot
from socialcredit.engine.incremental import RoleRecords, evaluate_subject
from socialcredit.engine.model import DOMAIN_NAMES, LedgerRecord, SubjectRef, to_units
from socialcredit.ledger.record import record_id
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.database import Store
from socialcredit.store.tables import assessments

from support.packs import ORG, PERSON, instant


class Book:
    """A small ledger, written as a snapshot and evaluated by the batch engine."""

    def __init__(self, *subjects: SubjectRef) -> None:
        self.subjects = list(subjects or (PERSON, ORG))
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        category: str,
        occurred: str,
        attributes: dict[str, Any] | None = None,
        *,
        subject: SubjectRef = PERSON,
        recorded: str = "2020-01-01T00:00:00",
        supersedes: str | None = None,
        withdrawn: bool = False,
        provider: str = "test",
        ref: str | None = None,
    ) -> str:
        seq = len(self.rows) + 1
        ref = ref or f"r{seq}"
        rid = record_id(provider, ref)
        self.rows.append(
            {
                "seq": seq,
                "id": rid,
                "provider": provider,
                "ref": ref,
                "subject": subject.id,
                "category": category,
                "occurred_at": dt.date.fromisoformat(occurred),
                "recorded_at": dt.datetime.fromisoformat(recorded),
                "attributes": orjson.dumps(attributes or {}, option=orjson.OPT_SORT_KEYS).decode(),
                "supersedes": supersedes,
                "withdrawn": withdrawn,
            }
        )
        return rid

    def evaluate(
        self,
        policy: PolicySet,
        folder: Path,
        on: str = "2026-03-01",
        known_at: dt.datetime | None = None,
        *,
        at: dt.datetime | None = None,
    ) -> dict[tuple[str, str], dict[str, Any]]:
        at = at or instant(on)
        tables = {
            "subjects": pa.Table.from_pylist([{"id": s.id, "kind": s.kind} for s in self.subjects])
        }
        if self.rows:
            tables["records"] = pa.Table.from_pylist(self.rows)
        write_snapshot(folder, known_at or at, tables)
        table = evaluate_snapshot(folder, policy, at, known_at)
        result = {(r["subject"], r["scheme"]): r for r in table.to_pylist()}
        assert _keys(result) == self.incremental(policy, at, known_at)  # every test is parity
        return result

    def incremental(
        self, policy: PolicySet, at: dt.datetime, known_at: dt.datetime | None
    ) -> dict[tuple[str, str], tuple[Any, ...]]:
        """What the incremental engine says about every subject."""
        records = [
            LedgerRecord(**{**r, "attributes": orjson.loads(r["attributes"])}) for r in self.rows
        ]
        orgs = [s for s in self.subjects if s.kind != "person"]
        out = {}
        for subject in self.subjects:
            own = [r for r in records if r.subject == subject.id]
            roles = (
                [RoleRecords(o, tuple(r for r in records if r.subject == o.id)) for o in orgs]
                if subject.kind == "person"
                else []
            )
            found = evaluate_subject(policy, subject, own, at, known_at, roles, explain=False)
            out.update({(subject.id, k): v.key() for k, v in found.schemes.items()})
        return out


def _keys(result: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], Any]:
    return {
        k: (
            r["scheme"],
            r["status"],
            r["score_units"],
            tuple(r[f"{d}_units"] for d in DOMAIN_NAMES),
            r["grade"],
        )
        for k, r in result.items()
    }


def units(
    result: dict[tuple[str, str], dict[str, Any]], subject: SubjectRef = PERSON, scheme: str = "s"
) -> int | None:
    value = result[(subject.id, scheme)]["score_units"]
    return None if value is None else int(value)


def points(value: float) -> int:
    return to_units(value)


def stored_assessments(store: Store) -> dict[tuple[str, str], tuple[Any, ...]]:
    """The assessments a batch evaluation wrote to the store, per subject and scheme, as
    the incremental engine's figures compare with them (scheme, status, score, domains,
    grade)."""
    with store.reader() as conn:
        rows = conn.execute(select(assessments)).mappings().all()
    return {
        (r["subject"], r["scheme"]): (
            r["scheme"],
            r["status"],
            r["score_units"],
            tuple(r[f"{d}_units"] for d in DOMAIN_NAMES),
            r["grade"],
        )
        for r in rows
    }
