"""The Journal's mood strip: one colour a day for the last four weeks, as mood journals show them.

A day's colour is how its last run left the runner (the feeling after it, else the one before), on the Feeling
Scale from orange (bad) through grey (neutral) to blue (good); the colours come from ui/common/palette.py. A day
without a run is a thin line, a run without a feeling an outline.

Each day is a small button of its own, so a screen reader names it ("Tue 10 Nov: felt good (+3) after ...")
and its tooltip says the same. By keyboard the strip is one Tab stop, like a radio group: arrow keys, Home and
End move between days, Enter (or Space) shows that day's entry in the list. An empty strip says a kind sentence
instead of showing an empty box.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QSizePolicy, QWidget

from runcompanion.ui.common.palette import is_dark, mood_colour, mood_no_run
from runcompanion.ui.common.widgets import muted

DEFAULT_DAYS = 28
EMPTY_TEXT = "Your mood strip fills in as you run: each day takes the colour of how its run left you."
QUIET_TEXT = "No runs in these four weeks. Whenever you run again, that day takes its colour here."
DESCRIPTION = (
    "One colour a day, from how each run left you: orange for bad, grey for neutral, blue for good. "
    "Arrow keys move between days; Enter shows that day's entry in the list."
)


@dataclass(frozen=True, slots=True)
class MoodDay:
    """One day of the strip, in plain values (made by view_model.mood_days)."""

    day: dt.date
    feeling: int | None
    """The colour's feeling (Feeling Scale, -5 to +5); None when no run that day noted one."""
    run_ids: tuple[int, ...]
    """The day's runs, newest first; Enter shows the first."""
    text: str
    """The day in words: its tooltip and its accessible name."""
    today: bool = False


class DayCell(QAbstractButton):
    """One day, painted: the mood colour, an outline for a run without a feeling, a line for no run. The focus
    ring is the application's (ui/common/focus_ring.py), as on every other control."""

    def __init__(self, strip: MoodStrip) -> None:
        super().__init__(strip)
        self.day = MoodDay(dt.date.min, None, (), "")
        self.selected = False
        """The day of the entry shown in the list: outlined, so strip and list tell the same story."""
        self._strip = strip
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMaximumWidth(44)

    def set_day(self, day: MoodDay) -> None:
        self.day = day
        self.setAccessibleName(day.text)
        self.setToolTip(day.text)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(24, 28)

    def minimumSizeHint(self) -> QSize:
        return QSize(9, 28)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._strip.key(self, event):
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        dark = is_dark(palette)
        cell = QRectF(self.rect()).adjusted(1.5, 4.5, -1.5, -4.5)
        painter.setPen(Qt.PenStyle.NoPen)
        if self.day.feeling is not None:
            fill = mood_colour(self.day.feeling, dark=dark)
            painter.setBrush(fill)
            painter.drawRoundedRect(cell, 3, 3)
        elif self.day.run_ids:
            outline = QPen(palette.color(QPalette.ColorRole.PlaceholderText))
            outline.setWidthF(1.5)
            painter.setPen(outline)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(cell.adjusted(1, 1, -1, -1), 3, 3)
        else:
            painter.setBrush(mood_no_run(dark=dark))
            middle = cell.center().y()
            painter.drawRoundedRect(QRectF(cell.left(), middle - 1.5, cell.width(), 3), 1.5, 1.5)
        if self.day.today:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.WindowText))
            painter.drawRect(QRectF(cell.left(), self.height() - 2.5, cell.width(), 2))
        if self.selected:
            ring = QPen(palette.color(QPalette.ColorRole.WindowText))
            ring.setWidthF(1.5)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(cell.adjusted(-1.5, -1.5, 1.5, 1.5), 4, 4)
        painter.end()


class MoodLegend(QWidget):
    """A few steps of the scale between the words for its ends."""

    STEPS = (-5, -3, 0, 3, 5)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Mood colours: orange for bad, grey for neutral, blue for good")
        self.setFixedSize(len(self.STEPS) * 12, 14)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(Qt.PenStyle.NoPen)
        dark = is_dark(self.palette())
        for i, feeling in enumerate(self.STEPS):
            painter.setBrush(mood_colour(feeling, dark=dark))
            painter.drawRect(QRectF(i * 12 + 1, 1, 10, 12))
        painter.end()


