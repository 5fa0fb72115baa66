"""Reading files a person chose, and writing files they will keep, without surprises.

Reads are bounded (a mistaken multi-gigabyte file must not eat memory) and every failure is a ``UserError``
that names the file. Writes go to a temporary file first and are moved into place, so a crash or a full disk
never leaves half a file, and they are private to the user (0600).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from runcompanion.core.errors import UserError


def read_limited(path: Path, limit: int) -> bytes:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UserError(f"{path}: no such file.") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
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
        raise UserError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if len(data) > limit:
        raise UserError(f"{path.name}: the file is larger than {limit // 1024} KiB; a session file is much smaller.")
    return data


def write_private_text(out: Path, text: str) -> None:
    """Write ``text`` to ``out`` whole or not at all, readable only by the user (0600)."""
    tmp = out.with_name(f".{out.name}.tmp{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"Cannot write {out}: {exc.strerror or exc}.") from None
