"""What the palette module says is what the screens show, in the theme in use, switches included: the Plan
calendar's marks, the charts' lines, hints and error text (ui/common/palette.py is the one source of colours)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCharts import QLineSeries
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.ui.common import palette
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.common.widgets import error_text, muted
from runcompanion.ui.journal.charts import feeling_chart
from runcompanion.ui.run.segment_bar import SegmentBar
from runcompanion.ui.shell.gui_app import GuiApp


@pytest.fixture
def light_again(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    apply_theme(qapp, Theme.LIGHT)


def _switch(qtbot: QtBot, gui: GuiApp, theme: Theme) -> None:
    assert gui.shell is not None
    gui.shell.update_settings(gui.shell.settings.with_changes(theme=theme, welcomed=True))
    qtbot.waitUntil(lambda: palette.is_dark(QApplication.palette()) == (theme is Theme.DARK))


def test_calendar_marks_follow_a_theme_switch(qtbot: QtBot, gui: GuiApp, light_again: QApplication) -> None:
    assert gui.services is not None
    start = dt.date.today() + dt.timedelta(days=1)
    enrolled = gui.services.plan.enrol("c25k", start, ("mon", "wed", "sat"), dt.time(18, 0))
    gui.window.show_section("Plan")
    page = gui.pages.plan
    qtbot.waitUntil(lambda: page.upcoming.count() > 0, timeout=10_000)
    due = enrolled.runs[0].due_at
    day = QDate(due.year, due.month, due.day)

    def mark() -> tuple[QColor, QColor]:
        look = page.calendar.dateTextFormat(day)
        return look.foreground().color(), look.background().color()

    def sunday() -> QColor:
        return page.calendar.weekdayTextFormat(Qt.DayOfWeek.Sunday).foreground().color()

    light = palette.calendar_marks(dark=False).planned
    assert mark() == (QColor(light.text), QColor(light.background))
    assert sunday() == QColor(palette.LIGHT.weekend)
    _switch(qtbot, gui, Theme.DARK)
    dark = palette.calendar_marks(dark=True).planned
    qtbot.waitUntil(lambda: mark() == (QColor(dark.text), QColor(dark.background)))
    # Qt's own weekend red was 4:1 on the dark calendar; the palette's lighter red reads.
    assert sunday() == QColor(palette.DARK.weekend)
    _switch(qtbot, gui, Theme.LIGHT)
    qtbot.waitUntil(lambda: mark() == (QColor(light.text), QColor(light.background)))


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_chart_lines_come_from_the_palette(qtbot: QtBot, light_again: QApplication, theme: Theme) -> None:
    apply_theme(light_again, theme)
    when = dt.datetime(2026, 11, 2, 7, 0)
    view = feeling_chart([(when + dt.timedelta(days=i), -1, 2) for i in range(5)])
    qtbot.addWidget(view)
    expected = palette.chart_colours(dark=theme is Theme.DARK)
    before, after = view.chart().series()
    assert isinstance(before, QLineSeries)
    assert isinstance(after, QLineSeries)
    assert (before.color(), after.color()) == (QColor(expected.before), QColor(expected.after))
    chart_background = view.chart().backgroundBrush().color()
    assert chart_background == QColor(palette.colours(dark=theme is Theme.DARK).base)


def test_hints_and_error_text_take_the_new_theme_on_a_switch(qtbot: QtBot, light_again: QApplication) -> None:
    apply_theme(light_again, Theme.LIGHT)
    holder = QWidget()
    layout = QVBoxLayout(holder)
    hint, problem = muted("A hint"), error_text("A problem")
    layout.addWidget(hint)
    layout.addWidget(problem)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)

    def text_colours() -> tuple[QColor, QColor]:
        role = QPalette.ColorRole.WindowText
        return hint.palette().color(role), problem.palette().color(role)

    assert text_colours() == (QColor(palette.LIGHT.placeholder), QColor(palette.LIGHT.error))
    apply_theme(light_again, Theme.DARK)
    # Before ToneLabel, a label coloured once kept the light theme's shade: 3.3:1 on the dark window.
    qtbot.waitUntil(lambda: text_colours() == (QColor(palette.DARK.placeholder), QColor(palette.DARK.error)))
    apply_theme(light_again, Theme.LIGHT)
    qtbot.waitUntil(lambda: text_colours() == (QColor(palette.LIGHT.placeholder), QColor(palette.LIGHT.error)))


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_segment_blocks_are_painted_in_the_palettes_fills(
    qtbot: QtBot, light_again: QApplication, theme: Theme
) -> None:
    """The run screen's bar and the session editor's are one widget; its blocks are the palette's fills."""
    apply_theme(light_again, theme)
    bar = SegmentBar()
    qtbot.addWidget(bar)
    bar.resize(400, 28)
    kinds = ["warmup", "run", "walk", "recover", "cooldown"]
    bar.set_segments([(kind, 60.0) for kind in kinds])
    image = bar.grab().toImage()
    for i, kind in enumerate(kinds):
        centre = image.pixelColor(int((i + 0.5) * 400 / len(kinds)), 14)
        assert centre == palette.segment_fill(kind), kind
    bar.set_position(150.0)  # two blocks and a half run: what was run is shaded
    shaded = bar.grab().toImage().pixelColor(int(0.5 * 400 / len(kinds)), 14)
    assert shaded.lightness() < palette.segment_fill("warmup").lightness()
