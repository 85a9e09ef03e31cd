"""Records without identifiers: kept as reported until entity resolution links them.

A record reported with a ``subject_hint`` (name, birth date, address, phone, area)
instead of a subject identifier, in a category the catalogue marks ``hinted``, is
appended to ``hinted_records`` with status ``unlinked``, in the ingestion's write
transaction and with its own audit entry. No engine reads that table: the record counts
nowhere, for no one, until :mod:`socialcredit.resolution` links it to a person (then
the same record, under the same id, is appended to the ledger with a link record).
Resubmissions follow the ledger's rule: identical content is a duplicate, different
content under the same (provider, ref) a ``conflict``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

from socialcredit.ledger.record import Record
from socialcredit.store.bulk import date_param, db_datetime, insert_rows, select_in
from socialcredit.store.chain import AuditWriter

HINTED_EVENT = "record.hinted"
_COLUMNS = (
    "id",
    "provider",
    "ref",
    "category",
    "occurred_at",
    "reported_at",
    "recorded_at",
    "attributes",
    "legal_basis",
    "hint",
    "content_hash",
    "status",
)


def known_hinted(conn: Connection, ids: set[str]) -> dict[str, str]:
    """content_hash of the hinted records among ``ids`` already kept."""
    rows = select_in(conn, "hinted_records", ("id", "content_hash"), "id", ids)
    return {r[0]: r[1] for r in rows}


def write_hinted(conn: Connection, accepted: list[Record], now: dt.datetime) -> None:
    """Keep ``accepted`` (records with a hint, none known yet) as unlinked."""
    now_db = db_datetime(conn, now)
    day = date_param(conn)
    stamp = now.isoformat()
    rows: list[tuple[object, ...]] = []
    with AuditWriter(conn, now) as audit:
        for rec in accepted:
            rows.append(
                (
                    rec.id,
                    rec.provider,
                    rec.ref,
                    rec.category,
                    day(rec.occurred_at),
                    day(rec.reported_at),
                    now_db,
                    rec.attributes,
                    rec.legal_basis,
                    rec.hint,
                    rec.content_hash,
                    "unlinked",
                )
            )
            audit.append(
                HINTED_EVENT,
                rec.id,
                {"id": rec.id, "content_hash": rec.content_hash, "recorded_at": stamp},
            )
        insert_rows(conn, "hinted_records", _COLUMNS, rows)


__all__ = ["HINTED_EVENT", "known_hinted", "write_hinted"]
