"""The Qt half of the composition root: the application object, the window and its controllers.

The window is built and shown before the services exist; they are built on a worker and attached when ready,
so the first frame never waits for the database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from runcompanion.core.app_settings import AppSettings, Theme
from runcompanion.core.clock import Clock
from runcompanion.paths import AppPaths, resource
from runcompanion.ui.common.lifecycle import FirstPaintLogger, SignalBridge
from runcompanion.ui.common.process_tuning import freeze_startup_objects, hand_the_gil_back_sooner
from runcompanion.ui.common.tasks import TaskRunner
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.run.launcher import RunContext, RunLauncher, ask_yes
from runcompanion.ui.shell.controller import ShellController, show_error
from runcompanion.ui.shell.main_window import MainWindow
from runcompanion.ui.shell.pages import ShellPages
from runcompanion.ui.shell.recovery_offers import RecoveryOffers
from runcompanion.ui.shell.welcome import Welcome

if TYPE_CHECKING:
    from runcompanion.services.composition import RunRequest, Services
    from runcompanion.ui.journal.controller import JournalController
    from runcompanion.ui.journal.run_export import RunExport
    from runcompanion.ui.plan.controller import PlanController
    from runcompanion.ui.plan.reminders import Reminders
    from runcompanion.ui.run.controller import RunController
    from runcompanion.ui.run.qt_player import QtPlayer
    from runcompanion.ui.sessions.editor_controller import SessionEditorController
    from runcompanion.ui.shell.instance_server import InstanceServer

log = logging.getLogger(__name__)

EXIT_STARTUP_FAILED = 2


class _Ready(QObject):
    ready = Signal()


class GuiApp:
    """Owns the QApplication and everything built on it. Create it once per process, on the main thread."""

    def __init__(self, paths: AppPaths, argv: list[str], clock: Clock = time.monotonic) -> None:
        existing = QApplication.instance()
        self.qapp: QApplication = existing if isinstance(existing, QApplication) else QApplication(argv)
        self.qapp.setApplicationName("RunCompanion")
        self.qapp.setOrganizationName("RunCompanion")
        self.qapp.setDesktopFileName("runcompanion")
        self.paths = paths
        self.clock = clock
        self.ui_state = QSettings(str(paths.config_dir / "window.ini"), QSettings.Format.IniFormat)
        # The theme is mirrored in window.ini so the very first frame has the right colours, before the
        # database (where settings live) has been opened.
        apply_theme(self.qapp, _stored_theme(self.ui_state), first_frame=True)
        self.tasks = TaskRunner()
        hand_the_gil_back_sooner()
        self.pages = ShellPages(str(paths.data_dir))
        self.window = MainWindow(self.pages, self.ui_state)
        self.window.close_guard = self._may_close
        self.services: Services | None = None
        self.shell: ShellController | None = None
        self.journal: JournalController | None = None
        self.plan: PlanController | None = None
        self.sessions: SessionEditorController | None = None
        self.run_export: RunExport | None = None
        self._welcome = Welcome(self.window, self.tasks)
        self.reminders: Reminders | None = None
        self.offers = RecoveryOffers(self.window, self.tasks, paths, self._exit_failed)
        self.instance_server: InstanceServer | None = None
        self._start: Callable[[], None] | None = None
        self._quitting = False
        self.runs = RunLauncher(self.window, self.tasks, clock, freeze_startup_objects)
        self._ready = _Ready()
        self.ready = self._ready.ready
        """Emitted once the services are attached and the pages can load."""

    # --- start-up -----------------------------------------------------------------------------------------
    def attach(self, services: Services) -> None:
        """Wire the services in. Called once, on the GUI thread, when the worker has built them."""
        self.services = services
        settings = services.settings.load()
        self.ui_state.setValue("theme", settings.theme.value)
        self.shell = ShellController(
            app=self.qapp,
            window=self.window,
            pages=self.pages,
            tasks=self.tasks,
            settings=services.settings,
            catalog=services.catalog,
            overview=services.overview,
            paths=services.paths,
            initial_settings=settings,
            cues=services.cues,
            play_file=lambda path: self._cue_player().play_file(path),
            backups=services.backups,
            transfer=services.session_transfer,
        )
        self.shell.on_start_session = lambda session_id, scheduled_id: self.start_run(
            session_id, scheduled_run_id=scheduled_id
        )
        shell = self.shell
        # At idle after start-up and after each run (both load the overview): render the suggested run's speech.
        shell.overview_loaded.connect(
            lambda overview: self.runs.ahead.consider(services, overview.suggested, shell.settings)
        )
        from runcompanion.ui.common.focus_ring import FocusRing  # after the first paint: keys come later
        from runcompanion.ui.journal.controller import JournalController  # after the first paint: not needed before

        self.focus_ring = FocusRing(self.qapp, self.window)

        self.journal = JournalController(
            window=self.window,
            tasks=self.tasks,
            journal=services.journal,
            transfer=services.journal_transfer,
            figures=services.run_figures,
        )
        self.journal.changed.connect(self.shell.refresh)
        from runcompanion.ui.journal.run_export import RunExport

        self.run_export = RunExport(
            window=self.window, tasks=self.tasks, export=services.activity_export, show_error=show_error
        )
        from runcompanion.ui.plan.controller import PlanController

        self.plan = PlanController(
            window=self.window,
            tasks=self.tasks,
            plan=services.plan,
            sessions=services.catalog.all,
            start_run=lambda session_id, scheduled_id: self.start_run(session_id, scheduled_run_id=scheduled_id),
        )
        self.plan.changed.connect(self.shell.refresh)
        from runcompanion.ui.sessions.editor_controller import SessionEditorController

        shell_controller = self.shell
        self.sessions = SessionEditorController(
            window=self.window,
            tasks=self.tasks,
            catalog=services.catalog,
            transfer=services.session_transfer,
            cues=services.cues,
            settings=lambda: shell_controller.settings,
            refresh=shell_controller.refresh,
            show_error=show_error,
            programs=services.plan.programs.all,
        )
        from runcompanion.ui.plan.reminders import Reminders

        shell = self.shell
        self.reminders = Reminders(
            window=self.window,
            tasks=self.tasks,
            plan=services.plan,
            icon=self.qapp.windowIcon(),
            before_min=lambda: shell.settings.remind_before_min,
            start_run=lambda session_id, scheduled_id: self.start_run(session_id, scheduled_run_id=scheduled_id),
            quit_app=self.quit,
        )
        self.pages.created.connect(self._page_created)
        for name, page in self.pages.built().items():
            self._page_created(name, page)
        self.shell.settings_applied.connect(self._settings_applied)
        self.shell.refresh()
        if services.cues.problems:
            # Not modal: `runcompanion run` must start its countdown without waiting for a click.
            box = QMessageBox(QMessageBox.Icon.Warning, "A cue pack was left out", "\n\n".join(services.cues.problems))
            box.setParent(self.window, box.windowFlags())
            box.open()
        self.runs.preload()
        freeze_startup_objects()
        self.ready.emit()

    def _page_created(self, name: str, page: QWidget) -> None:
        if name == "Journal" and self.journal is not None:
            from runcompanion.ui.journal.journal_page import JournalPage

            assert isinstance(page, JournalPage)
            self.journal.attach_page(page)
            if self.run_export is not None:
                self.run_export.attach_page(page)
        elif name == "Plan" and self.plan is not None:
            from runcompanion.ui.plan.plan_page import PlanPage

            assert isinstance(page, PlanPage)
            self.plan.attach_page(page)
        elif name == "Sessions" and self.sessions is not None:
            from runcompanion.ui.sessions.sessions_page import SessionsPage

            assert isinstance(page, SessionsPage)
            self.sessions.attach_page(page)

    def _settings_applied(self, settings: AppSettings) -> None:
        self.ui_state.setValue("theme", settings.theme.value)
        self.runs.set_volume(settings.volume)

    @property
    def recovery_box(self) -> QMessageBox | None:
        """The question start-up is asking after a crash or about damaged data, while it is open."""
        return self.offers.box

    def _startup_failed(self, exc: BaseException) -> None:
        self.offers.startup_failed(exc, self._start)

    def _offer_unfinished_reflections(self) -> None:
        if self.services is not None and self.journal is not None:
            self.offers.offer_unfinished_reflections(self.services, self.journal)

    def _exit_failed(self) -> None:
        self.window.close_guard = lambda: True
        self.qapp.exit(EXIT_STARTUP_FAILED)

    # --- a guided run -------------------------------------------------------------------------------------
    def start_run(
        self,
        session_id: str,
        seed: int | None = None,
        fullscreen: bool = False,
        scheduled_run_id: int | None = None,
        voice_id: str | None = None,
        *,
        treadmill: str | None = None,
    ) -> RunController | None:
        """Open the run screen for ``session_id`` and start its countdown at once (with ``voice_id`` instead
        of the voice chosen in Settings, for this run only; ``treadmill``: see the launcher)."""
        if self.services is None or self.shell is None:
            return None
        shell = self.shell
        context = RunContext(
            services=self.services,
            settings=lambda: shell.settings if voice_id is None else shell.settings.with_changes(voice_id=voice_id),
            journal=self.journal,
            plan=self.plan,
            after_run=shell.refresh,
        )
        overview = shell.last_overview
        # The session as the last overview loaded it (on a worker): an own session would otherwise be read from
        # SQLite here, on the GUI thread, 3-4 ms of the Start press.
        known = next((p for p in overview.sessions if p.id == session_id), None) if overview is not None else None
        return self.runs.start(context, session_id, seed, fullscreen, scheduled_run_id, plan=known, treadmill=treadmill)

    @property
    def run(self) -> RunController | None:
        """The run in progress or showing its summary, if any."""
        return self.runs.run

    def _cue_player(self) -> QtPlayer:
        return self.runs.player()

    def quit(self) -> None:
        """Quit for real (the tray's Quit), even when closing the window would only hide it."""
        self._quitting = True
        self.window.close()

    def _may_close(self) -> bool:
        if (
            not self._quitting
            and self.shell is not None
            and self.shell.settings.close_to_tray
            and self.reminders is not None
            and self.reminders.available
            and (self.run is None or not self.run.active)
        ):
            self.window.hide()  # reminders keep coming from the tray
            return False
        if self.run is None or not self.run.active:
            return True
        if not ask_yes(
            self.window,
            "A run is in progress",
            "Stop the run and close RunCompanion? Everything up to here is saved.",
        ):
            return False
        self.runs.shutdown()
        return True

    def terminate(self) -> None:
        """SIGTERM or Ctrl+C: save the run as stopped and close without asking."""
        self.runs.shutdown()
        self.window.close_guard = lambda: True
        self.window.close()
        self.qapp.quit()  # a dialog still open (or opening from a worker's answer) would keep the loop going

    # --- the event loop -----------------------------------------------------------------------------------
    def offer_welcome(self) -> None:
        """The first time the app opens: what the runner wants, a plan in two clicks, and the care notice."""
        if self.shell is not None and self.services is not None:
            self._welcome.offer(self.shell, self.services.plan, self.plan)

    @property
    def welcome(self) -> QWidget | None:
        """The welcome dialog once it has been shown (None before, and when it was not needed)."""
        return self._welcome.dialog

    def begin(self, build: Callable[[], Services], run_request: RunRequest | None = None) -> Callable[[], None]:
        """Prepare start-up: returns ``start``, which builds the services on a worker and attaches them.

        ``exec`` calls ``start`` after the first paint; a failure that can be mended (a damaged database moved
        aside) offers the mending and calls ``start`` again.
        """
        if run_request is not None:
            self.ready.connect(
                lambda: QTimer.singleShot(
                    0,
                    lambda: self.start_run(
                        run_request.session_id,
                        run_request.seed,
                        run_request.fullscreen,
                        voice_id=run_request.voice_id,
                        treadmill=run_request.treadmill,
                    ),
                )
            )

        def build_and_recover() -> Services:
            # Building marks runs left in progress as interrupted: this window owns the data folder, so any
            # such run was cut off by a crash.
            services = build()
            made = services.backups.daily_if_due()  # once a day when the app starts; the last 7 are kept
            if made is not None:
                log.info("daily backup %s", made.id)
            return services

        def attached(services: Services) -> None:
            self.attach(services)
            if run_request is None:  # `runcompanion run` goes straight to the treadmill, never via a dialog
                self.offer_welcome()
                self._offer_unfinished_reflections()

        def start() -> None:
            self.tasks.run(build_and_recover, attached, self._startup_failed)

        self._start = start
        return start

    def exec(self, build: Callable[[], Services], run_request: RunRequest | None = None) -> int:
        """Show the window, build the services on a worker, and run until the window closes."""
        first_paint = FirstPaintLogger(self.window, time.monotonic())
        bridge = SignalBridge(lambda _signum: self.terminate(), self.qapp)
        self.window.show_section("Today")
        self.window.show()
        log.info("main window shown")
        # Set once the window is up (and before the tray takes it): loading the SVG engine and rendering the
        # icon's sizes for the window manager took about 4 ms of the first frame.
        first_paint.painted.connect(self._set_icon)
        # Built after the first frame: the worker's imports would otherwise compete with painting for the GIL.
        first_paint.painted.connect(self.begin(build, run_request))
        first_paint.painted.connect(self._listen_for_second_starts)
        try:
            status = self.qapp.exec()
        finally:
            bridge.restore()
            self.shutdown()
        log.info("closed with status %d", status)
        return int(status)

    def _listen_for_second_starts(self) -> None:
        """A second start on this data folder asks this window to come to the front (ui/shell/instance_server.py)."""
        from runcompanion.ui.shell.instance_server import InstanceServer

        self.instance_server = InstanceServer(self.window, self.paths.data_dir)
        self.instance_server.listen()

    def _set_icon(self) -> None:
        icon = resource("icons", "runcompanion.svg")
        if icon.is_file():
            self.qapp.setWindowIcon(QIcon(str(icon)))

    def shutdown(self) -> None:
        """Finish what is in flight (a run, a settings save) before the services close."""
        self.runs.shutdown()
        if self.shell is not None:
            self.shell.flush()
        self.tasks.close()
        if self.instance_server is not None:
            self.instance_server.close()
        if self.services is not None:
            self.services.close()


def _stored_theme(ui_state: QSettings) -> Theme:
    try:
        return Theme(str(ui_state.value("theme", Theme.SYSTEM.value)))
    except ValueError:
        return Theme.SYSTEM
