"""Settings: the volume slider says its value, and the cards' fields start at one x."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.ui.shell.gui_app import GuiApp


def test_the_volume_slider_shows_its_value(qtbot: QtBot, gui: GuiApp) -> None:
    gui.window.show_section("Settings")
    page = gui.pages.settings
    qtbot.waitUntil(lambda: page.volume_value.text() == f"{page.volume.value()} %", timeout=5_000)
    page.volume.setValue(37)
    assert page.volume_value.text() == "37 %"
    assert page.volume_value.isVisible()


def test_the_cards_fields_line_up(qtbot: QtBot, gui: GuiApp) -> None:
    gui.window.show_section("Settings")
    page = gui.pages.settings
    qtbot.waitUntil(page.isVisible)
    xs = set()
    for field in (page.rate, page.density, page.units, page.theme, page.remind):
        xs.add(field.mapTo(page, field.rect().topLeft()).x())
    assert len(xs) == 1, xs
    assert "--data-dir" not in " ".join(
        w.property("text") or "" for w in page.findChildren(QWidget) if w.property("text")
    )
    assert page.findChildren(QFormLayout)
