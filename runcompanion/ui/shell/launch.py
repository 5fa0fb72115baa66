"""The window's entry point: ``runcompanion`` with no command, and ``runcompanion run SESSION``.

Qt-free at import time: the command line imports this module (and ``doctor`` its display check) without
loading Qt. ``run_gui`` shows the window first and builds the services on a worker while it paints, so a
person sees the app at once.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.services.composition import RunRequest, Services, build_services
from runcompanion.services.instance_channel import AlreadyOpenError, own_data_folder
from runcompanion.storage.folder_lock import DataFolderLock


def check_display() -> None:
    """Refuse, in words, to start a window where there is no screen (instead of Qt's abort)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if sys.platform != "linux" or platform.startswith(("offscreen", "minimal", "vnc", "eglfs", "linuxfb")):
        return
    if os.environ.get("WAYLAND_DISPLAY"):
        return
    display = os.environ.get("DISPLAY", "")
    if not display:
        raise UserError(
            "No display found: RunCompanion needs a desktop session to open its window. "
            "Start it from your desktop, or set DISPLAY (for a virtual screen: Xvfb :99 & export DISPLAY=:99)."
        )
    host, _, number = display.rpartition(":")
    number = number.split(".")[0]
    if not host and number.isdigit() and not Path(f"/tmp/.X11-unix/X{number}").exists():
        raise UserError(f"The display {display} is not running. Start your desktop session or an X server first.")


def check_platform_plugin() -> None:
    """Refuse, in one line naming the missing library and its package, where Qt's platform plugin cannot load."""
    from runcompanion.ui.shell.qt_platform import platform_problem

    problem = platform_problem()
    if problem is not None:
        raise UserError(f"{problem.message} To fix: {problem.fix}")


def run_gui(
    paths: AppPaths,
    run_request: RunRequest | None = None,
    services: Services | None = None,
    owner: DataFolderLock | None = None,
) -> int:
    """Show the window, build (or take) the services, and run the Qt event loop. Returns the exit status.

    ``owner``: the data folder's lock when the caller took it already (``runcompanion run``, which built the
    services as their owner); otherwise it is taken here, and a second start on the folder ends here: the
    first window comes to the front (exit 0) or one line says why not (exit 2).
    """
    check_display()
    check_platform_plugin()
    if owner is not None:
        return _run_window(paths, run_request, services, owner)
    try:
        owner = own_data_folder(paths)
    except AlreadyOpenError as error:
        if not error.shown:
            raise
        print(error)  # the runner got what they wanted: the window, in front
        return 0
    try:
        return _run_window(paths, run_request, services, owner)
    finally:
        if owner is not None:
            owner.release()


def _run_window(
    paths: AppPaths, run_request: RunRequest | None, services: Services | None, owner: DataFolderLock | None
) -> int:
    # Qt is imported here, not at the top, so that command-line commands never pay for loading it.
    from runcompanion.ui.common.process_tuning import check_imports_without_keeping_sources
    from runcompanion.ui.common.qt_messages import route_qt_messages_to_log

    # Before the window's modules are imported, so that they too are checked without keeping their source.
    check_imports_without_keeping_sources()
    route_qt_messages_to_log()
    from runcompanion.ui.shell.gui_app import GuiApp

    gui = GuiApp(paths, sys.argv[:1])
    return gui.exec(lambda: services if services is not None else build_services(paths, owner), run_request)
