"""Focus rings: seen at a glance in the light and the dark theme, after Tab and not after a click.

The pixels just outside a button are compared with the button focused and not: focused, they are the ring, in
the theme's highlight colour at 3:1 or more against the window (WCAG 2.2's focus-appearance contrast); not
focused, they are the window's background. Screenshots go to the test's folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.ui.common.focus_ring import RING_PX, FocusRing
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.shell.gui_app import GuiApp
from runcompanion.ui.shell.main_window import NAV_RING_ROOM_PX


def _luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _near(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) <= tolerance


def band(image: QImage, rect: QRect) -> list[QColor]:
    """The pixels of the ring's band just outside ``rect``, along its four sides (the rounded corners left out)."""
    width, skip = int(RING_PX), 6
    points = []
    for x in range(rect.left() + skip, rect.right() - skip):
        points += [(x, rect.top() - 1 - d) for d in range(width)] + [(x, rect.bottom() + 1 + d) for d in range(width)]
    for y in range(rect.top() + skip, rect.bottom() - skip):
        points += [(rect.left() - 1 - d, y) for d in range(width)] + [(rect.right() + 1 + d, y) for d in range(width)]
    return [image.pixelColor(x, y) for x, y in points]


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    apply_theme(qapp, Theme.LIGHT)


def _window(qtbot: QtBot, qapp: QApplication) -> tuple[QWidget, QPushButton, QPushButton, FocusRing]:
    window = QWidget()
    row = QHBoxLayout(window)
    row.setContentsMargins(16, 16, 16, 16)
    first, second = QPushButton("Start"), QPushButton("Choose another session…")
    row.addWidget(first)
    row.addWidget(second)
    ring = FocusRing(qapp, window)
    qtbot.addWidget(window)
    window.resize(420, 80)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window, first, second, ring


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_a_button_reached_by_tab_has_a_ring_that_stands_out(
    qtbot: QtBot, themed: QApplication, theme: Theme, tmp_path: Path
) -> None:
    apply_theme(themed, theme)
    window, first, second, ring = _window(qtbot, themed)
    second.setFocus()
    QTest.keyClick(second, Qt.Key.Key_Tab)  # round to the first button, as a keyboard user does
    qtbot.waitUntil(lambda: ring.widget() is first)
    focused = window.grab().toImage()
    QTest.keyClick(first, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: ring.widget() is second)
    unfocused = window.grab().toImage()
    focused.save(str(tmp_path / f"focus-ring-{theme.value}-focused.png"))
    unfocused.save(str(tmp_path / f"focus-ring-{theme.value}-unfocused.png"))

    background = window.palette().color(QPalette.ColorRole.Window)
    highlight = window.palette().color(QPalette.ColorRole.Highlight)
    ring_pixels, plain_pixels = band(focused, first.geometry()), band(unfocused, first.geometry())
    assert len(ring_pixels) > 200
    on_ring = sum(_near(p, highlight) for p in ring_pixels) / len(ring_pixels)
    assert on_ring >= 0.9, f"only {on_ring:.0%} of the band around the focused button is the ring colour"
    weakest = min(contrast(p, background) for p in ring_pixels)
    assert weakest >= 3.0, f"the ring is {weakest:.1f}:1 against the window; 3:1 is the least"
    plain = sum(_near(p, background, 8) for p in plain_pixels) / len(plain_pixels)
    assert plain >= 0.9, f"without focus the band should be the window's background, {plain:.0%} is"


def test_a_click_shows_no_ring_and_tab_brings_it_back(qtbot: QtBot, qapp: QApplication) -> None:
    _win, first, second, ring = _window(qtbot, qapp)
    QTest.mouseClick(second, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is second)
    assert ring.widget() is None
    QTest.keyClick(second, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: ring.widget() is first)


def test_the_ring_outlives_a_closed_dialog(qtbot: QtBot, qapp: QApplication) -> None:
    """The ring sits among the control's siblings: a deleted dialog once took it along (a dead object after)."""
    window, first, second, ring = _window(qtbot, qapp)
    dialog = QDialog(window)
    ok = QPushButton("OK")
    other = QPushButton("Cancel")
    layout = QVBoxLayout(dialog)
    layout.addWidget(ok)
    layout.addWidget(other)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    other.setFocus()
    QTest.keyClick(other, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: ring.widget() is ok)
    with qtbot.waitSignal(dialog.destroyed):
        dialog.close()
        dialog.deleteLater()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    second.setFocus()
    QTest.keyClick(second, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: ring.widget() is first)


def test_the_app_rings_the_control_tab_reaches(qtbot: QtBot, gui: GuiApp) -> None:
    gui.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is gui.window)
    start = QApplication.focusWidget() or gui.window
    QTest.keyClick(start, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and gui.focus_ring.widget() is not None)
    ringed, focused = gui.focus_ring.widget(), QApplication.focusWidget()
    assert ringed is not None
    assert focused is not None
    assert ringed is focused or ringed.isAncestorOf(focused)


def test_a_part_that_fills_its_parent_is_ringed_by_its_parent(qtbot: QtBot, qapp: QApplication) -> None:
    """A calendar's grid of days fills the calendar: a ring round the grid would be cut off by the calendar's
    edges, so the ring goes round the calendar."""
    from PySide6.QtWidgets import QCalendarWidget

    window, first, _second, ring = _window(qtbot, qapp)
    calendar = QCalendarWidget()
    row = window.layout()
    assert row is not None
    row.addWidget(calendar)
    window.resize(900, 320)
    qtbot.waitUntil(lambda: calendar.isVisible() and calendar.width() > 200)
    grid = calendar.findChild(QWidget, "qt_calendar_calendarview")
    assert grid is not None
    first.setFocus()
    while QApplication.focusWidget() is not grid:
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    assert ring.widget() is calendar


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_the_navigation_at_the_window_edge_shows_its_whole_ring(
    qtbot: QtBot, gui: GuiApp, themed: QApplication, theme: Theme, tmp_path: Path
) -> None:
    """The section list sits at the window's left edge, top to bottom: a ring outside it was cut on three sides,
    and only its right side showed."""
    assert NAV_RING_ROOM_PX >= RING_PX
    apply_theme(themed, theme)
    window, nav = gui.window, gui.window.nav
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for _ in range(40):  # Tab round the window until the list has the focus, as a keyboard user does
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is nav:
            break
    assert QApplication.focusWidget() is nav, QApplication.focusWidget()
    qtbot.waitUntil(lambda: gui.focus_ring.widget() is nav)
    image = window.grab().toImage()
    image.save(str(tmp_path / f"navigation-ring-{theme.value}.png"))

    highlight = window.palette().color(QPalette.ColorRole.Highlight)
    rect = QRect(nav.mapTo(window, QPoint(0, 0)), nav.size())
    assert QRect(0, 0, image.width(), image.height()).contains(rect.adjusted(-2, -2, 2, 2))
    pixels = band(image, rect)
    on_ring = sum(_near(p, highlight) for p in pixels) / len(pixels)
    assert on_ring >= 0.9, f"only {on_ring:.0%} of the band around the navigation is the ring colour"
