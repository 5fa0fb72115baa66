"""The desktop entry (Linux): RunCompanion in the menu of applications, with its icon; and out of it again.

``install`` writes ``$XDG_DATA_HOME/applications/runcompanion.desktop`` from the shipped template with an
absolute ``Exec`` (the program that is running now, so a bundle unpacked anywhere or a virtual environment
works), and the icon to ``$XDG_DATA_HOME/icons/hicolor/scalable/apps/runcompanion.svg`` (the Freedesktop
specifications: Desktop Entry 1.5, Icon Theme). The entry carries ``X-RunCompanion-Icon-SHA256`` with the hash
of the icon it wrote: ``uninstall`` removes the entry only when it carries that key, and the icon only while its
bytes still hash to it. A file of the same name that RunCompanion did not write is never replaced nor removed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from runcompanion.core.errors import UserError
from runcompanion.paths import resource
from runcompanion.services.safe_files import read_limited, write_file

ENTRY_NAME = "runcompanion.desktop"
ICON_NAME = "runcompanion.svg"
MARK_KEY = "X-RunCompanion-Icon-SHA256"
# The spec's reserved characters inside a quoted Exec argument, each escaped with a backslash.
_EXEC_RESERVED = ('"', "`", "$", "\\")
_LIMIT = 1024 * 1024


@dataclass(frozen=True, slots=True)
class DesktopFiles:
    entry: Path
    icon: Path


def desktop_files(env: Mapping[str, str] | None = None) -> DesktopFiles:
    """Where the entry and the icon go: under ``$XDG_DATA_HOME`` (default ``~/.local/share``)."""
    environ = os.environ if env is None else env
    data_home = Path(environ.get("XDG_DATA_HOME") or "")
    if not data_home.is_absolute():  # unset, empty or relative: the spec says to use the default
        data_home = Path.home() / ".local" / "share"
    return DesktopFiles(
        entry=data_home / "applications" / ENTRY_NAME,
        icon=data_home / "icons" / "hicolor" / "scalable" / "apps" / ICON_NAME,
    )


def exec_line(command: Sequence[str]) -> str:
    """``command`` as the value of an Exec key: each argument quoted and escaped as the specification asks."""
    quoted = []
    for argument in command:
        escaped = "".join("\\" + ch if ch in _EXEC_RESERVED else ch for ch in argument).replace("%", "%%")
        quoted.append(f'"{escaped}"' if any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`") else escaped)
    # The whole value is then a desktop-file string, whose own escape for a backslash is a second backslash.
    return " ".join(quoted).replace("\\", "\\\\")


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry_text(command: Sequence[str], icon_hash: str) -> str:
    template = resource(ENTRY_NAME).read_text(encoding="utf-8")
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            lines.append(f"Exec={exec_line(command)}")
        elif not line.startswith("TryExec="):
            lines.append(line)
    # TryExec is a plain string (a path), not a command line: only the string escapes apply.
    try_exec = command[0].replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    lines.append(f"TryExec={try_exec}")
    lines.append(f"{MARK_KEY}={icon_hash}")
    return "\n".join(lines) + "\n"


def _read_mark(entry: Path) -> str | None:
    """The icon hash our key records in ``entry``, or None when the file is not one RunCompanion wrote."""
    if not entry.is_file():
        return None
    for line in read_limited(entry, _LIMIT).decode("utf-8", errors="replace").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == MARK_KEY:
            return value.strip()
    return None


def install(command: Sequence[str], files: DesktopFiles) -> list[Path]:
    """Write the entry (Exec runs ``command``) and the icon; return what was written.

    Refuses, changing nothing, when either file exists and RunCompanion did not write it.
    """
    icon_data = resource("icons", ICON_NAME).read_bytes()
    mark = _read_mark(files.entry)
    if files.entry.exists() and mark is None:
        raise UserError(f"{files.entry} exists and RunCompanion did not write it; it is left as it is.")
    if files.icon.exists():
        current = _hash(read_limited(files.icon, _LIMIT))
        if current not in (mark, _hash(icon_data)):
            raise UserError(f"{files.icon} exists and RunCompanion did not write it; it is left as it is.")
    text = _entry_text(command, _hash(icon_data))
    for folder in (files.icon.parent, files.entry.parent):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"Cannot create the folder {folder}: {exc.strerror or exc}.") from None
    # The icon first: an entry never points at an icon that is not there yet.
    write_file(files.icon, lambda fh: fh.write(icon_data), mode=0o644)
    write_file(files.entry, lambda fh: fh.write(text.encode("utf-8")), mode=0o644)
    return [files.entry, files.icon]


def uninstall(files: DesktopFiles) -> list[Path]:
    """Remove the entry and the icon that ``install`` wrote; return what was removed (nothing else is touched)."""
    mark = _read_mark(files.entry)
    if mark is None:
        if files.entry.exists():
            raise UserError(f"{files.entry} was not written by RunCompanion; it is left as it is.")
        return []
    removed = []
    if files.icon.is_file() and _hash(read_limited(files.icon, _LIMIT)) == mark:
        files.icon.unlink()
        removed.append(files.icon)
    files.entry.unlink()
    removed.append(files.entry)
    return removed
