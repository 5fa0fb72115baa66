"""The data folder's lock: one holder at a time, dropped by the system when its process dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from runcompanion.storage.folder_lock import LOCK_NAME, DataFolderLock, claim, holder_pid

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from runcompanion.storage.folder_lock import DataFolderLock
    lock = DataFolderLock.try_acquire(Path(sys.argv[1]))
    print("held" if lock is not None else "refused", flush=True)
    sys.stdin.read()  # hold until killed
    """
)


def _holder(folder: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_one_holder_at_a_time_even_within_one_process(tmp_path: Path) -> None:
    first = DataFolderLock.try_acquire(tmp_path)
    assert first is not None
    assert DataFolderLock.try_acquire(tmp_path) is None  # flock: a second open in the same process is refused
    assert holder_pid(tmp_path) == os.getpid()
    first.release()
    again = DataFolderLock.try_acquire(tmp_path)
    assert again is not None
    again.release()
    again.release()  # idempotent


def test_the_lock_goes_with_a_killed_process(tmp_path: Path) -> None:
    proc = _holder(tmp_path)
    try:
        assert DataFolderLock.try_acquire(tmp_path) is None
        with claim(tmp_path) as owned:
            assert owned is False  # a live owner: its runs are left alone
        assert holder_pid(tmp_path) == proc.pid
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)  # also closes its pipes
    with claim(tmp_path) as owned:
        assert owned is True
        assert DataFolderLock.try_acquire(tmp_path) is None  # the claim holds it for its block
    taken = DataFolderLock.try_acquire(tmp_path)
    assert taken is not None
    taken.release()


def test_a_claim_leaves_no_lock_file_in_a_folder_that_never_had_an_owner(tmp_path: Path) -> None:
    with claim(tmp_path) as owned:
        assert owned is True
    assert not (tmp_path / LOCK_NAME).exists()


def test_the_owner_itself_always_owns_its_folder(tmp_path: Path) -> None:
    lock = DataFolderLock.try_acquire(tmp_path)
    assert lock is not None
    try:
        with claim(tmp_path, lock) as owned:
            assert owned is True
        with claim(tmp_path) as owned:
            assert owned is False  # without passing the lock, this process is just another guest
    finally:
        lock.release()
