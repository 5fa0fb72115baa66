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
import contextlib
import datetime as dt
import errno
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.storage.database import Database

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
BACKUP_SUFFIX: Final = ".sqlite3"
DAMAGED_PREFIX: Final = "runcompanion-damaged-"
COMPANION_SUFFIXES: Final = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside a database: they belong to it and move (or go) with it."""

_STAMP_FORMAT: Final = "%Y%m%dT%H%M%SZ"
_ID_RE: Final = re.compile(r"^(?P<stamp>\d{8}T\d{6}Z)-(?P<reason>" + "|".join(BACKUP_REASONS) + r")(?:-(?P<seq>\d+))?$")
_LOCK_TIMEOUT_S: Final = 1.0
_BUSY_TIMEOUT_S: Final = 5.0


class BackupError(UserError):
    """A backup could not be made, found, checked or restored. The message says why and what to do."""


class BackupNotFoundError(BackupError):
    def __init__(self, backup_id: str, folder: Path) -> None:
        super().__init__(
            f'There is no backup "{backup_id}" in {folder}. `runcompanion backup list` shows the backups there are.'
        )
        self.backup_id = backup_id


class InvalidBackupError(BackupError):
    """The file is damaged, not a RunCompanion database, or from a newer version. Nothing was changed."""


class DatabaseInUseError(BackupError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The database {path} is in use by another RunCompanion window or command; close it and restore again."
        )


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
            self.id, self.path, self.created_at, self.reason, self.size_bytes, _run_count_or_none(self.path)
        )


@dataclass(frozen=True, slots=True)
class MovedAside:
    """A damaged database moved out of the way: where it was, where it went and where its companions went."""

    original: Path
    moved_to: Path
    companions: tuple[Path, ...]
    """The new paths of its ``-wal``/``-shm``/``-journal`` files (named after ``moved_to``, so SQLite still
    pairs them with it if someone tries to rescue it), in that order; only those that existed."""


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
        """Every backup, newest first, each checked for its run count (damaged ones with ``run_count`` None)."""
        return [entry.checked() for entry in self._entries()]

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
            raise BackupError(f"Cannot read the backup folder {self.folder}: {_reason(error)}.") from None
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
        created_at = self._now().astimezone(dt.UTC).replace(microsecond=0)
        target, backup_id = self._free_name(created_at, reason)
        tmp = folder / f".{target.name}.tmp{os.getpid()}"
        try:
            _create_private(tmp)
            _copy_with_backup_api(database, tmp)
            run_count = _check(tmp)
            _fsync_file(tmp)
            os.replace(tmp, target)
            _fsync_dir(folder)
        except InvalidBackupError as error:
            _remove_quietly(tmp)
            raise BackupError(f"The backup of {database} did not pass its check, so it was not kept: {error}") from None
        except (OSError, sqlite3.Error) as error:
            _remove_quietly(tmp)
            full = (isinstance(error, OSError) and error.errno == errno.ENOSPC) or "full" in str(error)
            advice = "Free some space on the disk, then try again." if full else "Check the folder, then try again."
            raise BackupError(
                f"Cannot back up {database} to {folder}: {_reason(error)}. Nothing was changed. {advice}"
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
                raise BackupError(f"Cannot remove the old backup {entry.path}: {_reason(error)}.") from None
            removed.append(BackupInfo(entry.id, entry.path, entry.created_at, entry.reason, entry.size_bytes, None))
        return removed

    # -------------------------------------------------------------------------------------------- restoring

    def check(self, backup_id: str) -> int:
        """Check a backup without changing anything; return how many runs it holds. ``InvalidBackupError``
        (one line) when it is damaged, not RunCompanion's or from a newer version."""
        return _check(self.get(backup_id).path)

    def restore(self, backup_id: str) -> RestoreReport:
        """Replace the database with a backup. The caller closes its ``Database`` first and reopens it after.

        The backup is checked first; then what is there is kept (a ``pre-restore`` backup of a healthy file,
        or a damaged file moved aside), then the backup is copied next to the database, synced and moved into
        place in one step, and stale ``-wal``/``-shm`` files are removed. On any failure before that step the
        database is as it was.
        """
        info = self.get(backup_id)
        run_count = _check(info.path)
        target = self._paths.database
        self._paths.ensure()
        safety: BackupInfo | None = None
        moved: MovedAside | None = None
        if target.exists() and not _is_empty(target):
            if _is_healthy(target):
                _fold_wal_unless_in_use(target)
                safety = self.create("pre-restore")
            else:
                moved = move_aside(target, self._now())
        tmp = target.with_name(f".{target.name}.restore{os.getpid()}")
        try:
            _create_private(tmp)
            _copy_bytes(info.path, tmp)
            _check(tmp)
            _fsync_file(tmp)
            for companion in _companions(target):
                companion.unlink(missing_ok=True)
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except InvalidBackupError:
            _remove_quietly(tmp)
            raise
        except OSError as error:
            _remove_quietly(tmp)
            raise BackupError(
                f"Cannot restore {info.id} to {target}: {_reason(error)}. The database was left as it was"
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
            raise BackupError(f"Cannot create the backup folder {folder}: {_reason(error)}.") from None
        return folder

    def _free_name(self, created_at: dt.datetime, reason: BackupReason) -> tuple[Path, str]:
        stem = f"{created_at:{_STAMP_FORMAT}}-{reason}"
        seq = 1
        while True:
            backup_id = stem if seq == 1 else f"{stem}-{seq}"
            path = self.folder / f"{BACKUP_PREFIX}{backup_id}{BACKUP_SUFFIX}"
            if not path.exists():
                return path, backup_id
            seq += 1

    def _local_date(self, instant: dt.datetime) -> dt.date:
        return (instant.astimezone(self._zone) if self._zone is not None else instant.astimezone()).date()


# ------------------------------------------------------------------------------------------- moving aside


def move_aside(path: Path, now: dt.datetime) -> MovedAside:
    """Rename a damaged database (and its -wal, -shm, -journal files) to ``runcompanion-damaged-<UTC>.sqlite3``
    in the same folder, keeping every byte, so a new one can be made or a backup restored in its place.

    The companions go first: a new database must never meet the old one's write-ahead log. ``UserError`` when
    the files cannot be renamed (nothing is lost: they stay where they were).
    """
    stamp = f"{now.astimezone(dt.UTC):{_STAMP_FORMAT}}"
    seq = 1
    while True:
        name = f"{DAMAGED_PREFIX}{stamp}{'' if seq == 1 else f'-{seq}'}{BACKUP_SUFFIX}"
        moved_to = path.with_name(name)
        if not moved_to.exists() and not any(Path(f"{moved_to}{s}").exists() for s in COMPANION_SUFFIXES):
            break
        seq += 1
    companions: list[Path] = []
    try:
        for suffix in COMPANION_SUFFIXES:
            companion = Path(f"{path}{suffix}")
            if companion.exists():
                destination = Path(f"{moved_to}{suffix}")
                os.replace(companion, destination)
                companions.append(destination)
        os.replace(path, moved_to)
        _fsync_dir(path.parent)
    except OSError as error:
        raise UserError(
            f"The RunCompanion database {path} is damaged, and it cannot be moved aside ({_reason(error)}). "
            f"Move it out of {path.parent} yourself, then start RunCompanion again."
        ) from None
    return MovedAside(path, moved_to, tuple(companions))


# ---------------------------------------------------------------------------------------------- checking


def _check(path: Path) -> int:
    """Check a database file without changing it; return its number of runs. ``InvalidBackupError`` else."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as error:
        raise InvalidBackupError(f"{path} cannot be opened: {error}.") from None
    try:
        problems = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise InvalidBackupError(f"{path} is damaged (SQLite says: {'; '.join(problems[:3])}).")
        tables = {str(row[0]) for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables or "runs" not in tables:
            raise InvalidBackupError(f"{path} is not a RunCompanion database.")
        revisions = [str(row[0]) for row in connection.execute("SELECT version_num FROM alembic_version")]
        # Read from the migration files, not through Alembic: loading Alembic (with Mako and Pygments) for this
        # check kept about 16 MB resident in the app from its start on.
        if len(revisions) != 1 or revisions[0] not in Database.known_revisions():
            raise InvalidBackupError(
                f"{path} was made by a newer version of RunCompanion (schema {', '.join(revisions) or 'unknown'}); "
                "update RunCompanion to restore it."
            )
        count = connection.execute("SELECT count(*) FROM runs").fetchone()
        return int(count[0])
    except sqlite3.Error as error:
        raise InvalidBackupError(f"{path} is damaged or is not a database file (SQLite says: {error}).") from None
    finally:
        connection.close()


def _run_count_or_none(path: Path) -> int | None:
    try:
        return _check(path)
    except InvalidBackupError:
        return None


def _is_healthy(path: Path) -> bool:
    """Whether a database file passes ``quick_check`` (opened normally, so a hot WAL is taken into account)."""
    try:
        connection = sqlite3.connect(path, timeout=_LOCK_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        return [str(row[0]) for row in connection.execute("PRAGMA quick_check")] == ["ok"]
    except sqlite3.Error as error:
        if getattr(error, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise DatabaseInUseError(path) from None  # healthy or not, it is not ours to move while in use
        return False
    finally:
        connection.close()


def _is_empty(path: Path) -> bool:
    """A file with nothing in it worth keeping: zero bytes (a database created and never written)."""
    try:
        return path.stat().st_size == 0 and not any(c.exists() for c in _companions(path))
    except OSError:
        return False


def _fold_wal_unless_in_use(path: Path) -> None:
    """Fold the write-ahead log into the file and leave it in rollback-journal mode, or refuse when another
    connection has it open (SQLite allows leaving WAL mode only to the last connection)."""
    connection = sqlite3.connect(path, timeout=_LOCK_TIMEOUT_S, isolation_level=None)
    try:
        mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()
    except sqlite3.OperationalError as error:
        if getattr(error, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise DatabaseInUseError(path) from None
        raise BackupError(f"Cannot prepare {path} for the restore: {error}.") from None
    finally:
        connection.close()
    if mode is None or str(mode[0]).lower() != "delete":
        raise DatabaseInUseError(path)


# ------------------------------------------------------------------------------------------------- files


def _parse_name(name: str) -> tuple[str, dt.datetime, BackupReason, int] | None:
    if not (name.startswith(BACKUP_PREFIX) and name.endswith(BACKUP_SUFFIX)) or name.startswith(DAMAGED_PREFIX):
        return None
    backup_id = name[len(BACKUP_PREFIX) : -len(BACKUP_SUFFIX)]
    match = _ID_RE.match(backup_id)
    if match is None:
        return None
    try:
        created_at = dt.datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    reason = next(r for r in BACKUP_REASONS if r == match["reason"])
    return backup_id, created_at, reason, int(match["seq"] or 1)


def _companions(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in COMPANION_SUFFIXES]


def _create_private(path: Path) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    if os.name == "posix":
        os.chmod(path, 0o600)


def _copy_with_backup_api(source: Path, destination: Path) -> None:
    src = sqlite3.connect(source, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    try:
        dst = sqlite3.connect(destination, isolation_level=None)
        try:
            src.backup(dst)
            # The copy inherits WAL mode from the live file; a backup is one file that needs no -wal beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _copy_bytes(source: Path, destination: Path) -> None:
    with source.open("rb") as reader, destination.open("r+b") as writer:
        writer.truncate(0)
        while chunk := reader.read(1 << 20):
            writer.write(chunk)
        writer.flush()


def _fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):  # some file systems cannot sync a folder
            raise
    finally:
        os.close(descriptor)


def _remove_quietly(path: Path) -> None:
    for candidate in (path, *_companions(path)):
        with contextlib.suppress(OSError):
            candidate.unlink(missing_ok=True)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return str(error)
