"""Ingestion: validate records, refuse the bad ones with a code, append the rest.

Records are processed in batches. A batch is validated in memory first;
then, in one write transaction, the ledger-dependent checks run (resubmission
of a known (provider, ref): duplicate if identical, ``conflict`` if not; a
``supersedes`` naming no known record of the provider: ``unknown_reference``)
and the accepted records, any subjects they create and their audit entries
are written together. A rejected record leaves nothing behind.

Two kinds of callback run in that transaction: *watchers* first, with everything
the batch brought (:class:`Arrivals`: what was appended, resubmitted or refused,
for the supervision of the providers), then *hooks*, with the records appended
(to re-derive what depends on them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from socialcredit.clock import today
from socialcredit.errors import (
    RecordConflict,
    RecordRejected,
    SchemaViolation,
    SocialCreditError,
    UnknownReference,
    rejection,
)
from socialcredit.ledger import sources, workers
from socialcredit.ledger.hinted import known_hinted, write_hinted
from socialcredit.ledger.record import Record
from socialcredit.ledger.registry import authorisations, catalogue_from_store
from socialcredit.ledger.validate import Validator
from socialcredit.ledger.workers import Checked, Prework, check
from socialcredit.store.bulk import date_param, db_datetime, insert_rows, select_in
from socialcredit.store.chain import AuditWriter
from socialcredit.store.database import Store
from socialcredit.store.partitions import make_ahead, month_of
from socialcredit.store.tables import records
from socialcredit.store.verify import RECORD_EVENT

Progress = Callable[[int], None]
# called inside the write transaction with the records just appended and the time
Hook = Callable[[Connection, list[Record], dt.datetime], None]
# called inside an atomic append's write transaction, right after the records
Within = Callable[[Connection, list[Record]], None]


@dataclass(frozen=True)
class Arrivals:
    """What one batch brought: the records appended, the identical resubmissions, and
    each refusal as (provider, category, code), the provider and category as the
    refused record claimed them ('' where it named none)."""

    accepted: list[Record]
    duplicates: list[Record]
    refused: list[tuple[str, str, str]]


# called inside the write transaction, before the hooks, with everything the batch brought
Watcher = Callable[[Connection, Arrivals, dt.datetime], None]
# (work, take): ``work`` runs on a batch's valid records where they are validated (in
# a worker process when there are workers: work that needs no store and no write
# lock), ``take`` receives its result in the writing process before the batch is
# written (to warm what a hook will need)
Prepare = tuple[Prework, Callable[[Any], None]]
MAX_ERRORS_KEPT = 10_000
MAX_SUBJECTS_CACHED = 2_000_000
# worker processes take a file over from this many batches on: they take about
# half a second to start, which a smaller file does not win back
PARALLEL_FROM_BATCHES = 4
# (store URL, month) whose ledger partitions this process has made or found (PostgreSQL)
_MONTHS_MADE: set[tuple[str, dt.date]] = set()


@dataclass
class IngestError:
    line: int
    code: str
    message: str
    file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "code": self.code, "message": self.message}
        if self.file is not None:
            out["file"] = self.file
        return out


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    subjects_created: int = 0
    files_refused: int = 0
    errors: list[IngestError] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)
    errors_truncated: bool = False

    def reject(self, line: int, err: RecordRejected, file: str | None) -> None:
        self.rejected += 1
        self.codes[err.code] = self.codes.get(err.code, 0) + 1
        self._keep(IngestError(line, err.code, err.message, file))

    def refuse_file(self, err: SocialCreditError, file: str) -> None:
        """A file that could not be read (at all, or from some point on): line 0."""
        self.files_refused += 1
        self.codes[err.code] = self.codes.get(err.code, 0) + 1
        self._keep(IngestError(0, err.code, err.message, file))

    def _keep(self, error: IngestError) -> None:
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)
        else:
            self.errors_truncated = True

    @property
    def failed(self) -> bool:
        """Whether anything was refused: a record, or a whole file."""
        return bool(self.rejected or self.files_refused)

    def to_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "subjects_created": self.subjects_created,
            "files_refused": self.files_refused,
            "rejected_by_code": dict(sorted(self.codes.items())),
            "errors": [
                e.to_dict() for e in sorted(self.errors, key=lambda e: (e.file or "", e.line))
            ],
            "errors_truncated": self.errors_truncated,
        }


Item = tuple[int, dict[str, Any] | RecordRejected]


def _batches(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while batch := list(islice(items, size)):
        yield batch


class Ingestor:
    """Appends records to one store; reusable across files and calls."""

    def __init__(
        self,
        store: Store,
        *,
        provider: str | None = None,
        batch_size: int = 10_000,
        hooks: Sequence[Hook] = (),
        after_commit: Sequence[Callable[[], None]] = (),
        workers: int = 0,
        watchers: Sequence[Watcher] = (),
        prepare: Sequence[Prepare] = (),
    ) -> None:
        self.store = store
        self.batch_size = batch_size
        self.workers = workers  # processes that validate large files (ledger/workers.py)
        self.hooks = tuple(hooks)
        self.watchers = tuple(watchers)
        self.after_commit = tuple(after_commit)
        self.prework = tuple(work for work, _take in prepare)
        self.takers = tuple(take for _work, take in prepare)
        with store.reader() as conn:
            catalogue = catalogue_from_store(conn)
            authorised = authorisations(conn)
        self.validator = Validator(catalogue, authorised, today(store.clock), provider)
        self._subjects: set[str] = set()  # subjects known to be in the store

    def ingest_files(self, paths: Sequence[Path], progress: Progress | None = None) -> IngestResult:
        result = IngestResult()
        for path in paths:
            name = str(path) if len(paths) > 1 else None
            try:
                self._ingest_file(path, result, progress, name)
            except sources.FileRefused as err:
                result.refuse_file(err, str(path))
        return result

    def _ingest_file(
        self, path: Path, result: IngestResult, progress: Progress | None, file: str | None
    ) -> None:
        """A file, batch by batch; with workers, batches are decoded and validated in
        other processes while this one writes (only for files of several batches)."""
        self.validator.today = today(self.store.clock)
        chunks = sources.chunks(path, self.batch_size)
        head = list(islice(chunks, PARALLEL_FROM_BATCHES))
        checked: Iterable[Checked]
        if self.workers and len(head) == PARALLEL_FROM_BATCHES:
            shipped = workers.checked_chunks(
                chain(head, chunks),
                url=self.store.url,
                provider=self.validator.provider,
                day=self.validator.today,
                workers=self.workers,
                prework=self.prework,
            )
            checked = map(workers.unpack, shipped)
        else:
            checked = (
                check(self.validator, sources.decode(c), self.prework) for c in chain(head, chunks)
            )
        for batch in checked:
            self._store(batch, result, progress, file)

    def ingest_items(
        self,
        items: Iterable[Item],
        result: IngestResult | None = None,
        progress: Progress | None = None,
        file: str | None = None,
    ) -> IngestResult:
        result = result or IngestResult()
        self.validator.today = today(self.store.clock)
        for batch in _batches(iter(items), self.batch_size):
            self._store(check(self.validator, batch, self.prework), result, progress, file)
        return result

    def _store(
        self, batch: Checked, result: IngestResult, progress: Progress | None, file: str | None
    ) -> None:
        for line, err in batch.rejected:
            result.reject(line, err, file)
        for take, prepared in zip(self.takers, batch.prepared, strict=True):
            take(prepared)
        if batch.valid or (self.watchers and batch.rejected):
            refused = [
                (provider, category, err.code)
                for (provider, category), (_line, err) in zip(
                    batch.origins, batch.rejected, strict=True
                )
            ]
            self._append(batch.valid, result, file, refused=refused)
        if progress is not None:
            progress(batch.size)

    def ingest_dicts(self, rows: Iterable[dict[str, Any]]) -> IngestResult:
        return self.ingest_items((i, dict(r)) for i, r in enumerate(rows, start=1))

    def ingest_atomic(
        self, rows: Sequence[dict[str, Any]], within: Within | None = None
    ) -> list[Record]:
        """Append ``rows`` in one transaction, all or none: the first rejection is
        raised (:class:`RecordRejected`) and nothing is written. ``within`` writes what
        must stand or fall with the records (a link's status, say) in that transaction,
        right after them and before the hooks; if it raises, nothing is written. Returns
        the records, resubmissions of identical content included (they are no-ops)."""
        self.validator.today = today(self.store.clock)
        valid = [(i, self.validator.validate(dict(r))) for i, r in enumerate(rows, start=1)]
        self._append(valid, IngestResult(), None, atomic=True, within=within)
        return [rec for _, rec in valid]

    # -- the write ------------------------------------------------------------
    def _partition_for(self, now: dt.datetime) -> None:
        """PostgreSQL: the ledger partition of ``now``'s month (and months ahead) made,
        in a short transaction of its own, before the first batch that reaches a
        month without one (store/partitions.py); asked once a month per store and
        process (a partition missed all the same leaves the records in the default one)."""
        key = (self.store.url, month_of(now))
        if self.store.dialect != "postgresql" or key in _MONTHS_MADE:
            return
        with self.store.writer() as conn:
            make_ahead(conn, now)
        _MONTHS_MADE.add(key)

    def _append(
        self,
        valid: list[tuple[int, Record]],
        result: IngestResult,
        file: str | None,
        atomic: bool = False,
        refused: list[tuple[str, str, str]] | None = None,
        within: Within | None = None,
    ) -> None:
        """Append the valid records of a batch; ``refused`` are the batch's refusals
        by validation (provider, category, code), for the watchers."""
        now = self.store.clock.now()
        refused = list(refused or ())
        duplicates: list[Record] = []
        self._partition_for(now)
        with self.store.writer() as conn:
            ids = {r.id for _, r in valid} | {r.supersedes for _, r in valid if r.supersedes}
            known = _known(conn, ids)
            hinted_known = known_hinted(conn, {r.id for _, r in valid if r.hint is not None})
            staged: dict[str, Record] = {}
            accepted: list[Record] = []
            hinted: list[Record] = []  # kept unlinked, counted nowhere (ledger/hinted.py)
            local = IngestResult()
            for line, rec in valid:
                prior = staged.get(rec.id)
                if rec.hint is not None:
                    prior_hash = prior.content_hash if prior else hinted_known.get(rec.id)
                else:
                    prior_hash = prior.content_hash if prior else known.get(rec.id, (None, None))[0]
                if prior_hash is not None:
                    if prior_hash == rec.content_hash:
                        local.duplicates += 1
                        duplicates.append(rec)
                    else:
                        refused.append((rec.provider, rec.category, RecordConflict.code))
                        local.reject(
                            line,
                            RecordConflict(
                                f"ref: {rec.provider} already reported {rec.ref!r} with different "
                                "content; send a correction with a new ref and `supersedes`",
                                field="ref",
                            ),
                            file,
                        )
                    continue
                if rec.supersedes is not None:
                    target = staged.get(rec.supersedes)
                    target_subject = (
                        target.subject if target else known.get(rec.supersedes, (None, None))[1]
                    )
                    if target_subject is None:
                        refused.append((rec.provider, rec.category, UnknownReference.code))
                        local.reject(
                            line,
                            UnknownReference(
                                f"supersedes: {rec.provider} has reported no record with that ref",
                                field="supersedes",
                            ),
                            file,
                        )
                        continue
                    if target_subject != rec.subject:
                        refused.append((rec.provider, rec.category, SchemaViolation.code))
                        local.reject(
                            line,
                            SchemaViolation(
                                "supersedes: a correction must be about the same subject; withdraw "
                                "the record and report a new one",
                                field="supersedes",
                            ),
                            file,
                        )
                        continue
                staged[rec.id] = rec
                (hinted if rec.hint is not None else accepted).append(rec)
            if atomic and local.errors:  # raising rolls the whole transaction back
                first = local.errors[0]
                raise rejection(first.code, first.message)
            if hinted:
                write_hinted(conn, hinted, now)
            subjects: set[str] = set()
            if accepted:
                subjects = _write(conn, accepted, now, self._subjects)
                local.subjects_created = len(subjects)
            if within is not None:  # stands or falls with the records
                within(conn, accepted)
            if self.watchers and (accepted or duplicates or refused):
                arrivals = Arrivals(accepted, duplicates, refused)
                for watch in self.watchers:
                    watch(conn, arrivals, now)
            if accepted:
                for hook in self.hooks:
                    hook(conn, accepted, now)
            local.accepted = len(accepted) + len(hinted)
        # the transaction committed: its subjects exist for good (subjects are never
        # removed); tell whoever caches derived state, then fold the batch into the
        # running result
        if len(self._subjects) + len(subjects) > MAX_SUBJECTS_CACHED:
            self._subjects.clear()
        self._subjects.update(subjects)
        if local.accepted:
            for notify in self.after_commit:
                notify()
        result.accepted += local.accepted

        result.duplicates += local.duplicates
        result.subjects_created += local.subjects_created
        for err in local.errors:
            result.reject(err.line, rejection(err.code, err.message), file)


_RECORD_COLUMNS = (
    "seq",
    "id",
    "provider",
    "ref",
    "subject",
    "category",
    "occurred_at",
    "reported_at",
    "recorded_at",
    "attributes",
    "legal_basis",
    "supersedes",
    "withdrawn",
    "content_hash",
)


def _known(conn: Connection, ids: set[str]) -> dict[str, tuple[str, str]]:
    """content_hash and subject of the records among ``ids`` already in the ledger.
    PostgreSQL asks record_keys first (one unique index, where the partitioned ledger
    has one index a month): most ids of a batch are new, and only those found are
    read from the ledger."""
    if conn.dialect.name == "postgresql":
        ids = {r[0] for r in select_in(conn, "record_keys", ("id",), "id", ids)}
    rows = select_in(conn, "records", ("id", "content_hash", "subject"), "id", ids)
    return {r[0]: (r[1], r[2]) for r in rows}


def _write(conn: Connection, accepted: list[Record], now: Any, stored: set[str]) -> set[str]:
    """Append the records (and subjects not yet in ``stored`` or the store, which
    get known ones added); return the subjects created."""
    new_subjects = {r.subject: r for r in accepted if r.subject not in stored}
    for (known_id,) in select_in(conn, "subjects", ("id",), "id", new_subjects):
        new_subjects.pop(known_id, None)
        stored.add(known_id)
    now_db = db_datetime(conn, now)
    insert_rows(
        conn,
        "subjects",
        ("id", "kind", "first_recorded_at"),
        [(r.subject, r.subject_kind, now_db) for r in new_subjects.values()],
    )
    last = conn.execute(select(records.c.seq).order_by(records.c.seq.desc()).limit(1)).scalar()
    seq = int(last or 0)
    rows: list[tuple[object, ...]] = []
    links: list[tuple[object, ...]] = []
    stamp = now.isoformat()
    day = date_param(conn)
    with AuditWriter(conn, now) as audit:
        for rec in accepted:
            seq += 1
            rows.append(
                (
                    seq,
                    rec.id,
                    rec.provider,
                    rec.ref,
                    rec.subject,
                    rec.category,
                    day(rec.occurred_at),
                    day(rec.reported_at),
                    now_db,
                    rec.attributes,
                    rec.legal_basis,
                    rec.supersedes,
                    rec.withdrawn,
                    rec.content_hash,
                )
            )
            links.extend(
                (seq, attr, rec.subject, rec.category, target) for attr, target in rec.links
            )
            audit.append(
                RECORD_EVENT,
                rec.id,
                {"seq": seq, "id": rec.id, "content_hash": rec.content_hash, "recorded_at": stamp},
            )
        insert_rows(conn, "records", _RECORD_COLUMNS, rows)
        insert_rows(conn, "record_links", ("seq", "attr", "subject", "category", "target"), links)
    return set(new_subjects)
