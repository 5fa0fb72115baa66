"""The rating scales: one click picks, a second clears, and the chosen point follows the theme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.ui.common.scale_buttons import ScaleButtons
from runcompanion.ui.common.theme import apply_theme

ROLE = QPalette.ColorRole


@pytest.fixture
def scale(qapp: QApplication, qtbot: QtBot) -> Iterator[ScaleButtons]:
    apply_theme(qapp, Theme.LIGHT)
    widget = ScaleButtons([(1, "low"), (2, "middle"), (3, "high")], "low", "high")
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    apply_theme(qapp, Theme.LIGHT)


def test_a_click_picks_a_point_and_a_second_click_clears_it(qtbot: QtBot, scale: ScaleButtons) -> None:
    with qtbot.waitSignal(scale.changed) as picked:
        scale.button(2).click()
    assert picked.args == [2]
    assert [scale.button(v).isChecked() for v in (1, 2, 3)] == [False, True, False]
    with qtbot.waitSignal(scale.changed) as cleared:
        scale.button(2).click()
    assert cleared.args == [None]
    assert scale.value() is None
    assert not any(scale.button(v).isChecked() for v in (1, 2, 3))


def test_the_chosen_point_takes_the_new_colours_when_the_theme_changes(
    qapp: QApplication, qtbot: QtBot, scale: ScaleButtons
) -> None:
    scale.set_value(3)
    apply_theme(qapp, Theme.DARK)
    dark = qapp.palette()
    # Qt posts the palette change to each widget.
    qtbot.waitUntil(lambda: scale.button(3).palette().color(ROLE.Button) == dark.color(ROLE.Highlight), timeout=2_000)
    assert scale.button(3).palette().color(ROLE.Button) == dark.color(ROLE.Highlight)
    assert scale.button(3).palette().color(ROLE.ButtonText) == dark.color(ROLE.HighlightedText)
    assert scale.button(1).palette().color(ROLE.Button) == dark.color(ROLE.Button)
    assert scale.button(1).palette().color(ROLE.ButtonText) == dark.color(ROLE.ButtonText)


def test_a_scale_is_one_tab_stop_and_keys_pick_like_a_radio_group(qtbot: QtBot, qapp: QApplication) -> None:
    apply_theme(qapp, Theme.LIGHT)
    host = QWidget()
    layout = QVBoxLayout(host)
    before = QLineEdit()
    scale = ScaleButtons([(v, f"p{v}") for v in range(-5, 6)], "low", "high", signed=True, name="Feeling")
    after = QLineEdit()
    for w in (before, scale, after):
        layout.addWidget(w)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is host)
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is scale.button(-5)  # the first point when none is chosen
    qtbot.keyClick(scale.button(-5), Qt.Key.Key_Right)
    assert scale.value() == -4
    assert QApplication.focusWidget() is scale.button(-4)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_End)
    assert scale.value() == 5
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Home)
    assert scale.value() == -5
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)
    assert scale.value() == 3
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Minus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)
    assert scale.value() == -2
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    assert scale.value() == -3
    # One Tab leaves the scale: the other ten points are not Tab stops.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after
    qtbot.keyClick(after, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is scale.button(-3)  # back onto the chosen point
    assert scale.accessibleName() == "Feeling"


def test_a_scale_that_takes_no_focus_leaves_the_keys_to_its_window(qtbot: QtBot, qapp: QApplication) -> None:
    scale = ScaleButtons([(1, "low"), (2, "high")], "low", "high", focusable=False)
    qtbot.addWidget(scale)
    assert all(scale.button(v).focusPolicy() == Qt.FocusPolicy.NoFocus for v in (1, 2))
    scale.set_value(2)
    assert all(scale.button(v).focusPolicy() == Qt.FocusPolicy.NoFocus for v in (1, 2))
