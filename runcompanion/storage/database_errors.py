"""Why the database cannot be used, in words a person can act on. Each error names the file and says what to do.

SQLite's bare "disk I/O error" gets its real cause where one can be seen (``log_was_removed``): the
write-ahead log removed from under an open database, which leaves its ``-shm`` file behind.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final

from runcompanion.core.errors import UserError

SQLITE_MAX_PATH_BYTES: Final = 512
"""SQLite's Unix file layer takes paths shorter than this (SQLITE_MAX_PATHNAME); a longer one fails to open
with a bare "unable to open database file"."""


class DatabaseOpenError(UserError):
    """The database file cannot be used as it is. The message names the file and says what to do."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


class DatabaseCorruptError(DatabaseOpenError):
    """The file is damaged or is not an SQLite database at all. It is left untouched."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            path,
            f"The RunCompanion database {path} is damaged or is not a database file (SQLite says: {detail}). "
            "It was left exactly as it is. Restore it from a backup, or move it aside so that RunCompanion "
            "starts a new, empty one.",
        )


class DatabaseTooNewError(DatabaseOpenError):
    """The file's schema revision is unknown to this version: a newer RunCompanion wrote it."""

    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            path,
            f"The RunCompanion database {path} was written by a newer version of RunCompanion "
            f"(schema revision {revision}). It was left as it is. Update RunCompanion to open it.",
        )


class ForeignDatabaseError(DatabaseOpenError):
    """The file is a healthy SQLite database that belongs to something else. It is left untouched."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            f"{path} is an SQLite database, but not a RunCompanion one: it has tables and no RunCompanion "
            "schema version. It was left as it is. Choose another data folder, or move the file aside.",
        )


class DatabaseWriteError(DatabaseOpenError):
    """A write could not be saved (full disk, read-only medium); the transaction was rolled back whole."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            path,
            f"Cannot save to {path}: {reason}. Nothing was changed; free some space or check the disk, then try again.",
        )


class DatabaseUnavailableError(DatabaseOpenError):
    """The file cannot be created, opened or read: a missing folder, no permission, a lock held elsewhere."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            path,
            f"The RunCompanion database {path} cannot be opened: {reason}. Check that its folder exists and "
            "that you may write to it, and that no other RunCompanion window is using it.",
        )


class DatabasePathTooLongError(DatabaseOpenError):
    """The database's path is longer than SQLite can open, although the file system allows it."""

    def __init__(self, path: Path, length: int) -> None:
        super().__init__(
            path,
            f"The RunCompanion database {path} cannot be opened: its path is too long for SQLite ({length} bytes; "
            f"it takes at most {SQLITE_MAX_PATH_BYTES - 1}). Choose a data folder with a shorter path (--data-dir).",
        )


class WriteAheadLogRemovedError(DatabaseOpenError):
    """The ``-wal`` file was deleted while a connection had the database open (its ``-shm`` is still there)."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            path,
            f"The write-ahead log {path.name}-wal beside the RunCompanion database {path} was removed while the "
            f"database was open (SQLite says: {detail}); what was written since the last checkpoint may be lost. "
            "Close every RunCompanion window and command on this data folder, then start again.",
        )


def log_was_removed(path: Path, extended_code: int) -> bool:
    """Whether SQLite's I/O error ``extended_code`` on ``path`` comes from a write-ahead log removed from under
    an open database. SQLite says only "disk I/O error"; the files say more: the ``-shm`` index is left behind,
    and the next connection makes a new, empty ``-wal``, so reading the frames the index lists comes up short.
    """
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if not shm.exists():
        return False
    try:
        return not wal.exists() or (extended_code == sqlite3.SQLITE_IOERR_SHORT_READ and wal.stat().st_size == 0)
    except OSError:
        return False
