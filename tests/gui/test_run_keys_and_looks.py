"""What a new user met on the run screen: Space after tapping the check-in, a check-in gone too soon, digits that
changed size, a muted state hard to see, tiny button text on a large screen, and Right then Left counted as a skip.

Real services on a temporary database, the controller stepping a fake clock (helpers from test_run_screen).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from runcompanion.core.clock import FakeClock
from runcompanion.core.engine_events import EngineState
from runcompanion.ui.shell.gui_app import GuiApp
from tests.gui.test_run_screen import (  # noqa: F401 (autouse fixtures, used by being imported)
    _dialogs_never_block,
    _warm_speech_cache,
    advance,
    past_countdown,
    rendered_speech,
    shows,
    start,
)


def _settle() -> None:
    """Run the relayouts a text change asks for, as the event loop would before the next paint (a relayout
    resizes the digits, whose new font asks for one more)."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def test_space_pauses_after_a_check_in_tap_and_the_answer_stays(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    gui.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is gui.window)
    run = start(qtbot, gui)
    screen = run.screen
    qtbot.waitUntil(screen.checkin.isVisible)
    qtbot.mouseClick(screen.feeling.button(3), Qt.MouseButton.LeftButton)
    assert screen.feeling.value() == 3
    focused = QApplication.focusWidget()
    assert focused is not None
    # Keys go where a real key press goes: to the focused widget. Before the fix that was the +3 button, and
    # Space cleared the answer instead of pausing.
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    assert run.engine.state is EngineState.PAUSED
    assert screen.feeling.value() == 3
    qtbot.keyClick(QApplication.focusWidget() or screen, Qt.Key.Key_Space)
    assert run.engine.snapshot().state is EngineState.COUNTDOWN
    assert screen.feeling.value() == 3


def test_the_check_in_stays_up_into_the_first_minute_then_goes(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    run = start(qtbot, gui)
    screen = run.screen
    past_countdown(qtbot, clock, screen)
    advance(qtbot, clock, 50, shows(screen.time_label, "4:10"))
    assert screen.checkin.isVisible()
    advance(qtbot, clock, 11, lambda: not screen.checkin.isVisible())
    assert run.engine.state is EngineState.RUNNING  # it never held the run


def test_the_digits_keep_their_size_when_the_caption_and_next_line_grow(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock
) -> None:
    screen = start(qtbot, gui).screen
    past_countdown(qtbot, clock, screen)
    screen.show_caption("Short.")
    _settle()
    before = (screen.time_label.font().pixelSize(), screen.time_label.height())
    screen.show_caption(" ".join(["A long cue that wraps onto more lines than one."] * 4))
    screen.next_label.setText(" ".join(["Next: a very long line about what comes after this."] * 3))
    _settle()
    assert (screen.time_label.font().pixelSize(), screen.time_label.height()) == before


def test_muting_shows_a_large_indicator(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    screen = start(qtbot, gui).screen
    assert not screen.muted_label.isVisible()
    qtbot.keyClick(screen, Qt.Key.Key_M)
    assert screen.muted_label.isVisible()
    assert screen.muted_label.font().pixelSize() >= screen.mute_button.font().pixelSize() * 1.5
    qtbot.keyClick(screen, Qt.Key.Key_M)
    assert not screen.muted_label.isVisible()


def test_button_text_grows_on_a_large_screen(qtbot: QtBot, gui: GuiApp) -> None:
    gui.window.resize(1920, 1080)
    qtbot.waitUntil(lambda: gui.window.height() == 1080)
    screen = start(qtbot, gui).screen
    qtbot.waitUntil(lambda: screen.height() > 1000)
    small = QApplication.font().pixelSize() if QApplication.font().pixelSize() > 0 else 13
    assert screen.pause_button.font().pixelSize() >= 1.5 * small
    assert screen.pause_button.sizeHint().width() <= screen.pause_button.width()


def test_right_then_left_does_not_count_the_segment_as_skipped(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    run = start(qtbot, gui)
    screen = run.screen
    past_countdown(qtbot, clock, screen)
    qtbot.keyClick(screen, Qt.Key.Key_Right)
    assert screen.now_label.text() == "Easy run 1 of 4"
    qtbot.keyClick(screen, Qt.Key.Key_Left)  # straight back: the runner changed their mind
    assert screen.now_label.text() == "Brisk walk"
    assert run.engine.segment_log()[0].skipped is False
    qtbot.keyClick(screen, Qt.Key.Key_Right)  # and skipping it again does count
    assert run.engine.segment_log()[0].skipped is True


def test_ctrl_q_quits_from_the_run_summary(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    gui.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is gui.window)
    run = start(qtbot, gui)
    screen = run.screen
    past_countdown(qtbot, clock, screen)
    qtbot.keyClick(screen, Qt.Key.Key_Escape)  # stop (the question is answered Yes)
    qtbot.waitUntil(lambda: screen.showing_summary, timeout=5_000)
    assert not gui.window.menuBar().isVisible()
    focused = QApplication.focusWidget() or screen
    qtbot.keyClick(focused, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not gui.window.isVisible(), timeout=5_000)
