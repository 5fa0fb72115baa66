"""The run screen's side of the treadmill and the strap: device events as Qt signals, figures as one line.

Listener methods are called on the device thread; they only emit signals, which Qt queues to the GUI thread.
Everything else must be called from the GUI thread and never waits on a device (closing runs on a worker).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future

from PySide6.QtCore import QObject, Signal

from runcompanion.core.app_settings import AppSettings
from runcompanion.core.devices import DeviceState, HeartRateReading, TreadmillReading
from runcompanion.core.engine_events import EngineEvent
from runcompanion.core.ftms_control import MachineStatus
from runcompanion.core.heart_zones import max_heart_rate
from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.units import SpeedUnit, format_speed
from runcompanion.services.devices.belt_control import BeltLimits
from runcompanion.services.devices.device_run import DeviceRun
from runcompanion.services.devices.device_session import DeviceSession
from runcompanion.services.devices.run_metrics import RunFigures
from runcompanion.ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

MOVING_M = 20.0


class RunDevices(QObject):
    """``live`` carries the figures line; ``notice`` a sentence for the banner (the run always goes on)."""

    live = Signal(str)
    notice = Signal(str)
    belt = Signal(object)
    """Each plausible treadmill reading, on the GUI thread (the coach's drift rule reads them)."""
    _connected = Signal()
    _treadmill = Signal(object)
    _heart = Signal(object)

    def __init__(
        self,
        session: DeviceSession,
        plan: SessionPlan,
        settings: AppSettings,
        tasks: TaskRunner,
        *,
        control: bool,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._settings = settings
        self._tasks = tasks
        self._control = control
        self.zone_max = max_heart_rate(settings.max_heart_rate, settings.age)
        self._limits = BeltLimits(float(settings.max_speed_kmh), float(settings.max_incline_pct))
        self.run: DeviceRun = session.new_run(
            plan,
            limits=self._limits,
            max_heart_rate=self.zone_max,
            on_notice=self.notice.emit,
        )
        self._belt: TreadmillReading | None = None
        self._bpm: HeartRateReading | None = None
        self._closed = False
        self._logged_first = self._logged_moving = False
        self._lost: set[str] = set()  # touched on the device thread only
        self._treadmill.connect(self._on_treadmill)
        self._heart.connect(self._on_heart)
        self._connected.connect(self._on_connected)

    def start(self) -> None:
        """Connect (on the device thread); control is asked for once connected, if the runner agreed."""
        future = self._session.connect()
        future.add_done_callback(self._connect_done)

    def _connect_done(self, future: Future[None]) -> None:  # device thread
        error = future.exception()
        if error is not None:
            log.warning("devices: %s", error)
            self.notice.emit(f"The devices could not be started: {error}")
            return
        for device in (self._session.treadmill, self._session.heart):
            if device is not None:
                device.add_listener(self)
                if device.state is not DeviceState.CONNECTED:
                    self.notice.emit(f"{device.name} is not connected; the run goes on without it.")
        self._connected.emit()

    def _on_connected(self) -> None:
        if self._closed:
            return
        self.run.attach(self._session.treadmill, self._session.heart)
        if self._control:
            self.run.take_control()

    def handle(self, events: Sequence[EngineEvent]) -> None:
        self.run.handle(events)

    def finish(self) -> RunFigures:
        return self.run.finish(self._session.now())

    @property
    def session(self) -> DeviceSession:
        return self._session

    @property
    def tasks(self) -> TaskRunner:
        """The app's workers, for what the run's devices need done off the GUI thread."""
        return self._tasks

    @property
    def limits(self) -> BeltLimits:
        """The runner's maximum speed and incline (Settings, Devices)."""
        return self._limits

    @property
    def names(self) -> str:
        return self._session.names

    def close(self) -> None:
        """Disconnect and stop the device thread on a worker."""
        if self._closed:
            return
        self._closed = True
        for device in (self._session.treadmill, self._session.heart):
            if device is not None:
                device.remove_listener(self)
        self._tasks.run(self._session.close, None, lambda exc: log.warning("closing devices: %s", exc))

    # -- listeners (device thread): only signals ------------------------------------------------------------------
    def on_treadmill_reading(self, reading: TreadmillReading) -> None:
        self._treadmill.emit(reading)

    def on_treadmill_status(self, status: MachineStatus) -> None:
        """Belt control reads statuses; the screen has nothing to show for them."""

    def on_treadmill_state(self, state: DeviceState, detail: str) -> None:
        # With control on, belt control words the loss and the return; reading only, they are said here.
        if self._control:
            return
        if state is DeviceState.LOST:
            self._lost.add("treadmill")
            self.notice.emit(f"{detail} The run goes on.")
        elif state is DeviceState.CONNECTED and "treadmill" in self._lost:
            self._lost.discard("treadmill")
            self.notice.emit("The treadmill is connected again.")

    def on_heart_rate(self, reading: HeartRateReading) -> None:
        self._heart.emit(reading)

    def on_heart_rate_state(self, state: DeviceState, detail: str) -> None:
        if state is DeviceState.LOST:
            self._lost.add("heart")
            self.notice.emit(f"{detail} The run goes on.")
        elif state is DeviceState.CONNECTED and "heart" in self._lost:
            self._lost.discard("heart")
            self.notice.emit("The heart-rate strap is connected again.")

    # -- GUI thread -----------------------------------------------------------------------------------------------
    def _on_treadmill(self, reading: TreadmillReading) -> None:
        self._belt = reading
        self._show()
        self.belt.emit(reading)

    def _on_heart(self, reading: HeartRateReading) -> None:
        self._bpm = reading
        self._show()

    def _show(self) -> None:
        distance = self.run.metrics.distance_m
        line = live_line(self._belt, self._bpm, distance, self._settings)
        if not self._logged_first:
            self._logged_first = True
            log.info("devices: first figures on the run screen: %s", line)
        if not self._logged_moving and distance is not None and distance >= MOVING_M:
            self._logged_moving = True
            log.info("devices: the belt has carried the runner %.0f m: %s", distance, line)
        self.live.emit(line)


def live_line(
    belt: TreadmillReading | None, heart: HeartRateReading | None, distance_m: float | None, settings: AppSettings
) -> str:
    """One line for two metres away: belt speed, incline, distance, heart rate (what is known)."""
    parts: list[str] = []
    if belt is not None:
        if belt.speed_kmh is not None:
            parts.append(f"Belt {format_speed(settings.units, belt.speed_kmh)}")
        if belt.incline_percent is not None:
            parts.append(f"{belt.incline_percent:.1f} %")
    if distance_m is not None:
        miles = settings.units is SpeedUnit.MPH
        parts.append(f"{distance_m / 1609.344:.2f} mi" if miles else f"{distance_m / 1000:.2f} km")
    if heart is not None:
        parts.append(f"♥ {heart.bpm}")
    return "  ·  ".join(parts)
