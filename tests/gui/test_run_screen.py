"""The run screen driven through a whole guided session with a fake clock: what it shows, what the keys do, what
is saved. Real services on a temporary database, real speech synthesis in the background.

The engine steps from the controller's 25 ms Qt timer and reads the fake clock, so each test moves the clock and
then waits until the screen shows the result.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QRect, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import AppSettings
from runcompanion.core.clock import FakeClock
from runcompanion.core.cue_timeline import CueKind, CuePriority, TimelineCue
from runcompanion.core.engine_events import EngineState
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import Services, build_services
from runcompanion.services.cue_service import PreparedRun
from runcompanion.ui.run.controller import RunController
from runcompanion.ui.run.screen import RunScreen
from runcompanion.ui.shell.gui_app import GuiApp

SESSION = "first-walk-run"  # 5:00 warm-up, (1:00 run, 1:30 walk) x 4, 5:00 cool-down: 10 segments, 20:00
SEED = 7
COUNTDOWN_S = 5  # the default setting
TOTAL_S = 20 * 60
WARMUP_TARGETS = "5.5 km/h · incline 1 % · effort 2/10"
RUN_TARGETS = "8.0 km/h · incline 1 % · effort 5/10"
TITLES = [
    "Brisk walk",
    "Easy run 1 of 4",
    "Walk",
    "Easy run 2 of 4",
    "Walk",
    "Easy run 3 of 4",
    "Walk",
    "Easy run 4 of 4",
    "Walk",
    "Cool-down walk",
]
PLANNED_S = [300.0, 60.0, 90.0, 60.0, 90.0, 60.0, 90.0, 60.0, 90.0, 300.0]
SYNTHESIS_TIMEOUT_MS = 90_000  # with a cold cache, every cue of the session is synthesized by espeak-ng


@pytest.fixture(autouse=True)
def _dialogs_never_block(answer_dialogs: list[str]) -> list[str]:
    """pytest-qt closes the window before the ``gui`` fixture's teardown, and a run still going would then ask
    "A run is in progress" in a modal box that nobody answers. Every test here answers Yes (and can see what
    was asked)."""
    return answer_dialogs


@pytest.fixture(scope="session")
def rendered_speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's cues for SEED, rendered once by espeak-ng for the whole test run."""
    built = build_services(resolve_paths(tmp_path_factory.mktemp("speech") / "home", env={}))
    try:
        built.cues.prepare(built.catalog.get(SESSION), AppSettings(), SEED)
    finally:
        built.close()
    return built.paths.speech_cache


@pytest.fixture(autouse=True)
def _warm_speech_cache(services: Services, rendered_speech: Path) -> None:
    """Each test starts from a warm speech cache, as the app usually does: preparing a run then takes well under
    the countdown instead of seconds. The test of a cold cache empties it again."""
    for wav in rendered_speech.glob("*.wav"):
        shutil.copy2(wav, services.paths.speech_cache / wav.name)


# --- helpers --------------------------------------------------------------------------------------------------


def start(qtbot: QtBot, gui: GuiApp) -> RunController:
    run = gui.start_run(SESSION, seed=SEED)
    assert run is not None
    assert run.engine.state is EngineState.READY  # the screen shows, and the countdown starts, a turn later
    with qtbot.waitSignal(run.countdown_started, timeout=5_000):
        pass
    assert gui.window.screens.currentWidget() is run.screen
    assert run.engine.snapshot().state is EngineState.COUNTDOWN
    return run


def advance(qtbot: QtBot, clock: FakeClock, seconds: float, until: Callable[[], bool]) -> None:
    """Move the fake clock, then let the controller's timer step the engine until ``until`` holds."""
    clock.advance(seconds)
    qtbot.waitUntil(until, timeout=5_000)


def shows(label: QLabel, text: str) -> Callable[[], bool]:
    return lambda: label.text() == text


def past_countdown(qtbot: QtBot, clock: FakeClock, screen: RunScreen) -> None:
    advance(qtbot, clock, COUNTDOWN_S, shows(screen.time_label, "5:00"))
    assert screen.now_label.text() == "Brisk walk"


