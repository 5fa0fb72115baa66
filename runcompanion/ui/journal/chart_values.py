"""What the journal's charts draw, as plain values (no Qt): made on the worker that reads the journal, so the GUI
thread only builds the charts from them (ui/journal/charts.py).

With 10,000 runs, averaging the feelings by week and sorting the lifts by kind took 20 ms on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MAX_POINTS = 160
"""Beyond this many runs the chart shows weekly averages: a point per run would be unreadable, and drawing
ten thousand markers took over a second on the GUI thread."""


@dataclass(frozen=True, slots=True)
class FeelingLines:
    """The two lines of the feelings chart: a point per run, or per week (``weekly``) beyond ``MAX_POINTS``."""

    weekly: bool
    before: list[tuple[dt.datetime, float]]
    after: list[tuple[dt.datetime, float]]


@dataclass(frozen=True, slots=True)
class ChartData:
    feelings: list[tuple[dt.datetime, int | None, int | None]]  # when, before, after
    weekly_minutes: list[tuple[dt.date, float]]
    lift_by_kind: list[tuple[str, float, int]]  # label, average lift, runs
    lift_by_time: list[tuple[str, float, int]]
    insights: list[str]
    running: list[tuple[dt.datetime, float | None, int | None]] = field(default_factory=list)
    """when, pace in minutes per km, average heart rate: runs with a treadmill or a strap (docs/devices.md)."""
    lines: FeelingLines | None = None
    """``feeling_lines(feelings)`` when already made (on the worker); None: made when the chart is built."""


def weekly_means(pairs: list[tuple[dt.datetime, int]]) -> list[tuple[dt.datetime, float]]:
    """The average per week (Monday 00:00), oldest first."""
    weeks: dict[dt.datetime, list[int]] = {}
    mondays: dict[tuple[dt.date, dt.tzinfo | None], dt.datetime] = {}  # many runs share a day
    for when, value in pairs:
        day = (when.date(), when.tzinfo)
        monday = mondays.get(day)
        if monday is None:
            monday = (when - dt.timedelta(days=when.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
            mondays[day] = monday
        weeks.setdefault(monday, []).append(value)
    return [(monday, sum(v) / len(v)) for monday, v in sorted(weeks.items())]


def feeling_lines(points: list[tuple[dt.datetime, int | None, int | None]]) -> FeelingLines:
    weekly = len(points) > MAX_POINTS
    before = [(when, b) for when, b, _ in points if b is not None]
    after = [(when, a) for when, _, a in points if a is not None]
    if weekly:
        return FeelingLines(True, weekly_means(before), weekly_means(after))
    return FeelingLines(False, [(when, float(v)) for when, v in before], [(when, float(v)) for when, v in after])
