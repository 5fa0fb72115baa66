"""What start-up asks after something went wrong: damaged data moved aside, or runs a crash cut off.

Each question is a non-blocking message box (a nested event loop here would keep SIGTERM or a run from closing
the app); ``box`` is the one open, for tests and for closing. Must be used from the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from runcompanion.paths import AppPaths
from runcompanion.ui.common.tasks import TaskRunner
from runcompanion.ui.shell.controller import show_error

if TYPE_CHECKING:
    from runcompanion.services.composition import Services
    from runcompanion.services.database_recovery import DatabaseMovedAsideError
    from runcompanion.storage.records import RunRecord
    from runcompanion.ui.journal.controller import JournalController

log = logging.getLogger(__name__)


class RecoveryOffers:
    """``exit_failed`` ends the app with the start-up failure status (after any error has been shown)."""

    def __init__(self, window: QWidget, tasks: TaskRunner, paths: AppPaths, exit_failed: Callable[[], None]) -> None:
        self._window = window
        self._tasks = tasks
        self._paths = paths
        self._exit_failed = exit_failed
        self.box: QMessageBox | None = None

    def startup_failed(self, exc: BaseException, start: Callable[[], None] | None) -> None:
        """The services could not be built: offer recovery for damaged data (``start`` tries again), else say
        why in words and quit."""
        from runcompanion.services.database_recovery import DatabaseMovedAsideError

        if isinstance(exc, DatabaseMovedAsideError) and start is not None:
            self._offer_recovery(exc, start)
            return
        show_error(self._window, "RunCompanion cannot open your data", exc)
        self._exit_failed()

    def _offer_recovery(self, exc: DatabaseMovedAsideError, start: Callable[[], None]) -> None:
        """The database was damaged and moved aside: restore the latest backup, or start with an empty journal."""
        from runcompanion.services.backup_service import BackupService
        from runcompanion.services.database_recovery import restore_latest

        problem = exc.problem
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Your data needs attention", problem.explanation(), parent=self._window
        )
        restore = box.addButton("Restore the latest backup", QMessageBox.ButtonRole.AcceptRole)
        fresh = box.addButton("Start with an empty journal", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        if problem.latest_backup is None:
            restore.setEnabled(False)
        self.box = box

        def chosen(button: object) -> None:
            self.box = None
            if button is restore:
                paths = self._paths
                self._tasks.run(
                    lambda: restore_latest(BackupService(paths), problem),
                    lambda _report: start(),
                    lambda failure: self.startup_failed(failure, start),
                )
            elif button is fresh:
                start()
            else:
                self._exit_failed()

        box.buttonClicked.connect(chosen)
        box.open()

    def offer_unfinished_reflections(self, services: Services, journal: JournalController) -> None:
        """Runs cut off by a crash (or a power cut) are kept as interrupted: offer to write their reflection."""

        def offer(runs: list[RunRecord]) -> None:
            if not runs:
                return
            latest = runs[0]  # newest first
            when = f"{latest.started_at.astimezone():%A %d %B, %H:%M}"
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "A run was cut off",
                f"Your run “{latest.session_name}” on {when} was cut off after "
                f"{int(latest.elapsed_s // 60)} minutes; what you ran is saved. Write its reflection now?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self._window,
            )
            self.box = box
            ids = [r.id for r in runs]

            def answered(button: object) -> None:
                self.box = None
                self._tasks.run(lambda: services.recovery.dismiss(ids))
                if box.standardButton(button) == QMessageBox.StandardButton.Yes:  # type: ignore[arg-type]
                    journal.open_reflection(latest.id)

            box.buttonClicked.connect(answered)
            box.open()

        self._tasks.run(services.recovery.interrupted_needing_reflection, offer, lambda e: log.warning("%s", e))
