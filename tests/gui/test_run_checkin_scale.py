"""The run screen's check-in and the shorter-run offer grow with the window, as the rest of the run screen does:
at 1920x1080 they are read from two metres like the control buttons; at 800x480 they still fit.

Real services on a temporary database, real speech from a warm cache, a real window (helpers from
test_run_shorter_offer and test_run_screen).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.ui.shell.gui_app import GuiApp
from tests.gui.layout_check import outside, overlaps, problems
from tests.gui.test_run_screen import (  # noqa: F401 (autouse fixtures, used by being imported)
    _dialogs_never_block,
    _warm_speech_cache,
    rendered_speech,
)
from tests.gui.test_run_shorter_offer import _ready

# At least this share of the control buttons' text and height: the check-in is answered from the treadmill.
SHARE = 0.8


def _px(widget: QWidget) -> int:
    return QFontInfo(widget.font()).pixelSize()


def _resize(qtbot: QtBot, gui: GuiApp, width: int, height: int) -> None:
    gui.window.resize(width, height)
    qtbot.waitUntil(lambda: gui.window.size().toTuple() == (width, height))
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


@pytest.mark.timeout(240)
def test_the_check_in_and_the_offer_grow_with_the_window_and_fit_a_small_one(
    qtbot: QtBot, gui: GuiApp, tmp_path: Path
) -> None:
    run, replanner = _ready(qtbot, gui)
    screen = run.screen
    qtbot.mouseClick(screen.feeling.button(-3), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: replanner.offer.showing)
    panel = replanner.offer.panel

    _resize(qtbot, gui, 1920, 1080)
    control = screen.pause_button
    assert _px(control) >= 20  # the control buttons scale (tested in test_run_keys_and_looks too)
    scale_buttons = [screen.feeling.button(v) for v in (-5, 0, 5)] + [screen.arousal.button(v) for v in (1, 6)]
    for button in [*scale_buttons, panel.take_button, panel.keep_button]:
        assert _px(button) >= SHARE * _px(control), button.text()
        assert button.height() >= SHARE * control.height(), button.text()
    words = [w for w in screen.checkin.findChildren(QLabel) if w.text()] + [panel.text, panel.detail]
    assert len(words) >= 6  # two questions, four scale ends, the offer's two lines
    for label in words:
        assert _px(label) >= SHARE * _px(control), label.text()
    screen.grab().save(str(tmp_path / "checkin-1920x1080.png"))

    for width, height in ((1280, 800), (800, 480)):
        _resize(qtbot, gui, width, height)
        size = (width, height)
        assert problems(screen.checkin, tab=False) == [], size
        assert problems(panel, tab=False) == [], size
        assert outside(screen) == [], size
        assert overlaps(screen) == [], size
        assert screen.time_label.height() > screen.checkin.height() / 2, size  # the digits keep their room
        screen.grab().save(str(tmp_path / f"checkin-{width}x{height}.png"))