class MoodStrip(QWidget):
    """``day_chosen`` carries the run id of the chosen day's newest run.

    The ``days`` cells are made once, with the strip: made later, they came after the journal's list in the Tab
    order (Qt's order is the order widgets are made in).
    """

    day_chosen = Signal(int)

    def __init__(self, days: int = DEFAULT_DAYS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Mood strip, the last four weeks")
        self.setAccessibleDescription(DESCRIPTION)
        self._pool = [DayCell(self) for _ in range(days)]
        self.cells: list[DayCell] = []
        self._current = 0
        self._shown_run: int | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        row.setSpacing(8)
        self.caption = QLabel("Last 4 weeks")
        self.caption.setToolTip(DESCRIPTION)
        row.addWidget(self.caption)
        cells = QHBoxLayout()
        cells.setSpacing(2)
        for i, cell in enumerate(self._pool):
            cells.addWidget(cell)
            cell.clicked.connect(lambda _checked=False, i=i: self._choose(i))
        row.addLayout(cells, 10)
        self.empty = muted(EMPTY_TEXT)
        row.addWidget(self.empty, 10)
        self.low = QLabel("Bad")
        self.legend = MoodLegend()
        self.high = QLabel("Good")
        for label in (self.caption, self.low, self.high):
            label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        for part in (self.low, self.legend, self.high):
            row.addWidget(part)
        row.addStretch(1)  # what the days cannot use (each is at most 44 px wide) goes after the legend
        self.set_days([], journal_empty=True)

    def set_days(self, days: list[MoodDay], *, journal_empty: bool = False) -> None:
        """Show ``days`` (oldest first, as many as the strip has cells); a sentence instead when none of them
        had a run."""
        if days and len(days) != len(self._pool):
            raise ValueError(f"the strip shows {len(self._pool)} days, not {len(days)}")
        focused = any(c.hasFocus() for c in self.cells)
        chosen = self.cells[self._current].day.day if self.cells else None
        self.cells = self._pool if any(d.run_ids for d in days) else []
        for cell, day in zip(self.cells, days, strict=False):
            cell.set_day(day)
            cell.selected = self._shown_run in day.run_ids
        for cell in self._pool:
            cell.setVisible(bool(self.cells))
        self.empty.setText(EMPTY_TEXT if journal_empty else QUIET_TEXT)
        self.empty.setVisible(not self.cells)
        for w in (self.caption, self.low, self.legend, self.high):
            w.setVisible(bool(self.cells))
        if self.cells:
            dates = [c.day.day for c in self.cells]
            with_run = [i for i, c in enumerate(self.cells) if c.day.run_ids]
            self._move(dates.index(chosen) if chosen in dates else with_run[-1], focus=focused)

    def mark_run(self, run_id: int | None) -> None:
        """Outline the day of ``run_id`` (the entry the list shows; None: none), and make it the strip's Tab stop
        unless the keyboard is on the strip already."""
        self._shown_run = run_id
        for cell in self.cells:
            selected = run_id is not None and run_id in cell.day.run_ids
            if selected != cell.selected:
                cell.selected = selected
                cell.update()
            if selected and not any(c.hasFocus() for c in self.cells):
                self._move(self.cells.index(cell), focus=False)

    def current_day(self) -> MoodDay | None:
        return self.cells[self._current].day if self.cells else None

    def key(self, cell: DayCell, event: QKeyEvent) -> bool:
        """Arrow keys, Home and End move between days; Enter and Space choose. True when the key was used."""
        k = Qt.Key
        i = self.cells.index(cell)
        moves = {k.Key_Left: i - 1, k.Key_Up: i - 1, k.Key_Right: i + 1, k.Key_Down: i + 1}
        moves |= {k.Key_Home: 0, k.Key_End: len(self.cells) - 1}
        key = Qt.Key(event.key())
        if key in moves:
            self._move(max(0, min(len(self.cells) - 1, moves[key])), focus=True)
            return True
        if key in (k.Key_Return, k.Key_Enter, k.Key_Space, k.Key_Select):
            self._choose(i)
            return True
        return False

    def _move(self, index: int, *, focus: bool) -> None:
        """``index`` becomes the strip's one Tab stop (as a radio group's checked button is)."""
        self._current = index
        for i, cell in enumerate(self.cells):
            cell.setFocusPolicy(Qt.FocusPolicy.StrongFocus if i == index else Qt.FocusPolicy.ClickFocus)
        if focus:
            self.cells[index].setFocus(Qt.FocusReason.TabFocusReason)

    def _choose(self, index: int) -> None:
        self._move(index, focus=self.cells[index].hasFocus() or self.hasFocus())
        runs = self.cells[index].day.run_ids
        if runs:
            self.day_chosen.emit(runs[0])
