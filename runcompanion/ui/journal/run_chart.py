"""The journal detail's chart of one run: pace and heart rate over the run's time, from its samples
(core/run_samples.py). Hidden for a run without them.

QtCharts is heavy to import (ui/journal/charts.py), so the chart is built, and QtCharts loaded, only when an entry
with samples is first shown: the Journal page itself opens without it. Colours follow the theme in use (light or
dark) through charts.py's helpers; the chart's accessible name says what it is and its description sums it up in
words, for a screen reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from runcompanion.core.run_samples import RunSample

if TYPE_CHECKING:
    from PySide6.QtCharts import QChartView, QValueAxis

MIN_PACE_SPEED_KMH = 2.0
"""Below this the belt is starting or stopping: a pace of 30 min/km would flatten the line; left as a gap."""
MIN_POINTS = 2
MAX_TICKS = 6
"""Gridlines per axis at most; fewer, at round values, keep the labels readable in a narrow entry pane."""


def tick_step(span: float) -> float:
    """A round interval (0.5, 1, 2, 5, 10, ...) giving at most ``MAX_TICKS`` gridlines over ``span``.

    Qt's default divides the range evenly, which labelled the pace 9.7 and 11.5 min/km and the minutes 8, 15, 23:
    values no one reads at a glance."""
    scale = 1.0
    while True:
        for step in (0.5 * scale, 1.0 * scale, 2.0 * scale):
            if span / step <= MAX_TICKS:
                return step
        scale *= 10  # 0.5, 1, 2, then 5, 10, 20, then 50, 100, 200, ...


def _round_ticks(axis: QValueAxis, span: float) -> None:
    from PySide6.QtCharts import QValueAxis

    step = tick_step(span)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0.0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%.0f" if step >= 1 else "%.1f")


def pace_points(samples: Sequence[RunSample]) -> list[tuple[float, float]]:
    """(minutes into the run, pace in minutes per km), where the belt was moving."""
    return [
        (s.elapsed_s / 60, 60 / s.speed_kmh)
        for s in samples
        if s.speed_kmh is not None and s.speed_kmh >= MIN_PACE_SPEED_KMH
    ]


def heart_points(samples: Sequence[RunSample]) -> list[tuple[float, float]]:
    return [(s.elapsed_s / 60, float(s.heart_rate)) for s in samples if s.heart_rate is not None]


def _clock(minutes: float) -> str:
    seconds = round(minutes * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"


def summary(samples: Sequence[RunSample]) -> str:
    """The chart in words: the range of each line."""
    parts = []
    paces = [p for _, p in pace_points(samples)]
    if len(paces) >= MIN_POINTS:
        parts.append(f"pace from {_clock(min(paces))} to {_clock(max(paces))} min/km")
    hearts = [h for _, h in heart_points(samples)]
    if len(hearts) >= MIN_POINTS:
        parts.append(f"heart rate from {min(hearts):.0f} to {max(hearts):.0f} bpm")
    minutes = samples[-1].elapsed_s / 60 if samples else 0.0
    return f"Over {minutes:.0f} minutes of running: " + "; ".join(parts) + "." if parts else ""


def run_chart_view(samples: Sequence[RunSample]) -> QChartView:
    """Pace (left scale) and heart rate (right scale) against minutes of running."""
    from PySide6.QtCharts import QLineSeries, QValueAxis
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QColor

    from runcompanion.ui.journal.charts import _new_chart, _series_colours, _view  # one look for every chart

    chart = _new_chart()
    chart.setTitle("Pace and heart rate during this run")
    x = QValueAxis()
    x.setTitleText("minutes")
    x.setRange(0, max(1.0, samples[-1].elapsed_s / 60))
    _round_ticks(x, x.max())
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    colours = _series_colours()
    for name, colour, points, side, unit in (
        ("Pace (min/km)", colours.pace, pace_points(samples), Qt.AlignmentFlag.AlignLeft, "min/km"),
        ("Heart rate", colours.heart, heart_points(samples), Qt.AlignmentFlag.AlignRight, "bpm"),
    ):
        if len(points) < MIN_POINTS:
            continue
        line = QLineSeries()
        line.setName(name)
        line.setColor(QColor(colour))
        line.replace([QPointF(minute, value) for minute, value in points])
        chart.addSeries(line)
        y = QValueAxis()
        low, high = min(v for _, v in points), max(v for _, v in points)
        margin = max((high - low) * 0.15, 1.0)
        y.setRange(low - margin, high + margin)
        if unit == "min/km":
            y.setReverse(True)  # faster (a smaller pace) is higher, as runners read a pace chart
        y.setTitleText(unit)
        _round_ticks(y, y.max() - y.min())
        chart.addAxis(y, side)
        line.attachAxis(x)
        line.attachAxis(y)
    view = _view(chart)
    view.setAccessibleDescription(summary(samples))
    view.setMinimumHeight(240)
    return view


class RunChart(QWidget):
    """Holds the chart of the entry shown; empty and hidden for a run without samples."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.view: QChartView | None = None
        self.hide()

    def show_samples(self, samples: Sequence[RunSample]) -> None:
        if self.view is not None:
            self._layout.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None
        enough = len(pace_points(samples)) >= MIN_POINTS or len(heart_points(samples)) >= MIN_POINTS
        if enough:
            self.view = run_chart_view(samples)
            self._layout.addWidget(self.view)
        self.setVisible(enough)
