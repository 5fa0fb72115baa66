"""The app's run with the simulated treadmill: figures on the screen, and the belt moved only with consent, within
the limits, paused with the run. The run's clock is the fixture's FakeClock; the devices run on real time."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from runcompanion.core.clock import FakeClock
from runcompanion.core.ftms_control import OpCode, StopOrPause
from runcompanion.services.composition import Services
from runcompanion.services.devices.simulator import DeviceSimulator
from runcompanion.ui.run.controller import RunController
from runcompanion.ui.shell.gui_app import GuiApp

WAIT_MS = 30_000


def _start(qtbot: QtBot, gui: GuiApp, **settings: object) -> tuple[RunController, DeviceSimulator]:
    assert gui.shell is not None
    gui.shell.update_settings(gui.shell.settings.with_changes(treadmill="simulated", countdown_s=0, **settings))
    run = gui.start_run("small-steps-10", seed=1)
    assert run is not None
    devices = run.devices
    assert devices is not None
    qtbot.waitUntil(lambda: devices.session.simulator is not None, timeout=WAIT_MS)
    simulator = devices.session.simulator
    assert simulator is not None
    qtbot.waitUntil(run.screen.live_label.isVisible, timeout=WAIT_MS)
    return run, simulator


def _ops(simulator: DeviceSimulator) -> list[tuple[OpCode, float | None]]:
    return [(request.op_code, request.parameter) for _, request, _ in simulator.log.commands]


def test_control_with_consent_follows_targets_within_limits_and_pauses(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock
) -> None:
    run, simulator = _start(qtbot, gui, belt_control=True, belt_control_agreed=True, max_speed_kmh=5)

    def speeds() -> list[float | None]:
        return [value for op, value in _ops(simulator) if op is OpCode.SET_TARGET_SPEED]

    qtbot.waitUntil(lambda: 4.5 in speeds(), timeout=WAIT_MS)  # the warm-up's 4.5 km/h, climbed in steps
    assert _ops(simulator)[0] == (OpCode.REQUEST_CONTROL, None)
    clock.advance(301.0)  # into the third segment: "easy jog" at 6.5 km/h, above the runner's 5 km/h limit
    qtbot.waitUntil(lambda: speeds()[-1] == 5.0, timeout=WAIT_MS)
    assert max(value or 0 for value in speeds()) <= 5.0
    assert "Belt " in run.screen.live_label.text()
    run.toggle_pause()
    qtbot.waitUntil(lambda: (OpCode.STOP_OR_PAUSE, float(StopOrPause.PAUSE)) in _ops(simulator), timeout=WAIT_MS)


def test_without_consent_the_belt_is_only_read(qtbot: QtBot, gui: GuiApp, clock: FakeClock) -> None:
    run, simulator = _start(qtbot, gui, belt_control=True, belt_control_agreed=False)
    clock.advance(10.0)
    qtbot.waitUntil(lambda: "♥" in run.screen.live_label.text(), timeout=WAIT_MS)
    assert _ops(simulator) == []


def test_the_run_writes_its_figures_over_time_as_it_goes(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, services: Services
) -> None:
    run, _simulator = _start(qtbot, gui)
    devices = run.devices
    assert devices is not None
    qtbot.waitUntil(lambda: devices.run.samples.count >= 2, timeout=WAIT_MS)  # a sample each 5 s of running
    clock.advance(6.0)  # the run's next checkpoint writes them, on the run's writer, while the run goes on
    qtbot.waitUntil(lambda: run.record is not None and len(services.run_figures.samples(run.record.id)) >= 2)
    assert run.active
    assert run.record is not None
    stored = services.run_figures.samples(run.record.id)
    assert [sample.elapsed_s for sample in stored] == sorted({sample.elapsed_s for sample in stored})
    # after the first reading, one sample in each 5 s of running, taken at the first reading of each (1 a second)
    assert [int(sample.elapsed_s // 5) for sample in stored[1:]] == list(range(1, len(stored)))
    assert all(sample.elapsed_s % 5 <= 1.1 for sample in stored[1:])
    assert all(sample.heart_rate is not None for sample in stored[1:])
