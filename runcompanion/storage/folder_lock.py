"""One owner per data folder: an advisory lock on ``runcompanion.lock`` that the operating system drops when
its process dies, however it dies (a crash, SIGKILL, a power cut).

The owner is the process that may have a run in progress: the app's window (and ``runcompanion run``). It
holds the lock from before its database opens until it exits. Every other process that opens the database
(the command line) only *claims* the folder for a moment (``claim``): if the claim succeeds nobody owns the
folder, so a run still ``in_progress`` was cut off and can honestly be marked interrupted; if it fails, a
live app owns it and its run is left alone.

POSIX uses ``flock`` (one lock per open file, so two opens in one process exclude each other too, unlike
``fcntl`` record locks, which a process shares with itself and loses when any of its descriptors on the file
closes). Windows locks one byte with ``msvcrt.locking``, far past the PID the file holds so that others can
still read it. The lock file is never deleted: removing it would let two processes lock two different files.
Qt-free and small on purpose: the command line uses it without loading Qt.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final, Self

LOCK_NAME: Final = "runcompanion.lock"
_WINDOWS_LOCK_OFFSET: Final = 1 << 20
"""Where the Windows byte lock sits: beyond the PID text, which other processes read for their message."""


class DataFolderLock:
    """A held lock on a data folder. Release it with ``release`` (or let the process end)."""

    def __init__(self, path: Path, descriptor: int) -> None:
        """Use ``try_acquire`` or ``claim``."""
        self._path = path
        self._fd: int | None = descriptor

    @property
    def path(self) -> Path:
        return self._path

    @classmethod
    def try_acquire(cls, data_dir: Path, *, create: bool = True) -> Self | None:
        """Lock ``data_dir`` for this process without waiting, or None when another process holds it.

        ``create=False`` does not create the lock file: a folder that never had an owner has none, and the
        command line then leaves no new file behind. ``OSError`` when the file cannot be made or opened
        (a read-only folder): the caller decides whether to go on without an owner.
        """
        path = data_dir / LOCK_NAME
        flags = os.O_RDWR | (os.O_CREAT if create else 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            descriptor = os.open(path, flags, 0o600)
        except FileNotFoundError:
            if create:
                raise
            return None
        if not _lock(descriptor):
            os.close(descriptor)
            return None
        if create:
            _write_pid(descriptor)
        return cls(path, descriptor)

    def release(self) -> None:
        """Unlock and close. Idempotent."""
        if self._fd is None:
            return
        descriptor, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            _unlock(descriptor)
        os.close(descriptor)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def holder_pid(data_dir: Path) -> int | None:
    """The PID the owner wrote when it took the lock (for messages only: it may be stale), or None."""
    try:
        text = (data_dir / LOCK_NAME).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@contextlib.contextmanager
def claim(data_dir: Path, owner: DataFolderLock | None = None) -> Iterator[bool]:
    """For the length of the block: True when this process owns the folder (it holds ``owner``, or nobody
    holds the lock and the claim took it), False when another live process does.

    Used around what only an owner may do: mark runs cut off as interrupted, finish a pending restore. A
    folder whose lock file cannot be opened (read-only) counts as unowned: nothing can run there anyway.
    """
    if owner is not None:
        yield True
        return
    try:
        lock = DataFolderLock.try_acquire(data_dir, create=False)
    except OSError:
        yield True
        return
    if lock is None:
        yield not (data_dir / LOCK_NAME).exists()  # no file: nobody has ever owned it, so nobody does
        return
    try:
        yield True
    finally:
        lock.release()


# --------------------------------------------------------------------------------------------- platforms


def _lock(descriptor: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(descriptor, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _unlock(descriptor: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(descriptor, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(descriptor, fcntl.LOCK_UN)


def _write_pid(descriptor: int) -> None:
    with contextlib.suppress(OSError):  # the PID only makes a message more precise
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, str(os.getpid()).encode("ascii"))
