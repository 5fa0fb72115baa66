"""Today: what to do now. The next run with one big Start button, this week so far, the last runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from runcompanion.ui.common.widgets import Card, heading, muted, wrapped

if TYPE_CHECKING:  # the page is on the first frame: storage and services are imported later, on a worker
    from runcompanion.services.overview import Overview


@dataclass(frozen=True, slots=True)
class ProgramLine:
    """One program followed now, as Today shows it (phone running apps show the same: week, ticks, next)."""

    title: str  # "Couch to 5K · week 3 of 9"
    ticks: str  # "✓ Run 1   ✓ Run 2   ○ Run 3"
    ticks_spoken: str  # "Week 3: run 1 done, run 2 done, run 3 to do"
    next_line: str  # "Next: Week 3 · Run 3, Wed 18:00" / "All runs done. Well done."
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class TodaySummary:
    """What the Today page shows; built by the window from services, so the page never touches storage."""

    next_title: str  # "First walk-run" or "" when nothing is suggested
    next_detail: str  # "Today at 18:00 · 20 min" / "Nothing planned yet: ..."
    next_session_id: str | None
    week_minutes: int
    week_runs: int
    recent: list[str]  # one line per recent run, newest first
    streak_weeks: int = 0
    missed: int = 0
    programs: list[ProgramLine] = field(default_factory=list)


class TodayPage(QWidget):
    """``start_requested`` carries a session id; ``browse_requested`` asks for the Sessions page."""

    start_requested = Signal(str)
    browse_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_id: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(16)
        outer.addWidget(heading("Today"))

        grid = QGridLayout()
        grid.setSpacing(16)

        self.next_card = Card("Next run")
        self.next_title = heading("", 20)
        # Read at a glance, not copied; and a selectable label would cost the first frame 16 ms (widgets.py).
        self.next_detail = wrapped("", selectable=False)
        buttons = QHBoxLayout()
        self.start_button = QPushButton("Start")
        self.start_button.setMinimumSize(180, 56)
        self.start_button.setStyleSheet(
            "QPushButton { font-size: 18px; font-weight: bold; background: palette(highlight);"
            " color: palette(highlighted-text); border: none; border-radius: 8px; padding: 0 24px; }"
            "QPushButton:disabled { background: palette(mid); color: palette(placeholder-text); }"
        )
        self.start_button.clicked.connect(self._start)
        self.browse_button = QPushButton("Choose another session…")
        self.browse_button.setMinimumHeight(56)
        self.browse_button.clicked.connect(self.browse_requested)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.browse_button)
        buttons.addStretch(1)
        self.next_card.body.addWidget(self.next_title)
        self.next_card.body.addWidget(self.next_detail)
        self.next_card.body.addLayout(buttons)
        grid.addWidget(self.next_card, 0, 0, 1, 2)

        self.program_card = Card("Your program")
        self.program_title = heading("", 16)
        self.program_ticks = QLabel("")
        ticks_font = self.program_ticks.font()
        ticks_font.setPixelSize(18)
        self.program_ticks.setFont(ticks_font)
        self.program_next = wrapped("", selectable=False)
        self.program_bar = QProgressBar()
        self.program_bar.setTextVisible(True)
        self.program_bar.setFormat("%v of %m runs done")
        self.program_bar.setAccessibleName("Program progress")
        for w in (self.program_title, self.program_ticks, self.program_next, self.program_bar):
            self.program_card.body.addWidget(w)
        self.program_card.hide()
        grid.addWidget(self.program_card, 1, 0, 1, 2)

        self.week_card = Card("This week")
        self.week_minutes = heading("0 min", 26)
        self.week_runs = muted("")
        self.week_card.body.addWidget(self.week_minutes)
        self.week_card.body.addWidget(self.week_runs)
        self.streak = muted("")
        self.week_card.body.addWidget(self.streak)
        self.week_card.body.addStretch(1)
        grid.addWidget(self.week_card, 2, 0)

        self.recent_card = Card("Recent runs")
        self.recent = QLabel("")
        self.recent.setWordWrap(True)
        self.recent_card.body.addWidget(self.recent)
        self.recent_card.body.addStretch(1)
        grid.addWidget(self.recent_card, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 2)

        outer.addLayout(grid)
        outer.addStretch(1)

    def show_summary(self, summary: TodaySummary) -> None:
        self._session_id = summary.next_session_id
        self.next_title.setText(summary.next_title or "Ready when you are")
        self.next_detail.setText(summary.next_detail)
        self.start_button.setEnabled(summary.next_session_id is not None)
        self.week_minutes.setText(f"{summary.week_minutes} min")
        runs = summary.week_runs
        self.week_runs.setText(
            f"{runs} run{'s' if runs != 1 else ''} since Monday." if runs else "No runs yet this week. Any step counts."
        )
        self.recent.setText("\n".join(summary.recent) if summary.recent else "Your runs will appear here.")
        weeks = summary.streak_weeks
        self.streak.setText(f"{weeks} week{'s' if weeks != 1 else ''} in a row with a run." if weeks >= 2 else "")
        self._show_programs(summary.programs)
        if summary.missed:
            word = "run" if summary.missed == 1 else "runs"
            self.next_detail.setText(
                f"{summary.next_detail}\n{summary.missed} planned {word} went by. That's fine: "
                "life happens. Move or skip it in Plan, or simply start the next one."
            )

    def _show_programs(self, lines: list[ProgramLine]) -> None:
        self.program_card.setVisible(bool(lines))
        if not lines:
            return
        first = lines[0]  # one program is the usual case; more are listed by name in the title
        others = [line.title.split(" · ")[0] for line in lines[1:]]
        self.program_title.setText(first.title + (f" (also: {', '.join(others)})" if others else ""))
        self.program_ticks.setText(first.ticks)
        self.program_ticks.setAccessibleName(first.ticks_spoken)
        self.program_next.setText(first.next_line)
        self.program_bar.setMaximum(max(first.total, 1))
        self.program_bar.setValue(first.done)

    def _start(self) -> None:
        if self._session_id is not None:
            self.start_requested.emit(self._session_id)


def program_lines(overview: Overview, when: Callable[[dt.datetime], str]) -> list[ProgramLine]:
    """Today's lines for the programs followed now: week, a tick per run of this week, what is next."""
    lines = []
    marks = {"done": "✓", "skipped": "–"}
    for p in overview.programs:
        week_runs = sorted(overview.program_weeks.get(p.enrolment.id, []), key=lambda r: r.run_number or 0)
        ticks = "   ".join(f"{marks.get(r.status, '○')} Run {r.run_number}" for r in week_runs)
        words = {"done": "done", "skipped": "skipped"}
        spoken = ", ".join(f"run {r.run_number} {words.get(r.status, 'to do')}" for r in week_runs)
        if p.next_run is not None:
            next_line = f"Next: {p.next_run.title}, {when(p.next_run.due_at)}"
        else:
            next_line = "Every run of the program is done or skipped. Well done for showing up."
        week = f"week {p.current_week} of {p.weeks}" if p.current_week else f"{p.weeks} weeks"
        lines.append(
            ProgramLine(
                title=f"{p.program_name} · {week}",
                ticks=ticks,
                ticks_spoken=f"Week {p.current_week}: {spoken}" if spoken else "",
                next_line=next_line,
                done=p.done,
                total=p.total,
            )
        )
    return lines
