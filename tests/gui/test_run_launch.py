"""The Start press in turns: the countdown begins once the run screen has painted, or anyway when the window
cannot paint (hidden in the tray, minimised)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from runcompanion.core.engine_events import EngineState
from runcompanion.core.session_plan import SessionPlan
from runcompanion.ui.run.first_paint import PAINT_WAIT_MS
from runcompanion.ui.shell.gui_app import GuiApp


@pytest.fixture(autouse=True)
def _dialogs_never_block(answer_dialogs: list[str]) -> list[str]:
    return answer_dialogs


def test_the_countdown_starts_after_the_run_screen_has_painted(qtbot: QtBot, gui: GuiApp) -> None:
    run = gui.start_run("small-steps-10", seed=1)
    assert run is not None
    painted: list[EngineState] = []
    original = run.screen.paintEvent

    def paint(event: object) -> None:
        painted.append(run.engine.state)
        original(event)  # type: ignore[arg-type]

    run.screen.paintEvent = paint  # type: ignore[method-assign]
    with qtbot.waitSignal(run.countdown_started, timeout=5_000):
        pass
    assert painted  # it painted before the countdown began ...
    assert painted[0] is EngineState.READY  # ... showing the screen as it is before the countdown


def test_a_hidden_window_still_starts_its_run(qtbot: QtBot, gui: GuiApp) -> None:
    gui.window.hide()  # closed to the tray; a reminder's click starts the run
    run = gui.start_run("small-steps-10", seed=1)
    assert run is not None
    with qtbot.waitSignal(run.countdown_started, timeout=PAINT_WAIT_MS + 5_000):
        pass
    assert run.engine.state is EngineState.COUNTDOWN


def test_the_run_is_loaded_ahead_one_step_per_turn_and_a_failed_step_stops_it(
    qtbot: QtBot, gui: GuiApp, caplog: pytest.LogCaptureFixture
) -> None:
    done: list[str] = []

    def fail() -> None:
        raise ImportError("no such module")

    steps: list[Callable[[], object]] = [
        lambda: done.append("first"),
        lambda: done.append("second"),
        fail,
        lambda: done.append("never"),
    ]
    gui.runs._preload_next(steps)
    assert done == ["first"]  # the rest waits for later turns of the event loop: none is a long stall
    qtbot.waitUntil(lambda: "could not load the run screen ahead" in caplog.text, timeout=5_000)
    assert done == ["first", "second"]
    # A step after the failure would have been queued before it was logged: a turn queued now comes after it.
    turned: list[bool] = []
    QTimer.singleShot(0, lambda: turned.append(True))
    qtbot.waitUntil(lambda: bool(turned), timeout=5_000)
    assert done == ["first", "second"]


def test_the_run_screen_shown_ahead_never_appears_and_is_dropped(qtbot: QtBot, gui: GuiApp) -> None:
    from runcompanion.ui.run.screen import RunScreen
    from runcompanion.ui.run.warm_up import warm_up_steps

    before = [w for w in QApplication.allWidgets() if isinstance(w, RunScreen)]  # the app's preload may be at it
    make, show, drop = warm_up_steps()
    make()
    show()
    (made,) = [w for w in QApplication.allWidgets() if isinstance(w, RunScreen) and w not in before]
    assert made.isVisible()  # shown, so Qt polishes, lays out and paints it ...
    handle = made.windowHandle()
    assert handle is not None
    assert not handle.isVisible()  # ... where nothing appears: its platform window is never shown
    drop()
    qtbot.waitUntil(lambda: not shiboken6.isValid(made), timeout=5_000)
    assert gui.runs.run is None  # it started no run


def test_an_own_session_starts_from_the_loaded_overview_without_reading_sqlite(
    qtbot: QtBot, gui: GuiApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "own.toml"
    file.write_text('id = "my-own"\nname = "My own"\n[[segments]]\nkind = "walk"\nduration = "02:00"\n')
    assert gui.services is not None
    assert gui.shell is not None
    gui.services.catalog.import_file(file)
    shell = gui.shell
    shell.refresh()
    # A refresh started at attach may answer first, from before the import: wait for one that has it.
    qtbot.waitUntil(
        lambda: shell.last_overview is not None and any(p.id == "my-own" for p in shell.last_overview.sessions),
        timeout=10_000,
    )
    asked: list[str] = []
    real_get = gui.services.catalog.get

    def get(session_id: str) -> SessionPlan:
        asked.append(session_id)
        return real_get(session_id)

    monkeypatch.setattr(gui.services.catalog, "get", get)

    run = gui.start_run("my-own", seed=1)
    assert run is not None
    assert run.plan.name == "My own"
    assert asked == []  # the GUI thread did not go to the database for it
    with qtbot.waitSignal(run.countdown_started, timeout=5_000):
        pass


def test_a_run_screen_that_cannot_be_loaded_says_so_in_a_dialog(
    qtbot: QtBot, gui: GuiApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file missing from an install used to leave the Start press with nothing but a line in the log.
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *_a: shown.append((title, text)))
    monkeypatch.setitem(sys.modules, "runcompanion.ui.run.screen", None)  # the next import of it fails
    assert gui.start_run("small-steps-10", seed=1) is None
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "Cannot start this session"
    assert "could not be loaded" in text
    assert "Reinstalling" in text
    assert "Traceback" not in text
    assert gui.runs.run is None