def wait_for_speech(qtbot: QtBot, gui: GuiApp, screen: RunScreen) -> None:
    """Until the cues are rendered and handed to the engine (the progress bar alone hides a little earlier)."""
    qtbot.waitUntil(lambda: screen.preparing.isHidden() and gui.tasks.in_flight == 0, timeout=SYNTHESIS_TIMEOUT_MS)


def frames(qtbot: QtBot, run: RunController, count: int = 3) -> None:
    """Let the controller step the engine ``count`` times (to show that nothing changes while nothing should)."""
    timers = run.findChildren(QTimer)
    assert len(timers) == 1
    assert timers[0].isActive()
    for _ in range(count):
        with qtbot.waitSignal(timers[0].timeout, timeout=2_000):
            pass


def key(qtbot: QtBot, screen: RunScreen, which: Qt.Key) -> None:
    qtbot.keyClick(screen, which)


# --- countdown and exact times --------------------------------------------------------------------------------


def test_countdown_counts_five_to_one_then_the_warmup_starts(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    screen = start(qtbot, gui).screen
    assert screen.now_label.text() == "Get ready"
    assert screen.time_label.text() == "5"
    assert screen.targets_label.text() == "First: Brisk walk 5:00"
    assert screen.next_label.text() == WARMUP_TARGETS
    assert screen.elapsed_label.text() == "0:00 of 20:00"
    for number in ("4", "3", "2", "1"):
        advance(qtbot, clock, 1, shows(screen.time_label, number))
        assert screen.now_label.text() == "Get ready"

    advance(qtbot, clock, 1, shows(screen.time_label, "5:00"))
    assert screen.now_label.text() == "Brisk walk"
    assert screen.targets_label.text() == WARMUP_TARGETS
    assert screen.segment_label.text() == "Segment 1 of 10"
    advance(qtbot, clock, 1, shows(screen.time_label, "4:59"))
    assert screen.elapsed_label.text() == "0:01 of 20:00"


def test_two_and_a_half_minutes_in_shows_exact_times_and_what_comes_next(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock
) -> None:
    screen = start(qtbot, gui).screen
    past_countdown(qtbot, clock, screen)
    assert screen.bar.position == 0.0

    advance(qtbot, clock, 150, shows(screen.time_label, "2:30"))
    assert screen.elapsed_label.text() == "2:30 of 20:00"
    assert screen.now_label.text() == "Brisk walk"
    assert screen.next_label.text() == f"Next: Easy run 1 of 4 1:00 · {RUN_TARGETS}"
    assert screen.segment_label.text() == "Segment 1 of 10"
    assert screen.bar.position == pytest.approx(150.0)

    advance(qtbot, clock, 0.5, lambda: screen.bar.position == pytest.approx(150.5))
    assert screen.time_label.text() == "2:30"  # 2:29.5 left still reads 2:30: remaining time rounds up
    assert screen.elapsed_label.text() == "2:30 of 20:00"
    advance(qtbot, clock, 0.5, shows(screen.time_label, "2:29"))
    assert screen.elapsed_label.text() == "2:31 of 20:00"


# --- the keys -------------------------------------------------------------------------------------------------


def test_space_pauses_the_clock_and_resumes_from_the_same_time(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    run = start(qtbot, gui)
    screen = run.screen
    past_countdown(qtbot, clock, screen)
    advance(qtbot, clock, 30, shows(screen.time_label, "4:30"))

    key(qtbot, screen, Qt.Key.Key_Space)
    assert run.engine.state is EngineState.PAUSED
    assert screen.now_label.text() == "Paused · Brisk walk"
    assert screen.pause_button.text() == "Resume (Space)"

    clock.advance(60)
    frames(qtbot, run)
    assert screen.time_label.text() == "4:30"
    assert screen.elapsed_label.text() == "0:30 of 20:00"
    assert screen.bar.position == pytest.approx(30.0)
    assert screen.now_label.text() == "Paused · Brisk walk"

    qtbot.mouseClick(screen.pause_button, Qt.MouseButton.LeftButton)  # the button does what Space does
    assert run.engine.snapshot().state is EngineState.RUNNING
    assert screen.now_label.text() == "Brisk walk"
    assert screen.pause_button.text() == "Pause (Space)"
    assert screen.time_label.text() == "4:30"
    advance(qtbot, clock, 1, shows(screen.time_label, "4:29"))
    assert screen.elapsed_label.text() == "0:31 of 20:00"


def test_pausing_the_countdown_holds_its_number(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    run = start(qtbot, gui)
    screen = run.screen
    advance(qtbot, clock, 2, shows(screen.time_label, "3"))
    key(qtbot, screen, Qt.Key.Key_Space)
    assert screen.now_label.text().startswith("Paused")
    clock.advance(30)
    frames(qtbot, run)
    assert run.engine.snapshot().countdown_remaining_s == pytest.approx(3.0)
    key(qtbot, screen, Qt.Key.Key_Space)
    assert screen.time_label.text() == "3"
    assert screen.now_label.text() == "Get ready"
    advance(qtbot, clock, 3, shows(screen.time_label, "5:00"))


def test_right_skips_to_the_next_segment_and_left_goes_back(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    run = start(qtbot, gui)
    screen = run.screen
    past_countdown(qtbot, clock, screen)
    advance(qtbot, clock, 40, shows(screen.time_label, "4:20"))

    key(qtbot, screen, Qt.Key.Key_Right)
    assert screen.now_label.text() == "Easy run 1 of 4"
    assert screen.targets_label.text() == RUN_TARGETS
    assert screen.segment_label.text() == "Segment 2 of 10"
    assert screen.time_label.text() == "1:00"
    assert screen.elapsed_label.text() == "5:00 of 20:00"
    assert screen.next_label.text() == f"Next: Walk 1:30 · {WARMUP_TARGETS}"
    assert screen.bar.position == pytest.approx(300.0)

    advance(qtbot, clock, 10, shows(screen.time_label, "0:50"))
    key(qtbot, screen, Qt.Key.Key_Left)  # 10 s in: back to the start of this segment
    assert screen.now_label.text() == "Easy run 1 of 4"
    assert screen.time_label.text() == "1:00"
    assert screen.elapsed_label.text() == "5:00 of 20:00"

    key(qtbot, screen, Qt.Key.Key_Left)  # at its start: back to the previous segment
    assert screen.now_label.text() == "Brisk walk"
    assert screen.segment_label.text() == "Segment 1 of 10"
    assert screen.time_label.text() == "5:00"
    assert screen.elapsed_label.text() == "0:00 of 20:00"
    advance(qtbot, clock, 1, shows(screen.time_label, "4:59"))

    qtbot.mouseClick(screen.skip_button, Qt.MouseButton.LeftButton)
    assert screen.now_label.text() == "Easy run 1 of 4"
    qtbot.mouseClick(screen.skip_button, Qt.MouseButton.LeftButton)
    assert screen.now_label.text() == "Walk"
    assert screen.segment_label.text() == "Segment 3 of 10"
    assert screen.time_label.text() == "1:30"


def test_m_mutes_and_plus_minus_change_the_volume(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    screen = start(qtbot, gui).screen
    assert screen.mute_button.text() == "Mute (M)"
    key(qtbot, screen, Qt.Key.Key_M)
    assert screen.mute_button.text() == "Unmute (M)"
    key(qtbot, screen, Qt.Key.Key_M)
    assert screen.mute_button.text() == "Mute (M)"
    qtbot.mouseClick(screen.mute_button, Qt.MouseButton.LeftButton)
    assert screen.mute_button.text() == "Unmute (M)"

    key(qtbot, screen, Qt.Key.Key_Plus)
    assert screen.caption.text() == "Volume 85 %"
    key(qtbot, screen, Qt.Key.Key_Minus)
    key(qtbot, screen, Qt.Key.Key_Minus)
    assert screen.caption.text() == "Volume 75 %"
    key(qtbot, screen, Qt.Key.Key_Equal)  # "+" without Shift
    assert screen.caption.text() == "Volume 80 %"
    for _ in range(6):
        key(qtbot, screen, Qt.Key.Key_Plus)
    assert screen.caption.text() == "Volume 100 %"  # never above 100
    assert screen.time_label.text() == "5"  # none of these keys touched the countdown


def test_f11_toggles_full_screen_and_back(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    screen = start(qtbot, gui).screen
    assert not gui.window.isFullScreen()
    key(qtbot, screen, Qt.Key.Key_F11)
    qtbot.waitUntil(gui.window.isFullScreen)
    assert gui.window.screens.currentWidget() is screen
    key(qtbot, screen, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not gui.window.isFullScreen())
    advance(qtbot, clock, 1, shows(screen.time_label, "4"))  # the run went on throughout


# --- stopping -------------------------------------------------------------------------------------------------


def test_esc_asks_then_stops_and_saves_the_run_as_stopped(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, services: Services, answer_dialogs: list[str]
) -> None:
    run = start(qtbot, gui)
    screen = run.screen
    past_countdown(qtbot, clock, screen)
    advance(qtbot, clock, 150, shows(screen.time_label, "2:30"))

    with qtbot.waitSignal(run.run_saved, timeout=5_000) as saved:
        key(qtbot, screen, Qt.Key.Key_Escape)
    assert answer_dialogs == ["Stop this run?"]
    assert saved.args is not None
    assert saved.args[0].status == "stopped"
    assert screen.showing_summary
    assert "stopped early" in screen.summary_title.text()
    assert "Moving time: 2:30" in screen.summary_body.text()
    assert "Segments completed: 0 of 10" in screen.summary_body.text()
    assert not run.active

    record = services.runs.history()[0]
    assert record.status == "stopped"
    assert record.session_id == SESSION
    assert record.seed == SEED
    assert record.elapsed_s == pytest.approx(150.0)
    assert record.segment_index == 0
    assert [entry["index"] for entry in record.segment_log] == [0]
    assert record.segment_log[0]["actual_s"] == pytest.approx(150.0)

    clock.advance(60)  # the summary stays still: nothing steps any more
    assert services.runs.history()[0].elapsed_s == pytest.approx(150.0)
    assert screen.showing_summary


def test_answering_no_keeps_the_run_going_and_the_question_took_no_session_time(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def think_then_say_no(_parent: QWidget, title: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(title)
        clock.advance(30)  # the runner reads the question for half a minute
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", think_then_say_no)
    run = start(qtbot, gui)
    screen = run.screen
    past_countdown(qtbot, clock, screen)
    advance(qtbot, clock, 20, shows(screen.time_label, "4:40"))

    key(qtbot, screen, Qt.Key.Key_Escape)
    assert asked == ["Stop this run?"]
    assert run.active
    assert run.engine.state is EngineState.RUNNING
    assert not screen.showing_summary
    assert screen.time_label.text() == "4:40"
    assert screen.now_label.text() == "Brisk walk"
    advance(qtbot, clock, 1, shows(screen.time_label, "4:39"))
    assert screen.elapsed_label.text() == "0:21 of 20:00"
    assert services.runs.history()[0].status == "in_progress"


def test_esc_while_paused_and_answering_no_stays_paused(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.No)
    run = start(qtbot, gui)
    screen = run.screen
    past_countdown(qtbot, clock, screen)
    key(qtbot, screen, Qt.Key.Key_Space)
    key(qtbot, screen, Qt.Key.Key_Escape)
    assert run.engine.state is EngineState.PAUSED
    assert screen.now_label.text() == "Paused · Brisk walk"


# --- to the end -----------------------------------------------------------------------------------------------


def test_a_whole_session_step_by_step_shows_every_segment_and_finishes(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, services: Services
) -> None:
    run = start(qtbot, gui)
    screen = run.screen
    past_countdown(qtbot, clock, screen)
    seen = [screen.now_label.text()]
    step_s = 30
    for elapsed in range(step_s, TOTAL_S, step_s):
        minutes, seconds = divmod(elapsed, 60)
        advance(qtbot, clock, step_s, shows(screen.elapsed_label, f"{minutes}:{seconds:02d} of 20:00"))
        if screen.now_label.text() != seen[-1]:
            seen.append(screen.now_label.text())
    assert seen == TITLES
    assert screen.time_label.text() == "0:30"
    assert screen.next_label.text() == "Last one. The finish is at the end of this segment."

    with qtbot.waitSignal(run.run_saved, timeout=5_000) as saved:
        clock.advance(step_s)
    assert saved.args is not None
    assert saved.args[0].status == "finished"
    assert screen.showing_summary
    assert screen.summary_title.text() == "Well done!"
    assert "You finished First walk-run." in screen.summary_body.text()
    assert "Moving time: 20:00" in screen.summary_body.text()
    assert "Segments completed: 10 of 10" in screen.summary_body.text()

    record = services.runs.history()[0]
    assert record.status == "finished"
    assert record.elapsed_s == pytest.approx(TOTAL_S)
    assert record.segments_done == 10
    assert [entry["actual_s"] for entry in record.segment_log] == pytest.approx(PLANNED_S)

    qtbot.mouseClick(screen.done_button, Qt.MouseButton.LeftButton)
    assert gui.window.screens.currentIndex() == 0
    assert gui.run is None


def test_a_stall_past_the_end_still_delivers_every_segment_and_cue_in_order(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, services: Services
) -> None:
    assert gui.shell is not None
    run = start(qtbot, gui)
    screen = run.screen
    wait_for_speech(qtbot, gui, screen)
    heard: list[TimelineCue] = []
    run.cue_started.connect(heard.append)
    past_countdown(qtbot, clock, screen)

    with qtbot.waitSignal(run.run_saved, timeout=5_000) as saved:
        clock.advance(TOTAL_S + 45)  # the GUI froze for the whole session
    assert saved.args is not None
    record = services.runs.history()[0]
    assert record.status == "finished"
    assert record.elapsed_s == pytest.approx(TOTAL_S)  # the 45 s after the end are not session time
    assert [entry["index"] for entry in record.segment_log] == list(range(10))
    assert [entry["kind"] for entry in record.segment_log] == [
        "warmup",
        *(["run", "walk"] * 4),
        "cooldown",
    ]
    assert [entry["actual_s"] for entry in record.segment_log] == pytest.approx(PLANNED_S)
    assert not any(entry["skipped"] for entry in record.segment_log)
    assert screen.summary_title.text() == "Well done!"
    assert "You finished First walk-run." in screen.summary_body.text()

    # The same seed gives the same timeline: every cue that is never dropped came, in order, once.
    plan = services.catalog.get(SESSION)
    timeline = services.cues.prepare(plan, gui.shell.settings, SEED).timeline
    kept = [cue for cue in timeline.cues if cue.priority is not CuePriority.LOW]
    assert heard == kept
    assert [cue.offset_s for cue in heard] == sorted(cue.offset_s for cue in heard)
    assert sum(cue.kind is CueKind.CHANGE for cue in heard) == 9
    assert heard[-1].kind is CueKind.FINISH


def test_checkpoints_save_the_run_while_it_goes_on(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, services: Services
) -> None:
    run = start(qtbot, gui)
    screen = run.screen
    qtbot.waitUntil(lambda: run.record is not None, timeout=5_000)  # the start is written by a worker
    first = services.runs.history()[0]
    assert run.record is not None
    assert first.id == run.record.id
    assert first.status == "in_progress"
    assert first.elapsed_s == 0.0
    past_countdown(qtbot, clock, screen)
    for second in range(1, 13):
        advance(qtbot, clock, 1, shows(screen.elapsed_label, f"0:{second:02d} of 20:00"))
    qtbot.waitUntil(lambda: services.runs.history()[0].elapsed_s >= 5, timeout=5_000)
    record = services.runs.history()[0]
    assert record.id == first.id
    assert record.status == "in_progress"
    assert 5 <= record.elapsed_s <= 12
    assert record.segment_index == 0


# --- cues -----------------------------------------------------------------------------------------------------


def test_cues_are_synthesized_then_played_and_captioned_at_their_time(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, services: Services
) -> None:
    for wav in services.paths.speech_cache.glob("*.wav"):
        wav.unlink()  # a cold cache: espeak-ng renders every cue of this run now
    run = start(qtbot, gui)
    screen = run.screen
    assert not screen.preparing.isHidden()  # "Preparing the voice…" while espeak-ng renders the cues
    assert screen.preparing.format().startswith("Preparing the voice")
    wait_for_speech(qtbot, gui, screen)

    with qtbot.waitSignal(run.cue_started, timeout=5_000) as started:
        advance(qtbot, clock, COUNTDOWN_S, shows(screen.time_label, "5:00"))
    assert started.args is not None
    first: TimelineCue = started.args[0]
    assert first.kind is CueKind.START
    assert screen.caption.text() == first.text

    def is_heads_up(cue: TimelineCue) -> bool:
        return cue.kind is CueKind.HEADS_UP

    with qtbot.waitSignal(run.cue_started, check_params_cb=is_heads_up, timeout=5_000) as heads_up:
        clock.advance(290)  # 10 s before the first change, at 5:00
    assert heads_up.args is not None
    cue: TimelineCue = heads_up.args[0]
    assert 270 <= cue.offset_s <= 290
    assert "run" in cue.text.lower()
    qtbot.waitUntil(shows(screen.caption, cue.text))
    assert screen.time_label.text() == "0:10"


# --- readability ----------------------------------------------------------------------------------------------


@pytest.fixture
def held_speech(services: Services, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Cue preparation waits until the returned event is set, so "Preparing the voice…" stays on screen."""
    release = threading.Event()
    prepare = services.cues.prepare

    def held(*args: Any, **kwargs: Any) -> PreparedRun:
        release.wait(60)
        return prepare(*args, **kwargs)

    monkeypatch.setattr(services.cues, "prepare", held)
    yield release
    release.set()


def digits_box(label: QLabel) -> tuple[int, int]:
    """Top and bottom (in the label) of the ink of its text, vertically centred as the big digits are.

    The font's line box (what sizeHint asks for) has room for accents and descenders the digits never use, so
    the label may be shorter than its size hint without cutting off any digit."""
    metrics = QFontMetrics(label.font())
    baseline = (label.height() - metrics.height()) / 2 + metrics.ascent()
    ink = metrics.tightBoundingRect(label.text())
    return round(baseline + ink.top()), round(baseline + ink.bottom())


def layout_problems(screen: RunScreen) -> list[str]:
    """What a runner would not be able to read: labels with less room than their text needs, and widgets that
    overlap one another or fall outside the screen."""
    problems = []
    top, bottom = digits_box(screen.time_label)
    if top < 0 or bottom > screen.time_label.height():
        problems.append(f"big digits span {top}..{bottom} in a label {screen.time_label.height()} high")
    if screen.time_label.sizeHint().width() > screen.time_label.width():
        problems.append(f"big digits need {screen.time_label.sizeHint().width()} px, have {screen.time_label.width()}")
    labels = {
        "now": screen.now_label,
        "targets": screen.targets_label,
        "next": screen.next_label,
        "elapsed": screen.elapsed_label,
        "session": screen.session_label,
        "segment": screen.segment_label,
        "caption": screen.caption,
        "banner": screen.banner,
        "keys": screen.keys_hint,
    }
    for name, label in labels.items():
        if not label.isVisibleTo(screen) or not label.text():
            continue
        hint = label.sizeHint()
        if label.wordWrap():
            need_h, need_w = label.heightForWidth(label.width()), 0
        else:
            need_h, need_w = hint.height(), hint.width()
        if need_h > label.height() or need_w > label.width():
            problems.append(f"{name} {label.text()!r}: needs {need_w}x{need_h}, has {label.width()}x{label.height()}")
    for button in (screen.pause_button, screen.back_button, screen.skip_button, screen.mute_button):
        if button.sizeHint().width() > button.width():
            problems.append(f"button {button.text()!r} is {button.width()} wide, needs {button.sizeHint().width()}")

    live = screen.pages.widget(0)
    assert live is not None
    shown = [w for w in live.findChildren(QWidget) if w.parentWidget() is live and w.isVisibleTo(screen)]
    for i, first in enumerate(shown):
        if not live.rect().contains(first.geometry()):
            problems.append(f"{describe(first)} at {first.geometry().getRect()} is outside the screen")
        if not isinstance(first, QLabel) and first.height() < first.minimumSizeHint().height():
            need = first.minimumSizeHint().height()
            problems.append(f"{describe(first)} is squeezed to {first.height()} px high, needs {need}")
        for second in shown[i + 1 :]:
            if footprint(first).intersects(footprint(second)):
                problems.append(f"{describe(first)} overlaps {describe(second)}")
    return problems


def footprint(widget: QWidget) -> QRect:
    """Where a widget draws: its geometry, but for the big digits only the rows their ink covers (the rest of
    their line box is empty, and a neighbour may sit there without hiding anything)."""
    if widget.objectName() == "bigTime" and isinstance(widget, QLabel):
        top, bottom = digits_box(widget)
        geometry = widget.geometry()
        return QRect(geometry.left(), geometry.top() + top, geometry.width(), bottom - top + 1)
    return widget.geometry()


def describe(widget: QWidget) -> str:
    text = widget.property("text")
    return f"{type(widget).__name__} {text!r}" if text else f"{type(widget).__name__} {widget.objectName()!r}"


def readability_problems(gui: GuiApp, screen: RunScreen) -> list[str]:
    """Everything unreadable on the screen as it is now laid out (after the pending relayouts, as the event loop
    would do them before the next paint)."""
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    problems = layout_problems(screen)
    if screen.size() != gui.window.size():
        problems.append(f"the run screen is {screen.size().toTuple()} in a {gui.window.size().toTuple()} window")
    digits = QFontMetrics(screen.time_label.font()).tightBoundingRect("0:00").height()
    if digits < gui.window.height() / 5:
        problems.append(f"the digits are {digits} px high in a {gui.window.height()} px window")
    return problems


@pytest.fixture
def no_sound_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without speakers: the run screen shows its "No sound" banner once the cues are ready."""
    monkeypatch.setattr("runcompanion.ui.run.qt_player.audio_output_available", lambda: False)


@pytest.mark.usefixtures("no_sound_output")
@pytest.mark.parametrize("size", [(1280, 800), (800, 480)], ids=["1280x800", "800x480"])
def test_the_screen_is_readable_from_the_treadmill(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, held_speech: threading.Event, size: tuple[int, int]
) -> None:
    # The fullest screens a runner meets: the countdown with the check-in while the voice is still being prepared
    # (a first run, with nothing in the speech cache), then the banner of a machine without sound, the long start
    # cue as caption, the longest "Next" line, "Paused · …".
    width, height = size
    gui.window.resize(width, height)
    qtbot.waitUntil(lambda: (gui.window.width(), gui.window.height()) == (width, height))
    run = start(qtbot, gui)
    screen = run.screen
    found: dict[str, list[str]] = {}
    assert screen.preparing.isVisibleTo(screen)
    found["countdown, voice being prepared"] = readability_problems(gui, screen)

    held_speech.set()
    wait_for_speech(qtbot, gui, screen)
    assert screen.banner.isVisibleTo(screen)
    assert "No sound" in screen.banner.text()
    past_countdown(qtbot, clock, screen)
    assert screen.caption.text().startswith("Here we go")
    found["start of the run, no-sound banner"] = readability_problems(gui, screen)
    key(qtbot, screen, Qt.Key.Key_Right)
    assert screen.now_label.text() == "Easy run 1 of 4"
    found["a run segment"] = readability_problems(gui, screen)
    key(qtbot, screen, Qt.Key.Key_Space)
    assert screen.now_label.text() == "Paused · Easy run 1 of 4"
    found["paused"] = readability_problems(gui, screen)
    unreadable = [f"{state}: {problem}" for state, problems in found.items() for problem in problems]
    assert not unreadable, "unreadable at {}x{}:\n  {}".format(width, height, "\n  ".join(unreadable))


def test_a_run_without_a_voice_plays_nothing_of_the_run_before(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app's one Qt player keeps the sounds of the last run it played; cues are played by their place in the
    # timeline, so a second run whose voice fails must not hand its captions' ids to that player.
    first = start(qtbot, gui)
    wait_for_speech(qtbot, gui, first.screen)
    first.shutdown()
    played: list[int] = []
    player = gui._cue_player()
    monkeypatch.setattr(player, "play", played.append)

    def no_voice(*_args: Any, **_kwargs: Any) -> PreparedRun:
        raise RuntimeError("the speech engine is gone")

    monkeypatch.setattr(services.cues, "prepare", no_voice)
    gui.runs.run = None  # the first run's summary is left behind, as the runner would by closing it
    second = start(qtbot, gui)
    qtbot.waitUntil(lambda: "No voice for this run" in second.screen.banner.text(), timeout=10_000)
    with qtbot.waitSignal(second.cue_started, timeout=5_000) as started:
        advance(qtbot, clock, COUNTDOWN_S, shows(second.screen.time_label, "5:00"))
    assert started.args is not None
    assert second.screen.caption.text() == started.args[0].text  # the cue is shown ...
    assert played == []  # ... and nothing of the first run is heard
