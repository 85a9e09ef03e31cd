"""Decoding and validating a file's records in worker processes.

Ingestion does two things per record: check it (decode, validate, hash; pure
Python, no store access) and append it (one write transaction per batch,
which must stay in one process so the ledger and the audit chain keep their
order). With workers, the caller's process cuts the file into chunks that are
cheap to ship (:func:`socialcredit.ledger.sources.chunks`: Arrow record
batches, raw JSONL lines), worker processes decode and validate them, and the
caller appends the checked batches in file order while the workers already
check the next ones. A few chunks are in flight at a time, so memory stays
bounded whatever the file's size.

Workers are started with ``spawn`` (nothing inherited from the caller's
threads or open connections) and build their validator from the store.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from socialcredit.errors import RecordRejected
from socialcredit.ledger import sources
from socialcredit.ledger.record import Record
from socialcredit.ledger.registry import authorisations, catalogue_from_store
from socialcredit.ledger.store import Store
from socialcredit.ledger.validate import Validator

# A checked chunk as it travels back: its size, its valid records as plain
# tuples (cheaper to pickle than Record), its rejections as
# (line, code, message, field).
Shipped = tuple[
    int,
    list[tuple[int, tuple[Any, ...]]],
    list[tuple[int, str, str, str | None]],
]

_validator: Validator | None = None  # one per worker process


def _start(url: str, provider: str | None, day: dt.date) -> None:
    global _validator
    store = Store(url)
    try:
        with store.reader() as conn:
            _validator = Validator(catalogue_from_store(conn), authorisations(conn), day, provider)
    finally:
        store.close()


def check(validator: Validator, items: Iterable[sources.Item]) -> Shipped:
    """Validate decoded items (in memory, no store access)."""
    size = 0
    valid: list[tuple[int, tuple[Any, ...]]] = []
    rejected: list[tuple[int, str, str, str | None]] = []
    for line, value in items:
        size += 1
        if isinstance(value, RecordRejected):
            rejected.append((line, value.code, value.message, value.field))
            continue
        try:
            valid.append((line, tuple(validator.validate(value))))
        except RecordRejected as err:
            rejected.append((line, err.code, err.message, err.field))
    return size, valid, rejected


def _check_chunk(chunk: sources.Chunk) -> Shipped:
    assert _validator is not None, "worker not started"
    return check(_validator, sources.decode(chunk))


def unpack(
    shipped: Shipped,
) -> tuple[int, list[tuple[int, Record]], list[tuple[int, RecordRejected]]]:
    """A shipped chunk as the writer takes it: records and rejections rebuilt."""
    size, valid, rejected = shipped
    return (
        size,
        [(line, Record._make(fields)) for line, fields in valid],
        [
            (line, RecordRejected(message, field=field, code=code))
            for line, code, message, field in rejected
        ],
    )


def checked_chunks(
    chunks: Iterable[sources.Chunk],
    *,
    url: str,
    provider: str | None,
    day: dt.date,
    workers: int,
) -> Iterator[Shipped]:
    """The chunks checked by ``workers`` processes, in order."""
    context = multiprocessing.get_context("spawn")
    window = 2 * workers + 1  # chunks in flight: enough to keep every worker busy
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start, initargs=(url, provider, day)
    ) as pool:
        pending: deque[Future[Shipped]] = deque()
        try:
            for chunk in chunks:
                pending.append(pool.submit(_check_chunk, chunk))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
