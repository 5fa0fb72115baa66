"""The simulated treadmill and strap on bumble's virtual link, the app's clients connected to them, one clock."""

from __future__ import annotations

import threading
from collections.abc import Callable

from runcompanion.core.clock import FakeClock
from runcompanion.core.devices import DeviceState, HeartRateReading, TreadmillReading
from runcompanion.core.ftms_control import MachineStatus
from runcompanion.services.devices.bumble_link import BumbleGattLink
from runcompanion.services.devices.device_loop import DeviceLoop
from runcompanion.services.devices.ftms_client import FtmsTreadmill
from runcompanion.services.devices.hr_client import HeartRateStrap
from runcompanion.services.devices.simulator import STRAP_ADDRESS, TREADMILL_ADDRESS, DeviceSimulator

WAIT_S = 10.0


class Seen:
    """Everything the app's clients passed up, with a condition to wait on (the device thread fills it)."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.treadmill: list[TreadmillReading] = []
        self.heart: list[HeartRateReading] = []
        self.statuses: list[MachineStatus] = []
        self.states: list[tuple[str, DeviceState]] = []

    def _add(self, bucket: list[object], item: object) -> None:
        with self.condition:
            bucket.append(item)
            self.condition.notify_all()

    def on_treadmill_reading(self, reading: TreadmillReading) -> None:
        self._add(self.treadmill, reading)  # type: ignore[arg-type]

    def on_treadmill_status(self, status: MachineStatus) -> None:
        self._add(self.statuses, status)  # type: ignore[arg-type]

    def on_treadmill_state(self, state: DeviceState, detail: str) -> None:
        self._add(self.states, ("treadmill", state))  # type: ignore[arg-type]

    def on_heart_rate(self, reading: HeartRateReading) -> None:
        self._add(self.heart, reading)  # type: ignore[arg-type]

    def on_heart_rate_state(self, state: DeviceState, detail: str) -> None:
        self._add(self.states, ("heart", state))  # type: ignore[arg-type]

    def wait_for(self, predicate: Callable[[], bool], what: str) -> None:
        with self.condition:
            if not self.condition.wait_for(predicate, WAIT_S):
                raise AssertionError(f"waited {WAIT_S} s for {what}")


class Rig:
    def __init__(self, *, controllable: bool = True, reconnect_s: float | None = None) -> None:
        self.clock = FakeClock()
        self.loop = DeviceLoop("test-devices")
        self.sim = DeviceSimulator(self.clock, controllable=controllable)
        self.loop.submit(self.sim.start()).result(WAIT_S)
        self.treadmill = FtmsTreadmill(
            BumbleGattLink(self.sim.central, TREADMILL_ADDRESS, "Simulated treadmill", self.sim.connect_lock),
            self.loop,
            self.clock,
            reconnect_s=reconnect_s,
        )
        self.strap = HeartRateStrap(
            BumbleGattLink(self.sim.central, STRAP_ADDRESS, "Simulated heart-rate strap", self.sim.connect_lock),
            self.loop,
            self.clock,
            reconnect_s=reconnect_s,
        )
        self.seen = Seen()
        self.treadmill.add_listener(self.seen)
        self.strap.add_listener(self.seen)

    def connect(self) -> None:
        self.treadmill.connect().result(WAIT_S)
        self.strap.connect().result(WAIT_S)

    def publish(self) -> None:
        """The simulator sends its figures for now; returns once the app's clients have passed them up."""
        now = self.clock()
        self.loop.submit(self.sim.publish()).result(WAIT_S)
        if self.treadmill.state is DeviceState.CONNECTED:
            self.seen.wait_for(lambda: bool(self.seen.treadmill) and self.seen.treadmill[-1].at == now, "treadmill")
        if self.strap.state is DeviceState.CONNECTED:
            self.seen.wait_for(lambda: bool(self.seen.heart) and self.seen.heart[-1].at == now, "heart rate")

    def run_on_loop(self, coroutine: object) -> None:
        self.loop.submit(coroutine).result(WAIT_S)  # type: ignore[arg-type]

    def close(self) -> None:
        self.loop.close()
