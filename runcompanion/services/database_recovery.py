"""Opening the database at start-up, for the command line and the GUI alike, and what to do when it is damaged.

``Database.open`` checks the file (``PRAGMA quick_check``) before anything writes to it. When it is damaged,
``open_or_recover`` moves it aside with its ``-wal`` and ``-shm`` files (every byte kept, under a name with the
time) and returns a ``DamagedDatabase`` that says so in words, with the newest backup to offer. The GUI then
lets the runner choose: ``restore_latest`` (or any backup) and open again, or just open again (a new, empty
database). The command line uses
``open_database``, which raises ``DatabaseMovedAsideError`` (a ``UserError``: one line, exit 2) instead.

Every open passes ``BackupService.before_migrate`` as ``Database.open``'s hook, so a migration always has a
backup to go back to. No Qt here; call from any one thread (the GUI: its worker).

Who owns the data folder (``storage.folder_lock``) decides what an open may do besides opening. The owner
(the app's window, ``runcompanion run``), or any command when nobody owns the folder, finishes a restore
that Settings left for the next start, sweeps what a killed backup left, and marks runs still
``in_progress`` as ``interrupted``: their process is gone. A command beside a live app does none of that
(the run in progress is real) and never moves a database aside under it.
"""

from __future__ import annotations

import logging
import re
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
from runcompanion.storage.database_files import damage_beside_a_log
from runcompanion.storage.folder_lock import DataFolderLock, claim
from runcompanion.storage.run_repository import RunRepository

log = logging.getLogger(__name__)

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


def open_or_recover(
    paths: AppPaths, backups: BackupService, owner: DataFolderLock | None = None
) -> tuple[Database | None, DamagedDatabase | None]:
    """Open (and migrate, after a backup) the database; if it is damaged, move it aside and say so.

    Returns ``(database, None)``, or ``(None, problem)`` when a damaged file was moved aside: nothing is
    opened then, so the caller can offer ``restore_latest`` or ``start_fresh``. Every other
    ``DatabaseOpenError`` (too new, not RunCompanion's, unavailable) and a failed pre-migration backup
    (``BackupError``) propagate unchanged: those files are left exactly as they are.

    ``owner`` is this process's lock on the data folder, if it holds one (see the module's docstring).
    """
    paths.ensure()
    with claim(paths.data_dir, owner) as owned:
        if owned:
            backups.sweep_leftovers()
            _finish_pending_restore(paths, backups)
        path = paths.database
        detail = damage_beside_a_log(path)
        if detail is None:
            try:
                database = Database.open(path, before_migrate=backups.before_migrate)
            except DatabaseCorruptError as error:
                match = _DETAIL_RE.search(str(error))
                detail = match["detail"] if match else ""
            else:
                if owned:
                    _mark_cut_off_runs(database)
                return database, None
        if not owned:
            raise UserError(
                f"The RunCompanion database {path} looks damaged ({detail or 'SQLite could not read it'}), but "
                "another RunCompanion window is using it, so it was left as it is. Close that window, then try again."
            )
        moved = move_aside(path, backups.now())
        return None, DamagedDatabase(moved, detail, backups.latest())


def open_database(paths: AppPaths, backups: BackupService, owner: DataFolderLock | None = None) -> Database:
    """``open_or_recover`` for the command line: a damaged file is moved aside and ``DatabaseMovedAsideError``
    (one line, exit 2) tells the runner where it went and which backup to restore."""
    database, problem = open_or_recover(paths, backups, owner)
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


def _finish_pending_restore(paths: AppPaths, backups: BackupService) -> None:
    """Settings asked for a restore; the app could not swap the database it had open, so it happens now."""
    if not paths.pending_restore.exists():
        return
    backup_id = paths.pending_restore.read_text(encoding="utf-8").strip()
    paths.pending_restore.unlink()
    backups.restore(backup_id)


def _mark_cut_off_runs(database: Database) -> None:
    """Runs left ``in_progress`` with no owner alive were cut off (a crash, a kill, a power cut)."""
    try:
        interrupted = RunRepository(database).mark_interrupted()
    except BaseException:
        database.close()
        raise
    if interrupted:
        log.info("marked %d unfinished run(s) as interrupted", len(interrupted))


def _when(info: BackupInfo) -> str:
    return f"{info.created_at.astimezone():%Y-%m-%d %H:%M}"


def _runs(count: int | None) -> str:
    if count is None:
        return "an unknown number of runs"
    return "1 run" if count == 1 else f"{count} runs"
