"""Wires services to the main window's pages: loads what they show and carries out what they ask.

Everything here runs on the GUI thread; anything that touches the disk or the speech engine goes through the
``TaskRunner``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from runcompanion.core.app_settings import AppSettings
from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.ui.common.tasks import TaskRunner
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.common.widgets import format_clock, format_minutes
from runcompanion.ui.shell.main_window import MainWindow
from runcompanion.ui.shell.pages import ShellPages
from runcompanion.ui.shell.today_page import TodaySummary, program_lines

if TYPE_CHECKING:
    # Types only: the window paints before SQLAlchemy is loaded (see ui.shell.launch.run_gui).
    from runcompanion.audio.voices import VoiceInfo
    from runcompanion.services.backup_service import BackupService
    from runcompanion.services.cue_service import CueService, PreparedRun
    from runcompanion.services.overview import Overview, OverviewService
    from runcompanion.services.session_catalog import SessionCatalog
    from runcompanion.services.session_transfer import Imported, SessionTransfer
    from runcompanion.services.settings_service import SettingsService

log = logging.getLogger(__name__)

VOICE_PREVIEW = "Hello. I will be with you on your run, one step at a time."
PREVIEW_SEED = 1  # the same cues `runcompanion cues SESSION` prints by default


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """A dialog in plain words. A ``UserError`` says what to do; anything else is a bug and says so."""
    if isinstance(exc, UserError):
        text = str(exc)
    else:
        log.error("unexpected error", exc_info=exc)
        text = (
            "Something went wrong that should not have. Nothing you entered was lost. "
            f"Details are in the log file.\n\n{type(exc).__name__}: {exc}"
        )
    QMessageBox.warning(parent, title, text)


class ShellController(QObject):
    """Keeps the shell's pages in step with the data. ``overview_loaded`` fires after each refresh."""

    overview_loaded = Signal(object)  # Overview
    settings_applied = Signal(object)  # AppSettings

    def __init__(
        self,
        *,
        app: QApplication,
        window: MainWindow,
        pages: ShellPages,
        tasks: TaskRunner,
        settings: SettingsService,
        catalog: SessionCatalog,
        overview: OverviewService,
        paths: AppPaths,
        initial_settings: AppSettings,
        cues: CueService,
        play_file: Callable[[Path], None],
        backups: BackupService,
        transfer: SessionTransfer,
    ) -> None:
        super().__init__(window)
        self._app = app
        self._window = window
        self._pages = pages
        self._tasks = tasks
        self._settings_service = settings
        self._catalog = catalog
        self._overview = overview
        self._paths = paths
        self._cues = cues
        self._backups = backups
        self._transfer = transfer
        self._play_file = play_file
        self.settings = initial_settings
        self.last_overview: Overview | None = None
        self.on_start_session: Callable[[str, int | None], object] = lambda _session_id, _scheduled_id: None

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(300)
        self._save_timer.timeout.connect(self._save_settings)
        self._saving = False
        self._save_again = False

        window.import_session_requested.connect(self.import_session)
        window.section_shown.connect(lambda _name: self.refresh())
        pages.created.connect(self._wire)
        for name, page in pages.built().items():
            self._wire(name, page)
        apply_theme(app, initial_settings.theme)

    def _wire(self, name: str, _page: QWidget) -> None:
        """Connect a section's signals the moment it exists, and fill it with what is already loaded."""
        pages = self._pages
        if name == "Today":
            pages.today.start_requested.connect(self._start)
            pages.today.browse_requested.connect(lambda: self._window.show_section("Sessions"))
        elif name == "Sessions":
            pages.sessions.start_requested.connect(self._start)
            pages.sessions.import_requested.connect(self.import_session)
            pages.sessions.cues_requested.connect(self.show_session_cues)
            pages.sessions.listen_requested.connect(self.speak)
        elif name == "Settings":
            pages.settings.show_settings(self.settings)
            pages.settings.changed.connect(self._settings_changed)
            pages.settings.preview_voice_requested.connect(lambda: self.speak(VOICE_PREVIEW))
            pages.settings.add_voice_requested.connect(self.add_voice)
            pages.settings.backup_requested.connect(self.backup_now)
            pages.settings.restore_requested.connect(self.restore_backup)
            self._load_voices()
            self.load_backups()
            pages.settings.open_data_folder_requested.connect(self._open_data_folder)
            # Loaded with the Settings page, not at start-up: the device layer brings asyncio and the Bluetooth
            # clients (about 60 ms before the window's first paint).
            from runcompanion.ui.settings.devices_actions import wire_devices_card

            wire_devices_card(pages.settings.devices, self._tasks)
            from runcompanion.ui.settings.speech_cache_actions import SpeechCacheActions

            cache = SpeechCacheActions(
                pages.settings.speech_cache, self._cues, self._tasks, self.settings.speech_cache_mb
            )
            self.settings_applied.connect(cache.settings_applied)
        if self.last_overview is not None:
            self._fill(name, self.last_overview)

    def _start(self, session_id: str) -> None:
        # Starting the suggested run from Today ticks it off the plan when it is finished.
        scheduled = self.last_overview.suggested_scheduled if self.last_overview is not None else None
        scheduled_id = scheduled.id if scheduled is not None and scheduled.session_id == session_id else None
        self.on_start_session(session_id, scheduled_id)

    # --- loading -------------------------------------------------------------------------------------------
    def refresh(self, then: Callable[[], object] | None = None) -> None:
        """Reload what the pages show in the background; ``then`` runs once the pages show it."""

        def show(overview: Overview) -> None:
            self._show_overview(overview)
            if then is not None:
                then()

        self._tasks.run(self._overview.gather, show, self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        show_error(self._window, "Could not load your data", exc)

    def _show_overview(self, overview: Overview) -> None:
        self.last_overview = overview
        for name in self._pages.built():
            self._fill(name, overview)
        self.overview_loaded.emit(overview)

    def _fill(self, name: str, overview: Overview) -> None:
        pages = self._pages
        if name == "Today":
            pages.today.show_summary(_today_summary(overview))
        elif name == "Sessions":
            pages.sessions.set_sessions(overview.sessions, self.settings.units)

    # --- sessions ------------------------------------------------------------------------------------------
    def _open_data_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._paths.data_dir)))

    def import_session(self) -> None:
        # Loaded when asked for: every Qt class Python first touches builds its enums, and the window's first
        # frame needs neither the file dialog nor URLs.
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self._window,
            "Import a session",
            str(Path.home()),
            "Session files (*.toml *.zwo *.fit);;RunCompanion (*.toml);;Zwift run workouts (*.zwo);;"
            "FIT workouts (*.fit);;All files (*)",
        )
        if name:
            self.import_session_file(Path(name))

    def import_session_file(self, path: Path) -> None:
        """A .toml, .zwo or .fit file (by its extension) becomes an own session; the message says how."""

        def done(imported: Imported) -> None:
            self.refresh(then=lambda: self._pages.sessions.select(imported.plan.id))
            QMessageBox.information(self._window, "Session imported", imported.message)

        self._tasks.run(
            lambda: self._transfer.import_file(path),
            done,
            lambda exc: show_error(self._window, "Could not import the session", exc),
        )

    # --- backups -------------------------------------------------------------------------------------------
    def load_backups(self) -> None:
        def describe() -> list[tuple[str, str]]:
            return [
                (
                    b.id,
                    f"{b.created_at.astimezone():%a %d %b %Y, %H:%M} · {b.reason_words} · "
                    f"{'?' if b.run_count is None else b.run_count} runs · {b.size_words}",
                )
                for b in self._backups.list()
            ]

        self._tasks.run(describe, self._pages.settings.show_backups, lambda e: log.warning("backups: %s", e))

    def backup_now(self) -> None:
        self._tasks.run(
            lambda: self._backups.create("manual"),
            lambda _info: self.load_backups(),
            lambda e: show_error(self._window, "Could not make a backup", e),
        )

    def restore_backup(self, backup_id: str) -> None:
        answer = QMessageBox.question(
            self._window,
            "Restore this backup?",
            "RunCompanion will close; when you open it again, this backup replaces your current data. "
            "Your current data is backed up first, so this can be undone.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._paths.pending_restore.write_text(backup_id, encoding="utf-8")
        self._window.close()

    # --- speech --------------------------------------------------------------------------------------------
    def _load_voices(self) -> None:
        cues = self._cues

        def load() -> tuple[list[VoiceInfo], dict[str, str], str]:
            voices, problems = cues.all_voices()
            return voices, problems, cues.better_voices_hint()

        def show(loaded: tuple[list[VoiceInfo], dict[str, str], str]) -> None:
            voices, problems, hint = loaded
            page = self._pages.settings
            page.set_voices(voices, problems)
            page.voice.show_hint(hint)

        def failed(exc: BaseException) -> None:
            self._pages.settings.voice_status.setText(f"No voices: {exc}")

        self._tasks.run(load, show, failed)

    def add_voice(self, model: Path) -> None:
        """Add a Piper voice (copied, loaded and tried on the Piper worker), then choose it."""
        page = self._pages.settings
        page.voice_status.setText(f"Adding {model.name}: loading it and trying a sentence…")

        def added(voice: VoiceInfo) -> None:
            page.voice_status.setText(f"Added {voice.name}.")
            self._load_voices()
            self.update_settings(self.settings.with_changes(voice_id=voice.id))

        def failed(exc: BaseException) -> None:
            page.voice_status.setText("")
            show_error(self._window, "Cannot add this voice", exc)

        self._tasks.run(lambda: self._cues.add_piper_voice(model), added, failed)

    def speak(self, text: str) -> None:
        """Say ``text`` with the current voice settings (rendered on a worker, played on the GUI thread)."""
        settings = self.settings
        self._tasks.run(
            lambda: self._cues.speak_to_file(text, settings),
            self._play_file,
            lambda exc: show_error(self._window, "Cannot speak", exc),
        )

    def show_session_cues(self, session_id: str) -> None:
        """The spoken-cue timeline of a session, as ``runcompanion cues SESSION`` prints it."""
        settings = self.settings

        def prepare() -> PreparedRun:
            return self._cues.prepare(self._catalog.get(session_id), settings, PREVIEW_SEED)

        def show(prepared: PreparedRun) -> None:
            rows = [
                (format_clock(c.offset_s), c.kind.value.replace("_", " "), c.text)
                for c in prepared.timeline.cues
                if not c.beep
            ]
            self._pages.sessions.show_cues(session_id, rows)

        def failed(exc: BaseException) -> None:
            self._pages.sessions.show_cue_status("The cues could not be prepared.")
            show_error(self._window, "Cannot prepare the spoken cues", exc)

        self._tasks.run(prepare, show, failed)

    # --- settings ------------------------------------------------------------------------------------------
    def _settings_changed(self, settings: AppSettings) -> None:
        theme_changed = settings.theme != self.settings.theme
        units_changed = settings.units != self.settings.units
        self.settings = settings
        if theme_changed:
            apply_theme(self._app, settings.theme)
        if units_changed and self.last_overview is not None and "Sessions" in self._pages.built():
            self._pages.sessions.set_sessions(self.last_overview.sessions, settings.units)
        self.settings_applied.emit(settings)
        self._save_timer.start()

    def update_settings(self, settings: AppSettings) -> None:
        """A change made elsewhere than the Settings page (the welcome, say): shown there and saved."""
        if "Settings" in self._pages.built():
            self._pages.settings.show_settings(settings)
        self._settings_changed(settings)

    def flush(self) -> None:
        """Save a pending settings change now; called before the window closes."""
        if self._save_timer.isActive():
            self._save_timer.stop()
            self._save_settings()

    def _save_settings(self) -> None:
        # One save at a time, always of the newest value: two saves racing in the pool could land out of order.
        if self._saving:
            self._save_again = True
            return
        self._saving = True
        snapshot = self.settings

        def finished(_result: object = None) -> None:
            self._saving = False
            if self._save_again:
                self._save_again = False
                self._save_settings()

        def failed(exc: BaseException) -> None:
            finished()
            show_error(self._window, "Could not save your settings", exc)

        self._tasks.run(lambda: self._settings_service.save(snapshot), finished, failed)


def _today_summary(overview: Overview) -> TodaySummary:
    plan = overview.suggested
    if plan is None:
        return TodaySummary("", "No sessions found.", None, 0, 0, [])
    scheduled = overview.suggested_scheduled
    if scheduled is not None:
        when = _when(scheduled.due_at)
        detail = f"{when} · {format_minutes(plan.total_s)}"
    elif not overview.runs:
        detail = f"A gentle first session, {format_minutes(plan.total_s)}. Start whenever you are ready."
    else:
        detail = f"Your last session again, {format_minutes(plan.total_s)}. Or choose another one."
    recent = [
        f"{r.started_at.astimezone():%a %d %b} · {r.session_name} · {format_clock(r.elapsed_s)}"
        for r in overview.runs[:5]
    ]
    return TodaySummary(
        next_title=plan.name,
        next_detail=detail,
        next_session_id=plan.id,
        week_minutes=round(overview.week_seconds / 60),
        week_runs=overview.week_runs,
        recent=recent,
        streak_weeks=overview.streak_weeks,
        missed=overview.missed,
        programs=program_lines(overview, _when),
    )


def _when(due: dt.datetime) -> str:
    today = dt.date.today()
    if due.date() == today:
        return f"Today at {due:%H:%M}"
    if due.date() == today + dt.timedelta(days=1):
        return f"Tomorrow at {due:%H:%M}"
    return f"{due:%A %d %B} at {due:%H:%M}"
