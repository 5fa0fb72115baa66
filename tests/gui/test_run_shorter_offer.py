"""A low check-in on the run screen offers a shorter run before the run is under way, and S takes it: the screen,
the engine, the voice and the saved run all follow the shorter plan. A good day is offered nothing.

Real services on a temporary SQLite file, real speech (espeak-ng) from a warm cache, a real window, a fake clock
(helpers from test_run_screen), and the simulated treadmill over bumble's virtual link (test_run_devices).
"""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from runcompanion.core.clock import FakeClock
from runcompanion.core.coach import SHORTER_BRIEFING
from runcompanion.core.cue_timeline import CueKind
from runcompanion.core.engine_events import EngineState
from runcompanion.core.ftms_control import OpCode
from runcompanion.ui.run.checkin_replan import CheckinReplanner
from runcompanion.ui.run.controller import RunController
from runcompanion.ui.shell.gui_app import GuiApp
from tests.gui.layout_check import outside, overlaps, problems
from tests.gui.test_run_devices import _ops as commands
from tests.gui.test_run_devices import _start as start_with_treadmill
from tests.gui.test_run_screen import (  # noqa: F401 (autouse fixtures, used by being imported)
    SYNTHESIS_TIMEOUT_MS,
    _dialogs_never_block,
    _warm_speech_cache,
    advance,
    rendered_speech,
    start,
)

SHORTER_BLOCKS = [("warmup", 300.0), ("run", 60.0), ("walk", 90.0), ("run", 60.0), ("walk", 90.0), ("cooldown", 300.0)]


def _ready(qtbot: QtBot, gui: GuiApp) -> tuple[RunController, CheckinReplanner]:
    gui.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is gui.window)
    run = start(qtbot, gui)
    replanner = run.findChild(CheckinReplanner)
    assert replanner is not None
    qtbot.waitUntil(lambda: bool(run.engine.cues), timeout=SYNTHESIS_TIMEOUT_MS)
    qtbot.waitUntil(run.screen.checkin.isVisible)
    assert not replanner.offer.showing
    return run, replanner


def _key(qtbot: QtBot, run: RunController, key: Qt.Key) -> None:
    """Where a real key press goes: to the focused widget (the run screen or a child of it)."""
    qtbot.keyClick(QApplication.focusWidget() or run.screen, key)


