"""The Sessions screen's own-session actions: new, duplicate, edit, delete with undo, and export to a file; and
the preview of a program's weeks and runs (program_preview.py).

Opens the ``SessionEditor`` for a draft, stores what it saves (on the task runner's worker, never on the GUI
thread), works out its spoken timeline for the live preview (estimated speech lengths, as for a run without
speech), and refreshes the list. A built-in session is never changed: duplicating it gives an own copy with a
new id, and only own sessions can be edited or deleted. GUI thread only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from runcompanion.core.errors import UserError
from runcompanion.core.session_draft import SessionDraft, draft_from_plan
from runcompanion.ui.common.tasks import TaskRunner
from runcompanion.ui.sessions.session_editor import SessionEditor

if TYPE_CHECKING:
    from runcompanion.core.app_settings import AppSettings
    from runcompanion.core.program_model import Program
    from runcompanion.core.session_plan import SessionPlan
    from runcompanion.services.cue_service import CueService
    from runcompanion.services.session_catalog import SessionCatalog
    from runcompanion.services.session_transfer import Imported, SessionTransfer
    from runcompanion.ui.sessions.program_preview import ProgramPreview
    from runcompanion.ui.sessions.sessions_page import SessionsPage

log = logging.getLogger(__name__)
PREVIEW_SEED = 1


class SessionEditorController(QObject):
    """``saved`` carries the stored plan once the list shows it."""

    saved = Signal(object)

    def __init__(
        self,
        *,
        window: QWidget,
        tasks: TaskRunner,
        catalog: SessionCatalog,
        transfer: SessionTransfer,
        cues: CueService,
        settings: Callable[[], AppSettings],
        refresh: Callable[[Callable[[], object]], None],
        show_error: Callable[[QWidget | None, str, BaseException], None],
        programs: Callable[[], list[Program]] = list,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tasks = tasks
        self._catalog = catalog
        self._transfer = transfer
        self._cues = cues
        self._settings = settings
        self._refresh = refresh
        self._show_error = show_error
        self._programs = programs
        self.program_preview: ProgramPreview | None = None
        self._page: SessionsPage | None = None
        self._deleted: SessionPlan | None = None
        self.editor: SessionEditor | None = None

    def attach_page(self, page: SessionsPage) -> None:
        self._page = page
        page.new_requested.connect(self.new)
        page.duplicate_requested.connect(self.duplicate)
        page.edit_requested.connect(self.edit)
        page.delete_requested.connect(self.delete)
        page.undo_delete_requested.connect(self.undo_delete)
        page.export_requested.connect(self.export)
        page.preview_programs_requested.connect(self.preview_programs)

    def preview_programs(self) -> ProgramPreview:
        """A program's weeks and runs, read from the shipped programs already in memory; enrols nothing."""
        from runcompanion.ui.sessions.program_preview import ProgramPreview

        dialog = ProgramPreview(self._programs(), self._settings().units, parent=self._window)
        self.program_preview = dialog
        dialog.finished.connect(lambda _r: setattr(self, "program_preview", None))
        dialog.open()
        return dialog

    # -- opening the editor -------------------------------------------------------------------------------------

    def new(self) -> SessionEditor:
        return self._open(SessionDraft(units=self._settings().units), "New session")

    def duplicate(self, session_id: str) -> None:
        def opened(plan: SessionPlan) -> None:
            draft = draft_from_plan(replace(plan, builtin=True), self._settings().units)  # a copy: no id yet
            self._open(replace(draft, name=f"{plan.name} (copy)"[:80]), f"Duplicate of {plan.name}")

        self._tasks.run(lambda: self._catalog.get(session_id), opened, self._failed("Cannot open the session"))

    def edit(self, session_id: str) -> None:
        def opened(plan: SessionPlan) -> None:
            if plan.builtin:
                self.duplicate(session_id)  # a built-in session is changed only as an own copy
                return
            self._open(draft_from_plan(plan, self._settings().units), f"Edit {plan.name}")

        self._tasks.run(lambda: self._catalog.get(session_id), opened, self._failed("Cannot open the session"))

    def _open(self, draft: SessionDraft, title: str) -> SessionEditor:
        editor = SessionEditor(draft, title, self._window)
        editor.save_requested.connect(lambda plan: self._save(editor, plan))
        editor.preview_requested.connect(lambda plan: self._preview(editor, plan))
        editor.open_file_requested.connect(lambda: self.fill_from_file(editor))
        editor.finished.connect(lambda _result: self._closed(editor))
        self.editor = editor
        editor.open()
        return editor

    def _closed(self, editor: SessionEditor) -> None:
        if self.editor is editor:
            self.editor = None
        editor.deleteLater()

    def fill_from_file(self, editor: SessionEditor, path: Path | None = None) -> None:
        """Read a .toml, .zwo or .fit file (on the worker) into the editor, as an undoable change."""
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            name, _ = QFileDialog.getOpenFileName(
                editor, "Fill from a file", str(Path.home()), "Session files (*.toml *.zwo *.fit);;All files (*)"
            )
            if not name:
                return
            path = Path(name)
        chosen = path
        units = self._settings().units

        def show(imported: Imported) -> None:
            if self.editor is editor:
                words = f"Read “{imported.plan.name}” {imported.source_words or 'from the file'}. {imported.detail}"
                editor.load(draft_from_plan(replace(imported.plan, builtin=True), units), words.strip())

        self._tasks.run(lambda: self._transfer.read(chosen), show, self._failed("Cannot read the file"))

    # -- preview and save ---------------------------------------------------------------------------------------

    def _preview(self, editor: SessionEditor, plan: SessionPlan) -> None:
        settings = self._settings()

        def timeline() -> list[tuple[float, str, str]]:
            cues = self._cues.captions_only(plan, settings, PREVIEW_SEED).cues
            return [(c.offset_s, c.kind.value.replace("_", " "), c.text) for c in cues if not c.beep]

        def show(rows: list[tuple[float, str, str]]) -> None:
            if self.editor is editor:
                editor.show_timeline(rows)

        self._tasks.run(timeline, show, lambda exc: log.warning("no preview of the spoken timeline: %s", exc))

    def _save(self, editor: SessionEditor, plan: SessionPlan) -> None:
        is_new = not editor.draft.session_id

        def store() -> SessionPlan:
            if is_new:
                return self._catalog.add_own(replace(plan, id=self._catalog.free_id(plan.name)), "the session")
            return self._catalog.save_own(plan, "the session")

        def stored(saved: SessionPlan) -> None:
            editor.accept()
            self._refresh(lambda: self._shown(saved))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                editor.save_failed(str(exc))
            else:
                log.error("saving a session failed", exc_info=exc)
                editor.save_failed("It could not be saved: something went wrong. Details are in the log file.")

        self._tasks.run(store, stored, failed)

    def _shown(self, plan: SessionPlan) -> None:
        if self._page is not None:
            self._page.select(plan.id)
        self.saved.emit(plan)

    # -- delete with undo ---------------------------------------------------------------------------------------

    def delete(self, session_id: str) -> None:
        def deleted(plan: SessionPlan) -> None:
            self._deleted = plan
            if self._page is not None:
                self._page.show_undo(f"Deleted “{plan.name}”.")
            self._refresh(lambda: None)

        self._tasks.run(lambda: self._catalog.delete_own(session_id), deleted, self._failed("Cannot delete it"))

    def undo_delete(self) -> None:
        plan = self._deleted
        if plan is None:
            return
        self._deleted = None

        def restored(saved: SessionPlan) -> None:
            if self._page is not None:
                self._page.show_undo("")
            self._refresh(lambda: self._shown(saved))

        self._tasks.run(lambda: self._catalog.add_own(plan, "undo"), restored, self._failed("Cannot bring it back"))

    # -- export -------------------------------------------------------------------------------------------------

    def export(self, session_id: str) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        name, _ = QFileDialog.getSaveFileName(
            self._window,
            "Export the session",
            str(Path.home() / f"{session_id}.toml"),
            "RunCompanion session (*.toml);;Zwift run workout (*.zwo);;FIT workout (*.fit)",
        )
        if not name:
            return
        self._tasks.run(
            lambda: self._transfer.export_file(session_id, Path(name)),
            lambda message: QMessageBox.information(self._window, "Session exported", message),
            self._failed("Could not export the session"),
        )

    def _failed(self, title: str) -> Callable[[BaseException], None]:
        return lambda exc: self._show_error(self._window, title, exc)
