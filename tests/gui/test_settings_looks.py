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


def test_settings_do_not_scroll_sideways_at_800x480(qtbot: QtBot, gui: GuiApp) -> None:
    """At 800x480 the page needed 706 px in a 612 px view: the voice row (list, Preview, Add voice) and the tray
    check box's long text made it scroll sideways, with Add voice… cut at the edge."""
    from PySide6.QtWidgets import QScrollArea

    gui.window.show_section("Settings")
    page = gui.pages.settings
    qtbot.waitUntil(page.isVisible)
    area = page.findChild(QScrollArea)
    assert area is not None
    for width, height in ((800, 480), (1280, 800)):
        gui.window.resize(width, height)
        qtbot.waitUntil(lambda s=(width, height): gui.window.size().toTuple() == s)  # type: ignore[misc]
        for _ in range(3):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        content = area.widget()
        assert content is not None
        assert content.minimumSizeHint().width() <= area.viewport().width(), (width, height)
        assert area.horizontalScrollBar().maximum() == 0, (width, height)
        voice = page.voice
        add = voice.add.mapTo(voice, voice.add.rect().topRight())
        assert 0 < add.x() <= voice.width(), (width, height)
        # No empty line after "Show all languages", whichever row the buttons are on.
        gap = voice.hint.geometry().top() - voice.all_languages.geometry().bottom()
        assert 0 < gap <= 12, (width, height, gap)


def test_wrapped_hints_give_their_lines_back_when_the_window_widens(qtbot: QtBot, gui: GuiApp) -> None:
    """A hint wrapped to four lines at 800x480 kept four lines' height at 1280x800, its two lines centred in it:
    an empty gap after "Show all languages" and above the speech cache's figures (the layout check's
    screenshots, taken at 800x480 before 1280x800)."""
    gui.window.show_section("Settings")
    page = gui.pages.settings
    qtbot.waitUntil(page.isVisible)
    hints = {"voice": page.voice.hint, "speech cache": page.speech_cache.usage}
    qtbot.waitUntil(lambda: all(hint.text() for hint in hints.values()), timeout=10_000)

    def heights(size: tuple[int, int]) -> dict[str, int]:
        gui.window.resize(*size)
        qtbot.waitUntil(lambda: gui.window.size().toTuple() == size)
        for _ in range(3):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        return {name: hint.height() for name, hint in hints.items()}

    wide = heights((1280, 800))
    narrow = heights((800, 480))
    assert all(narrow[name] > wide[name] for name in hints), (narrow, wide)  # they do wrap further when narrow
    heights((1280, 800))
    # Nested layouts settle over a few turns of the event loop: wait for them, and fail if they never give back.
    qtbot.waitUntil(lambda: {name: hint.height() for name, hint in hints.items()} == wide, timeout=3_000)
