"""The composition root: every service is built here, once, and handed to what needs it.

It sits in ``services`` so that both ``ui`` and ``cli`` import it and neither imports the other's entry point
(see docs/ARCHITECTURE.md). ``build_services`` is Qt-free, so the command line uses it without loading Qt; the
GUI calls it on a worker while its first frame paints (``runcompanion.ui.shell.launch``), so SQLAlchemy, Alembic and
the migration check never delay that frame.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from runcompanion.paths import AppPaths, resource_files

if TYPE_CHECKING:
    from runcompanion.core.programs import ProgramLibrary
    from runcompanion.services.activity_export import ActivityExport
    from runcompanion.services.backup_service import BackupService
    from runcompanion.services.coach_service import CoachService
    from runcompanion.services.cue_service import CueService
    from runcompanion.services.journal_service import JournalService
    from runcompanion.services.journal_transfer import JournalTransfer
    from runcompanion.services.overview import OverviewService
    from runcompanion.services.plan_service import PlanService
    from runcompanion.services.recovery_service import RecoveryService
    from runcompanion.services.run_figures_service import RunFiguresService
    from runcompanion.services.run_service import RunService
    from runcompanion.services.session_catalog import SessionCatalog
    from runcompanion.services.session_transfer import SessionTransfer
    from runcompanion.services.settings_service import SettingsService
    from runcompanion.storage.database import Database
    from runcompanion.storage.folder_lock import DataFolderLock


@dataclass(frozen=True)
class Services:
    """The app's Qt-free services. Built once per process by ``build_services``."""

    paths: AppPaths
    database: Database
    settings: SettingsService
    catalog: SessionCatalog
    runs: RunService
    overview: OverviewService
    cues: CueService
    coach: CoachService
    programs: ProgramLibrary
    plan: PlanService
    journal: JournalService
    journal_transfer: JournalTransfer
    backups: BackupService
    recovery: RecoveryService
    session_transfer: SessionTransfer
    activity_export: ActivityExport
    run_figures: RunFiguresService

    def close(self) -> None:
        self.cues.close()
        self.database.close()


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def build_services(paths: AppPaths, owner: DataFolderLock | None = None) -> Services:
    """Create the folders, open (and migrate) the database and build the services on top of it.

    ``owner`` is this process's lock on the data folder when it is the app's window (or a live run); the
    command line passes none and opens as a guest (``database_recovery`` says what that changes).

    Any thread; the GUI calls it on a worker. The imports are here so that merely importing this module (as
    the GUI does before its first paint) does not load SQLAlchemy.
    """
    from runcompanion.core.programs import ProgramLibrary
    from runcompanion.services.activity_export import ActivityExport
    from runcompanion.services.backup_service import BackupService
    from runcompanion.services.coach_service import CoachService
    from runcompanion.services.cue_service import CueService, load_library
    from runcompanion.services.database_recovery import open_database
    from runcompanion.services.journal_service import JournalService
    from runcompanion.services.journal_transfer import JournalTransfer
    from runcompanion.services.overview import OverviewService
    from runcompanion.services.plan_service import PlanService
    from runcompanion.services.recovery_service import RecoveryService
    from runcompanion.services.run_figures_service import RunFiguresService
    from runcompanion.services.run_service import RunService
    from runcompanion.services.session_catalog import SessionCatalog
    from runcompanion.services.session_transfer import SessionTransfer
    from runcompanion.services.settings_service import SettingsService
    from runcompanion.storage.journal_queries import JournalQueries
    from runcompanion.storage.reflection_repository import ReflectionRepository
    from runcompanion.storage.run_cue_repository import RunCueRepository
    from runcompanion.storage.run_figures_repository import RunFiguresRepository
    from runcompanion.storage.run_repository import RunRepository
    from runcompanion.storage.run_sample_repository import RunSampleRepository
    from runcompanion.storage.schedule_repository import ScheduleRepository
    from runcompanion.storage.session_repository import SessionRepository
    from runcompanion.storage.settings_repository import SettingsRepository

    paths.ensure()
    backups = BackupService(paths)
    # A damaged file is moved aside (DatabaseMovedAsideError says where, and which backup can come back);
    # an older schema is backed up before it is migrated; runs whose process is gone become interrupted.
    database = open_database(paths, backups, owner)
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
    run_figures = RunFiguresService(RunFiguresRepository(database), RunSampleRepository(database))
    journal = JournalService(reflections, queries, measured=run_figures.for_runs)
    plan = PlanService(ScheduleRepository(database), programs, catalog.get)
    return Services(
        paths=paths,
        database=database,
        settings=settings,
        catalog=catalog,
        runs=runs,
        overview=OverviewService(catalog, runs, schedule, local_now, progress=plan.all_progress),
        cues=CueService(
            library,
            paths.speech_cache,
            problems,
            voices_dir=paths.voices_dir,
            cache_max_bytes=settings.load().speech_cache_mb * 1_000_000,
        ),
        coach=CoachService(
            RunCueRepository(database),
            programs,
            journal.chart_points,
            runs.history,
            lambda: local_now().date(),
        ),
        programs=programs,
        plan=plan,
        journal=journal,
        journal_transfer=JournalTransfer(queries, reflections, reserved_session_id=catalog.is_builtin_id),
        backups=backups,
        recovery=RecoveryService(RunRepository(database), queries, SettingsRepository(database)),
        session_transfer=SessionTransfer(catalog, settings),
        activity_export=ActivityExport(journal, catalog, run_figures),
        run_figures=run_figures,
    )


@dataclass(frozen=True)
class RunRequest:
    """``runcompanion run SESSION``: open the run screen and start the countdown at once."""

    session_id: str
    seed: int | None
    fullscreen: bool
    voice_id: str | None = None  # this run only; None: the voice chosen in Settings
    treadmill: str | None = None  # "simulated": the simulated treadmill and strap for this run
