"""The rating scales: one click picks, a second clears, and the chosen point follows the theme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
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
