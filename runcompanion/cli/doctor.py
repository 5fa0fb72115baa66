"""``runcompanion doctor``: is everything a guided run needs in place? Each check says OK, or what to do."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import sys
import tempfile
from collections.abc import Callable

from runcompanion.cli.doctor_check import Check
from runcompanion.cli.output import EXIT_OK, EXIT_USER, print_json
from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def check_python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check(
        "Python",
        ok,
        f"{platform.python_version()} ({sys.executable})",
        "" if ok else "Use Python 3.11 or newer.",
    )


def check_qt() -> Check:
    try:
        import PySide6
        from PySide6 import QtCharts, QtMultimedia  # noqa: F401 - importing is the check
    except ImportError as exc:
        return Check("Qt", False, f"PySide6 is incomplete: {exc}", "pip install --upgrade PySide6")
    return Check("Qt", True, f"PySide6 {PySide6.__version__} with QtMultimedia and QtCharts")


def check_libraries() -> Check:
    names = ("pyttsx3", "SQLAlchemy", "alembic", "appdirs")
    versions = {n: _version(n) for n in names}
    missing = [n for n, v in versions.items() if v == "missing"]
    detail = ", ".join(f"{n} {v}" for n, v in versions.items())
    return Check("Libraries", not missing, detail, f"pip install {' '.join(missing)}" if missing else "")


def check_data_folder(paths: AppPaths) -> Check:
    try:
        paths.ensure()
        with tempfile.NamedTemporaryFile(dir=paths.data_dir, prefix=".doctor-") as fh:
            fh.write(b"ok")
            fh.flush()
    except (OSError, UserError) as exc:
        return Check(
            "Data folder",
            False,
            f"{paths.data_dir} is not writable ({exc})",
            "Choose another folder with --data-dir.",
        )
    return Check("Data folder", True, f"{paths.data_dir} (writable)")


def check_database(paths: AppPaths) -> Check:
    from runcompanion.storage.database import Database

    try:
        db = Database.open(paths.database)
    except UserError as exc:
        return Check("Database", False, str(exc), "See README, 'Your data', to restore a backup.")
    try:
        return Check("Database", True, f"{paths.database.name}, schema {db.schema_revision()}")
    finally:
        db.close()


def check_audio() -> Check:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtMultimedia import QMediaDevices

    from runcompanion.ui.common.qt_messages import route_qt_messages_to_log

    route_qt_messages_to_log()  # the sound system's own complaint would print above the report
    _app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    outputs = QMediaDevices.audioOutputs()
    if not outputs:
        return Check(
            "Audio output",
            False,
            "no audio output device found; runs will show captions instead of speaking",
            "Connect speakers or headphones, or start your sound server (PulseAudio or PipeWire).",
        )
    default = QMediaDevices.defaultAudioOutput().description()
    return Check("Audio output", True, f"{len(outputs)} device(s), default: {default}")


def check_display() -> Check:
    from runcompanion.ui.shell.launch import check_display as require_display
    from runcompanion.ui.shell.qt_platform import platform_problem

    try:
        require_display()
    except UserError as exc:
        return Check("Display", False, str(exc), "Run RunCompanion from a desktop session.")
    problem = platform_problem()
    if problem is not None:
        return Check("Display", False, problem.message, problem.fix)
    where = os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM", "")
    return Check("Display", True, where or sys.platform)


def _chosen_voice(paths: AppPaths) -> str | None:
    """The voice chosen in Settings, or None (the default) when there is none or the database cannot say."""
    from runcompanion.services.settings_service import SettingsService
    from runcompanion.storage.database import Database
    from runcompanion.storage.settings_repository import SettingsRepository

    try:
        db = Database.open(paths.database)
    except UserError:
        return None
    try:
        return SettingsService(SettingsRepository(db)).load().voice_id or None
    except Exception:  # the Database check reports what is wrong with it
        return None
    finally:
        db.close()


def run_checks(paths: AppPaths) -> list[Check]:
    from runcompanion.cli.doctor_devices import check_bluetooth
    from runcompanion.cli.doctor_speech import speech_checks

    checks: list[Callable[[], list[Check]]] = [
        lambda: [check_python()],
        lambda: [check_qt()],
        lambda: [check_libraries()],
        lambda: [check_data_folder(paths)],
        lambda: [check_database(paths)],
        lambda: speech_checks(paths, _chosen_voice(paths)),
        lambda: [check_audio()],
        lambda: [check_display()],
        lambda: [check_bluetooth()],
    ]
    return [check for c in checks for check in c()]


def doctor(args: argparse.Namespace, paths: AppPaths) -> int:
    checks = run_checks(paths)
    if args.json:
        print_json({"ok": all(c.ok for c in checks), "checks": [c.as_dict() for c in checks]})
    else:
        width = max(len(c.name) for c in checks)
        for c in checks:
            mark = "OK     " if c.ok else "PROBLEM"
            print(f"{mark}  {c.name.ljust(width)}  {c.detail}")
            if not c.ok and c.fix:
                print(f"{'':7}  {'':{width}}  fix: {c.fix}")
    return EXIT_OK if all(c.ok for c in checks) else EXIT_USER
