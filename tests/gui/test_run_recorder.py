"""The run's record is written off the GUI thread, in order, and a failed write never stops the run.

Real services on a temporary database; the run screen is driven by a fake clock as in test_run_screen.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from runcompanion.core.clock import FakeClock
from runcompanion.core.errors import UserError
from runcompanion.services.composition import Services
from runcompanion.storage.records import RunRecord
from runcompanion.ui.run.controller import RunController
from runcompanion.ui.shell.gui_app import GuiApp

SESSION = "small-steps-10"  # the 10-minute walk
SEED = 11
COUNTDOWN_S = 5


@pytest.fixture(autouse=True)
def _dialogs_never_block(answer_dialogs: list[str]) -> list[str]:
    return answer_dialogs


def _spy(
    services: Services, monkeypatch: pytest.MonkeyPatch, calls: list[tuple[str, str]], fail: str | None = None
) -> None:
    """Wrap the run service's writes: note each one and the thread it ran on; ``fail`` names one that raises."""
    runs = services.runs
    for name in ("start", "checkpoint", "finish"):
        real: Callable[..., Any] = getattr(runs, name)

        def wrapped(*args: Any, _name: str = name, _real: Callable[..., Any] = real, **kwargs: Any) -> Any:
            calls.append((_name, threading.current_thread().name))
            if _name == fail:
                raise UserError("The disk is full.")
            return _real(*args, **kwargs)

        monkeypatch.setattr(runs, name, wrapped)


def _active(run: RunController) -> bool:
    return run.active


def _saved(run: RunController) -> RunRecord | None:
    return run.record


def begin_run(qtbot: QtBot, gui: GuiApp) -> RunController:
    run = gui.start_run(SESSION, seed=SEED)
    assert run is not None
    with qtbot.waitSignal(run.countdown_started, timeout=5_000):
        pass
    return run


def _advance(qtbot: QtBot, clock: FakeClock, run: RunController, seconds: float) -> None:
    """Move the clock on and wait until the controller's timer has stepped the engine at the new time (the
    engine's snapshot reads the clock itself, so only a step shows that the controller has seen it)."""
    [timer] = run.findChildren(QTimer)
    clock.advance(seconds)
    with qtbot.waitSignal(timer.timeout, timeout=2_000):
        pass


def _run_to_the_end(qtbot: QtBot, gui: GuiApp, clock: FakeClock, saved: list[RunRecord]) -> RunController:
    run = begin_run(qtbot, gui)
    run.run_saved.connect(saved.append)
    _advance(qtbot, clock, run, COUNTDOWN_S + 1)
    for _ in range(3):  # three checkpoints' worth, each seen by a step of the controller
        _advance(qtbot, clock, run, 6)
    clock.advance(run.plan.total_s)
    qtbot.waitUntil(lambda: not run.active, timeout=5_000)
    return run


def test_every_write_runs_on_one_worker_in_order_and_never_on_the_gui_thread(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []
    _spy(services, monkeypatch, calls)
    saved: list[RunRecord] = []
    _run_to_the_end(qtbot, gui, clock, saved)
    qtbot.waitUntil(lambda: bool(saved), timeout=5_000)
    names = [name for name, _thread in calls]
    assert names[0] == "start"
    assert names[-1] == "finish"
    assert names.count("checkpoint") >= 3
    threads = {thread for _name, thread in calls}
    assert len(threads) == 1
    assert threading.main_thread().name not in threads
    [record] = saved
    assert record.status == "finished"
    assert services.runs.history()[0].id == record.id


def test_a_failed_start_says_so_on_the_screen_and_the_run_goes_on_unsaved(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []
    _spy(services, monkeypatch, calls, fail="start")
    run = begin_run(qtbot, gui)
    qtbot.waitUntil(lambda: "not being saved" in run.screen.banner.text(), timeout=5_000)
    assert "The disk is full." in run.screen.banner.text()
    assert run.active
    _advance(qtbot, clock, run, COUNTDOWN_S + 1)
    _advance(qtbot, clock, run, 6)
    _advance(qtbot, clock, run, 6)
    run.shutdown()
    gui.runs.writer.close()  # wait for the queued writes: with no row they must not raise
    assert run.record is None
    assert services.runs.history() == []
    assert not _active(run)  # read afresh: mypy still holds the ``True`` asserted before the run ended
    assert run.screen.showing_summary
    # With no row, the checkpoints and the end have nothing to write to: they are dropped, not errors.
    assert [name for name, _thread in calls] == ["start"]


def test_a_check_in_given_before_the_start_is_saved_is_kept_for_the_run(
    qtbot: QtBot, gui: GuiApp, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_start = services.runs.start

    def slow_start(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)  # the disk is slow: the runner answers the check-in first
        return real_start(*args, **kwargs)

    monkeypatch.setattr(services.runs, "start", slow_start)
    run = begin_run(qtbot, gui)
    run.screen.checkin_changed.emit(4, 2)
    assert run.record is None
    release.set()
    qtbot.waitUntil(lambda: run.record is not None, timeout=5_000)
    record = _saved(run)  # read afresh: mypy still holds the ``None`` asserted before the release
    assert record is not None
    run_id = record.id
    qtbot.waitUntil(lambda: gui.tasks.in_flight == 0 and _checkin(services, run_id) is not None, timeout=5_000)
    assert _checkin(services, run_id) == (4, 2)


def _checkin(services: Services, run_id: int) -> tuple[int | None, int | None] | None:
    entry = services.journal.detail(run_id)
    if entry.reflection is None:
        return None
    return entry.reflection.feeling_before, entry.reflection.arousal_before


def test_closing_before_the_screen_shows_starts_nothing_and_saves_nothing(
    qtbot: QtBot, gui: GuiApp, services: Services
) -> None:
    run = gui.start_run(SESSION, seed=SEED)
    assert run is not None
    gui.runs.shutdown()  # SIGTERM arrives in the same turn as the Start press
    turns: list[int] = []
    # The launcher's next two turns (show, then start) come before these, and must find the run stopped.
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, lambda: QTimer.singleShot(0, lambda: turns.append(3))))
    qtbot.waitUntil(lambda: bool(turns), timeout=5_000)
    assert not run.active
    assert gui.window.screens.currentWidget() is not run.screen
    assert run.record is None
    assert services.runs.history() == []
