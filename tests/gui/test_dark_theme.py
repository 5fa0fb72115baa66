"""The dark theme draws what the light one does: check boxes, spin-box frames and progress-bar tracks (Fusion draws
their edges in the window colour darkened, which vanished on fields darker than the window)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.ui.common.theme import apply_theme


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def dark(qapp: QApplication) -> Iterator[QPalette]:
    apply_theme(qapp, Theme.DARK)
    yield qapp.palette()
    apply_theme(qapp, Theme.LIGHT)


def test_field_edges_stand_out_from_the_fields(dark: QPalette) -> None:
    role = QPalette.ColorRole
    edge = dark.color(role.Window).darker(140)  # Fusion's outline
    assert _contrast(edge, dark.color(role.Base)) >= 1.25  # was 1.0: the same colour


def test_an_unchecked_box_shows_its_frame(qtbot: QtBot, dark: QPalette) -> None:
    box = QCheckBox("Tue")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    image = box.grab().toImage()
    middle = image.height() // 2
    row = [image.pixelColor(x, middle) for x in range(min(20, image.width()))]
    background = dark.color(QPalette.ColorRole.Window)
    assert max(_contrast(c, background) for c in row) >= 1.15  # was 1.11: a frame lost in the window
