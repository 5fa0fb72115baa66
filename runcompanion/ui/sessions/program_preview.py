"""A program's weeks and runs, previewed from the Sessions screen without enrolling: choose a program, walk its
weeks and runs (a tree: arrow keys move, Right and Left open and close a week), and read the chosen run's
purpose, milestone and segments. Following a program is the Plan page's job; this only shows it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from runcompanion.core.program_model import Program, ProgramWeek
from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.units import SpeedUnit
from runcompanion.ui.common.widgets import format_minutes, heading, muted, wrapped
from runcompanion.ui.sessions.segment_table import fill_segment_table, segment_table, segments_line

_RUN_ROLE = Qt.ItemDataRole.UserRole


def _minutes_range(plans: Sequence[SessionPlan]) -> str:
    low, high = format_minutes(min(p.total_s for p in plans)), format_minutes(max(p.total_s for p in plans))
    return low if low == high else f"{low.removesuffix(' min')}–{high}"


def week_line(week: ProgramWeek) -> str:
    """``"3 runs · 25 min"``: a week at a glance."""
    count = len(week.runs)
    return f"{count} run{'s' if count != 1 else ''} · {_minutes_range(week.runs)}" if count else "no runs"


def program_line(program: Program) -> str:
    weeks = len(program.weeks)
    return (
        f"{weeks} week{'s' if weeks != 1 else ''} · {program.total_runs} runs · "
        f"{format_minutes(program.total_s)} of running and walking in all"
    )


class ProgramPreview(QDialog):
    """Read-only: nothing here enrols, books or changes anything."""

    def __init__(
        self,
        programs: Sequence[Program],
        units: SpeedUnit,
        *,
        chosen: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preview a program")
        self._programs = list(programs)
        self._units = units
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.program = QComboBox()
        self.program.setAccessibleName("Program")
        for p in self._programs:
            self.program.addItem(p.name, p.id)
        label = QLabel("Program")
        label.setBuddy(self.program)
        top.addWidget(label)
        top.addWidget(self.program, 1)
        outer.addLayout(top)
        self.overview = muted("")
        self.description = wrapped("")
        outer.addWidget(self.overview)
        outer.addWidget(self.description)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Weeks and runs")
        self.tree.setAccessibleDescription("Arrow keys move; Right opens a week, Left closes it.")
        self.tree.setHeaderLabels(["Week and run", "Time"])
        self.tree.setMinimumWidth(340)  # "Run 1 ★ · 8 × (1:00 Run, 1:30 Walk)" whole at 800 px
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.currentItemChanged.connect(lambda item, _old: self._show(item))
        splitter.addWidget(self.tree)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(12, 0, 0, 0)
        self.title = heading("", 15)
        self.title.setWordWrap(True)
        self.facts = muted("")
        self.milestone = wrapped("")
        self.purpose = wrapped("")
        self.segments = segment_table("Segments of this run")
        for w in (self.title, self.facts, self.milestone, self.purpose):
            dl.addWidget(w)
        dl.addWidget(self.segments, 1)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        outer.addWidget(splitter, 1)
        outer.addWidget(muted("To follow a program, choose it on the Plan page; this preview changes nothing."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        self.program.currentIndexChanged.connect(lambda _i: self._fill())
        self.program.setCurrentIndex(max(self.program.findData(chosen), 0) if chosen else 0)
        self._fill()
        self.resize(980, 640)

    def current_program(self) -> Program | None:
        i = self.program.currentIndex()
        return self._programs[i] if 0 <= i < len(self._programs) else None

    def current_run(self) -> SessionPlan | None:
        item = self.tree.currentItem()
        plan = item.data(0, _RUN_ROLE) if item is not None else None
        return plan if isinstance(plan, SessionPlan) else None

    def _fill(self) -> None:
        program = self.current_program()
        self.tree.clear()
        if program is None:
            self.overview.setText("No programs are installed.")
            self.description.setText("")
            self._show(None)
            return
        self.overview.setText(program_line(program))
        self.description.setText(program.description)
        first: QTreeWidgetItem | None = None
        for week in program.weeks:
            week_item = QTreeWidgetItem([f"Week {week.number}  ·  {week_line(week)}", ""])
            week_item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"Week {week.number}, {week_line(week)}")
            self.tree.addTopLevelItem(week_item)
            for number, plan in enumerate(week.runs, start=1):
                milestone = " ★" if plan.id in program.milestones else ""
                run_item = QTreeWidgetItem([f"Run {number}{milestone}  ·  {segments_line(plan, ends=False)}", ""])
                run_item.setText(1, format_minutes(plan.total_s))
                run_item.setToolTip(0, segments_line(plan))
                run_item.setData(0, _RUN_ROLE, plan)
                named = f", a milestone: {program.milestones[plan.id].name}" if milestone else ""
                run_item.setData(
                    0, Qt.ItemDataRole.AccessibleTextRole, f"Run {number}, {format_minutes(plan.total_s)}{named}"
                )
                week_item.addChild(run_item)
                first = first or run_item
        top = self.tree.topLevelItem(0)
        if top is not None:
            top.setExpanded(True)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _show(self, item: QTreeWidgetItem | None) -> None:
        plan = item.data(0, _RUN_ROLE) if item is not None else None
        program = self.current_program()
        if not isinstance(plan, SessionPlan) or program is None:
            index = self.tree.indexOfTopLevelItem(item) if item is not None else -1
            week = program.weeks[index] if program is not None and 0 <= index < len(program.weeks) else None
            self.title.setText(f"Week {week.number}" if week else "")
            self.facts.setText(week_line(week) if week else "")
            self.milestone.hide()
            self.purpose.setText(week.description if week else "")
            self.segments.setRowCount(0)
            return
        self.title.setText(plan.name)
        self.facts.setText(f"{format_minutes(plan.total_s)} · {len(plan.segments)} segments")
        milestone = program.milestones.get(plan.id)
        self.milestone.setText(f"★ A milestone: {milestone.name}." if milestone else "")
        self.milestone.setVisible(milestone is not None)
        self.purpose.setText(plan.description)
        fill_segment_table(self.segments, plan, self._units)
