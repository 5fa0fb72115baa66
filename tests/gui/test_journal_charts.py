from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QLineSeries
from pytestqt.qtbot import QtBot

from runcompanion.ui.journal.charts import MAX_POINTS, feeling_chart, weekly_means

MONDAY = dt.datetime(2026, 11, 2, 7, 0)


def test_weekly_means_average_each_monday_to_sunday() -> None:
    pairs = [(MONDAY, 1), (MONDAY + dt.timedelta(days=6), 3), (MONDAY + dt.timedelta(days=7), -2)]
    assert weekly_means(pairs) == [
        (MONDAY.replace(hour=0), 2.0),
        (MONDAY.replace(hour=0) + dt.timedelta(weeks=1), -2.0),
    ]


def test_many_runs_are_drawn_as_weekly_averages(qtbot: QtBot) -> None:
    points: list[tuple[dt.datetime, int | None, int | None]] = [
        (MONDAY + dt.timedelta(hours=12 * i), -1, 2) for i in range(MAX_POINTS * 3)
    ]
    view = feeling_chart(points)
    qtbot.addWidget(view)
    before = view.chart().series()[0]
    assert isinstance(before, QLineSeries)
    assert before.count() == len({(p[0] - dt.timedelta(days=p[0].weekday())).date() for p in points})
    assert "weekly" in view.chart().title()


def test_few_runs_are_drawn_one_point_each(qtbot: QtBot) -> None:
    points: list[tuple[dt.datetime, int | None, int | None]] = [
        (MONDAY + dt.timedelta(days=i), 0, 1) for i in range(10)
    ]
    view = feeling_chart(points)
    qtbot.addWidget(view)
    drawn = view.chart().series()[1]
    assert isinstance(drawn, QLineSeries)
    assert drawn.count() == 10