@pytest.mark.timeout(240)
def test_a_low_check_in_offers_a_shorter_run_and_s_takes_it(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    run, replanner = _ready(qtbot, gui)
    offer = replanner.offer
    screen = run.screen
    assert screen.bar.blocks[-1] == ("cooldown", 300.0)
    assert len(screen.bar.blocks) == 10

    qtbot.mouseClick(screen.feeling.button(-3), Qt.MouseButton.LeftButton)  # in the countdown
    qtbot.waitUntil(lambda: offer.showing)
    panel = offer.panel
    assert panel.text.text() == "Shorter run today: 15 minutes instead of 20 minutes"
    assert panel.accessibleName() == "Shorter run offer"
    assert panel.take_button.accessibleName() == "Take the shorter run, 15 minutes"
    assert panel.keep_button.accessibleName() == "Keep the run as planned, 20 minutes"
    assert panel.isVisibleTo(screen)
    assert screen.isAncestorOf(panel)
    # Readable as it is: nothing in the offer clipped, overlapping or unnamed, on a laptop and a small window.
    for width, height in ((1280, 800), (900, 560)):
        gui.window.resize(width, height)
        qtbot.waitUntil(lambda: gui.window.size().toTuple() == (width, height))  # noqa: B023 (awaited here)
        size = (width, height)
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        assert problems(panel, tab=False) == [], size
        assert [p for p in outside(screen) + overlaps(screen) if "shorter" in p.lower()] == [], size
    gui.window.resize(1280, 800)
    # Space still pauses and resumes while the offer is up; nothing is taken by it.
    _key(qtbot, run, Qt.Key.Key_Space)
    assert run.engine.state is EngineState.PAUSED
    _key(qtbot, run, Qt.Key.Key_Space)
    assert run.engine.snapshot().state is EngineState.COUNTDOWN
    assert offer.showing
    assert run.plan is run.session.planned

    with qtbot.waitSignal(offer.switched, timeout=60_000):
        _key(qtbot, run, Qt.Key.Key_S)
    assert offer.panel.isHidden()
    plan = run.plan
    assert plan.total_s == 900.0
    assert plan.name == "First walk-run (shorter)"
    assert screen.bar.blocks == SHORTER_BLOCKS == screen.summary_bar.blocks
    assert screen.session_label.text() == "First walk-run (shorter)"
    snap = run.engine.snapshot()
    assert snap.total_s == 900.0
    assert snap.remaining_s == pytest.approx(900.0)
    # Taken in the countdown, so the whole run is the shorter one's: the start names its length, every
    # announcement its segments, and the coach is gentle.
    cues = run.engine.cues
    assert "15 minutes" in cues[0].text
    assert cues[0].kind is CueKind.START
    changes = [c for c in cues if c.kind is CueKind.CHANGE]
    assert len(changes) == len(SHORTER_BLOCKS) - 1
    assert max(c.offset_s for c in cues) <= 900.0
    assert "Run 1 of 2" in " ".join(c.text for c in changes)
    assert SHORTER_BRIEFING in " ".join(c.text for c in cues if c.kind is CueKind.BRIEFING)
    assert not any("of 4" in c.text for c in cues)

    advance(qtbot, clock, 5 + 30, lambda: screen.time_label.text() == "4:30")  # 30 s into the warm-up
    assert run.engine.snapshot().remaining_s == pytest.approx(870.0)
    qtbot.waitUntil(lambda: screen.elapsed_label.text() == "0:30 of 15:00")
    assert "Easy run 1 of 2" in screen.next_label.text()
    with qtbot.waitSignal(run.run_saved, timeout=10_000) as saved:
        clock.advance(900.0)
    record = saved.args[0]
    assert (record.status, record.planned_s, record.elapsed_s) == ("finished", 900.0, 900.0)
    assert gui.services is not None
    with sqlite3.connect(gui.services.paths.database) as db:
        row = db.execute("SELECT planned_s, session_name, status FROM runs WHERE id = ?", (record.id,)).fetchone()
    assert row == (900.0, "First walk-run (shorter)", "finished")


@pytest.mark.timeout(240)
def test_k_keeps_the_plan_and_a_good_day_is_offered_nothing(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    run, replanner = _ready(qtbot, gui)
    offer = replanner.offer
    screen = run.screen
    with qtbot.waitSignal(replanner.replanned, timeout=60_000):
        qtbot.mouseClick(screen.feeling.button(3), Qt.MouseButton.LeftButton)
    assert not offer.showing
    qtbot.mouseClick(screen.feeling.button(-2), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: offer.showing)
    before = run.engine.cues
    _key(qtbot, run, Qt.Key.Key_K)
    assert not offer.showing
    qtbot.mouseClick(screen.feeling.button(-4), Qt.MouseButton.LeftButton)  # declined: not asked again
    assert not offer.showing
    assert run.plan is run.session.planned
    assert len(screen.bar.blocks) == 10
    assert [c.offset_s for c in run.engine.cues if c.kind is CueKind.CHANGE] == [
        c.offset_s for c in before if c.kind is CueKind.CHANGE
    ]
    with qtbot.waitSignal(run.run_saved, timeout=10_000) as saved:
        clock.advance(5.0 + 1200.0)
    assert saved.args[0].planned_s == 1200.0


@pytest.mark.timeout(240)
def test_the_simulated_treadmill_follows_the_shorter_run(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    # small-steps-10: warm-up 4.5 km/h, walk 5.0, free 6.5, cool-down 4.5; the shorter one leaves the free
    # part out, so its third segment is the cool-down.
    run, simulator = start_with_treadmill(qtbot, gui, belt_control=True, belt_control_agreed=True)
    replanner = run.findChild(CheckinReplanner)
    assert replanner is not None
    qtbot.waitUntil(lambda: bool(run.engine.cues), timeout=SYNTHESIS_TIMEOUT_MS)
    qtbot.waitUntil(run.screen.checkin.isVisible)
    qtbot.mouseClick(run.screen.feeling.button(-3), Qt.MouseButton.LeftButton)  # in the warm-up
    qtbot.waitUntil(lambda: replanner.offer.showing)
    with qtbot.waitSignal(replanner.offer.switched, timeout=60_000):
        _key(qtbot, run, Qt.Key.Key_S)
    assert [s.kind.value for s in run.plan.segments] == ["warmup", "walk", "cooldown"]

    def speeds() -> list[float | None]:
        return [value for op, value in commands(simulator) if op is OpCode.SET_TARGET_SPEED]

    clock.advance(301.0)  # into the third segment
    qtbot.waitUntil(lambda: run.engine.snapshot().segment_index == 2 and speeds()[-1] == 4.5, timeout=30_000)
    assert 6.5 not in speeds()  # the planned run's free part, which the shorter run has not
