"""Backups of the database: made with SQLite's backup API while the app runs, listed, checked and restored.

A backup is one self-contained SQLite file in ``AppPaths.backups_dir``, readable only by the user (0600),
named ``runcompanion-<ID>.sqlite3``. The ID says when (UTC) and why: ``20240506T073000Z-daily``, then
``-manual``, ``-pre-migration`` or ``-pre-restore``; a second backup in the same second and for the same
reason gets ``-2``, ``-3``... Backups are made:

- ``daily``: by ``daily_if_due`` when the app starts, once a calendar day (the runner's zone); the newest
  ``keep_daily`` (7) daily backups are kept, older daily ones are removed;
- ``pre-migration``: by ``before_migrate``, the hook ``Database.open`` calls before it upgrades an old file;
- ``pre-restore``: by ``restore``, of what is there before a backup replaces it;
- ``manual``: when the runner asks (``runcompanion backup create``, Settings). These and the two above are
  never removed by the app.

A restore checks the backup first (``PRAGMA quick_check``; it must be a RunCompanion database this version
can open), backs up the current database, then replaces it atomically (a copy in the same folder, fsync,
``os.replace``) and removes stale ``-wal``/``-shm`` files. The caller must have closed its ``Database``
before, and opens it again after (which migrates a backup from an older version).

No Qt here. Every method may be called from any one thread at a time; backing up a large journal takes a
moment, so the GUI calls ``create``, ``restore`` and ``daily_if_due`` from a worker.
"""

from __future__ import annotations

import builtins
import datetime as dt
import errno
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from runcompanion.paths import AppPaths
from runcompanion.storage.database_files import (
    BACKUP_SUFFIX,
    DAMAGED_PREFIX,
    STAMP_FORMAT,
    BackupError,
    DatabaseInUseError,
    InvalidBackupError,
    MovedAside,
    check_file,
    error_words,
    fold_wal_unless_in_use,
    is_empty,
    is_healthy,
    move_aside,
    replace_with_copy,
    run_count_or_none,
    snapshot,
    sweep_leftovers,
)

# Re-exported: callers see one module for backups; the file work itself lives in storage.
__all__ = ["BackupError", "DatabaseInUseError", "InvalidBackupError", "MovedAside", "move_aside"]

BackupReason = Literal["daily", "manual", "pre-migration", "pre-restore"]
BACKUP_REASONS: Final[tuple[BackupReason, ...]] = ("daily", "manual", "pre-migration", "pre-restore")
_REASON_WORDS: Final[dict[BackupReason, str]] = {
    "daily": "daily, automatic",
    "manual": "made by you",
    "pre-migration": "before a database update",
    "pre-restore": "before a restore",
}
DEFAULT_KEEP_DAILY: Final = 7
BACKUP_PREFIX: Final = "runcompanion-"
_ID_RE: Final = re.compile(r"^(?P<stamp>\d{8}T\d{6}Z)-(?P<reason>" + "|".join(BACKUP_REASONS) + r")(?:-(?P<seq>\d+))?$")


class BackupNotFoundError(BackupError):
    def __init__(self, backup_id: str, folder: Path) -> None:
        super().__init__(
            f'There is no backup "{backup_id}" in {folder}. `runcompanion backup list` shows the backups there are.'
        )
        self.backup_id = backup_id


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file. ``run_count`` is None when the file cannot be read (it is damaged)."""

    id: str
    path: Path
    created_at: dt.datetime
    reason: BackupReason
    size_bytes: int
    run_count: int | None

    @property
    def reason_words(self) -> str:
        """Why the backup was made, in words: ``made by you``."""
        return _REASON_WORDS[self.reason]

    @property
    def size_words(self) -> str:
        """``532 B``, ``48.0 KiB``, ``3.2 MiB``."""
        if self.size_bytes < 1024:
            return f"{self.size_bytes} B"
        if self.size_bytes < 1024 * 1024:
            return f"{self.size_bytes / 1024:.1f} KiB"
        return f"{self.size_bytes / (1024 * 1024):.1f} MiB"

    def as_dict(self) -> dict[str, object]:
        """The stable JSON shape of ``runcompanion backup list --json`` (docs/cli.md)."""
        return {
            "id": self.id,
            "file": str(self.path),
            "created_at": self.created_at.isoformat(),
            "reason": self.reason,
            "size_bytes": self.size_bytes,
            "runs": self.run_count,
        }


@dataclass(frozen=True, slots=True)
class _Entry:
    """A backup file found by its name, not opened yet."""

    id: str
    path: Path
    created_at: dt.datetime
    reason: BackupReason
    seq: int
    size_bytes: int

    def checked(self) -> BackupInfo:
        return BackupInfo(
            self.id, self.path, self.created_at, self.reason, self.size_bytes, run_count_or_none(self.path)
        )


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What ``restore`` did. Exactly one of ``safety_backup`` and ``moved_aside`` is set when a database was
    there before; both are None when there was none."""

    restored: BackupInfo
    database: Path
    run_count: int
    safety_backup: BackupInfo | None
    moved_aside: MovedAside | None


