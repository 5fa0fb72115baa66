"""``runcompanion desktop install | uninstall``: RunCompanion in the desktop's menu of applications (Linux).

The entry's ``Exec`` is the program running now, as an absolute path: the standalone bundle's ``RunCompanion``
wherever it was unpacked, or the ``runcompanion-app`` script of the environment this command came from. A
``--data-dir`` given to this command is kept in the entry, so the menu opens the same data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from runcompanion.cli.output import EXIT_OK
from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.services import desktop_entry


def app_command(data_dir: str | None) -> list[str]:
    """The command line that opens the window, as absolute paths."""
    if getattr(sys, "frozen", False):
        # PyInstaller: sys.executable is this bundle's program; the window's program sits beside it.
        program = Path(sys.executable).resolve()
        window = program.with_name("RunCompanion")
        command = [str(window if window.exists() else program)]
    else:
        script_dir = Path(sys.argv[0]).resolve().parent
        candidates = [script_dir / "runcompanion-app", Path(sys.executable).parent / "runcompanion-app"]
        found = next((c for c in candidates if c.is_file()), None)
        command = [str(found.absolute())] if found else [str(Path(sys.executable).absolute()), "-m", "runcompanion"]
    if data_dir:
        command += ["--data-dir", str(Path(data_dir).expanduser().absolute())]
    return command


def desktop(args: argparse.Namespace, paths: AppPaths) -> int:
    del paths  # the entry lives in the desktop's folders, not the app's
    if not sys.platform.startswith("linux"):
        raise UserError(
            "desktop install is for Linux desktops. On Windows and macOS, start RunCompanion from the bundle's "
            "folder (docs/install.md) and pin it to the taskbar or the Dock."
        )
    files = desktop_entry.desktop_files()
    if args.desktop_command == "install":
        command = app_command(args.data_dir)
        desktop_entry.install(command, files)
        print(f"Added RunCompanion to the menu of applications: {files.entry} (icon {files.icon}).")
        print(f"It starts {' '.join(command)}. `runcompanion desktop uninstall` removes it.")
        return EXIT_OK
    removed = desktop_entry.uninstall(files)
    if removed:
        print("Removed " + " and ".join(str(path) for path in removed) + ".")
    else:
        print(f"Nothing to remove: there is no {files.entry}.")
    return EXIT_OK
