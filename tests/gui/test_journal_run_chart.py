"""The journal detail's chart of one run: pace and heart rate over its time, from samples in the real SQLite file,
in the light and the dark theme, named for a screen reader; no chart for a run without samples."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCharts import QLineSeries, QValueAxis
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.core.run_samples import RunSample
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.journal.run_chart import MAX_TICKS, tick_step
from runcompanion.ui.shell.gui_app import GuiApp
from tests.gui.test_journal_screen import _finished_run

# Twenty minutes: a walk at 5 km/h (12 min/km), then a run at 10 km/h (6 min/km), the heart following.
SAMPLES = tuple(
    RunSample(
        float(t),
        5.0 if t < 600 else 10.0,
        1.0,
        t * (5.0 if t < 600 else 10.0) / 3.6,
        100 + t // 20 if t < 600 else 130 + (t - 600) // 30,
    )
    for t in range(5, 1200, 5)
)


@pytest.fixture
def light(qapp: QApplication) -> Iterator[None]:
    apply_theme(qapp, Theme.LIGHT)
    yield
    apply_theme(qapp, Theme.LIGHT)


def _open(qtbot: QtBot, gui: GuiApp, row_of: int) -> None:
    gui.window.show_section("Journal")
    page = gui.pages.journal
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    for i, row in enumerate(page.model.rows):
        if row.run_id == row_of:
            page.table.selectRow(i)
    qtbot.waitUntil(lambda: page.current_run_id() == row_of and page.detail_title.text() != "", timeout=5_000)


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_a_run_with_samples_shows_pace_and_heart_rate_over_its_time(
    qtbot: QtBot, gui: GuiApp, qapp: QApplication, light: None, theme: Theme
) -> None:
    apply_theme(qapp, theme)
    assert gui.services is not None
    with_samples = _finished_run(gui, 1, "Walked, then ran", before=0, after=3, tags=())
    without = _finished_run(gui, 2, "No devices", before=0, after=1, tags=())
    gui.services.run_figures.add_samples(with_samples, SAMPLES)
    _open(qtbot, gui, with_samples)
    chart = gui.pages.journal.run_chart
    qtbot.waitUntil(lambda: chart.view is not None and chart.isVisible(), timeout=5_000)
    view = chart.view
    assert view is not None
    assert view.accessibleName() == "Pace and heart rate during this run"
    assert view.accessibleDescription() == (
        "Over 20 minutes of running: pace from 6:00 to 12:00 min/km; heart rate from 100 to 149 bpm."
    )
    pace, heart = (s for s in view.chart().series() if isinstance(s, QLineSeries))
    assert pace.name() == "Pace (min/km)"
    assert len(pace.points()) == len(SAMPLES)
    assert pace.points()[0].y() == pytest.approx(12.0)
    assert pace.points()[-1].y() == pytest.approx(6.0)
    assert [p.y() for p in heart.points()] == [float(s.heart_rate or 0) for s in SAMPLES]
    assert pace.points()[-1].x() == pytest.approx(SAMPLES[-1].elapsed_s / 60)
    pace_axis = next(a for a in pace.attachedAxes() if isinstance(a, QValueAxis) and a.titleText() == "min/km")
    assert pace_axis.isReverse()  # faster is higher
    # Gridlines at round values (6, 8, 10, 12 min/km; 0, 5, ... minutes), not the range cut into equal parts.
    assert pace_axis.tickType() == QValueAxis.TickType.TicksDynamic
    assert (pace_axis.tickAnchor(), pace_axis.tickInterval(), pace_axis.labelFormat()) == (0.0, 2.0, "%.0f")
    minutes_axis = next(a for a in pace.attachedAxes() if isinstance(a, QValueAxis) and a.titleText() == "minutes")
    assert (minutes_axis.tickType(), minutes_axis.tickInterval()) == (QValueAxis.TickType.TicksDynamic, 5.0)
    base = qapp.palette().color(QPalette.ColorRole.Base)
    assert view.chart().backgroundBrush().color() == base  # the theme in use, light or dark
    assert (base.lightness() < 128) == (theme is Theme.DARK)

    _open(qtbot, gui, without)
    qtbot.waitUntil(lambda: not chart.isVisible(), timeout=5_000)
    assert chart.view is None


@pytest.mark.parametrize(
    ("span", "step"), [(1.0, 0.5), (3.0, 0.5), (3.5, 1.0), (8.0, 2.0), (13.0, 5.0), (31.0, 10.0), (90.0, 20.0)]
)
def test_gridlines_come_at_round_steps_and_at_most_six(span: float, step: float) -> None:
    assert tick_step(span) == step
    assert span / step <= MAX_TICKS


def test_the_journal_page_opens_without_loading_qtcharts_for_a_run_without_samples() -> None:
    # A fresh process: the Journal page (and the chart's holder) is built, QtCharts stays unloaded.
    import subprocess
    import sys

    code = (
        "import sys; from PySide6.QtWidgets import QApplication; app = QApplication(['t', '-platform', 'offscreen']);"
        "from runcompanion.ui.journal.run_chart import RunChart; c = RunChart(); c.show_samples(());"
        "print('PySide6.QtCharts' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "False"
