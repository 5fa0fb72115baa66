"""Wires the journal service to the Journal page and to the reflection dialog after a run.

Everything here runs on the GUI thread; every database touch goes through the TaskRunner.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from runcompanion.ui.common.tasks import TaskRunner
from runcompanion.ui.common.widgets import format_clock
from runcompanion.ui.journal.journal_model import FilterChoice
from runcompanion.ui.journal.journal_page import JournalPage
from runcompanion.ui.journal.mood_strip import DEFAULT_DAYS as MOOD_DAYS
from runcompanion.ui.journal.mood_strip import MoodDay
from runcompanion.ui.journal.reflection_dialog import ReflectionDialog, ReflectionForm
from runcompanion.ui.journal.view_model import chart_data, detail_for, form_for, mood_days, row_for
from runcompanion.ui.shell.controller import show_error

if TYPE_CHECKING:
    from runcompanion.core.run_samples import RunSample
    from runcompanion.services.journal_service import JournalService, UndoToken
    from runcompanion.services.journal_transfer import JournalTransfer
    from runcompanion.services.run_figures_service import RunFiguresService
    from runcompanion.storage.archive_records import ImportReport
    from runcompanion.storage.records import CheckIn, JournalEntry, JournalFilter, ReflectionInput
    from runcompanion.storage.records import (
        JournalPage as EntryPage,
    )
    from runcompanion.storage.run_figures_repository import RunFiguresRecord
    from runcompanion.ui.journal.chart_values import ChartData

log = logging.getLogger(__name__)
_Loaded = tuple["EntryPage", list[str], list[tuple[str, str]], list["MoodDay"]]

PAGE_SIZE = 200
LIFT_BOUNDS = {"any": (None, None), "up": (1, None), "same": (0, 0), "down": (None, -1)}


class JournalController(QObject):
    """``changed`` fires after anything in the journal was written (so Today can refresh)."""

    changed = Signal()

    def __init__(
        self,
        *,
        window: QWidget,
        tasks: TaskRunner,
        journal: JournalService,
        transfer: JournalTransfer,
        figures: RunFiguresService | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tasks = tasks
        self._journal = journal
        self._figures = figures
        self._transfer = transfer
        self.page: JournalPage | None = None
        self._filter: FilterChoice | None = None
        self._shown = PAGE_SIZE
        self._undo: UndoToken | None = None
        self.dialog: ReflectionDialog | None = None

    # --- the page -------------------------------------------------------------------------------------------
    def attach_page(self, page: JournalPage) -> None:
        self.page = page
        page.filter_changed.connect(self._filter_changed)
        page.entry_selected.connect(self._show_detail)
        page.edit_requested.connect(self.open_reflection)
        page.delete_requested.connect(self.delete)
        page.undo_requested.connect(self.undo)
        page.log_run_requested.connect(self.log_manual_run)
        page.export_requested.connect(self.export)
        page.import_requested.connect(self.import_backup)
        page.charts_requested.connect(self.load_charts)
        page.more_requested.connect(self._more)
        self.refresh()

    def _journal_filter(self, choice: FilterChoice | None) -> JournalFilter:
        if choice is None:
            return self._journal.make_filter()
        low, high = LIFT_BOUNDS.get(choice.lift, (None, None))
        return self._journal.make_filter(
            text=choice.text,
            first_day=choice.date_from,
            last_day=choice.date_to,
            tag=choice.tag,
            session_id=choice.session_id,
            min_lift=low,
            max_lift=high,
        )

    def refresh(self) -> None:
        """Reload the list (and the filter choices) with the current filter."""
        if self.page is None:
            return
        journal_filter = self._journal_filter(self._filter)
        limit = self._shown

        def load() -> _Loaded:
            sessions = self._journal.sessions()
            mood = self._journal.mood_days(journal_filter, days=MOOD_DAYS)
            # The days' words are made here, on the worker: a dense journal has hundreds of runs in four weeks.
            days = mood_days(mood, dict(sessions), dt.date.today())
            return self._journal.entries(journal_filter, limit=limit), self._journal.all_tags(), sessions, days

        self._tasks.run(load, self._show_page, lambda exc: show_error(self._window, "Could not read the journal", exc))

    def _show_page(self, loaded: _Loaded) -> None:
        entries, tags, sessions, days = loaded
        if self.page is None:
            return
        self.page.set_choices(tags, sessions)
        self.page.show_rows([row_for(e) for e in entries.entries], entries.total)
        self.page.show_mood(days)

    def _filter_changed(self, choice: FilterChoice) -> None:
        self._filter = choice
        self._shown = PAGE_SIZE
        self.refresh()

    def _more(self) -> None:
        self._shown += PAGE_SIZE
        self.refresh()

    def _show_detail(self, run_id: int) -> None:
        figures = self._figures

        def load() -> tuple[JournalEntry, RunFiguresRecord | None, tuple[RunSample, ...]]:
            if figures is None:
                return self._journal.detail(run_id), None, ()
            return self._journal.detail(run_id), figures.get(run_id), figures.samples(run_id)

        def show(loaded: tuple[JournalEntry, RunFiguresRecord | None, tuple[RunSample, ...]]) -> None:
            entry, measured, samples = loaded
            if self.page is not None and self.page.current_run_id() == entry.run.id:
                self.page.show_detail(detail_for(entry, measured, samples))

        self._tasks.run(load, show, lambda exc: log.info("detail: %s", exc))

    # --- delete and undo ------------------------------------------------------------------------------------
    def delete(self, run_id: int) -> None:
        def deleted(token: UndoToken) -> None:
            self._undo = token
            if self.page is not None:
                self.page.show_undo(f"Deleted the entry of {token.deleted.run.session_name}.")
            self._after_write()

        self._tasks.run(
            lambda: self._journal.delete(run_id), deleted, lambda e: show_error(self._window, "Could not delete", e)
        )

    def undo(self) -> None:
        token = self._undo
        if token is None:
            return
        self._undo = None

        def restored(entry: JournalEntry) -> None:
            if self.page is not None:
                self.page.hide_undo()
            self._after_write()
            if self.page is not None:
                self.page.select(entry.run.id)

        self._tasks.run(
            lambda: self._journal.restore(token), restored, lambda e: show_error(self._window, "Could not undo", e)
        )

    def _after_write(self) -> None:
        self.refresh()
        self.changed.emit()

    # --- reflections ----------------------------------------------------------------------------------------
    def save_checkin(self, run_id: int, feeling: int | None, arousal: int | None) -> None:
        self._tasks.run(
            lambda: self._journal.check_in(run_id, feeling, arousal),
            None,
            lambda exc: log.warning("check-in not saved: %s", exc),
        )

    def open_reflection(self, run_id: int) -> None:
        """The reflection dialog for a run: a new one, a draft to finish, or a finished one to edit."""
        if self.dialog is not None:  # open, or opening on the next turn (see _show_dialog)
            # One reflection at a time: the summary's button after the dialog opened by itself just shows it.
            self.dialog.raise_()
            self.dialog.activateWindow()
            return

        def loaded(found: tuple[JournalEntry, str]) -> None:
            entry, prompt = found
            self._show_dialog(entry, prompt)

        self._tasks.run(
            lambda: (self._journal.detail(run_id), self._journal.prompt_for_run(run_id)),
            loaded,
            lambda e: show_error(self._window, "Could not open the reflection", e),
        )

    def _show_dialog(self, entry: JournalEntry, prompt: str) -> None:
        run_id = entry.run.id
        initial = form_for(entry)
        if initial is not None and initial.prompt:
            prompt = initial.prompt
        title = f"{entry.run.session_name}, {format_clock(entry.run.elapsed_s)}"

        def save(form: ReflectionForm, *, final: bool) -> None:
            reflection, check_in = _inputs(form)

            def write() -> object:
                if final:
                    return self._journal.complete(run_id, reflection, check_in=check_in)
                return self._journal.save_draft(run_id, reflection, check_in=check_in)

            self._tasks.run(
                write,
                lambda _r: self._after_write(),
                lambda e: show_error(self._window, "Could not save the reflection", e),
            )

        dialog = ReflectionDialog(
            title=title,
            prompt=prompt,
            initial=initial,
            save_draft=lambda form: save(form, final=False),
            complete=lambda form: save(form, final=True),
            editing=entry.reflection is not None and not entry.reflection.is_draft,
            parent=self._window,
        )
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        # Shown on the next turn of the event loop: building it and showing it (a new window, its layout and
        # first paint) in one go stalled the GUI thread for 25-30 ms, just as the run screen's summary appears.
        QTimer.singleShot(0, dialog.open)

    def log_manual_run(self) -> None:
        """A run done without the app: when, how long, and the same reflection."""
        from runcompanion.storage.records import ManualRun

        def show(prompt: str) -> None:
            def complete(form: ReflectionForm) -> None:
                run = dialog.manual_run()
                if run is None:
                    return
                reflection, check_in = _inputs(form)
                manual = ManualRun(started_at=run.started_at, elapsed_s=run.duration_s, session_name=run.title)
                self._tasks.run(
                    lambda: self._journal.log_manual_run(manual, reflection, check_in=check_in),
                    lambda _e: self._after_write(),
                    lambda e: show_error(self._window, "Could not log the run", e),
                )

            dialog = ReflectionDialog(
                title="Log a run done without the app",
                prompt=prompt,
                initial=None,
                save_draft=lambda _form: None,
                complete=complete,
                manual=True,
                parent=self._window,
            )
            self.dialog = dialog
            dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
            dialog.open()

        self._tasks.run(self._journal.prompt_for_manual_run, show, lambda e: show_error(self._window, "Journal", e))

    # --- charts ---------------------------------------------------------------------------------------------
    def load_charts(self) -> None:
        journal_filter = self._journal_filter(self._filter)

        def gather() -> ChartData:
            points, insights, measured = self._journal.charts(journal_filter)
            return chart_data(points, self._journal.weekly_minutes(), [i.text for i in insights], measured)

        def show(data: ChartData) -> None:
            from runcompanion.ui.journal.charts import JournalCharts

            if self.page is not None:
                self.page.show_charts(JournalCharts(data))

        self._tasks.run(gather, show, lambda e: show_error(self._window, "Could not draw the charts", e))

    # --- export and import ----------------------------------------------------------------------------------
    def export(self, export_format: str) -> None:
        suffix = {"csv": "csv", "json": "json", "md": "md"}[export_format]
        default = Path.home() / f"runcompanion-journal-{dt.date.today():%Y-%m-%d}.{suffix}"
        name, _ = QFileDialog.getSaveFileName(self._window, "Export the journal", str(default), f"*.{suffix}")
        if name:
            self.export_to(export_format, Path(name))

    def export_to(self, export_format: str, out: Path, done: Callable[[], object] | None = None) -> None:
        def finished(report: object) -> None:
            QMessageBox.information(self._window, "Journal exported", f"Wrote {out}.")
            if done is not None:
                done()

        self._tasks.run(
            lambda: self._transfer.export(export_format, out),
            finished,
            lambda e: show_error(self._window, "Could not export the journal", e),
        )

    def import_backup(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self._window, "Import a journal backup", str(Path.home()), "Journal backup (*.json);;All files (*)"
        )
        if name:
            self.import_from(Path(name))

    def import_from(self, path: Path) -> None:
        def finished(report: ImportReport) -> None:
            self._after_write()
            if report.added_anything:
                text = (
                    f"Added {report.runs_added} runs ({report.reflections_added} with a reflection), "
                    f"{report.own_sessions_added} own sessions and {report.scheduled_runs_added} planned runs."
                )
            else:
                text = "Everything in this file is already in your journal: nothing was added."
            QMessageBox.information(self._window, "Journal imported", text)

        self._tasks.run(
            lambda: self._transfer.import_file(path),
            finished,
            lambda e: show_error(self._window, "Could not import the journal", e),
        )


def _inputs(form: ReflectionForm) -> tuple[ReflectionInput, CheckIn]:
    from runcompanion.storage.records import CheckIn, ReflectionInput

    return (
        ReflectionInput(
            feeling_after=form.feeling_after,
            effort=form.effort,
            text=form.text,
            prompt=form.prompt,
            tags=form.tags,
            distance_km=form.distance_km,
            arousal_after=form.arousal_after,
        ),
        CheckIn(form.feeling_before, form.arousal_before),
    )
