"""How a start takes its data folder (``own_data_folder``), and how a second start finds the window that already
owns it and asks it to come to the front.

The window listens on a local socket named after its data folder (``ui.shell.instance_server``, a QLocalServer);
this is the other end, Qt-free so that a refused start loads no Qt. On POSIX the address is a Unix socket in
the user's runtime folder (``XDG_RUNTIME_DIR``, else the temp folder, with the user id in the name); on
Windows it is a named pipe, which QLocalServer makes as ``\\\\.\\pipe\\NAME``.

The exchange is one line each way: ``show`` and ``shown``. Nothing else is accepted, and nothing here can
change data: the worst another local program can do with the socket is raise the window.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Final

from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.storage.folder_lock import DataFolderLock, holder_pid

REQUEST: Final = b"show\n"
REPLY: Final = b"shown\n"
TIMEOUT_S: Final = 2.0


def instance_address(data_dir: Path) -> str:
    """The local socket address of the window owning ``data_dir``: a path on POSIX, a pipe name on Windows."""
    digest = hashlib.sha256(os.fsencode(data_dir.resolve())).hexdigest()[:16]
    if os.name == "nt":
        return f"runcompanion-{digest}"
    folder = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    if not os.path.isdir(folder):
        folder = tempfile.gettempdir()
    # A Unix socket path may be at most about 100 bytes: the user id and a short digest keep it well under.
    return os.path.join(folder, f"runcompanion-{os.getuid()}-{digest}.sock")


def ask_owner_to_show(data_dir: Path) -> bool:
    """Ask the window that owns ``data_dir`` to come to the front. True when it said it did."""
    address = instance_address(data_dir)
    try:
        if os.name == "nt":
            with open(rf"\\.\pipe\{address}", "r+b", buffering=0) as pipe:
                pipe.write(REQUEST)
                return pipe.readline() == REPLY
        import socket

        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(TIMEOUT_S)
            connection.connect(address)
            connection.sendall(REQUEST)
            reply = b""
            while not reply.endswith(b"\n") and len(reply) < 64:
                chunk = connection.recv(64)
                if not chunk:
                    break
                reply += chunk
            return reply == REPLY
    except OSError:
        return False


class AlreadyOpenError(UserError):
    """Another live RunCompanion window owns the data folder. ``shown``: it was asked to come to the front."""

    def __init__(self, message: str, *, shown: bool) -> None:
        super().__init__(message)
        self.shown = shown


_WAIT_FOR_OWNER_S: Final = 3.0
"""How long a start waits for the data folder: a command's claim lasts milliseconds, a restore a moment."""


def own_data_folder(paths: AppPaths, *, starting_run: bool = False) -> DataFolderLock | None:
    """Take the data folder for this window (storage/folder_lock.py), or ``AlreadyOpenError``.

    When another window owns it, that window is asked to come to the front. None when the folder cannot hold
    a lock file at all (read-only): the database then says what is wrong when it is opened.
    """
    deadline = time.monotonic() + _WAIT_FOR_OWNER_S
    pause = threading.Event()
    while True:
        try:
            lock = DataFolderLock.try_acquire(paths.data_dir)
        except OSError:
            return None
        if lock is not None:
            return lock
        shown = ask_owner_to_show(paths.data_dir)
        if shown or time.monotonic() > deadline:
            break
        pause.wait(0.1)  # another process is starting or a command holds a short claim: look again
    folder = paths.data_dir
    if shown and not starting_run:
        raise AlreadyOpenError(
            f"RunCompanion is already open for the data folder {folder}: its window was brought to the front.",
            shown=True,
        )
    pid = holder_pid(folder)
    who = f"Another RunCompanion window (process {pid})" if pid else "Another RunCompanion window"
    front = " (it was brought to the front)" if shown else ""
    what = "finish or close it, then start the run again" if starting_run else "use that window, or close it first"
    raise AlreadyOpenError(f"{who} already uses the data folder {folder}{front}; {what}.", shown=False)
