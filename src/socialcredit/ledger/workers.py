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

:func:`check` is the one validation loop, used by the ingestor in its own
process too. Workers are started with ``spawn`` (nothing inherited from the caller's
threads or open connections) and build their validator from the store.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from socialcredit.errors import RecordRejected, rejection
from socialcredit.ledger import sources
from socialcredit.ledger.record import Record
from socialcredit.ledger.registry import authorisations, catalogue_from_store
from socialcredit.ledger.validate import Validator
from socialcredit.store.database import Store

# the provider and category a refused record claimed ('' where it named none, or
# named them in a way no provider or category could be)
Origin = tuple[str, str]
_ORIGIN_MAX = 80  # the longest provider id or category name the ledger stores


# work on a batch's valid records that needs no store (and so no write lock): it runs
# where the batch is validated, in a worker process when there are workers; its result
# goes to the ingestor's matching ``Prepare`` taker before the batch is written. A
# module-level function, so that it can be sent to a worker.
Prework = Callable[[list[Record]], Any]


@dataclass
class Checked:
    """A batch after validation: its size, what to write and what was refused (with
    the provider and category each refusal claimed, in the same order), and what each
    prework made of its valid records."""

    size: int
    valid: list[tuple[int, Record]] = field(default_factory=list)
    rejected: list[tuple[int, RecordRejected]] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    prepared: list[Any] = field(default_factory=list)


def _claimed(value: object, default: str | None) -> Origin:
    def text(v: object) -> str:
        return v.strip() if isinstance(v, str) and 0 < len(v.strip()) <= _ORIGIN_MAX else ""

    if not isinstance(value, dict):
        return (default or "", "")
    return (text(value.get("provider")) or default or "", text(value.get("category")))


def check(
    validator: Validator, items: Iterable[sources.Item], prework: Sequence[Prework] = ()
) -> Checked:
    """Validate decoded items (in memory, no store access), then run each prework on
    the valid records."""
    out = Checked(size=0)
    for line, value in items:
        out.size += 1
        if isinstance(value, RecordRejected):
            out.rejected.append((line, value))
            out.origins.append((validator.provider or "", ""))
            continue
        try:
            out.valid.append((line, validator.validate(value)))
        except RecordRejected as err:
            out.rejected.append((line, err))
            out.origins.append(_claimed(value, validator.provider))
    records = [rec for _line, rec in out.valid]
    out.prepared = [work(records) for work in prework]
    return out


# A checked chunk as it travels back from a worker: its size, its valid records
# as plain tuples (cheaper to pickle than Record), its rejections as
# (line, code, message, field), the provider and category each claimed, and what
# each prework made.
Shipped = tuple[
    int,
    list[tuple[int, tuple[Any, ...]]],
    list[tuple[int, str, str, str | None]],
    list[Origin],
    list[Any],
]

_validator: Validator | None = None  # one per worker process
_prework: tuple[Prework, ...] = ()


def _start(
    url: str, provider: str | None, day: dt.date, parent: int, prework: tuple[Prework, ...] = ()
) -> None:
    global _validator, _prework
    _prework = prework
    threading.Thread(target=_die_with, args=(parent,), name="parent-watch", daemon=True).start()
    store = Store(url)
    try:
        with store.reader() as conn:
            _validator = Validator(catalogue_from_store(conn), authorisations(conn), day, provider)
    finally:
        store.close()


def _die_with(parent: int, every: float = 0.2) -> None:
    """End this worker as soon as the process that started it is gone (killed with
    SIGKILL it cannot shut its pool down): a worker must not outlive its ingestion."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _check_chunk(chunk: sources.Chunk) -> Shipped:
    assert _validator is not None, "worker not started"
    checked = check(_validator, sources.decode(chunk), _prework)
    return (
        checked.size,
        [(line, tuple(rec)) for line, rec in checked.valid],
        [(line, err.code, err.message, err.field) for line, err in checked.rejected],
        checked.origins,
        checked.prepared,
    )


def unpack(shipped: Shipped) -> Checked:
    """A shipped chunk as the writer takes it: records and rejections rebuilt."""
    size, valid, rejected, origins, prepared = shipped
    return Checked(
        size,
        [(line, Record._make(fields)) for line, fields in valid],
        [(line, rejection(code, message, field)) for line, code, message, field in rejected],
        origins,
        prepared,
    )


def checked_chunks(
    chunks: Iterable[sources.Chunk],
    *,
    url: str,
    provider: str | None,
    day: dt.date,
    workers: int,
    prework: tuple[Prework, ...] = (),
) -> Iterator[Shipped]:
    """The chunks checked by ``workers`` processes, in order."""
    context = multiprocessing.get_context("spawn")
    window = 2 * workers + 1  # chunks in flight: enough to keep every worker busy
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start,
        initargs=(url, provider, day, os.getpid(), prework),
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
