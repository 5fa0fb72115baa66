"""Journal: every run with how it felt. Search, filters, a detail pane, edit, delete with undo, and charts.

A pure view over plain rows (journal_model.py); the journal controller asks the service and hands the answers in.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from runcompanion.ui.common.item_views import current_follows_selection
from runcompanion.ui.common.widgets import TabLeavingDateEdit, heading, muted, named, wrapped
from runcompanion.ui.journal.journal_model import LIFT_CHOICES, FilterChoice, JournalDetail, JournalModel, JournalRow
from runcompanion.ui.journal.mood_strip import MoodDay, MoodStrip
from runcompanion.ui.journal.run_chart import RunChart

SIDE_BY_SIDE_PX = 900


class JournalPage(QWidget):
    """Signals carry plain values; the controller does the work."""

    filter_changed = Signal(object)  # FilterChoice
    entry_selected = Signal(int)  # run id
    edit_requested = Signal(int)
    delete_requested = Signal(int)
    export_run_requested = Signal(int)  # run id: as a FIT or TCX activity
    undo_requested = Signal()
    log_run_requested = Signal()
    export_requested = Signal(str)  # "csv" | "json" | "md"
    import_requested = Signal()
    charts_requested = Signal()
    more_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        top = QHBoxLayout()
        top.addWidget(heading("Journal"))
        top.addStretch(1)
        self.log_button = QPushButton("Log a run…")
        self.log_button.clicked.connect(self.log_run_requested)
        self.export_button = QPushButton("Export…")
        menu = QMenu(self.export_button)
        for fmt, words in (("csv", "Spreadsheet (CSV)"), ("json", "Full backup (JSON)"), ("md", "Readable (Markdown)")):
            action = menu.addAction(words)
            action.setData(fmt)
        menu.triggered.connect(lambda action: self.export_requested.emit(str(action.data())))
        self.export_button.setMenu(menu)
        self.import_button = QPushButton("Import…")
        self.import_button.clicked.connect(self.import_requested)
        for b in (self.log_button, self.export_button, self.import_button):
            top.addWidget(b)
        outer.addLayout(top)

        self.tabs = named(QTabWidget(), "Journal views")
        outer.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_entries(), "Entries")
        self.charts_holder = QStackedWidget()
        self.charts_holder.addWidget(muted("Charts appear here once a few runs have a reflection."))
        self.tabs.addTab(self.charts_holder, "Charts and insights")
        self.tabs.currentChanged.connect(lambda i: self.charts_requested.emit() if i == 1 else None)

        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("undoBar")
        self.undo_bar.setStyleSheet(
            "QFrame#undoBar { background: palette(highlight); border-radius: 6px; }"
            "QFrame#undoBar QLabel { color: palette(highlighted-text); }"
        )
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(12, 6, 12, 6)
        self.undo_label = QLabel("")
        self.undo_button = QPushButton("Undo")
        self.undo_button.clicked.connect(self.undo_requested)
        bar.addWidget(self.undo_label, 1)
        bar.addWidget(self.undo_button)
        self.undo_bar.hide()
        outer.addWidget(self.undo_bar)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(12_000)
        self._undo_timer.timeout.connect(self.undo_bar.hide)

    # Set up in _build_entries; declared here for resizeEvent, which comes first in this file.
    splitter: QSplitter
    _filter_rows: tuple[QHBoxLayout, QHBoxLayout]
    _choices_below: bool

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The table and the entry side by side need about 900 px; narrower, the entry goes under the table (at
        # 800 px the table scrolled sideways and cut its sessions' names: tests/gui/layout_check.py).
        wide = event.size().width() >= SIDE_BY_SIDE_PX
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        if self._choices_below == wide:  # the choice boxes move to the row this width wants
            source, target = self._filter_rows if wide is False else self._filter_rows[::-1]
            for box in (self.tag, self.session, self.lift):
                source.removeWidget(box)
                target.addWidget(box, 1)
            self._choices_below = not wide

    def _build_entries(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setAccessibleName("Search your reflections")
        self.search.setPlaceholderText("Search your reflections…")
        self.search.setClearButtonEnabled(True)
        self.date_from = TabLeavingDateEdit()
        self.date_to = TabLeavingDateEdit()
        self.date_from.setAccessibleName("From")
        self.date_to.setAccessibleName("To")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setSpecialValueText("any day")
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setDate(edit.minimumDate())
        self.tag = QComboBox()
        self.tag.addItem("Any tag", None)
        self.session = QComboBox()
        self.session.addItem("Any session", None)
        self.lift = QComboBox()
        for box, name in ((self.tag, "Tag"), (self.session, "Session"), (self.lift, "Change in feeling")):
            box.setAccessibleName(name)
        for key, words in LIFT_CHOICES:
            self.lift.addItem(words, key)
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("From"))
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("to"))
        filters.addWidget(self.date_to)
        # Wide, the choices follow the dates on one row; narrow, they get a row of their own (resizeEvent): on
        # one row at 800 px "Any session" was cut to "Any sessio".
        self._filter_rows = (filters, QHBoxLayout())
        self._choices_below = False
        for box in (self.tag, self.session, self.lift):
            filters.addWidget(box, 1)
        layout.addLayout(filters)
        layout.addLayout(self._filter_rows[1])
        self.mood = MoodStrip()
        self.mood.day_chosen.connect(self._day_chosen)
        layout.addWidget(self.mood)
        self._pending: int | None = None  # a day's run chosen on the strip, beyond the rows loaded so far

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(lambda: self.filter_changed.emit(self.filter_choice()))
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self._debounce.start())
        for combo in (self.tag, self.session, self.lift):
            combo.currentIndexChanged.connect(lambda _i: self._debounce.start())

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.model = JournalModel()
        self.table = QTableView()
        self.table.setAccessibleName("Journal entries")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it), or it traps the keyboard
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in (0, 2, 3, 4, 5, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        current_follows_selection(self.table)  # a screen reader picks an entry by selecting its row
        self.table.doubleClicked.connect(lambda index: self.edit_requested.emit(self.model.rows[index.row()].run_id))
        self.empty = muted("No runs yet. After your first run, it shows up here with how it went.")
        self.count = muted("")
        self.more_button = QPushButton("Show more")
        self.more_button.clicked.connect(self.more_requested)
        self.more_button.hide()
        ll.addWidget(self.empty)
        ll.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(self.more_button)
        ll.addLayout(row)
        splitter.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        self.detail_title = heading("", 15)
        self.detail_facts = QLabel("")
        self.detail_facts.setWordWrap(True)
        self.detail_prompt = muted("")
        self.detail_text = wrapped("")
        self.detail_tags = muted("")
        buttons = QHBoxLayout()
        self.edit_button = QPushButton("Edit reflection")
        self.delete_button = QPushButton("Delete")
        self.edit_button.clicked.connect(lambda: self._emit_for_current(self.edit_requested))
        self.delete_button.clicked.connect(lambda: self._emit_for_current(self.delete_requested))
        self.export_run_button = QPushButton("Export run…")
        self.export_run_button.setToolTip("As a FIT or TCX activity for Strava, Garmin Connect or intervals.icu")
        self.export_run_button.clicked.connect(lambda: self._emit_for_current(self.export_run_requested))
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.export_run_button)
        buttons.addStretch(1)
        self.run_chart = RunChart()  # pace and heart rate during the run, when its devices recorded them
        for w in (self.detail_title, self.detail_facts, self.run_chart, self.detail_prompt, self.detail_text):
            rl.addWidget(w)
        rl.addWidget(self.detail_tags)
        rl.addLayout(buttons)
        rl.addStretch(1)
        # The entry scrolls: under the table in a small window it has little height.
        entry = named(QScrollArea(), "Entry")
        entry.setWidgetResizable(True)
        entry.setFrameShape(QScrollArea.Shape.NoFrame)
        entry.setWidget(right)
        for filled in (entry.viewport(), right):  # the tab's own background shows through, as beside the table
            filled.setAutoFillBackground(False)
        splitter.addWidget(entry)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.show_detail(None)
        return page

    # --- what the controller calls --------------------------------------------------------------------------
    def set_choices(self, tags: list[str], sessions: list[tuple[str, str]]) -> None:
        """Tags and ``(session id, name)`` pairs for the filter boxes, keeping the current choice."""
        for combo, items in ((self.tag, [(t, t) for t in tags]), (self.session, [(n, i) for i, n in sessions])):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for words, data in items:
                combo.addItem(words, data)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def show_rows(self, rows: list[JournalRow], total: int) -> None:
        selected = self.current_run_id()
        self.model.set_rows(rows)
        self.empty.setVisible(total == 0)
        self.count.setText(f"{total} entr{'y' if total == 1 else 'ies'}" if total else "")
        self.more_button.setVisible(len(rows) < total)
        if self._pending is not None:
            if self.select(self._pending):
                self._pending = None
                return
            if len(rows) < total:
                self.more_requested.emit()  # until the strip's chosen entry is loaded
            else:
                self._pending = None
        # The entry shown may be gone (deleted, or filtered out): then the pane must not keep showing it with
        # working Edit and Delete buttons.
        if selected is None or not self.select(selected):
            self.show_detail(None)

    def select(self, run_id: int) -> bool:
        """Select ``run_id``'s row; False when it is not in the list."""
        for i, row in enumerate(self.model.rows):
            if row.run_id == run_id:
                self.table.selectRow(i)
                return True
        return False

    def current_run_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()].run_id if index.isValid() and index.row() < len(self.model.rows) else None

    def show_detail(self, detail: JournalDetail | None) -> None:
        has = detail is not None
        for w in (self.edit_button, self.delete_button, self.export_run_button):
            w.setEnabled(has)
        self.run_chart.show_samples(detail.samples if detail is not None else ())
        if detail is None:
            self.detail_title.setText("")
            self.detail_facts.setText("Choose an entry to read it.")
            for label in (self.detail_prompt, self.detail_text, self.detail_tags):
                label.setText("")
            return
        self.detail_title.setText(detail.title)
        self.detail_facts.setText("\n".join(detail.facts))
        self.detail_prompt.setText(detail.prompt)
        self.detail_text.setText(detail.text or ("(draft, not finished yet)" if detail.draft else ""))
        self.detail_tags.setText(detail.tags)
        self.edit_button.setText("Edit reflection" if detail.has_reflection else "Write a reflection")

    def show_undo(self, text: str) -> None:
        self.undo_label.setText(text)
        self.undo_bar.show()
        self._undo_timer.start()

    def hide_undo(self) -> None:
        self.undo_bar.hide()

    def show_charts(self, widget: QWidget) -> None:
        while self.charts_holder.count() > 1:
            old = self.charts_holder.widget(1)
            if old is None:
                break
            self.charts_holder.removeWidget(old)
            old.deleteLater()
        self.charts_holder.addWidget(widget)
        self.charts_holder.setCurrentWidget(widget)

    def filter_choice(self) -> FilterChoice:
        def day(edit: QDateEdit) -> dt.date | None:
            if edit.date() == edit.minimumDate():
                return None
            value = edit.date().toPython()
            return value if isinstance(value, dt.date) else None

        return FilterChoice(
            text=self.search.text().strip(),
            date_from=day(self.date_from),
            date_to=day(self.date_to),
            tag=self.tag.currentData(),
            session_id=self.session.currentData(),
            lift=str(self.lift.currentData()),
        )

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.mood.mark_run(self.model.rows[current.row()].run_id if current.isValid() else None)
        if current.isValid():
            self.entry_selected.emit(self.model.rows[current.row()].run_id)
        else:
            self.show_detail(None)

    def show_mood(self, days: list[MoodDay]) -> None:
        self.mood.set_days(days, journal_empty=self.empty.isVisibleTo(self))

    def _day_chosen(self, run_id: int) -> None:
        """A day chosen on the mood strip: its entry is selected in the list (more rows loaded if need be)."""
        if not self.select(run_id) and self.more_button.isVisible():
            self._pending = run_id
            self.more_requested.emit()

    def _emit_for_current(self, signal: SignalInstance) -> None:
        run_id = self.current_run_id()
        if run_id is not None:
            signal.emit(run_id)
