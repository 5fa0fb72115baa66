"""A heart-rate strap over any GattLink (Heart Rate Service): measurements become checked readings.

Runs on the device loop like ftms_client.py. A strap that has lost skin contact keeps sending numbers (often 0);
those, malformed values and anything outside core/device_sanity.py's limits are logged and never passed on.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

from runcompanion.core.clock import Clock
from runcompanion.core.device_sanity import ImplausibleValue, check_heart_rate, plausible_rr
from runcompanion.core.devices import DeviceError, DeviceState, HeartRateListener, HeartRateMonitor, HeartRateReading
from runcompanion.core.ftms import ProtocolError
from runcompanion.core.heart_rate import HEART_RATE_MEASUREMENT_UUID, decode_heart_rate
from runcompanion.services.devices.device_loop import DeviceLoop
from runcompanion.services.devices.gatt_link import GattLink, LinkError
from runcompanion.services.devices.reconnect import FIRST_RETRY_S, Reconnector

log = logging.getLogger(__name__)
T = TypeVar("T")


class HeartRateStrap(HeartRateMonitor):
    def __init__(
        self,
        link: GattLink,
        loop: DeviceLoop,
        clock: Clock,
        *,
        min_interval_s: float = 0.2,
        reconnect_s: float | None = FIRST_RETRY_S,
    ) -> None:
        self._link = link
        self._reconnector = Reconnector(link.name, reconnect_s)
        self._loop = loop
        self._clock = clock
        self._min_interval_s = min_interval_s
        self._listeners: list[HeartRateListener] = []
        self._state = DeviceState.DISCONNECTED
        self._last_forwarded: float | None = None
        self._thinned = 0

    @property
    def name(self) -> str:
        return self._link.name

    @property
    def state(self) -> DeviceState:
        return self._state

    def add_listener(self, listener: HeartRateListener) -> None:
        self._listeners = [*self._listeners, listener]

    def remove_listener(self, listener: HeartRateListener) -> None:
        self._listeners = [each for each in self._listeners if each is not listener]

    def connect(self) -> Future[None]:
        return self._submit(self._connect())

    def disconnect(self) -> Future[None]:
        return self._submit(self._disconnect())

    def _submit(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        return self._loop.submit(coroutine)

    async def connect_here(self) -> None:
        """``connect`` for code already on the device loop."""
        await self._connect()

    async def _connect(self, *, again: bool = False) -> None:
        """``again``: a retry after a lost link, which stays LOST (and quiet) if it fails."""
        if self._state is DeviceState.CONNECTED:
            return
        if not again:
            self._set_state(DeviceState.CONNECTING, f"connecting to {self.name}")
        try:
            await self._link.connect(self._on_link_lost)
            if not self._link.has(HEART_RATE_MEASUREMENT_UUID):
                raise DeviceError(f"{self.name} does not measure heart rate (no Heart Rate Measurement).")
            await self._link.subscribe(HEART_RATE_MEASUREMENT_UUID, self._on_measurement)
        except (TimeoutError, LinkError, DeviceError, OSError) as error:
            if not again:
                self._set_state(DeviceState.DISCONNECTED, str(error))
            with contextlib.suppress(LinkError, OSError):
                await self._link.disconnect()
            raise DeviceError(f"Could not connect to {self.name}: {error}") from error
        self._set_state(DeviceState.CONNECTED, f"{self.name} connected")

    async def _disconnect(self) -> None:
        self._reconnector.cancel()
        self._state = DeviceState.DISCONNECTED  # asked for: the link's own disconnection event is no loss
        try:
            await self._link.disconnect()
        except (LinkError, OSError) as error:
            log.info("disconnecting %s: %s", self.name, error)
        self._set_state(DeviceState.DISCONNECTED, f"{self.name} disconnected")

    def _on_link_lost(self) -> None:
        if self._state is DeviceState.CONNECTED:
            log.warning("%s: the link dropped", self.name)
            self._set_state(DeviceState.LOST, f"Lost the link to {self.name}.")
            self._reconnector.start(lambda: self._state is DeviceState.LOST, lambda: self._connect(again=True))

    def _on_measurement(self, data: bytes) -> None:
        now = self._clock()
        try:
            measurement = decode_heart_rate(data)
        except ProtocolError as error:
            log.warning("%s: malformed heart-rate value %s dropped: %s", self.name, data.hex(" "), error)
            return
        if measurement.sensor_contact is False:
            log.info("%s: no skin contact; %d bpm not recorded", self.name, measurement.bpm)
            return
        try:
            bpm = check_heart_rate(measurement.bpm)
        except ImplausibleValue as error:
            log.warning("%s: %s; not recorded", self.name, error)
            return
        if self._last_forwarded is not None and now - self._last_forwarded < self._min_interval_s:
            self._thinned += 1
            if self._thinned in (1, 100, 10_000):
                log.warning("%s sends faster than the app reads it; %d values thinned", self.name, self._thinned)
            return
        self._last_forwarded = now
        reading = HeartRateReading(now, bpm, plausible_rr(measurement.rr_intervals_s))
        for listener in self._listeners:
            listener.on_heart_rate(reading)

    def _set_state(self, state: DeviceState, detail: str) -> None:
        self._state = state
        for listener in self._listeners:
            listener.on_heart_rate_state(state, detail)