class BackupService:
    """Makes, lists, checks and restores backups of ``paths.database`` in ``paths.backups_dir``.

    ``now`` gives the aware current time (UTC in file names); ``zone`` is the runner's time zone for "once a
    day" (None: the system's).
    """

    def __init__(
        self,
        paths: AppPaths,
        *,
        now: Callable[[], dt.datetime] = utc_now,
        zone: dt.tzinfo | None = None,
        keep_daily: int = DEFAULT_KEEP_DAILY,
    ) -> None:
        if keep_daily < 1:
            raise ValueError(f"keep_daily must be at least 1, got {keep_daily}")
        self._paths = paths
        self._now = now
        self._zone = zone
        self._keep_daily = keep_daily

    @property
    def folder(self) -> Path:
        return self._paths.backups_dir

    def now(self) -> dt.datetime:
        """The service's clock: the time new backups and moved-aside files are named after."""
        return self._now()

    # ----------------------------------------------------------------------------------------------- listing

    def list(self) -> builtins.list[BackupInfo]:
        """Every backup, newest first, each checked for its run count (damaged ones with ``run_count`` None).

        A backup being made is never listed: it has a temporary name until it is complete and checked.
        """
        return [entry.checked() for entry in self._entries()]

    def sweep_leftovers(self) -> builtins.list[Path]:
        """Remove what a killed backup or restore left (its temporary copy and SQLite's journal of it) in the
        backup folder and beside the database; only of processes that are gone. Returns what was removed."""
        return sweep_leftovers(self.folder) + sweep_leftovers(self._paths.data_dir)

    def get(self, backup_id: str) -> BackupInfo:
        """The backup with this ID (the file name works too). ``BackupNotFoundError`` when there is none."""
        wanted = backup_id.strip()
        if wanted.startswith(BACKUP_PREFIX) and wanted.endswith(BACKUP_SUFFIX):
            wanted = wanted[len(BACKUP_PREFIX) : -len(BACKUP_SUFFIX)]
        for entry in self._entries():
            if entry.id == wanted:
                return entry.checked()
        raise BackupNotFoundError(backup_id, self.folder)

    def latest(self) -> BackupInfo | None:
        """The newest backup that can be read, or None. Checks only as many files as it needs to."""
        for entry in self._entries():
            info = entry.checked()
            if info.run_count is not None:
                return info
        return None

    def _entries(self) -> builtins.list[_Entry]:
        """The backup files, newest first, without opening them."""
        try:
            scanned = list(os.scandir(self.folder))
        except FileNotFoundError:
            return []
        except OSError as error:
            raise BackupError(f"Cannot read the backup folder {self.folder}: {error_words(error)}.") from None
        entries: list[_Entry] = []
        for item in scanned:
            parsed = _parse_name(item.name)
            if parsed is None or not item.is_file(follow_symlinks=False):
                continue
            try:
                size = item.stat(follow_symlinks=False).st_size
            except OSError:
                continue
            backup_id, created_at, reason, seq = parsed
            entries.append(_Entry(backup_id, Path(item.path), created_at, reason, seq, size))
        entries.sort(key=lambda entry: (entry.created_at, entry.seq), reverse=True)
        return entries

    # ------------------------------------------------------------------------------------------------ making

    def create(self, reason: BackupReason = "manual", *, source: Path | None = None) -> BackupInfo:
        """Back up ``source`` (the database) now, with SQLite's backup API, and return the new backup.

        Safe while the app has the database open: the copy is one consistent snapshot. The file is written
        under a temporary name, checked, synced and then renamed, so a crash or a full disk never leaves half
        a backup. ``BackupError`` when there is nothing to back up or the file cannot be written.
        """
        if reason not in BACKUP_REASONS:
            raise ValueError(f"unknown backup reason {reason!r}")
        database = self._paths.database if source is None else Path(source)
        if not database.is_file():
            raise BackupError(f"There is no database to back up at {database} yet.")
        folder = self._ensure_folder()
        sweep_leftovers(folder)
        created_at = self._now().astimezone(dt.UTC).replace(microsecond=0)
        target, backup_id = self._free_name(created_at, reason)
        try:
            run_count = snapshot(database, target)
        except InvalidBackupError as error:
            raise BackupError(f"The backup of {database} did not pass its check, so it was not kept: {error}") from None
        except OSError as error:
            # A full disk's words already say what to do (core/errors.py); anything else: look at the folder.
            advice = "" if error.errno == errno.ENOSPC else " Check the folder, then try again."
            raise BackupError(
                f"Cannot back up {database} to {folder}: {error_words(error)}. Nothing was changed.{advice}"
            ) from None
        size = target.stat().st_size
        return BackupInfo(backup_id, target, created_at, reason, size, run_count)

    def before_migrate(self, path: Path) -> None:
        """``Database.open``'s hook: back the file up before a migration changes it. Raises ``BackupError``
        (and so stops the migration) when the backup cannot be made."""
        self.create("pre-migration", source=path)

    def daily_if_due(self) -> BackupInfo | None:
        """Make today's daily backup unless there is one already (or there is no database); keep the newest
        ``keep_daily`` daily backups. Returns the new backup, or None."""
        if not self._paths.database.is_file():
            return None
        today = self._local_date(self._now())
        backups = self._entries()
        if any(entry.reason == "daily" and self._local_date(entry.created_at) == today for entry in backups):
            return None
        made = self.create("daily")
        self.prune()
        return made

    def prune(self) -> builtins.list[BackupInfo]:
        """Remove daily backups beyond the newest ``keep_daily``; return what was removed (unchecked, so with
        ``run_count`` None)."""
        daily = [entry for entry in self._entries() if entry.reason == "daily"]
        removed: builtins.list[BackupInfo] = []
        for entry in daily[self._keep_daily :]:
            try:
                entry.path.unlink()
            except FileNotFoundError:
                pass
            except OSError as error:
                raise BackupError(f"Cannot remove the old backup {entry.path}: {error_words(error)}.") from None
            removed.append(BackupInfo(entry.id, entry.path, entry.created_at, entry.reason, entry.size_bytes, None))
        return removed

    # -------------------------------------------------------------------------------------------- restoring

    def check(self, backup_id: str) -> int:
        """Check a backup without changing anything; return how many runs it holds. ``InvalidBackupError``
        (one line) when it is damaged, not RunCompanion's or from a newer version."""
        return check_file(self.get(backup_id).path)

    def restore(self, backup_id: str) -> RestoreReport:
        """Replace the database with a backup. The caller closes its ``Database`` first and reopens it after.

        The backup is checked first; then what is there is kept (a ``pre-restore`` backup of a healthy file,
        or a damaged file moved aside), then the backup is copied next to the database, synced and moved into
        place in one step, and stale ``-wal``/``-shm`` files are removed. On any failure before that step the
        database is as it was.
        """
        info = self.get(backup_id)
        run_count = check_file(info.path)
        target = self._paths.database
        self._paths.ensure()
        safety: BackupInfo | None = None
        moved: MovedAside | None = None
        if target.exists() and not is_empty(target):
            if is_healthy(target):
                fold_wal_unless_in_use(target)
                safety = self.create("pre-restore")
            else:
                moved = move_aside(target, self._now())
        try:
            replace_with_copy(info.path, target)
        except OSError as error:
            raise BackupError(
                f"Cannot restore {info.id} to {target}: {error_words(error)}. The database was left as it was"
                + (f" (and is also kept as backup {safety.id})." if safety else ".")
            ) from None
        return RestoreReport(info, target, run_count, safety, moved)

    # -------------------------------------------------------------------------------------------- internals

    def _ensure_folder(self) -> Path:
        folder = self.folder
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if os.name == "posix":
                folder.chmod(0o700)
        except OSError as error:
            raise BackupError(f"Cannot create the backup folder {folder}: {error_words(error)}.") from None
        return folder

    def _free_name(self, created_at: dt.datetime, reason: BackupReason) -> tuple[Path, str]:
        stem = f"{created_at:{STAMP_FORMAT}}-{reason}"
        seq = 1
        while True:
            backup_id = stem if seq == 1 else f"{stem}-{seq}"
            path = self.folder / f"{BACKUP_PREFIX}{backup_id}{BACKUP_SUFFIX}"
            if not path.exists():
                return path, backup_id
            seq += 1

    def _local_date(self, instant: dt.datetime) -> dt.date:
        return (instant.astimezone(self._zone) if self._zone is not None else instant.astimezone()).date()


def _parse_name(name: str) -> tuple[str, dt.datetime, BackupReason, int] | None:
    if not (name.startswith(BACKUP_PREFIX) and name.endswith(BACKUP_SUFFIX)) or name.startswith(DAMAGED_PREFIX):
        return None
    backup_id = name[len(BACKUP_PREFIX) : -len(BACKUP_SUFFIX)]
    match = _ID_RE.match(backup_id)
    if match is None:
        return None
    try:
        created_at = dt.datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    reason = next(r for r in BACKUP_REASONS if r == match["reason"])
    return backup_id, created_at, reason, int(match["seq"] or 1)
