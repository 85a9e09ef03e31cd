"""The ledger as of ``known_at``, exported from the store to Parquet for the batch engine.

A snapshot folder holds ``records.parquet`` (every record with ``recorded_at <=
known_at``, with its ``ref`` and ``reported_at``; a record a hold quarantined only once
released, with its release as ``recorded_at``: :mod:`socialcredit.engine.quarantine`;
attributes kept as their canonical JSON text), ``subjects.parquet`` (subjects first
recorded by then), ``record_links.parquet`` (the links of those records) and
``snapshot.json`` (what was exported, and as of when). Rows are streamed from the store
in chunks through SQLAlchemy, so it works the same on SQLite and PostgreSQL and never
holds the ledger in memory.

An analysis that reads part of the ledger exports only that part: the records of some
categories, the records about some subjects (a long list of subjects goes to the store
in a temporary table, not as an ``IN`` list), the subjects that the records of some
categories name (:class:`Named`: a decision's judge, court and defendant), only some of
the three tables, or the records without their attributes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    MetaData,
    Select,
    String,
    Table,
    and_,
    exists,
    insert,
    literal,
    select,
    type_coerce,
)

from socialcredit.engine.quarantine import KNOWN_FROM, LEDGER, known_by
from socialcredit.errors import SocialCreditError
from socialcredit.identifiers import parse
from socialcredit.store.database import Store
from socialcredit.store.tables import record_links, records, subjects

Progress = Callable[[str, int], None]
MANIFEST = "snapshot.json"
RECORDS = pa.schema(
    [
        ("seq", pa.int64()),
        ("id", pa.string()),
        ("provider", pa.string()),
        ("ref", pa.string()),  # the provider's reference: a remedy case is its filing's ref
        ("subject", pa.string()),
        ("category", pa.string()),
        ("occurred_at", pa.date32()),
        ("recorded_at", pa.timestamp("us")),
        ("attributes", pa.string()),
        ("supersedes", pa.string()),
        ("withdrawn", pa.bool_()),
        ("reported_at", pa.date32()),  # the day the provider reported it, if it said
    ]
)
SUBJECTS = pa.schema([("id", pa.string()), ("kind", pa.string())])
LINKS = pa.schema(
    [
        ("seq", pa.int64()),
        ("attr", pa.string()),
        ("subject", pa.string()),
        ("category", pa.string()),
        ("target", pa.string()),
    ]
)
SCHEMAS = {"records": RECORDS, "subjects": SUBJECTS, "record_links": LINKS}
INLINE = 1_000  # more subjects than this go to the store in a temporary table
_TEMP = "snapshot_about"


@dataclass(frozen=True)
class Named:
    """The subjects the known records of ``categories`` are about, and the identifiers
    their attributes ``attributes`` name: exported with ``about=Named(...)``, a snapshot
    holds every record about those subjects (whatever its category: a correction is about
    the subject it corrects, so each record comes with its corrections)."""

    categories: frozenset[str]
    attributes: tuple[str, ...] = ()


About = Collection[str] | Select[Any] | None


@dataclass(frozen=True)
class Snapshot:
    folder: Path
    known_at: dt.datetime
    records: int
    subjects: int
    record_links: int

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.parquet"


def _visible(
    known_at: dt.datetime,
    categories: Collection[str] | None,
    about: About = None,
) -> ColumnElement[bool]:
    visible = known_by(known_at)
    if categories is not None:
        visible = and_(visible, records.c.category.in_(sorted(categories)))
    if about is not None:
        visible = and_(visible, _among(records.c.subject, about))
    return visible


def _among(column: ColumnElement[Any], about: Collection[str] | Select[Any]) -> Any:
    """``column`` is one of the subjects: a list, or a subquery of the temporary table."""
    if isinstance(about, Select):
        return column.in_(about)
    return column.in_(sorted(about))


def _raw(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """A date or time column as the driver gives it: SQLite's text is parsed by Arrow, a
    whole column at a time, not into a Python object per value (half the export's time)."""
    if isinstance(column.type, (Date, DateTime)):
        return type_coerce(column, String).label(column.name)
    return column


def _column(name: str, attributes: bool) -> ColumnElement[Any]:
    if name == "recorded_at":
        return _raw(KNOWN_FROM)
    if name == "attributes" and not attributes:
        return literal("{}", String).label(name)
    return _raw(records.c[name])


def _queries(
    known_at: dt.datetime,
    categories: Collection[str] | None,
    about: About = None,
    attributes: bool = True,
) -> dict[str, Select[Any]]:
    visible = _visible(known_at, categories, about)
    columns = (_column(f.name, attributes) for f in RECORDS)
    known = subjects.c.first_recorded_at <= known_at
    if about is not None:
        known = and_(known, _among(subjects.c.id, about))
    return {
        "records": select(*columns).select_from(LEDGER).where(visible).order_by(records.c.seq),
        "subjects": select(subjects.c.id, subjects.c.kind).where(known).order_by(subjects.c.id),
        "record_links": select(*(record_links.c[f.name] for f in LINKS))
        .select_from(record_links.join(LEDGER, records.c.seq == record_links.c.seq))
        .where(visible)
        .order_by(record_links.c.seq, record_links.c.attr),
    }


def _named(known_at: dt.datetime, categories: Collection[str] | None) -> Select[Any]:
    """Identifiers that known records name (a legal representative, say) but that no known
    record is about: subjects too, with the kind their identifier tells."""
    visible = _visible(known_at, categories)
    known = exists().where(
        and_(subjects.c.id == record_links.c.target, subjects.c.first_recorded_at <= known_at)
    )
    return (
        select(record_links.c.target)
        .select_from(record_links.join(LEDGER, records.c.seq == record_links.c.seq))
        .where(visible, ~known)
        .distinct()
        .order_by(record_links.c.target)
    )


def _named_rows(targets: Sequence[Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for (target,) in targets:
        try:
            ident = parse(target)
        except SocialCreditError:
            continue
        out.append((ident.value, ident.kind))
    return out


def _named_by(conn: Connection, known_at: dt.datetime, named: Named) -> set[str]:
    """The subjects the known records of ``named.categories`` are about or name."""
    query = (
        select(records.c.subject, records.c.attributes)
        .select_from(LEDGER)
        .where(_visible(known_at, named.categories))
    )
    out: set[str] = set()
    for subject, text in conn.execute(query):
        out.add(subject)
        if named.attributes:
            attrs = orjson.loads(text)
            out.update(v for a in named.attributes if isinstance(v := attrs.get(a), str))
    return out


@contextmanager
def _subjects_in(conn: Connection, about: Collection[str] | None) -> Iterator[About]:
    """``about`` as the snapshot's queries take it: a long list as a subquery of a
    temporary table, filled in this transaction and dropped after it."""
    if about is None or len(about) <= INLINE:
        yield about
        return
    temp = Table(_TEMP, MetaData(), Column("id", String, primary_key=True), prefixes=["TEMPORARY"])
    temp.create(conn)
    try:
        ids = sorted(about)
        for start in range(0, len(ids), 10_000):
            conn.execute(insert(temp), [{"id": i} for i in ids[start : start + 10_000]])
        yield select(temp.c.id)
    finally:
        temp.drop(conn)


@contextmanager
def _consistent(store: Store) -> Iterator[Connection]:
    """One read transaction that sees one state of the ledger for all three tables."""
    with store.engine.connect() as conn:
        if store.dialect == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def export_snapshot(
    store: Store,
    folder: str | Path,
    known_at: dt.datetime,
    *,
    chunk: int = 100_000,
    progress: Progress | None = None,
    categories: Collection[str] | None = None,
    about: Collection[str] | Named | None = None,
    tables: Collection[str] | None = None,
    attributes: bool = True,
) -> Snapshot:
    """Write the ledger as of ``known_at`` (naive UTC) to Parquet files in ``folder``;
    with ``categories``, only the records of those categories (and their links: an
    analysis that reads a few categories need not export the whole ledger); with
    ``about``, only the records about those subjects (one subject's history), or about
    the subjects the records of some categories name (:class:`Named`); with ``tables``,
    only those tables (the others are written empty); without ``attributes``, each
    record's attributes as ``{}`` (an analysis that counts records by provider and day)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    unknown = set(tables or ()) - set(SCHEMAS)
    if unknown:
        raise ValueError(f"not snapshot tables: {sorted(unknown)}")
    wanted = set(SCHEMAS if tables is None else tables)
    counts: dict[str, int] = {}
    with _consistent(store) as conn:
        if isinstance(about, Named):
            about = _named_by(conn, known_at, about)
        with _subjects_in(conn, about) as among:
            queries = _queries(known_at, categories, among, attributes)
            for table, query in queries.items():
                if table not in wanted:
                    counts[table] = _write_table(conn, out, table, None, chunk, progress)
                    continue
                more: Select[Any] | None = None
                if table == "subjects" and about is None:
                    more = _named(known_at, categories)
                counts[table] = _write_table(conn, out, table, query, chunk, progress, more)
    return _finish(out, known_at, counts)


def _write_table(
    conn: Connection,
    out: Path,
    table: str,
    query: Select[Any] | None,
    chunk: int,
    progress: Progress | None,
    named: Select[Any] | None = None,
) -> int:
    """Stream ``query``'s rows to the table's Parquet file (no query: an empty file);
    then the subjects only ``named``, if given."""
    schema = SCHEMAS[table]
    n = 0
    with pq.ParquetWriter(out / f"{table}.parquet", schema, compression="zstd") as writer:
        if query is not None:
            for part in _stream(conn, query, chunk):
                writer.write_batch(_batch(part, schema))
                n += len(part)
                if progress is not None:
                    progress(f"snapshot.{table}", n)
        if named is not None:
            rows = _named_rows(conn.execute(named).all())
            if rows:
                writer.write_batch(_batch(rows, schema))
                n += len(rows)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


def _stream(conn: Connection, query: Select[Any], chunk: int) -> Iterator[Sequence[Any]]:
    """The query's rows, ``chunk`` at a time, as the driver gives them: tuples, not a row
    object per record (a fifth of a large export's time). Its values are written into the
    SQL by SQLAlchemy, as it would bind them; on PostgreSQL a server-side cursor streams
    the rows, so the ledger is never held in memory."""
    sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
    raw: Any = conn.connection.dbapi_connection
    cursor = raw.cursor(name="snapshot") if conn.dialect.name == "postgresql" else raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(chunk):
            yield rows
    finally:
        cursor.close()


def _array(values: Sequence[Any], kind: pa.DataType) -> pa.Array:
    first = next((v for v in values if v is not None), None)
    if pa.types.is_boolean(kind) and isinstance(first, int) and not isinstance(first, bool):
        return pa.array(values, pa.int8()).cast(kind)  # SQLite keeps booleans as 0 and 1
    if pa.types.is_temporal(kind) and isinstance(first, str):
        return pa.array(values, pa.string()).cast(kind)  # SQLite keeps dates and times as text
    return pa.array(values, type=kind)


def _batch(rows: Sequence[Any], schema: pa.Schema) -> pa.RecordBatch:
    columns = list(zip(*rows, strict=True))
    return pa.record_batch(
        [_array(col, field.type) for col, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


def write_snapshot(
    folder: str | Path,
    known_at: dt.datetime,
    tables: dict[str, pa.Table],
) -> Snapshot:
    """Write a snapshot from Arrow tables (tests and benchmarks); missing tables are empty,
    records without a ``ref`` column get empty refs and without ``reported_at`` none."""
    with SnapshotWriter(folder, known_at) as writer:
        writer.write(tables)
    return writer.snapshot()


class SnapshotWriter:
    """Write a snapshot part by part (a generated ledger too large to hold in memory):
    each :meth:`write` appends Arrow tables to the Parquet files, as :func:`write_snapshot`
    would write them; leaving the ``with`` block writes the manifest. The parts must not
    contradict each other (unique ``seq`` and ``id``, subjects listed once)."""

    ROW_GROUP = 100_000

    def __init__(self, folder: str | Path, known_at: dt.datetime) -> None:
        self.folder = Path(folder)
        self.known_at = known_at
        self.counts = dict.fromkeys(SCHEMAS, 0)
        self._written: set[str] = set()
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._snapshot: Snapshot | None = None

    def __enter__(self) -> SnapshotWriter:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._writers = {
            table: pq.ParquetWriter(self.folder / f"{table}.parquet", schema, compression="zstd")
            for table, schema in SCHEMAS.items()
        }
        return self

    def write(self, tables: dict[str, pa.Table]) -> None:
        """Append one part; tables it lacks get no rows from it."""
        if not self._writers:
            raise RuntimeError("a SnapshotWriter writes inside its with block")
        unknown = set(tables) - set(SCHEMAS)
        if unknown:
            raise ValueError(f"not snapshot tables: {sorted(unknown)}")
        for table, data in tables.items():
            schema = SCHEMAS[table]
            if table == "records" and "ref" not in data.column_names:
                data = data.append_column("ref", pa.array([""] * data.num_rows, pa.string()))
            if table == "records" and "reported_at" not in data.column_names:
                data = data.append_column("reported_at", pa.nulls(data.num_rows, pa.date32()))
            data = data.select(schema.names).cast(schema)
            self._writers[table].write_table(data, row_group_size=self.ROW_GROUP)
            self.counts[table] += data.num_rows
            self._written.add(table)

    def __exit__(self, *exc: object) -> None:
        writers, self._writers = self._writers, {}
        for table, writer in writers.items():
            if table not in self._written:
                writer.write_table(SCHEMAS[table].empty_table())
            writer.close()
        if exc[0] is None:
            self._snapshot = _finish(self.folder, self.known_at, self.counts)

    def snapshot(self) -> Snapshot:
        """The snapshot written (after the ``with`` block)."""
        if self._snapshot is None:
            raise RuntimeError("the snapshot is finished when its with block ends")
        return self._snapshot


def _finish(folder: Path, known_at: dt.datetime, counts: dict[str, int]) -> Snapshot:
    snap = Snapshot(folder, known_at, counts["records"], counts["subjects"], counts["record_links"])
    manifest = {
        "known_at": known_at.isoformat(),
        "records": snap.records,
        "subjects": snap.subjects,
        "record_links": snap.record_links,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return snap


def read_snapshot(folder: str | Path) -> Snapshot:
    """The snapshot in ``folder``, from its manifest."""
    root = Path(folder)
    data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    return Snapshot(
        root,
        dt.datetime.fromisoformat(data["known_at"]),
        int(data["records"]),
        int(data["subjects"]),
        int(data["record_links"]),
    )
