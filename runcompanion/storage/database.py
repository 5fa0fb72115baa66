"""The SQLite database file: opening it safely, migrating it to the current schema, and transactions.

``Database.open`` checks the file before anything writes to it, lets the app back it up when a migration is
due, and upgrades it with Alembic, programmatically (no alembic.ini).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from runcompanion.storage.database_errors import (
    SQLITE_MAX_PATH_BYTES,
    DatabaseCorruptError,
    DatabaseOpenError,
    DatabasePathTooLongError,
    DatabaseTooNewError,
    DatabaseUnavailableError,
    DatabaseWriteError,
    ForeignDatabaseError,
    WriteAheadLogRemovedError,
    log_was_removed,
)

# Re-exported: callers catch these from the module that opens the database.
__all__ = [
    "Database",
    "DatabaseCorruptError",
    "DatabaseOpenError",
    "DatabaseTooNewError",
    "DatabaseUnavailableError",
    "DatabaseWriteError",
    "ForeignDatabaseError",
    "WriteAheadLogRemovedError",
    "alembic_config",
]

if TYPE_CHECKING:
    # Alembic is loaded only when a migration runs: at every ordinary start the file is already at head,
    # and loading it anyway cost about 11 MB of resident memory and part of the start-up.
    from alembic.config import Config

_MIGRATIONS_DIR: Final = Path(__file__).resolve().parent / "migrations"
"""Where Alembic finds env.py and versions/. Shipped inside the package, so it works from a wheel too."""

BUSY_TIMEOUT_MS: Final = 5000
"""How long a connection waits for another one's lock before giving up with 'database is locked'."""

_VERSION_TABLE: Final = "alembic_version"

_READ_ONLY_OPTION: Final = "runcompanion_read_only"
"""Execution option that makes a transaction begin DEFERRED (a plain read) instead of IMMEDIATE."""


