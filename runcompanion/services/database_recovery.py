"""Opening the database at start-up, for the command line and the GUI alike, and what to do when it is damaged.

``Database.open`` checks the file (``PRAGMA quick_check``) before anything writes to it. When it is damaged,
``open_or_recover`` moves it aside with its ``-wal`` and ``-shm`` files (every byte kept, under a name with the
time) and returns a ``DamagedDatabase`` that says so in words, with the newest backup to offer. The GUI then
lets the runner choose: ``restore_latest`` (or any backup) and open again, or just open again (a new, empty
database). The command line uses
``open_database``, which raises ``DatabaseMovedAsideError`` (a ``UserError``: one line, exit 2) instead.

Every open passes ``BackupService.before_migrate`` as ``Database.open``'s hook, so a migration always has a
backup to go back to. No Qt here; call from any one thread (the GUI: its worker).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.services.backup_service import (
    BackupInfo,
    BackupService,
    MovedAside,
    RestoreReport,
    move_aside,
)
from runcompanion.storage.database import Database, DatabaseCorruptError

_DETAIL_RE: Final = re.compile(r"\(SQLite says: (?P<detail>.*)\)\. It was left")


@dataclass(frozen=True, slots=True)
class DamagedDatabase:
    """The database was damaged and has been moved aside; ``latest_backup`` is the newest readable backup."""

    moved: MovedAside
    detail: str
    """What SQLite said about the damage (may be empty)."""
    latest_backup: BackupInfo | None

    @property
    def path(self) -> Path:
        return self.moved.original

    def summary(self) -> str:
        """One line for the command line: what happened, where the file went, how to get a backup back."""
        what = f" ({self.detail})" if self.detail else ""
        text = (
            f"The RunCompanion database {self.path} is damaged{what}; it was moved aside to {self.moved.moved_to} "
            "so that nothing more is lost."
        )
        latest = self.latest_backup
        if latest is None:
            return (
                f"{text} There is no backup to bring back (`runcompanion backup list` shows none); the next start "
                "begins a new, empty journal, and `runcompanion backup restore ID` can restore a backup later."
            )
        return (
            f"{text} `runcompanion backup list` shows the backups; `runcompanion backup restore {latest.id}` brings "
            f"back the latest ({_when(latest)}, {_runs(latest.run_count)})."
        )

    def explanation(self) -> str:
        """A few sentences for the GUI's dialog, which then offers to restore the latest backup or start fresh."""
        what = f" SQLite reported: {self.detail}." if self.detail else ""
        text = (
            f"Your RunCompanion database could not be read: the file {self.path.name} is damaged.{what} "
            f"So that nothing more is lost, it was moved aside to {self.moved.moved_to}, exactly as it was."
        )
        latest = self.latest_backup
        if latest is None:
            return f"{text}\n\nThere is no backup to restore. RunCompanion can start again with an empty journal."
        return (
            f"{text}\n\nThe latest backup is from {_when(latest)} and holds {_runs(latest.run_count)}. You can "
            "restore it now, or start again with an empty journal (the backups stay, and Settings can restore "
            "one later)."
        )


class DatabaseMovedAsideError(UserError):
    """Raised by ``open_database`` after a damaged database was moved aside. ``problem`` says the rest."""

    def __init__(self, problem: DamagedDatabase) -> None:
        super().__init__(problem.summary())
        self.problem = problem


def open_or_recover(paths: AppPaths, backups: BackupService) -> tuple[Database | None, DamagedDatabase | None]:
    """Open (and migrate, after a backup) the database; if it is damaged, move it aside and say so.

    Returns ``(database, None)``, or ``(None, problem)`` when a damaged file was moved aside: nothing is
    opened then, so the caller can offer ``restore_latest`` or ``start_fresh``. Every other
    ``DatabaseOpenError`` (too new, not RunCompanion's, unavailable) and a failed pre-migration backup
    (``BackupError``) propagate unchanged: those files are left exactly as they are.
    """
    paths.ensure()
    path = paths.database
    detail = _damage_beside_a_log(path)
    if detail is None:
        try:
            return Database.open(path, before_migrate=backups.before_migrate), None
        except DatabaseCorruptError as error:
            match = _DETAIL_RE.search(str(error))
            detail = match["detail"] if match else ""
    moved = move_aside(path, backups.now())
    return None, DamagedDatabase(moved, detail, backups.latest())


def open_database(paths: AppPaths, backups: BackupService) -> Database:
    """``open_or_recover`` for the command line: a damaged file is moved aside and ``DatabaseMovedAsideError``
    (one line, exit 2) tells the runner where it went and which backup to restore."""
    database, problem = open_or_recover(paths, backups)
    if problem is not None:
        raise DatabaseMovedAsideError(problem)
    assert database is not None
    return database


def restore_latest(backups: BackupService, problem: DamagedDatabase) -> RestoreReport:
    """After ``open_or_recover`` returned a problem: put the latest backup where the damaged file was.

    Open the database again afterwards (``open_database``, or ``build_services`` in the app); to start with an
    empty journal instead, simply open it again without restoring. ``UserError`` when there is no backup or it
    cannot be restored.
    """
    latest = problem.latest_backup or backups.latest()
    if latest is None:
        raise UserError("There is no backup to restore; start with an empty journal instead.")
    return backups.restore(latest.id)


def _damage_beside_a_log(path: Path) -> str | None:
    """What is wrong with a database that a crash left with its write-ahead log, or None when it is fine (or
    has no log, or cannot be checked here: ``Database.open`` then checks it as usual).

    A read-only connection, because closing a read-write one folds the log into the file and deletes it with
    the ``-shm`` file: a damaged file would change and lose its companions before it could be moved aside.
    """
    if not Path(f"{path}-wal").exists():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error:
        return None
    try:
        problems = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
    except sqlite3.Error as error:
        code = getattr(error, "sqlite_errorcode", -1) & 0xFF
        return str(error) if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) else None
    finally:
        connection.close()
    return None if problems == ["ok"] else "; ".join(problems[:3])


def _when(info: BackupInfo) -> str:
    return f"{info.created_at.astimezone():%Y-%m-%d %H:%M}"


def _runs(count: int | None) -> str:
    if count is None:
        return "an unknown number of runs"
    return "1 run" if count == 1 else f"{count} runs"
