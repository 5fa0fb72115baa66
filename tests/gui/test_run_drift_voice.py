"""The coach says the belt's real figures when it drifts: the app's run with the simulated treadmill and strap over
bumble's virtual link, whose simulated runner misses a spoken target and leaves the belt where it was. The remark
is rendered by espeak-ng, handed to the player in a silence between the scheduled cues, and shown as the caption.
The run's clock is the fixture's FakeClock, moved a few seconds for each real reading of the belt."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from runcompanion.audio.wav_io import wav_duration_s
from runcompanion.core.belt_drift import GRACE_S, HOLD_S, quiet_between
from runcompanion.core.clock import FakeClock
from runcompanion.core.devices import TreadmillReading
from runcompanion.ui.run.controller import RunController
from runcompanion.ui.run.qt_player import QtPlayer
from runcompanion.ui.shell.gui_app import GuiApp

WAIT_MS = 30_000
WARMUP_S = 120.0  # small-steps-10: a 2-minute slow walk at 4.5 km/h, then a walk at 5 km/h and 1 % incline
STEP_S = 3.0  # session seconds per real reading: well within the drift rule's 5 s between readings


def _started(qtbot: QtBot, gui: GuiApp, **settings: object) -> RunController:
    assert gui.shell is not None
    gui.shell.update_settings(gui.shell.settings.with_changes(treadmill="simulated", countdown_s=0, **settings))
    run = gui.start_run("small-steps-10", seed=1)
    assert run is not None
    assert run.devices is not None
    devices = run.devices
    qtbot.waitUntil(lambda: devices.session.simulator is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: run.engine.cues != (), timeout=WAIT_MS)  # the voice is ready
    return run


def test_a_missed_target_is_said_with_the_real_figures_in_a_silence(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    played: list[Path] = []
    play_file = QtPlayer.play_file

    def spy(player: QtPlayer, path: Path) -> None:
        played.append(path)
        play_file(player, path)

    monkeypatch.setattr(QtPlayer, "play_file", spy)
    run = _started(qtbot, gui)
    devices, drift = run.devices, run.drift
    assert devices is not None
    assert drift is not None
    simulator = devices.session.simulator
    assert simulator is not None
    belt: list[TreadmillReading] = []
    devices.belt.connect(belt.append)
    qtbot.waitUntil(lambda: bool(belt) and abs((belt[-1].speed_kmh or 0) - 4.5) <= 0.11, timeout=WAIT_MS)
    simulator.model.miss_targets(1)  # the walk's 5 km/h goes unheard: the belt stays at the warm-up's speed
    clock.advance(WARMUP_S)
    spoken: list[tuple[str, float]] = []
    drift.spoken.connect(lambda text: spoken.append((text, run.engine.snapshot().elapsed_s)))
    while not spoken:
        assert run.engine.snapshot().elapsed_s < WARMUP_S + 100, "no remark within 100 s of the walk"
        seen = len(belt)
        qtbot.waitUntil(lambda seen=seen: len(belt) > seen, timeout=WAIT_MS)  # type: ignore[misc]
        clock.advance(STEP_S)
    text, at = spoken[0]
    assert re.fullmatch(
        r"Just so you know: you're at 4\.[456] km/h; the target here is 5 km/h\. Staying easier is fine too\.", text
    ), text
    assert at >= WARMUP_S + GRACE_S + HOLD_S  # not while the runner could still be changing the belt
    assert run.screen.caption.text() == text
    assert len(played) == 1
    length = wav_duration_s(played[0])
    assert length > 2.0  # espeak-ng said the sentence
    assert quiet_between(run.engine.cues, at, at + length, margin=0.0)  # no scheduled cue talked over
    for _ in range(10):  # the belt still off target: nothing more in this segment
        seen = len(belt)
        qtbot.waitUntil(lambda seen=seen: len(belt) > seen, timeout=WAIT_MS)  # type: ignore[misc]
        clock.advance(STEP_S)
    assert len(spoken) == 1


def test_a_belt_on_target_is_never_mentioned(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    run = _started(qtbot, gui)
    devices, drift = run.devices, run.drift
    assert devices is not None
    assert drift is not None
    spoken: list[str] = []
    drift.spoken.connect(spoken.append)
    belt: list[TreadmillReading] = []
    devices.belt.connect(belt.append)
    clock.advance(WARMUP_S)  # the simulated runner hears the walk's target and sets the belt a few seconds later
    while run.engine.snapshot().elapsed_s < WARMUP_S + GRACE_S + HOLD_S + 15:
        seen = len(belt)
        qtbot.waitUntil(lambda seen=seen: len(belt) > seen, timeout=WAIT_MS)  # type: ignore[misc]
        clock.advance(STEP_S)
    assert abs((belt[-1].speed_kmh or 0) - 5.0) <= 0.11
    assert spoken == []


def test_a_remark_played_while_muted_stays_muted(qtbot: QtBot, tmp_path: Path) -> None:
    from runcompanion.audio.wav_io import write_pcm_atomic

    player = QtPlayer()
    player.set_muted(True)
    path = tmp_path / "remark.wav"
    write_pcm_atomic(path, bytes(4410))
    player.play_file(path)
    assert player._current is not None
    assert player._current.isMuted()