@dataclass(frozen=True, slots=True)
class _FileState:
    """What a healthy file holds before migration: its tables and its Alembic revision, if any."""

    tables: frozenset[str]
    revision: str | None

    @property
    def is_new(self) -> bool:
        """No schema at all: an empty file that RunCompanion (or sqlite) just created."""
        return not self.tables


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config built in code, pointing at the package's migrations.

    With ``connection``, env.py runs the migrations on it (inside whatever transaction it is in). Developers
    can pass this config to ``alembic.command.revision(..., autogenerate=True)`` to draft a new migration.
    """
    from alembic.config import Config

    config = Config()
    # ConfigParser interpolation treats "%" specially; a data folder may contain one.
    config.set_main_option("script_location", str(_MIGRATIONS_DIR).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


_REVISION_RE: Final = re.compile(r'^revision\s*(?::[^=]*)?=\s*["\']([^"\']+)["\']', re.MULTILINE)
_DOWN_RE: Final = re.compile(r'^down_revision\s*(?::[^=]*)?=\s*(?:["\']([^"\']+)["\']|None)', re.MULTILINE)


def _revisions() -> tuple[frozenset[str], str]:
    """Every revision the shipped migrations define, and the head: read from the files, without Alembic.

    Each migration file states ``revision = "..."`` and ``down_revision = "..."`` (or None); the head is the
    one no other revision comes down to. A test checks this agrees with Alembic's own reading.
    """
    known: set[str] = set()
    parents: set[str] = set()
    for script in sorted((_MIGRATIONS_DIR / "versions").glob("*.py")):
        text = script.read_text(encoding="utf-8")
        revision = _REVISION_RE.search(text)
        if revision is None:
            continue
        known.add(revision.group(1))
        down = _DOWN_RE.search(text)
        if down is not None and down.group(1):
            parents.add(down.group(1))
    heads = known - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations folder must have exactly one head, not {sorted(heads)}")
    return frozenset(known), heads.pop()


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only, unless it exists.

    SQLite would create it with the umask's mode (usually world-readable); a journal is private. SQLite gives
    the -wal and -shm files the same mode as the database file.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except FileNotFoundError as error:
        raise DatabaseUnavailableError(path, f"the folder {path.parent} does not exist") from error
    except PermissionError as error:
        raise DatabaseUnavailableError(path, f"no permission to create a file in {path.parent}") from error
    except OSError as error:
        raise DatabaseUnavailableError(path, error.strerror or str(error)) from error
    os.close(descriptor)


def _inspect_file(path: Path) -> _FileState:
    """Check the file with ``PRAGMA quick_check`` and read its tables and revision, changing nothing.

    This uses a bare sqlite3 connection, before the engine exists: the engine's connect hook switches the file
    to WAL, which writes to it, and a damaged file must stay exactly as it was so that it can be rescued.
    """
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as error:
        raise DatabaseUnavailableError(path, str(error)) from error
    try:
        problems = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise DatabaseCorruptError(path, "; ".join(problems[:3]))
        tables = frozenset(
            str(row[0])
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        )
        revisions: list[str] = []
        if _VERSION_TABLE in tables:
            revisions = [str(row[0]) for row in connection.execute(f"SELECT version_num FROM {_VERSION_TABLE}")]
    except sqlite3.Error as error:
        # Primary result codes live in the low byte; the rest says which variant (SQLITE_CORRUPT_INDEX, ...).
        code = getattr(error, "sqlite_errorcode", -1) & 0xFF
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            raise DatabaseCorruptError(path, str(error)) from error
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise DatabaseUnavailableError(path, "another program is holding it locked") from error
        if code == sqlite3.SQLITE_IOERR and log_was_removed(path, getattr(error, "sqlite_errorcode", -1)):
            raise WriteAheadLogRemovedError(path, str(error)) from error
        raise DatabaseUnavailableError(path, str(error)) from error
    finally:
        connection.close()
    if len(revisions) > 1:
        # RunCompanion's history is a single line of revisions; branches can only come from elsewhere.
        raise DatabaseTooNewError(path, ", ".join(sorted(revisions)))
    return _FileState(tables=tables, revision=revisions[0] if revisions else None)


def _configure_connection(dbapi_connection: Any, _connection_record: Any) -> None:
    """Runs on every new DBAPI connection (a sqlite3.Connection), on whichever thread opens it."""
    # SQLAlchemy emits BEGIN itself (see _begin). Left to itself, the sqlite3 module begins
    # transactions late, commits before DDL, and so makes migrations non-transactional.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first, so the WAL switch waits for locks
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL cannot corrupt the file; a power cut may lose only the last commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _begin(connection: Connection) -> None:
    # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY if another connection
    # wrote in between; IMMEDIATE takes the write lock up front and waits busy_timeout instead. Read-only
    # transactions begin deferred, so in WAL mode they never wait for a writer and never block one.
    if connection.get_execution_options().get(_READ_ONLY_OPTION, False):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _create_engine(path: Path) -> Engine:
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def _pragma_outside_transaction(connection: Connection, pragma: str) -> None:
    """Run a PRAGMA that SQLite ignores inside a transaction (foreign_keys), straight on the DBAPI cursor."""
    if connection.in_transaction():
        raise RuntimeError(f"PRAGMA {pragma} has no effect inside a transaction")
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is None:
        raise RuntimeError("the connection has no DBAPI connection")
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _upgrade_to_head(engine: Engine, path: Path) -> None:
    """Run every pending migration in one transaction, with foreign keys off.

    Batch migrations copy a table, drop the old one and rename the copy. With foreign keys on, that DROP would
    delete (CASCADE) or orphan (SET NULL) every row that points at the table, so they are switched off, and
    ``foreign_key_check`` proves before commit that the migration left every reference whole.
    """
    with engine.connect() as connection:
        _pragma_outside_transaction(connection, "foreign_keys=OFF")
        try:
            with connection.begin():
                from alembic import command

                command.upgrade(alembic_config(connection), "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(
                        f"migrating {path} would break references (table, rowid, parent, fk): {broken[:5]}"
                    )
        finally:
            # The connection goes back to the pool; every later user relies on foreign keys being on.
            _pragma_outside_transaction(connection, "foreign_keys=ON")


class Database:
    """An open RunCompanion database: one SQLAlchemy engine on one SQLite file, migrated to head.

    Threads: ``open`` and ``close`` are called by whoever owns the database (the composition root, on the main
    thread at start-up and exit). ``transaction`` may be called from any thread; each call gets its own
    connection from the pool, and its Session must stay on the thread that opened it.
    """

    def __init__(self, engine: Engine, path: Path) -> None:
        """Wrap an engine that is already configured and migrated. Use ``Database.open``."""
        self._engine: Engine | None = engine
        self._path = path

    @classmethod
    def open(cls, path: Path, *, before_migrate: Callable[[Path], None] | None = None) -> Self:
        """Open (creating if needed) the database at ``path`` and bring its schema to head.

        A new file is created with mode 0600 and built at head. An existing file is checked first and never
        changed when it is damaged (``DatabaseCorruptError``), newer than this app (``DatabaseTooNewError``)
        or not RunCompanion's (``ForeignDatabaseError``). When an existing database is behind head,
        ``before_migrate(path)`` is called first, with no connection open, so the caller can back the file
        up; if it raises, nothing is migrated and the exception propagates. A missing folder or a file that
        cannot be opened raises ``DatabaseUnavailableError``. All of these are ``DatabaseOpenError``s.
        """
        path = Path(path)
        length = len(os.fsencode(path.absolute()))
        if length >= SQLITE_MAX_PATH_BYTES:
            raise DatabasePathTooLongError(path, length)  # SQLite would say only "unable to open database file"
        _create_private_file(path)
        state = _inspect_file(path)
        known, head = _revisions()
        if state.revision is None and state.tables - {_VERSION_TABLE}:
            raise ForeignDatabaseError(path)
        if state.revision is not None and state.revision not in known:
            raise DatabaseTooNewError(path, state.revision)
        if state.revision != head and not state.is_new and before_migrate is not None:
            before_migrate(path)
        engine = _create_engine(path)
        try:
            if state.revision != head:
                _upgrade_to_head(engine, path)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, path)

    @property
    def path(self) -> Path:
        return self._path

    @staticmethod
    def head_revision() -> str:
        """The newest schema revision this version of RunCompanion knows."""
        return _revisions()[1]

    @staticmethod
    def known_revisions() -> frozenset[str]:
        """Every schema revision this version of RunCompanion can open (and migrate to head), without Alembic."""
        return _revisions()[0]

    def schema_revision(self) -> str:
        """The schema revision the file is at (after ``open``, always ``head_revision()``)."""
        engine = self._require_engine().execution_options(**{_READ_ONLY_OPTION: True})
        with engine.connect() as connection:
            from alembic.runtime.migration import MigrationContext

            revision = MigrationContext.configure(connection).get_current_revision()
        if revision is None:
            raise RuntimeError(f"{self._path} has no schema revision")
        return revision

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """A Session in one transaction: committed when the block ends, rolled back if it raises.

        A writing transaction holds SQLite's write lock from its start (other writers wait up to
        ``BUSY_TIMEOUT_MS``), so do not open a second one on the same thread inside it. ``write=False`` for
        reads: they see one consistent snapshot and never wait for, or block, a writer.

        Objects loaded in it stay readable after commit (no expiry), but must not leave the calling thread or
        the storage package: repositories turn them into records inside the block.
        """
        engine = self._require_engine()
        if not write:
            engine = engine.execution_options(**{_READ_ONLY_OPTION: True})
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                yield session
        except OperationalError as error:
            # The transaction has rolled back; say why in words a person can act on.
            code = getattr(error.orig, "sqlite_errorcode", -1) & 0xFF
            if code == sqlite3.SQLITE_IOERR and log_was_removed(
                self._path, getattr(error.orig, "sqlite_errorcode", -1)
            ):
                raise WriteAheadLogRemovedError(self._path, str(error.orig)) from error
            if code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY):
                reason = "the disk is full" if code == sqlite3.SQLITE_FULL else str(error.orig)
                raise DatabaseWriteError(self._path, reason) from error
            raise

    def close(self) -> None:
        """Close every pooled connection (the last to close folds the WAL into the file). Idempotent."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _require_engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError(f"the database {self._path} is closed")
        return self._engine
