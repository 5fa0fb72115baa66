"""The run screen's banner ("No sound", a device lost, a write that failed) is read from the treadmill like the
rest of the screen: its text grows with the window as the check-in's and the captions' do (it stayed a desktop's
13 px at 1920x1080), and it reads in the dark theme as in the light one, in the palette's colours.

Real services on a temporary database, real speech from a warm cache, a real window, a machine without speakers
(helpers from test_run_screen).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QFontInfo, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.ui.common import palette
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.run.screen import RunScreen
from runcompanion.ui.shell.gui_app import GuiApp
from tests.gui.test_run_screen import (  # noqa: F401 (autouse fixtures, used by being imported)
    _dialogs_never_block,
    _warm_speech_cache,
    no_sound_output,
    readability_problems,
    rendered_speech,
    start,
    wait_for_speech,
)

pytestmark = pytest.mark.usefixtures("no_sound_output")


@pytest.fixture
def light_again(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    apply_theme(qapp, Theme.LIGHT)


def _px(widget: QWidget) -> int:
    return QFontInfo(widget.font()).pixelSize()


def _resize(qtbot: QtBot, gui: GuiApp, width: int, height: int) -> None:
    gui.window.resize(width, height)
    qtbot.waitUntil(lambda: gui.window.size().toTuple() == (width, height))
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def _no_sound(qtbot: QtBot, gui: GuiApp) -> RunScreen:
    run = start(qtbot, gui)
    wait_for_speech(qtbot, gui, run.screen)
    qtbot.waitUntil(lambda: "No sound" in run.screen.banner.text())
    assert run.screen.banner.isVisibleTo(run.screen)
    return run.screen


def test_the_banner_grows_with_the_window_and_still_fits_a_small_one(qtbot: QtBot, gui: GuiApp) -> None:
    screen = _no_sound(qtbot, gui)
    _resize(qtbot, gui, 1920, 1080)
    # As large as the check-in's questions and the buttons: before, 12 px beside 23 px buttons.
    assert _px(screen.banner) >= _px(screen.pause_button) >= 20
    assert _px(screen.banner) >= _px(screen.checkin.feeling_question)
    sizes = [_px(screen.banner)]
    assert readability_problems(gui, screen) == []
    # Smaller windows: smaller text, and the digits keep their fifth of the window (a wrapped banner took it).
    for width, height in ((1280, 800), (800, 480)):
        _resize(qtbot, gui, width, height)
        sizes.append(_px(screen.banner))
        assert readability_problems(gui, screen) == [], (width, height)
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] > sizes[-1]


def _banner_colours(banner: QWidget) -> tuple[QColor, QColor]:
    """The banner's text colour and the colour its box is painted in (a pixel of the grabbed widget, inside the
    rounded corner and the margin, where no text is drawn)."""
    text = banner.palette().color(QPalette.ColorRole.WindowText)
    painted = banner.grab().toImage().pixelColor(6, 3)
    return text, painted


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_the_banner_reads_in_both_themes_and_follows_a_switch(
    qtbot: QtBot, gui: GuiApp, light_again: QApplication, theme: Theme
) -> None:
    apply_theme(light_again, theme)
    dark = theme is Theme.DARK
    screen = _no_sound(qtbot, gui)
    expected = palette.notice_colours(dark=dark)
    qtbot.waitUntil(lambda: _banner_colours(screen.banner) == expected)
    text, background = _banner_colours(screen.banner)
    assert palette.contrast(text, background) >= 4.5
    # A switch while the banner is up recolours it: a colour set once kept the old theme's.
    other = Theme.LIGHT if dark else Theme.DARK
    apply_theme(light_again, other)
    qtbot.waitUntil(lambda: _banner_colours(screen.banner) == palette.notice_colours(dark=not dark))
