"""Settings' speech cache: what it holds and its size limit are shown; the limit is a saved setting, changed by
keyboard, and the cache is pruned to it at once; clearing asks first. Real files in a real data folder."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.ui.settings.speech_cache_row import CLEAR_TITLE
from runcompanion.ui.shell.gui_app import GuiApp
from tests.speech_cache_fill import MB, fill_cache


def _open(qtbot: QtBot, gui: GuiApp) -> None:
    gui.window.show_section("Settings")
    row = gui.pages.settings.speech_cache
    qtbot.waitUntil(lambda: row.usage.text() != "", timeout=10_000)
    gui.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is gui.window)


def _tab_to(qtbot: QtBot, start: QWidget, target: QWidget, most: int = 6) -> None:
    """Tab from ``start`` until ``target`` has the focus, in at most ``most`` presses."""
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    for _ in range(most):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is target:
            return
    raise AssertionError(f"{target.accessibleName()} is not reached by Tab from {start.accessibleName()}")


def test_the_limit_is_a_setting_set_by_keyboard_and_applied_at_once(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.services is not None
    assert gui.shell is not None
    cues = gui.services.cues
    files = fill_cache(cues.cache, 40)  # 80 MB of speech, the oldest first
    _open(qtbot, gui)
    page = gui.pages.settings
    row = page.speech_cache
    assert row.usage.text().startswith("Holds 80.0 MB of speech now, of at most 500 MB")
    assert row.limit.value() == 500
    assert row.limit.accessibleName() == "Speech cache size limit, in megabytes"
    assert row.clear.accessibleName() == "Clear speech cache"

    # Reached from the field before it, typed, and confirmed with Enter: nothing happens on each digit.
    _tab_to(qtbot, page.countdown, row.limit)
    qtbot.keyClick(row.limit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(row.limit, "60")
    assert gui.shell.settings.speech_cache_mb == 500  # "6" alone is no limit: not applied while typing
    qtbot.keyClick(row.limit, Qt.Key.Key_Return)
    assert gui.shell.settings.speech_cache_mb == 60

    # Pruned to the new limit: the least recently used speech went, and the row says what is left.
    qtbot.waitUntil(lambda: cues.cache.size_bytes() <= 60 * MB, timeout=10_000)
    assert cues.cache.max_bytes == 60 * MB
    assert [p.exists() for p in files[9:11]] == [False, True]  # ten oldest files gone, the rest kept
    qtbot.waitUntil(lambda: row.usage.text().startswith("Holds 60.0 MB of speech now, of at most 60 MB"))
    # Saved: the next start of the app builds its cache with this limit.
    qtbot.waitUntil(lambda: gui.services is not None and gui.services.settings.load().speech_cache_mb == 60)

    # The arrow keys step by 50 MB, and never below the minimum that holds an hour's speech.
    qtbot.keyClick(row.limit, Qt.Key.Key_Down)
    assert row.limit.value() == 50
    qtbot.keyClick(row.limit, Qt.Key.Key_Down)
    assert row.limit.value() == 50
    qtbot.waitUntil(lambda: cues.cache.max_bytes == 50 * MB, timeout=10_000)
    qtbot.waitUntil(lambda: cues.cache.size_bytes() == 50 * MB, timeout=10_000)


def test_clearing_asks_first_and_empties_the_cache(qtbot: QtBot, gui: GuiApp, monkeypatch: pytest.MonkeyPatch) -> None:
    assert gui.services is not None
    cues = gui.services.cues
    files = fill_cache(cues.cache, 3)
    _open(qtbot, gui)
    row = gui.pages.settings.speech_cache
    qtbot.waitUntil(lambda: row.usage.text().startswith("Holds 6.0 MB"))
    _tab_to(qtbot, row.limit, row.clear)

    asked: list[tuple[str, str]] = []

    def answer(reply: QMessageBox.StandardButton) -> Callable[..., QMessageBox.StandardButton]:
        def question(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
            asked.append((title, text))
            return reply

        return question

    # "No" keeps everything.
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    qtbot.keyClick(row.clear, Qt.Key.Key_Space)
    assert asked == [(CLEAR_TITLE, asked[0][1])]
    assert "6.0 MB" in asked[0][1]
    assert all(p.exists() for p in files)

    # "Yes" clears, and the row says so; there is then nothing to clear.
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.keyClick(row.clear, Qt.Key.Key_Space)
    assert len(asked) == 2
    qtbot.waitUntil(lambda: row.usage.text().startswith("Holds 0.0 MB"), timeout=10_000)
    assert not any(p.exists() for p in files)
    assert cues.cache.size_bytes() == 0
    assert not row.clear.isEnabled()
