from __future__ import annotations

import datetime as dt
import random

from PySide6.QtCharts import QLineSeries
from pytestqt.qtbot import QtBot

from runcompanion.ui.journal.chart_values import MAX_POINTS, weekly_means
from runcompanion.ui.journal.charts import feeling_chart

MONDAY = dt.datetime(2026, 11, 2, 7, 0)


def test_weekly_means_average_each_monday_to_sunday() -> None:
    pairs = [(MONDAY, 1), (MONDAY + dt.timedelta(days=6), 3), (MONDAY + dt.timedelta(days=7), -2)]
    assert weekly_means(pairs) == [
        (MONDAY.replace(hour=0), 2.0),
        (MONDAY.replace(hour=0) + dt.timedelta(weeks=1), -2.0),
    ]


def test_weekly_means_are_those_of_the_straightforward_grouping() -> None:
    # Each day's Monday is worked out once: the same weeks and means as run by run, naive or aware, and two
    # zones on the same date kept apart.
    def straightforward(pairs: list[tuple[dt.datetime, int]]) -> list[tuple[dt.datetime, float]]:
        weeks: dict[dt.datetime, list[int]] = {}
        for when, value in pairs:
            monday = (when - dt.timedelta(days=when.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
            weeks.setdefault(monday, []).append(value)
        return [(monday, sum(v) / len(v)) for monday, v in sorted(weeks.items())]

    rng = random.Random(7)
    naive = [(MONDAY + dt.timedelta(minutes=rng.randrange(60 * 24 * 120)), rng.randint(-5, 5)) for _ in range(3000)]
    naive.sort()
    assert weekly_means(naive) == straightforward(naive)
    plus_two, minus_five = dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=-5))
    aware = [(when.replace(tzinfo=plus_two if i % 2 else minus_five), v) for i, (when, v) in enumerate(naive)]
    assert weekly_means(aware) == straightforward(aware)
    assert len(weekly_means(aware)) > len(weekly_means(naive))  # the two zones' Mondays are different instants


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
