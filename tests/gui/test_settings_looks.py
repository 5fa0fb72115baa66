"""Settings: the volume slider says its value, and the cards' fields start at one x."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QFormLayout, QWidget
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
    devices = page.devices
    fields = {
        "speed of speech": page.rate,
        "cues": page.density,
        "treadmill speed": page.units,
        "theme": page.theme,
        "remind me": page.remind,
        # The treadmill card's field column sat 14 px left of the others'.
        "treadmill": devices.treadmill,
        "speed limit": devices.max_speed,
        "age": devices.age,
        "maximum heart rate": devices.max_hr,
    }
    for width in (800, 1280, 1920):
        gui.window.resize(width, 800)
        qtbot.waitUntil(lambda w=width: gui.window.width() == w)  # type: ignore[misc]
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        xs = {name: field.mapTo(page, field.rect().topLeft()).x() for name, field in fields.items()}
        assert len(set(xs.values())) == 1, f"at {width} px the field columns start at {xs}"
    assert "--data-dir" not in " ".join(
        w.property("text") or "" for w in page.findChildren(QWidget) if w.property("text")
    )
    assert page.findChildren(QFormLayout)
