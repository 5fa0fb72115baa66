"""Database files as files: checking one without changing it, copying it whole, moving a damaged one aside,
and sweeping what a killed copy left behind. Raw ``sqlite3`` and ``os`` work that the backup service builds on.

Every check opens the file read-only (``mode=ro&immutable=1`` for a file no one else may be writing), so a
damaged or foreign file stays byte for byte as it was. No Qt; any one thread at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from runcompanion.core.errors import UserError, describe_os_error
from runcompanion.storage.database import Database

BACKUP_SUFFIX: Final = ".sqlite3"
DAMAGED_PREFIX: Final = "runcompanion-damaged-"
COMPANION_SUFFIXES: Final = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside a database: they belong to it and move (or go) with it."""
STAMP_FORMAT: Final = "%Y%m%dT%H%M%SZ"
LOCK_TIMEOUT_S: Final = 1.0
BUSY_TIMEOUT_S: Final = 5.0
_LEFTOVER_RE: Final = re.compile(r"^\..+\.(?:tmp|restore)(?P<pid>\d+)(?:-journal|-wal|-shm)?$")
"""A copy in the making: ``.NAME.tmpPID`` (a backup), ``.NAME.restorePID`` (a restore), and SQLite's
companions of either."""


class BackupError(UserError):
    """A backup could not be made, found, checked or restored. The message says why and what to do."""


class InvalidBackupError(BackupError):
    """The file is damaged, not a RunCompanion database, or from a newer version. Nothing was changed."""


class DatabaseInUseError(BackupError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The database {path} is in use by another RunCompanion window or command; close it and restore again."
        )


@dataclass(frozen=True, slots=True)
class MovedAside:
    """A damaged database moved out of the way: where it was, where it went and where its companions went."""

    original: Path
    moved_to: Path
    companions: tuple[Path, ...]
    """The new paths of its ``-wal``/``-shm``/``-journal`` files (named after ``moved_to``, so SQLite still
    pairs them with it if someone tries to rescue it), in that order; only those that existed."""


# ------------------------------------------------------------------------------------------- moving aside


def move_aside(path: Path, now: dt.datetime) -> MovedAside:
    """Rename a damaged database (and its -wal, -shm, -journal files) to ``runcompanion-damaged-<UTC>.sqlite3``
    in the same folder, keeping every byte, so a new one can be made or a backup restored in its place.

    The companions go first: a new database must never meet the old one's write-ahead log. ``UserError`` when
    the files cannot be renamed (nothing is lost: they stay where they were).
    """
    stamp = f"{now.astimezone(dt.UTC):{STAMP_FORMAT}}"
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
        fsync_dir(path.parent)
    except OSError as error:
        raise UserError(
            f"The RunCompanion database {path} is damaged, and it cannot be moved aside ({error_words(error)}). "
            f"Move it out of {path.parent} yourself, then start RunCompanion again."
        ) from None
    return MovedAside(path, moved_to, tuple(companions))


# ------------------------------------------------------------------------------------------------ copying


def snapshot(database: Path, target: Path) -> int:
    """Copy ``database`` to ``target`` with SQLite's backup API (one consistent snapshot, safe while the app
    writes), check the copy, sync it and rename it into place; return its run count.

    The copy is made as ``.NAME.tmpPID`` beside ``target``; it and SQLite's journal of it go on any failure,
    and ``sweep_leftovers`` removes them after a kill. ``InvalidBackupError`` when the copy fails its check,
    ``OSError`` when it cannot be written (SQLite's own errors become one, ``ENOSPC`` for a full disk).
    """
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
    try:
        create_private(tmp)
        copy_with_backup_api(database, tmp)
        run_count = check_file(tmp)
        fsync_file(tmp)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except sqlite3.Error as error:
        remove_quietly(tmp)
        full = getattr(error, "sqlite_errorcode", -1) & 0xFF == sqlite3.SQLITE_FULL or "full" in str(error)
        raise OSError(errno.ENOSPC if full else errno.EIO, str(error)) from error
    except BaseException:
        remove_quietly(tmp)
        raise
    return run_count


def replace_with_copy(source: Path, target: Path) -> None:
    """Put a byte copy of the checked database ``source`` in place of ``target`` in one step (copy beside it,
    check, sync, remove stale ``-wal``/``-shm``, rename). ``target`` is as it was on any failure before that
    step. ``InvalidBackupError`` when the copy fails its check, ``OSError`` when it cannot be written."""
    tmp = target.with_name(f".{target.name}.restore{os.getpid()}")
    try:
        create_private(tmp)
        copy_bytes(source, tmp)
        check_file(tmp)
        fsync_file(tmp)
        for companion in companions(target):
            companion.unlink(missing_ok=True)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        remove_quietly(tmp)
        raise


# ---------------------------------------------------------------------------------------------- checking


def damage_beside_a_log(path: Path) -> str | None:
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


def check_file(path: Path) -> int:
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


def run_count_or_none(path: Path) -> int | None:
    try:
        return check_file(path)
    except InvalidBackupError:
        return None


def is_healthy(path: Path) -> bool:
    """Whether a database file passes ``quick_check`` (opened normally, so a hot WAL is taken into account)."""
    try:
        connection = sqlite3.connect(path, timeout=LOCK_TIMEOUT_S, isolation_level=None)
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


def is_empty(path: Path) -> bool:
    """A file with nothing in it worth keeping: zero bytes (a database created and never written)."""
    try:
        return path.stat().st_size == 0 and not any(c.exists() for c in companions(path))
    except OSError:
        return False


def fold_wal_unless_in_use(path: Path) -> None:
    """Fold the write-ahead log into the file and leave it in rollback-journal mode, or refuse when another
    connection has it open (SQLite allows leaving WAL mode only to the last connection)."""
    connection = sqlite3.connect(path, timeout=LOCK_TIMEOUT_S, isolation_level=None)
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


def companions(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in COMPANION_SUFFIXES]


def create_private(path: Path) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    if os.name == "posix":
        os.chmod(path, 0o600)


def copy_with_backup_api(source: Path, destination: Path) -> None:
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S, isolation_level=None)
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


def copy_bytes(source: Path, destination: Path) -> None:
    with source.open("rb") as reader, destination.open("r+b") as writer:
        writer.truncate(0)
        while chunk := reader.read(1 << 20):
            writer.write(chunk)
        writer.flush()


def fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_dir(folder: Path) -> None:
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


def remove_quietly(path: Path) -> None:
    for candidate in (path, *companions(path)):
        with contextlib.suppress(OSError):
            candidate.unlink(missing_ok=True)


def error_words(error: BaseException) -> str:
    """What went wrong, for the middle of a sentence: the real cause of an ``OSError``, SQLite's own words."""
    if isinstance(error, OSError) and error.strerror:
        words = describe_os_error(error)
        return words[0].lower() + words[1:]
    return str(error)


def sweep_leftovers(folder: Path) -> list[Path]:
    """Remove what a killed backup or restore left in ``folder`` (its temporary copy and SQLite's journal
    of it), only for processes that are gone; return what was removed. Never touches a finished file."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _LEFTOVER_RE.match(entry.name)
        if match is None or _alive(int(match["pid"])) or not entry.is_file(follow_symlinks=False):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False  # Windows refuses to remove a file another process has open: a live copy survives
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
