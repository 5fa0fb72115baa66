"""The Plan calendar's days in the theme's colours (ui/common/palette.py): planned runs, done ones, skipped ones
struck through, and the weekend's day names and numbers (Qt's own weekend red read at 4:1 on the dark calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget

from runcompanion.ui.common.palette import calendar_marks, colours, day_format


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def paint_days(
    calendar: QCalendarWidget,
    *,
    planned: Iterable[dt.date],
    done: Iterable[dt.date],
    skipped: Iterable[dt.date],
    previous: Iterable[QDate],
    dark: bool,
) -> list[QDate]:
    """Mark the days (a planned run wins over a done or skipped one on the same day), clearing ``previous``
    marks first; returns the days now marked, for the next call. ``dark`` is the page's theme: on a theme
    switch the page hears of it before the calendar inside it does."""
    for old in previous:
        calendar.setDateTextFormat(old, QTextCharFormat())
    weekend = QTextCharFormat()
    weekend.setForeground(QColor(colours(dark=dark).weekend))
    for weekday in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
        calendar.setWeekdayTextFormat(weekday, weekend)
    marks = calendar_marks(dark=dark)
    planned_days = {_qdate(d) for d in planned}
    marked = list(planned_days)
    for day in planned_days:
        calendar.setDateTextFormat(day, day_format(marks.planned))
    for days, look, strike in ((skipped, marks.skipped, True), (done, marks.done, False)):
        mark = day_format(look)
        mark.setFontStrikeOut(strike)
        for qday in (_qdate(d) for d in days):
            if qday not in planned_days:
                calendar.setDateTextFormat(qday, mark)
                marked.append(qday)
    return marked
