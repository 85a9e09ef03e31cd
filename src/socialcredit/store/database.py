"""The store: one SQLAlchemy engine, migrations, and the one-writer discipline.

SQLite (the embedded default) runs in WAL mode: many readers, one writer;
write transactions start with ``BEGIN IMMEDIATE`` so two writers queue
instead of failing half-way. PostgreSQL serialises writers with a
transaction-scoped advisory lock, because the audit chain needs a total
order of writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from socialcredit.clock import Clock, SystemClock
from socialcredit.errors import (
    InvalidDbUrl,
    NeedsUpgrade,
    NotInitialised,
    StoreError,
    StoreFull,
    StoreReadOnly,
)
from socialcredit.private_files import create_private

MIGRATIONS = Path(__file__).parent / "migrations"
_WRITER_LOCK = 0x5C0C_ED17  # advisory lock key for PostgreSQL writers


def _normalise_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(_normalise_url(url))
    except ArgumentError as exc:
        raise InvalidDbUrl(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database not in (None, "", ":memory:"):
            create_private(Path(parsed.database))
        # LIFO: reuse the most recent connection, whose page cache is warm. As many
        # kept as the web server has request threads (anyio's 40): a connection made
        # for a burst and closed after it costs its PRAGMAs, the schema and a cold
        # page cache, several times the read it was made for
        engine = create_engine(
            parsed,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=40,
            max_overflow=40,
            pool_use_lifo=True,
        )
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            parsed, pool_pre_ping=True, pool_size=8, max_overflow=32, pool_use_lifo=True
        )
    raise InvalidDbUrl(
        f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql",
    )


def sqlite_file(url: str) -> Path | None:
    """A SQLite store's database file; None for a server or in-memory database."""
    with suppress(ArgumentError):
        parsed = make_url(_normalise_url(url))
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            return Path(parsed.database)
    return None


def store_folder(url: str) -> Path | None:
    """The folder of a SQLite store's database file; None for a server or in-memory
    database."""
    path = sqlite_file(url)
    return None if path is None else path.parent


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        # a page cache of up to 64 MiB per connection (SQLite's default is 2 MiB):
        # appends touch the ledger's indexes at random, and a small cache re-reads
        # their pages from the OS for every batch
        cur.execute("PRAGMA cache_size=-65536")
        # checkpoint the WAL every 64 MiB rather than 4 MiB: bulk appends write
        # each hot index page back to the database file once, not once per batch
        cur.execute("PRAGMA wal_autocheckpoint=16384")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("writer"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


class Store:
    """A socialcredit store at one database URL."""

    def __init__(self, url: str, clock: Clock | None = None) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.clock: Clock = clock or SystemClock()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # -- schema -------------------------------------------------------------
    def _alembic_config(self, connection: Connection) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = connection
        return cfg

    def migrate(self) -> str:
        """Create or upgrade the schema to the newest migration; return its revision."""
        try:
            with self.engine.begin() as conn:
                command.upgrade(self._alembic_config(conn), "head")
        except OperationalError as exc:
            raise StoreError(f"cannot open the store at {self.url}: {exc.orig}") from exc
        return self.head_revision()

    def head_revision(self) -> str:
        script = ScriptDirectory(str(MIGRATIONS))
        head = script.get_current_head()
        assert head is not None
        return head

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def require_schema(self) -> None:
        try:
            current = self.current_revision()
        except OperationalError as exc:
            raise StoreError(f"cannot open the store at {self.url}: {exc.orig}") from exc
        if current is None:
            raise NotInitialised(
                f"the store at {self.url} is not initialised: run `socialcredit init`",
            )
        if current != self.head_revision():
            raise NeedsUpgrade(
                f"the store at {self.url} is at revision {current}, this version needs "
                f"{self.head_revision()}: run `socialcredit init` to upgrade it",
            )

    # -- transactions -------------------------------------------------------
    @contextmanager
    def writer(self) -> Iterator[Connection]:
        """A write transaction; writers are serialised, so the audit chain is total.
        A full disk or a read-only store rolls the whole transaction back and answers
        ``store_full`` or ``store_read_only``: nothing half-written, and the next
        write succeeds once space (or write access) returns."""
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(writer=True)
                with conn.begin():
                    if self.dialect == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _WRITER_LOCK})
                    yield conn
        except DBAPIError as exc:
            refusal = storage_refusal(exc)
            if refusal is None:
                raise
            raise refusal from exc

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn


# what the drivers say when the disk is full or the store read-only (SQLite's
# SQLITE_FULL and SQLITE_READONLY; PostgreSQL's SQLSTATE 53100 and 25006)
_FULL = ("database or disk is full", "no space left on device", "could not extend file")
_READ_ONLY = ("readonly database", "read-only database", "read-only transaction")


def storage_refusal(exc: DBAPIError) -> StoreError | None:
    """The coded error for a write the storage refused, or None for any other error."""
    message = str(exc.orig).lower()
    state = getattr(exc.orig, "sqlstate", None)
    if state == "53100" or any(m in message for m in _FULL):
        return StoreFull(
            "the store's disk is full: the write was rolled back whole; free space and run it again"
        )
    if state == "25006" or any(m in message for m in _READ_ONLY):
        return StoreReadOnly(
            "the store is read-only: the write was rolled back whole; make it writable "
            "and run it again"
        )
    return None
