"""The devices a run uses, chosen in Settings or on the command line: built, connected and closed in one place.

A choice is "" (none), ``SIMULATED`` (the bumble pair started in process, its physics on the real clock, its
figures published once a second) or a Bluetooth address (reached with bleak). Choosing the simulated treadmill
brings the simulated strap too, unless a real strap is chosen. Connecting happens on the device thread;
``connect`` returns at once. Any thread may call these methods; ``close`` must not be called on the device thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

from runcompanion.core.clock import Clock
from runcompanion.core.devices import DeviceError, DeviceState
from runcompanion.core.session_plan import SessionPlan
from runcompanion.services.devices.belt_control import BeltLimits
from runcompanion.services.devices.device_loop import DeviceLoop
from runcompanion.services.devices.device_run import DeviceRun
from runcompanion.services.devices.ftms_client import FtmsTreadmill
from runcompanion.services.devices.gatt_link import GattLink
from runcompanion.services.devices.hr_client import HeartRateStrap

if TYPE_CHECKING:
    from runcompanion.services.devices.simulator import DeviceSimulator

log = logging.getLogger(__name__)

SIMULATED = "simulated"


class DeviceSession:
    def __init__(self, treadmill: str, heart_rate: str, *, clock: Clock = time.monotonic) -> None:
        self._loop = DeviceLoop()
        self._clock = clock
        self._treadmill_choice = treadmill
        self._heart_choice = heart_rate or (SIMULATED if treadmill == SIMULATED else "")
        self.simulated = SIMULATED in (self._treadmill_choice, self._heart_choice)
        self.treadmill: FtmsTreadmill | None = None
        self.heart: HeartRateStrap | None = None
        self.simulator: DeviceSimulator | None = None
        self._heartbeat: Future[None] | None = None
        self._heard: tuple[float | None, float | None] | None = None

    @property
    def names(self) -> str:
        return ", ".join(device.name for device in (self.treadmill, self.heart) if device is not None)

    def connect(self) -> Future[None]:
        """Start the simulator if chosen, build the clients and connect them (on the device thread). A device
        that cannot be reached is logged and left disconnected: the run goes on without it."""
        return self._loop.submit(self._connect())

    async def _connect(self) -> None:
        if self.simulated:
            from runcompanion.services.devices.simulator import DeviceSimulator

            self.simulator = DeviceSimulator(self._clock)
            await self.simulator.start()
            if self._heard is not None:
                self.simulator.model.hear_targets(*self._heard)
            self._heartbeat = self._loop.submit(self.simulator.run(1.0))
        treadmill_link = self._link(self._treadmill_choice, "treadmill")
        heart_link = self._link(self._heart_choice, "heart")
        if treadmill_link is not None:
            self.treadmill = FtmsTreadmill(treadmill_link, self._loop, self._clock)
        if heart_link is not None:
            self.heart = HeartRateStrap(heart_link, self._loop, self._clock)
        for device in (self.treadmill, self.heart):
            if device is not None:
                try:
                    await device.connect_here()
                except DeviceError as error:
                    log.warning("%s", error)

    def _link(self, choice: str, kind: str) -> GattLink | None:
        if not choice:
            return None
        if choice == SIMULATED:
            from runcompanion.services.devices.bumble_link import BumbleGattLink
            from runcompanion.services.devices.simulator import (
                STRAP_ADDRESS,
                STRAP_NAME,
                TREADMILL_ADDRESS,
                TREADMILL_NAME,
            )

            assert self.simulator is not None
            lock = self.simulator.connect_lock
            if kind == "treadmill":
                return BumbleGattLink(self.simulator.central, TREADMILL_ADDRESS, TREADMILL_NAME, lock)
            return BumbleGattLink(self.simulator.central, STRAP_ADDRESS, STRAP_NAME, lock)
        from runcompanion.services.devices.bleak_link import BleakGattLink

        return BleakGattLink(choice, "Treadmill" if kind == "treadmill" else "Heart-rate strap")

    def new_run(
        self,
        plan: SessionPlan,
        *,
        limits: BeltLimits,
        max_heart_rate: int | None,
        on_notice: Callable[[str], None],
    ) -> DeviceRun:
        """Figures (and, with consent, control) for one run on these devices."""
        return DeviceRun(
            plan,
            self.treadmill,
            self.heart,
            limits=limits,
            max_heart_rate=max_heart_rate,
            on_notice=on_notice,
            targets_heard=self._runner_hears if self.simulated else None,
            clock=self._clock,
        )

    def _runner_hears(self, speed: float | None, incline: float | None) -> None:
        """The simulated runner hears a new segment's targets (kept for it if it is still starting)."""

        def hear() -> None:
            if self.simulator is None:
                self._heard = (speed, incline)
            else:
                self.simulator.model.hear_targets(speed, incline)

        self._loop.call_soon(hear)

    def describe(self) -> str:
        """Each chosen device's state in words, for Settings (after ``connect`` has finished)."""
        lines = []
        if self.treadmill is not None:
            words = f"{self.treadmill.name}: {self.treadmill.state.value}"
            if self.treadmill.state is DeviceState.CONNECTED:
                speed, incline = self.treadmill.speed_range, self.treadmill.incline_range
                if speed is not None:
                    words += f", {speed.minimum:g}-{speed.maximum:g} km/h"
                if incline is not None:
                    words += f", incline {incline.minimum:g} to {incline.maximum:g} %"
            lines.append(words)
        if self.heart is not None:
            lines.append(f"{self.heart.name}: {self.heart.state.value}")
        return ". ".join(lines) + "." if lines else "No device chosen."

    def now(self) -> float:
        return self._clock()

    def close(self) -> None:
        """Disconnect and stop the device thread (waits at most a few seconds)."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        for device in (self.treadmill, self.heart):
            if device is not None:
                try:
                    device.disconnect().result(3.0)
                except Exception as error:
                    log.info("closing %s: %s", device.name, error)
        self._loop.close()
