"""Charts of the journal (QtCharts): feeling before and after over time, weekly minutes, and the average lift
by session kind and by time of day, under the insights in plain words.

Built from plain values (ui/journal/chart_values.py, made on the worker); loaded only when the Charts tab is first
opened (QtCharts is heavy to import).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from runcompanion.ui.common.palette import ChartColours, chart_colours, is_dark
from runcompanion.ui.common.widgets import heading, muted
from runcompanion.ui.journal.chart_values import ChartData, FeelingLines, feeling_lines


def _series_colours() -> ChartColours:
    """The series colours of the theme in use (ui/common/palette.py)."""
    return chart_colours(dark=is_dark(QApplication.palette()))


def _new_chart() -> QChart:
    """A chart in the window's colours: the theme first (it resets series colours, so series come after), then
    the background, text and grid from the application palette, the one source of the app's colours."""
    chart = QChart()
    palette = QApplication.palette()
    dark = is_dark(palette)
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
    chart.setTitleBrush(palette.color(QPalette.ColorRole.WindowText))
    chart.legend().setLabelColor(palette.color(QPalette.ColorRole.WindowText))
    return chart


def _axis_colours(chart: QChart) -> None:
    palette = QApplication.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    grid = palette.color(QPalette.ColorRole.AlternateBase)
    for axis in chart.axes():
        axis.setLabelsColor(text)
        axis.setTitleBrush(text)
        axis.setGridLineColor(grid)


def _view(chart: QChart) -> QChartView:
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setBackgroundRoundness(6)
    _axis_colours(chart)
    view = QChartView(chart)
    view.setAccessibleName(chart.title())
    view.setAccessibleDescription("A chart; the same figures are in the insights above and in the journal's list.")
    # The view takes focus; its viewport took it too, and a screen reader met it as a second, nameless stop.
    view.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(300)
    return view


def _ms(when: dt.datetime) -> float:
    return when.timestamp() * 1000.0


def feeling_chart(
    points: list[tuple[dt.datetime, int | None, int | None]], lines: FeelingLines | None = None
) -> QChartView:
    """``lines``: ``feeling_lines(points)``, when made already (off the GUI thread)."""
    if lines is None:
        lines = feeling_lines(points)
    chart = _new_chart()
    chart.setTitle("How you felt, before and after" + (" (weekly averages)" if lines.weekly else ""))
    series = []
    colours = _series_colours()
    for name, colour, shown in (("Before", colours.before, lines.before), ("After", colours.after, lines.after)):
        line = QLineSeries()
        line.setName(name)
        line.setColor(QColor(colour))
        line.setPointsVisible(True)
        line.replace([QPointF(_ms(when), value) for when, value in shown])
        series.append(line)
    for s in series:
        chart.addSeries(s)
    x = QDateTimeAxis()
    x.setFormat("d MMM")
    if points:
        x.setRange(
            QDateTime.fromMSecsSinceEpoch(int(_ms(points[0][0]))),
            QDateTime.fromMSecsSinceEpoch(int(_ms(points[-1][0])) + 1),
        )
    y = QValueAxis()
    y.setRange(-5, 5)
    # Labels at -5, 0 and +5 with a minor tick at each point: eleven labels did not fit the chart's height and
    # QtCharts showed "…" instead of numbers.
    y.setTickType(QValueAxis.TickType.TicksDynamic)
    y.setTickAnchor(0)
    y.setTickInterval(5)
    y.setMinorTickCount(4)
    y.setLabelFormat("%.0f")
    y.setTitleText("Feeling Scale")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for s in series:
        s.attachAxis(x)
        s.attachAxis(y)
    return _view(chart)


MIN_RUNNING_POINTS = 2


