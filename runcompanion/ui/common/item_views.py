"""Lists and tables that a screen reader can operate as well as a mouse or the keyboard."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QCalendarWidget, QWidget


def current_follows_selection(view: QAbstractItemView) -> None:
    """Make ``view``'s current row follow a single selected row.

    The pages react to the current row (``currentRowChanged``), which a click or an arrow key moves together with
    the selection. A screen reader picks a row through the view's Selection interface on the accessibility bus
    (or an item's Toggle action): that moves only the selection, and the page stayed where it was
    (tests/a11y/test_accessibility_bus.py). Call it after the view has its model.
    """

    def follow() -> None:
        rows = {index.row() for index in view.selectionModel().selectedIndexes()}
        current = view.currentIndex()
        if len(rows) == 1 and not (current.isValid() and current.row() in rows):
            view.setCurrentIndex(view.model().index(next(iter(rows)), 0))

    view.selectionModel().selectionChanged.connect(follow)


def name_calendar(calendar: QCalendarWidget, name: str) -> None:
    """Names for a calendar and the parts Qt builds inside it, which it leaves nameless: a screen reader said
    "table" and, for the month arrows, only "button"."""
    calendar.setAccessibleName(name)
    for part, words in (("prevmonth", "Previous month"), ("nextmonth", "Next month"), ("calendarview", "Days")):
        qt_part = calendar.findChild(QWidget, f"qt_calendar_{part}")
        if qt_part is not None:
            qt_part.setAccessibleName(words)
