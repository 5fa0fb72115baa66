"""Sessions: built-in and own sessions, what each one holds, and a Start button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.units import SpeedUnit
from runcompanion.ui.common.item_views import current_follows_selection
from runcompanion.ui.common.widgets import format_minutes, heading, muted, wrapped
from runcompanion.ui.sessions.segment_table import fill_segment_table, segment_table


class SessionsPage(QWidget):
    """Lists sessions and shows the selected one. ``start_requested`` carries the session id."""

    start_requested = Signal(str)
    import_requested = Signal()
    new_requested = Signal()
    duplicate_requested = Signal(str)  # session id
    edit_requested = Signal(str)  # session id of an own session
    delete_requested = Signal(str)  # session id of an own session
    export_requested = Signal(str)  # session id
    undo_delete_requested = Signal()
    cues_requested = Signal(str)  # session id: show its spoken-cue timeline
    listen_requested = Signal(str)  # a cue text to hear
    preview_programs_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plans: list[SessionPlan] = []
        self._units = SpeedUnit.KMH

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        top = QHBoxLayout()
        top.addWidget(heading("Sessions"))
        top.addStretch(1)
        self.new_button = QPushButton("New session")
        self.new_button.setToolTip("Build a session of your own (Ctrl+N)")
        self.new_button.setShortcut("Ctrl+N")
        self.new_button.clicked.connect(self.new_requested)
        top.addWidget(self.new_button)
        self.import_button = QPushButton("Import session…")
        self.import_button.setToolTip("A RunCompanion .toml, a Zwift run workout (.zwo) or a FIT workout (.fit)")
        self.import_button.clicked.connect(self.import_requested)
        top.addWidget(self.import_button)
        self.programs_button = QPushButton("Preview a program…")
        self.programs_button.setToolTip("A program's weeks and runs, without starting it")
        self.programs_button.clicked.connect(self.preview_programs_requested)
        top.addWidget(self.programs_button)
        outer.addLayout(top)
        self.undo_row = QWidget()
        undo_layout = QHBoxLayout(self.undo_row)
        undo_layout.setContentsMargins(0, 0, 0, 0)
        self.undo_text = muted("")
        self.undo_button = QPushButton("Undo")
        self.undo_button.clicked.connect(self.undo_delete_requested)
        undo_layout.addWidget(self.undo_text, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_row.hide()
        outer.addWidget(self.undo_row)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.list.setAccessibleName("Sessions")
        self.list.setMinimumWidth(240)
        self.list.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        self.list.currentRowChanged.connect(self._show)
        current_follows_selection(self.list)  # a screen reader picks a session by selecting it
        splitter.addWidget(self.list)

        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(16, 0, 0, 0)
        self.name = heading("", 18)
        self.summary = muted("")
        self.description = wrapped("")
        self.segments = segment_table("Segments")
        self.start_button = QPushButton("Start this session")
        self.start_button.setMinimumHeight(44)
        self.start_button.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.start_button.clicked.connect(self._start)
        for w in (self.name, self.summary, self.description, self.segments):
            dl.addWidget(w, 1 if w is self.segments else 0)

        cue_row = QHBoxLayout()
        self.cues_button = QPushButton("Show the spoken cues")
        self.cues_button.clicked.connect(self._request_cues)
        self.listen_button = QPushButton("Listen to this cue")
        self.listen_button.setEnabled(False)
        self.listen_button.clicked.connect(self._listen)
        self.cue_status = muted("")
        cue_row.addWidget(self.cues_button)
        cue_row.addWidget(self.listen_button)
        cue_row.addWidget(self.cue_status, 1)
        dl.addLayout(cue_row)
        self.cues = QTableWidget(0, 3)
        self.cues.setAccessibleName("Spoken cues")
        self.cues.setTabKeyNavigation(False)
        self.cues.setHorizontalHeaderLabels(["At", "Kind", "What the voice says"])
        self.cues.verticalHeader().setVisible(False)
        self.cues.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cues.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cues.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cues.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.cues.itemSelectionChanged.connect(lambda: self.listen_button.setEnabled(bool(self.cues.selectedItems())))
        self.cues.itemDoubleClicked.connect(lambda _item: self._listen())
        self.cues.hide()
        dl.addWidget(self.cues, 1)
        actions = QHBoxLayout()
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setToolTip("An own copy to change; the original stays as it is")
        self.edit_button = QPushButton("Edit")
        self.delete_button = QPushButton("Delete")
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("As a .toml, a Zwift run workout (.zwo) or a FIT workout (.fit)")
        for button, signal in (
            (self.duplicate_button, self.duplicate_requested),
            (self.edit_button, self.edit_requested),
            (self.delete_button, self.delete_requested),
            (self.export_button, self.export_requested),
        ):
            button.clicked.connect(lambda _checked=False, s=signal: self._emit_for_current(s))
            actions.addWidget(button)
        actions.addStretch(1)
        dl.addLayout(actions)
        dl.addWidget(self.start_button)
        splitter.addWidget(detail)
        splitter.setStretchFactor(1, 1)
        outer.addWidget(splitter, 1)

    def set_sessions(self, plans: list[SessionPlan], units: SpeedUnit) -> None:
        current = self.current_session_id()
        self._plans = plans
        self._units = units
        self.list.clear()
        for plan in plans:
            origin = "" if plan.builtin else "  (yours)"
            item = QListWidgetItem(f"{plan.name}{origin}\n{format_minutes(plan.total_s)}")
            item.setData(Qt.ItemDataRole.UserRole, plan.id)
            self.list.addItem(item)
        ids = [p.id for p in plans]
        self.list.setCurrentRow(ids.index(current) if current in ids else (0 if plans else -1))
        self.start_button.setEnabled(bool(plans))

    def select(self, session_id: str) -> None:
        for row, plan in enumerate(self._plans):
            if plan.id == session_id:
                self.list.setCurrentRow(row)

    def current_session_id(self) -> str | None:
        row = self.list.currentRow()
        return self._plans[row].id if 0 <= row < len(self._plans) else None

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._plans):
            self.name.setText("No sessions")
            self.segments.setRowCount(0)
            return
        plan = self._plans[row]
        self.edit_button.setEnabled(not plan.builtin)
        self.delete_button.setEnabled(not plan.builtin)
        self.cues.hide()
        self.cues.setRowCount(0)
        self.listen_button.setEnabled(False)
        self.cue_status.setText("")
        self.name.setText(plan.name)
        kinds = ", ".join(plan.tags) if plan.tags else "session"
        blocks = "".join(f" · repeat {block.times} ×" for block in plan.repeats)
        self.summary.setText(f"{format_minutes(plan.total_s)} · {len(plan.segments)} segments{blocks} · {kinds}")
        self.description.setText(plan.description)
        fill_segment_table(self.segments, plan, self._units)

    def show_cues(self, session_id: str, rows: list[tuple[str, str, str]]) -> None:
        """``(at, kind, text)`` per cue, for the session shown now (ignored if the runner moved on)."""
        if session_id != self.current_session_id():
            return
        self.cues.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for col, text in enumerate(row):
                self.cues.setItem(i, col, QTableWidgetItem(text))
        self.cues.resizeColumnToContents(0)
        self.cues.resizeColumnToContents(1)
        self.cues.show()
        self.cue_status.setText(f"{len(rows)} cues. Double-click one to hear it.")
        self.cues_button.setEnabled(True)

    def show_cue_status(self, text: str) -> None:
        self.cue_status.setText(text)
        self.cues_button.setEnabled(True)

    def _request_cues(self) -> None:
        session_id = self.current_session_id()
        if session_id is not None:
            self.cues_button.setEnabled(False)
            self.cue_status.setText("Preparing the voice…")
            self.cues_requested.emit(session_id)

    def _listen(self) -> None:
        row = self.cues.currentRow()
        item = self.cues.item(row, 2) if row >= 0 else None
        if item is not None:
            self.listen_requested.emit(item.text())

    def show_undo(self, text: str) -> None:
        """A line with an Undo button after a delete; ``""`` hides it."""
        self.undo_text.setText(text)
        self.undo_row.setVisible(bool(text))

    def _emit_for_current(self, signal: object) -> None:
        session_id = self.current_session_id()
        if session_id is not None:
            signal.emit(session_id)  # type: ignore[attr-defined]

    def _start(self) -> None:
        session_id = self.current_session_id()
        if session_id is not None:
            self.start_requested.emit(session_id)