def running_chart(points: list[tuple[dt.datetime, float | None, int | None]]) -> QChartView | QLabel:
    """Pace and average heart rate per run, on two scales; a sentence until two runs have either."""
    paces = [(when, pace) for when, pace, _ in points if pace is not None]
    hearts = [(when, float(bpm)) for when, _, bpm in points if bpm is not None]
    if max(len(paces), len(hearts)) < MIN_RUNNING_POINTS:
        return muted("Pace and heart rate over time appear after two runs with a treadmill or a heart-rate strap.")
    chart = _new_chart()
    chart.setTitle("Pace and heart rate, run by run")
    x = QDateTimeAxis()
    x.setFormat("d MMM")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    colours = _series_colours()
    for name, colour, pairs, side, unit in (
        ("Pace (min/km)", colours.pace, paces, Qt.AlignmentFlag.AlignLeft, "min/km"),
        ("Average heart rate", colours.heart, hearts, Qt.AlignmentFlag.AlignRight, "bpm"),
    ):
        if not pairs:
            continue
        line = QLineSeries()
        line.setName(name)
        line.setColor(QColor(colour))
        line.setPointsVisible(True)
        line.replace([QPointF(_ms(when), value) for when, value in pairs])
        chart.addSeries(line)
        y = QValueAxis()
        low, high = min(v for _, v in pairs), max(v for _, v in pairs)
        margin = max((high - low) * 0.15, 1.0)
        y.setRange(low - margin, high + margin)
        y.setTitleText(unit)
        y.setLabelFormat("%.1f" if unit == "min/km" else "%.0f")
        chart.addAxis(y, side)
        line.attachAxis(x)
        line.attachAxis(y)
    whens = [when for when, _, _ in points]
    x.setRange(
        QDateTime.fromMSecsSinceEpoch(int(_ms(min(whens)))), QDateTime.fromMSecsSinceEpoch(int(_ms(max(whens))) + 1)
    )
    return _view(chart)


def _bar_chart(
    title: str, *, name: str, labels: list[str], values: list[float], colour: str, y_title: str
) -> QChartView:
    chart = _new_chart()
    chart.setTitle(title)
    bars = QBarSet(name)
    bars.setColor(QColor(colour))
    bars.append(values)
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    x = QBarCategoryAxis()
    x.append(labels)
    y = QValueAxis()
    low = min([0.0, *values])
    high = max([1.0, *values])
    y.setRange(low, high * 1.15 if high > 0 else 1.0)
    y.applyNiceNumbers()  # ticks on round values (0, 25, 50, ...), not 23, 46, 69
    y.setTitleText(y_title)
    y.setLabelFormat("%.1f" if high < 10 else "%.0f")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    chart.legend().setVisible(False)
    return _view(chart)


class JournalCharts(QScrollArea):
    def __init__(self, data: ChartData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Charts and insights")  # it takes focus to scroll: a screen reader says this
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        self.setWidget(inner)
        layout = QVBoxLayout(inner)
        layout.addWidget(heading("What running does for you", 15))
        if data.insights:
            for text in data.insights:
                label = QLabel(f"• {text}")
                label.setWordWrap(True)
                label.setObjectName("insight")
                layout.addWidget(label)
        else:
            layout.addWidget(
                muted("Insights appear once there are enough runs with a feeling before and after to say something.")
            )
        grid = QGridLayout()
        colours = _series_colours()
        self.feelings = feeling_chart(data.feelings, data.lines)
        weeks = data.weekly_minutes
        while len(weeks) > 1 and weeks[0][1] <= 0:
            weeks = weeks[1:]  # the weeks before the first run say nothing
        self.weekly = _bar_chart(
            "Minutes each week",
            name="Minutes",
            labels=[f"{d.day} {d:%b}" for d, _ in weeks],
            values=[m for _, m in weeks],
            colour=colours.minutes,
            y_title="minutes",
        )
        self.by_kind = _bar_chart(
            "Average lift by kind of session",
            name="Lift",
            labels=[label for label, _, _ in data.lift_by_kind],
            values=[v for _, v, _ in data.lift_by_kind],
            colour=colours.after,
            y_title="lift",
        )
        self.by_time = _bar_chart(
            "Average lift by time of day",
            name="Lift",
            labels=[f"{label} ({n} runs)" for label, _, n in data.lift_by_time],
            values=[v for _, v, _ in data.lift_by_time],
            colour=colours.before,
            y_title="lift",
        )
        grid.addWidget(self.feelings, 0, 0, 1, 2)
        grid.addWidget(self.weekly, 1, 0, 1, 2)
        # One chart a row: side by side, their bar labels were cut ("Begi…", "Afternoo…").
        grid.addWidget(self.by_kind, 2, 0, 1, 2)
        grid.addWidget(self.by_time, 3, 0, 1, 2)
        self.running = running_chart(data.running)
        grid.addWidget(self.running, 4, 0, 1, 2)
        layout.addLayout(grid, 1)
