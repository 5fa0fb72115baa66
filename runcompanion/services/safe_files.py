"""Reading files a person chose, and writing files they will keep, without surprises.

Reads are bounded (a mistaken multi-gigabyte file must not eat memory) and every failure is a ``UserError``
that names the file.

Every file the app writes on request (journal and session exports, the calendar, the rendered track) goes
through ``write_file``, which never replaces what is not an ordinary file: the target must be absent or a
regular file. A device (``/dev/full``), a folder, a FIFO or a socket is refused before anything is written,
and checked again just before the final rename. A symbolic link the person named is followed once, on
purpose (they chose that path), and the file it points to is what must be absent or regular; the link stays.

The data goes to a temporary file beside the target (same file system, so the rename is atomic), is synced
and then renamed over it: a crash or a full disk never leaves half a file. The temporary file is
``.NAME.runcompanion-PID.tmp``, removed on every failure path; one left by a killed process is swept by the
next write of that file (``sweep_stale_temps``). Written files are private to the user (0600) unless the
caller asks for another mode.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Final

from runcompanion.core.errors import UserError, describe_os_error

TEMP_MARK: Final = ".runcompanion-"
TEMP_SUFFIX: Final = ".tmp"
_TEMP_RE: Final = re.compile(r"^\..+\.runcompanion-(?P<pid>\d+)\.tmp$")


class UnsafeTargetError(UserError):
    """The chosen output is something other than an ordinary file (a device, a folder, a FIFO, a socket)."""


def read_limited(path: Path, limit: int) -> bytes:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UserError(f"{path}: no such file.") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({describe_os_error(exc)}).") from None
    if stat.S_ISDIR(mode):
        raise UserError(f"{path}: is a folder, not a file.")
    if not stat.S_ISREG(mode):
        # A pipe or a device would be read forever (or block): only ordinary files are taken.
        raise UserError(f"{path}: is not an ordinary file.")
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a file.") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({describe_os_error(exc)}).") from None
    if len(data) > limit:
        raise UserError(f"{path.name}: the file is larger than {limit // 1024} KiB; a session file is much smaller.")
    return data


def check_target(out: Path) -> Path:
    """The file ``write_file`` would write for ``out``: ``out`` itself, or what a link named ``out`` points to.

    ``UnsafeTargetError`` (one line) when that is not absent-or-an-ordinary-file, ``UserError`` when its
    folder is missing or is not a folder. Nothing is created. Call it before long work (a render) to fail at
    once; ``write_file`` calls it again.
    """
    target = _followed(out)
    _refuse_unless_regular_or_absent(out, target)
    parent = target.parent
    try:
        parent_mode = parent.stat().st_mode
    except FileNotFoundError:
        raise UserError(f"Cannot write {out}: no such folder {parent}.") from None
    except OSError as exc:
        raise UserError(f"Cannot write {out}: {describe_os_error(exc)}.") from None
    if not stat.S_ISDIR(parent_mode):
        raise UserError(f"Cannot write {out}: {parent} is not a folder.")
    return target


def write_file(out: Path, fill: Callable[[BinaryIO], object], *, mode: int = 0o600) -> None:
    """Write what ``fill(fh)`` writes to ``out``, whole or not at all; nothing at all when ``out`` is refused.

    ``fill`` may raise: the temporary file goes and the exception propagates (an ``OSError`` becomes a
    ``UserError`` naming the real cause: a full disk, a path too long, no permission).
    """
    target = check_target(out)
    sweep_stale_temps(target.parent, target.name)
    try:
        with _temporary_beside(target, mode) as (fh, commit):
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
            # The target may have changed while we wrote (a device node put there meanwhile): look again.
            _refuse_unless_regular_or_absent(out, target)
            commit()
    except OSError as exc:
        raise UserError(f"Cannot write {out}: {describe_os_error(exc)}. Nothing was written.") from None


def write_private_text(out: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``out`` whole or not at all, readable only by the user (0600)."""
    data = text.encode("utf-8")
    write_file(out, lambda fh: fh.write(data))


def write_private_bytes(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` whole or not at all, readable only by the user (0600)."""
    write_file(out, lambda fh: fh.write(data))


def sweep_stale_temps(folder: Path, name: str | None = None) -> list[Path]:
    """Remove temporary files of our own naming in ``folder`` left by processes that are gone; return them.

    Only names ``.X.runcompanion-PID.tmp`` (for ``name``, only ``.NAME.runcompanion-PID.tmp``) whose PID is
    not a live process are touched, and only ordinary files: a temp a running process is writing stays.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_RE.match(entry.name)
        if match is None or (name is not None and entry.name != temp_name(name, int(match["pid"]))):
            continue
        if _pid_alive(int(match["pid"])) or not entry.is_file(follow_symlinks=False):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def temp_name(name: str, pid: int) -> str:
    """The name of the temporary file process ``pid`` writes before it becomes ``name``."""
    return f".{name}{TEMP_MARK}{pid}{TEMP_SUFFIX}"


# --------------------------------------------------------------------------------------------- internals


def _followed(out: Path) -> Path:
    """``out``, or where the link ``out`` points (one link the person named; a chain is followed to its end)."""
    try:
        if stat.S_ISLNK(out.lstat().st_mode):
            return Path(os.path.realpath(out))
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise UserError(f"Cannot write {out}: {describe_os_error(exc)}.") from None
    return out


def _refuse_unless_regular_or_absent(out: Path, target: Path) -> None:
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UserError(f"Cannot write {out}: {describe_os_error(exc)}.") from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        what = "a folder, not a file"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device, not an ordinary file"
    elif stat.S_ISFIFO(mode):
        what = "a named pipe (FIFO), not an ordinary file"
    elif stat.S_ISSOCK(mode):
        what = "a socket, not an ordinary file"
    else:
        what = "not an ordinary file"
    raise UnsafeTargetError(f"Refused to write {out}: it is {what}; nothing was written. Choose a file name.")


@contextlib.contextmanager
def _temporary_beside(target: Path, mode: int) -> Iterator[tuple[BinaryIO, Callable[[], None]]]:
    """A binary file handle on a new temporary file in ``target``'s folder, and ``commit`` that puts it in
    place. Without ``commit`` (an exception), the temporary file is gone when the block ends."""
    folder = target.parent
    named = folder / temp_name(target.name, os.getpid())
    # O_NOFOLLOW: a link planted under our temp name must not redirect the write elsewhere.
    fd = os.open(named, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), mode)
    committed = False
    try:
        with os.fdopen(fd, "wb") as fh:
            if os.name == "posix":
                os.fchmod(fh.fileno(), mode)  # the umask must not widen or narrow what was asked for

            def commit() -> None:
                nonlocal committed
                fh.close()
                os.replace(named, target)
                committed = True
                _fsync_folder(folder)

            yield fh, commit
    finally:
        if not committed:
            with contextlib.suppress(OSError):
                named.unlink()


def _fsync_folder(folder: Path) -> None:
    """Make the rename survive a power cut (POSIX; Windows has no folder handles to sync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        # No signal-0 probe here. Windows refuses to remove a file another process still has open, so a
        # temp that is being written survives the attempt and only a dead process's temp goes.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    except OSError:
        return False
    return True
