"""The Journal's "Export run…": the selected run as a FIT or TCX activity file, written on the worker.

The file type follows the name the runner gives (.fit or .tcx; the chosen filter adds it when left out). The
writing is ``services.activity_export``: whole or not at all, never over anything but a regular file. GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from runcompanion.ui.common.tasks import TaskRunner

if TYPE_CHECKING:
    from runcompanion.services.activity_export import ActivityExport
    from runcompanion.ui.journal.journal_page import JournalPage

_FILTERS = {"FIT activity (*.fit)": "fit", "TCX activity (*.tcx)": "tcx"}


class RunExport(QObject):
    """``exported`` carries the path written."""

    exported = Signal(object)

    def __init__(
        self,
        *,
        window: QWidget,
        tasks: TaskRunner,
        export: ActivityExport,
        show_error: Callable[[QWidget | None, str, BaseException], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tasks = tasks
        self._export = export
        self._show_error = show_error

    def attach_page(self, page: JournalPage) -> None:
        page.export_run_requested.connect(self.ask)

    def ask(self, run_id: int) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self._window, "Export the run", str(Path.home() / f"run-{run_id}.fit"), ";;".join(_FILTERS)
        )
        if not name:
            return
        path = Path(name)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("fit", "tcx"):
            fmt = _FILTERS.get(chosen, "fit")
            path = path.with_name(f"{path.name}.{fmt}")
        self.export_to(run_id, fmt, path)

    def export_to(self, run_id: int, fmt: str, out: Path) -> None:
        def done(path: Path) -> None:
            QMessageBox.information(
                self._window, "Run exported", f"Wrote {path}. Upload it to your training log as a treadmill run."
            )
            self.exported.emit(path)

        self._tasks.run(
            lambda: self._export.export(run_id, fmt, out),
            done,
            lambda exc: self._show_error(self._window, "Could not export the run", exc),
        )
