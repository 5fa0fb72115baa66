"""The composition root: every service and window is built here, once, and handed to what needs it.

``build_services`` is Qt-free, so the command line uses it without loading Qt. ``run_gui`` shows the window
first and builds the services on a worker while it paints: a person sees the app at once, and SQLAlchemy,
Alembic and the migration check never delay the first frame.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths, resource_files

if TYPE_CHECKING:
    from runcompanion.core.programs import ProgramLibrary
    from runcompanion.services.activity_export import ActivityExport
    from runcompanion.services.backup_service import BackupService
    from runcompanion.services.cue_service import CueService
    from runcompanion.services.journal_service import JournalService
    from runcompanion.services.journal_transfer import JournalTransfer
    from runcompanion.services.overview import OverviewService
    from runcompanion.services.plan_service import PlanService
    from runcompanion.services.recovery_service import RecoveryService
    from runcompanion.services.run_service import RunService
    from runcompanion.services.session_catalog import SessionCatalog
    from runcompanion.services.session_transfer import SessionTransfer
    from runcompanion.services.settings_service import SettingsService
    from runcompanion.storage.database import Database
    from runcompanion.storage.schedule_repository import ScheduleRepository


@dataclass(frozen=True)
class Services:
    """The app's Qt-free services. Built once per process by ``build_services``."""

    paths: AppPaths
    database: Database
    settings: SettingsService
    catalog: SessionCatalog
    runs: RunService
    schedule: ScheduleRepository
    overview: OverviewService
    cues: CueService
    programs: ProgramLibrary
    plan: PlanService
    journal: JournalService
    journal_transfer: JournalTransfer
    backups: BackupService
    recovery: RecoveryService
    session_transfer: SessionTransfer
    activity_export: ActivityExport

    def close(self) -> None:
        self.cues.close()
        self.database.close()


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def build_services(paths: AppPaths) -> Services:
    """Create the folders, open (and migrate) the database and build the services on top of it.

    Any thread; the GUI calls it on a worker. The imports are here so that merely importing this module (as
    the GUI does before its first paint) does not load SQLAlchemy.
    """
    from runcompanion.core.programs import ProgramLibrary
    from runcompanion.services.activity_export import ActivityExport
    from runcompanion.services.backup_service import BackupService
    from runcompanion.services.cue_service import CueService, load_library
    from runcompanion.services.database_recovery import open_database
    from runcompanion.services.journal_service import JournalService
    from runcompanion.services.journal_transfer import JournalTransfer
    from runcompanion.services.overview import OverviewService
    from runcompanion.services.plan_service import PlanRepository, PlanService
    from runcompanion.services.recovery_service import RecoveryService
    from runcompanion.services.run_service import RunService
    from runcompanion.services.session_catalog import SessionCatalog
    from runcompanion.services.session_transfer import SessionTransfer
    from runcompanion.services.settings_service import SettingsService
    from runcompanion.storage.journal_queries import JournalQueries
    from runcompanion.storage.reflection_repository import ReflectionRepository
    from runcompanion.storage.run_repository import RunRepository
    from runcompanion.storage.schedule_repository import ScheduleRepository
    from runcompanion.storage.session_repository import SessionRepository
    from runcompanion.storage.settings_repository import SettingsRepository

    paths.ensure()
    backups = BackupService(paths)
    if paths.pending_restore.exists():
        # Settings asked for this restore; the app could not swap the database it had open, so it happens now.
        backup_id = paths.pending_restore.read_text(encoding="utf-8").strip()
        paths.pending_restore.unlink()
        backups.restore(backup_id)
    # A damaged file is moved aside (DatabaseMovedAsideError says where, and which backup can come back);
    # an older schema is backed up before it is migrated.
    database = open_database(paths, backups)
    try:
        programs = ProgramLibrary.from_files(resource_files("programs", ".toml"))
        catalog = SessionCatalog(resource_files("sessions", ".toml"), SessionRepository(database), programs)
        library, problems = load_library(resource_files("cues", ".toml"), paths.cue_packs_dir)
    except BaseException:
        database.close()
        raise
    runs = RunService(RunRepository(database))
    schedule = ScheduleRepository(database)
    reflections = ReflectionRepository(database)
    queries = JournalQueries(database)
    settings = SettingsService(SettingsRepository(database))
    journal = JournalService(reflections, queries)
    return Services(
        paths=paths,
        database=database,
        settings=settings,
        catalog=catalog,
        runs=runs,
        schedule=schedule,
        overview=OverviewService(catalog, runs, schedule, local_now),
        cues=CueService(library, paths.speech_cache, problems),
        programs=programs,
        plan=PlanService(PlanRepository(database), programs, catalog.get),
        journal=journal,
        journal_transfer=JournalTransfer(queries, reflections),
        backups=backups,
        recovery=RecoveryService(RunRepository(database), queries, SettingsRepository(database)),
        session_transfer=SessionTransfer(catalog, settings),
        activity_export=ActivityExport(journal, catalog),
    )


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


@dataclass(frozen=True)
class RunRequest:
    """``runcompanion run SESSION``: open the run screen and start the countdown at once."""

    session_id: str
    seed: int | None
    fullscreen: bool


def open_app(_args: object, paths: AppPaths) -> int:
    """``runcompanion`` with no command. Here rather than in ``commands`` so the window's start loads nothing that
    only the other commands need."""
    return run_gui(paths)


def run_gui(paths: AppPaths, run_request: RunRequest | None = None, services: Services | None = None) -> int:
    """Show the window, build (or take) the services, and run the Qt event loop. Returns the exit status."""
    check_display()
    # Qt is imported here, not at the top, so that command-line commands never pay for loading it.
    from runcompanion.ui.lifecycle import check_imports_without_keeping_sources
    from runcompanion.ui.qt_messages import route_qt_messages_to_log

    # Before the window's modules are imported, so that they too are checked without keeping their source.
    check_imports_without_keeping_sources()
    route_qt_messages_to_log()
    from runcompanion.ui.gui_app import GuiApp

    gui = GuiApp(paths, sys.argv[:1])
    return gui.exec(lambda: services if services is not None else build_services(paths), run_request)
