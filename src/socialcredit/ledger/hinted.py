"""Records without identifiers: kept as reported until entity resolution links them.

A record reported with a ``subject_hint`` (name, birth date, address, phone, area)
instead of a subject identifier, in a category the catalogue marks ``hinted``, is
appended to ``hinted_records`` with status ``unlinked``, in the ingestion's write
transaction and with its own audit entry. No engine reads that table: the record counts
nowhere, for no one, until :mod:`socialcredit.resolution` links it to a person (then
the same record, under the same id, is appended to the ledger with a link record).
Resubmissions follow the ledger's rule: identical content is a duplicate, different
content under the same (provider, ref) a ``conflict``.

A link undone on the subject's objection (a ``remedy.record_unlinked``, appended with
the withdrawal of the linked copy: :mod:`socialcredit.remedies.unlink`) returns the
record to ``unlinked`` in the same transaction (:func:`return_to_pool`), for the next
resolution run to match again -- never to that subject.
"""

from __future__ import annotations

import datetime as dt

import orjson
from sqlalchemy import Connection, update

from socialcredit.errors import InvalidOption
from socialcredit.ledger.record import Record
from socialcredit.store.bulk import date_param, db_datetime, insert_rows, select_in
from socialcredit.store.chain import AuditWriter
from socialcredit.store.tables import hinted_records

HINTED_EVENT = "record.hinted"
UNLINKED = "remedy.record_unlinked"
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


def return_to_pool(conn: Connection, appended: list[Record]) -> None:
    """For each ``remedy.record_unlinked`` among ``appended``, its hinted record, linked
    to that step's subject, goes back to ``unlinked`` (no candidate, probability or
    model). Refused (``invalid_option``, rolling the transaction back) when the record
    is not linked to that subject any more."""
    for rec in appended:
        if rec.category != UNLINKED:
            continue
        hinted = orjson.loads(rec.attributes)["hinted"]
        done = conn.execute(
            update(hinted_records)
            .where(hinted_records.c.id == hinted)
            .where(hinted_records.c.status == "linked")
            .where(hinted_records.c.subject == rec.subject)
            .values(
                status="unlinked",
                subject=None,
                probability=None,
                model=None,
                resolved_at=None,
                reviewed_by=None,
            )
        )
        if done.rowcount != 1:
            raise InvalidOption(
                f"record {hinted} is not linked to {rec.subject}: there is no link to undo",
                field="record",
            )


__all__ = ["HINTED_EVENT", "UNLINKED", "known_hinted", "return_to_pool", "write_hinted"]
