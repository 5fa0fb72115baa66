"""An FTMS treadmill over any GattLink: bytes become checked readings, commands become control-point writes.

Everything here runs on the device loop; the public methods (the ``Treadmill`` interface in core/devices.py) only
submit work there. What a treadmill sends is decoded with core/ftms.py and judged with core/device_sanity.py: a
malformed notification or an absurd value is logged and dropped (a field at a time, so one bad incline does not
cost a good speed), and readings that come faster than ``min_interval_s`` are thinned so a flooding device cannot
swamp the app.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

from runcompanion.core.clock import Clock
from runcompanion.core.device_sanity import DistanceCheck, ImplausibleValue, check_incline, check_speed
from runcompanion.core.devices import DeviceError, DeviceState, Treadmill, TreadmillListener, TreadmillReading
from runcompanion.core.ftms import (
    CONTROL_POINT_UUID,
    INCLINATION_RANGE_UUID,
    MACHINE_STATUS_UUID,
    SPEED_RANGE_UUID,
    TREADMILL_DATA_UUID,
    ProtocolError,
    SettingRange,
    decode_inclination_range,
    decode_speed_range,
    decode_treadmill_data,
)
from runcompanion.core.ftms_control import (
    ControlRequest,
    ControlResponse,
    StopOrPause,
    decode_response,
    decode_status,
    encode_request,
    request_control,
    set_target_inclination,
    set_target_speed,
    start_or_resume,
    stop_or_pause,
)
from runcompanion.services.devices.device_loop import DeviceLoop
from runcompanion.services.devices.gatt_link import GattLink, LinkError
from runcompanion.services.devices.reconnect import FIRST_RETRY_S, Reconnector

log = logging.getLogger(__name__)
T = TypeVar("T")

RESPONSE_TIMEOUT_S = 3.0
"""FTMS gives a machine 30 s to answer; a runner cannot wait that long for a belt change, so the app gives up
sooner and says so."""


class FtmsTreadmill(Treadmill):
    """A treadmill reached through ``link``. Readings are stamped with ``clock`` when they arrive."""

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
        self._listeners: list[TreadmillListener] = []
        self._state = DeviceState.DISCONNECTED
        self._speed_range: SettingRange | None = None
        self._incline_range: SettingRange | None = None
        self._distance = DistanceCheck()
        self._last_forwarded: float | None = None
        self._thinned = 0
        self._pending: asyncio.Future[ControlResponse] | None = None
        self._pending_op = -1
        self._command_lock: asyncio.Lock | None = None

    # -- the interface ------------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._link.name

    @property
    def state(self) -> DeviceState:
        return self._state

    @property
    def speed_range(self) -> SettingRange | None:
        return self._speed_range

    @property
    def incline_range(self) -> SettingRange | None:
        return self._incline_range

    def add_listener(self, listener: TreadmillListener) -> None:
        self._listeners = [*self._listeners, listener]

    def remove_listener(self, listener: TreadmillListener) -> None:
        self._listeners = [each for each in self._listeners if each is not listener]

    def connect(self) -> Future[None]:
        return self._submit(self._connect())

    def disconnect(self) -> Future[None]:
        return self._submit(self._disconnect())

    def request_control(self) -> Future[ControlResponse]:
        return self._submit(self._command(request_control()))

    def set_target_speed(self, kmh: float) -> Future[ControlResponse]:
        return self._submit(self._command(set_target_speed(kmh)))

    def set_target_incline(self, percent: float) -> Future[ControlResponse]:
        return self._submit(self._command(set_target_inclination(percent)))

    def start(self) -> Future[ControlResponse]:
        return self._submit(self._command(start_or_resume()))

    def pause(self) -> Future[ControlResponse]:
        return self._submit(self._command(stop_or_pause(StopOrPause.PAUSE)))

    def stop(self) -> Future[ControlResponse]:
        return self._submit(self._command(stop_or_pause(StopOrPause.STOP)))

    # -- on the device loop --------------------------------------------------------------------------------------
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
            if not self._link.has(TREADMILL_DATA_UUID):
                raise DeviceError(f"{self.name} does not send treadmill data (no FTMS Treadmill Data).")
            self._speed_range = await self._read_range(SPEED_RANGE_UUID, decode_speed_range)
            self._incline_range = await self._read_range(INCLINATION_RANGE_UUID, decode_inclination_range)
            await self._link.subscribe(TREADMILL_DATA_UUID, self._on_data)
            if self._link.has(MACHINE_STATUS_UUID):
                await self._link.subscribe(MACHINE_STATUS_UUID, self._on_status)
            if self._link.has(CONTROL_POINT_UUID):
                await self._link.subscribe(CONTROL_POINT_UUID, self._on_response)
        except (TimeoutError, LinkError, DeviceError, OSError) as error:
            if not again:
                self._set_state(DeviceState.DISCONNECTED, str(error))
            await self._quiet_disconnect()
            raise DeviceError(f"Could not connect to {self.name}: {error}") from error
        self._distance = DistanceCheck()
        self._set_state(DeviceState.CONNECTED, f"{self.name} connected")

    async def _read_range(self, uuid: int, decode: Callable[[bytes], SettingRange]) -> SettingRange | None:
        if not self._link.has(uuid):
            return None
        try:
            return decode(await self._link.read(uuid))
        except ProtocolError as error:
            log.warning("%s sent a malformed range (0x%04X), ignored: %s", self.name, uuid, error)
            return None

    async def _disconnect(self) -> None:
        self._reconnector.cancel()
        self._state = DeviceState.DISCONNECTED  # asked for: the link's own disconnection event is no loss
        await self._quiet_disconnect()
        self._set_state(DeviceState.DISCONNECTED, f"{self.name} disconnected")

    async def _quiet_disconnect(self) -> None:
        try:
            await self._link.disconnect()
        except (LinkError, OSError) as error:
            log.info("disconnecting %s: %s", self.name, error)

    def _on_link_lost(self) -> None:
        if self._pending is not None and not self._pending.done():
            self._pending.set_exception(DeviceError(f"{self.name} disconnected before it answered."))
        if self._state is DeviceState.CONNECTED:
            log.warning("%s: the link dropped", self.name)
            self._set_state(DeviceState.LOST, f"Lost the link to {self.name}.")
            self._reconnector.start(lambda: self._state is DeviceState.LOST, lambda: self._connect(again=True))

    async def _command(self, request: ControlRequest) -> ControlResponse:
        if self._state is not DeviceState.CONNECTED:
            raise DeviceError(f"{self.name} is not connected.")
        if not self._link.has(CONTROL_POINT_UUID):
            raise DeviceError(f"{self.name} cannot be controlled (no FTMS Control Point).")
        if self._command_lock is None:
            self._command_lock = asyncio.Lock()
        async with self._command_lock:  # FTMS allows one outstanding request at a time
            answer: asyncio.Future[ControlResponse] = asyncio.get_running_loop().create_future()
            self._pending, self._pending_op = answer, int(request.op_code)
            try:
                await self._link.write(CONTROL_POINT_UUID, encode_request(request))
                response = await asyncio.wait_for(answer, RESPONSE_TIMEOUT_S)
            except TimeoutError:
                raise DeviceError(f"{self.name} did not answer a {request.op_code.name} request.") from None
            except LinkError as error:
                raise DeviceError(f"{self.name} refused the write: {error}") from error
            finally:
                self._pending = None
        if not response.ok:
            log.warning("%s answered %s with %s", self.name, request.op_code.name, response.result.name)
        return response

    def _on_response(self, data: bytes) -> None:
        try:
            response = decode_response(data)
        except ProtocolError as error:
            log.warning("%s: malformed control-point response %s dropped: %s", self.name, data.hex(" "), error)
            return
        pending = self._pending
        if pending is None or pending.done() or response.request_op_code != self._pending_op:
            log.warning("%s: a response nobody asked for (%s) ignored", self.name, data.hex(" "))
            return
        pending.set_result(response)

    def _on_status(self, data: bytes) -> None:
        try:
            status = decode_status(data)
        except ProtocolError as error:
            log.warning("%s: malformed machine status %s dropped: %s", self.name, data.hex(" "), error)
            return
        for listener in self._listeners:
            listener.on_treadmill_status(status)

    def _on_data(self, data: bytes) -> None:
        now = self._clock()
        try:
            decoded = decode_treadmill_data(data)
        except ProtocolError as error:
            log.warning("%s: malformed treadmill data %s dropped: %s", self.name, data.hex(" "), error)
            return
        if self._last_forwarded is not None and now - self._last_forwarded < self._min_interval_s:
            self._thinned += 1
            if self._thinned in (1, 100, 10_000):
                log.warning("%s sends data faster than the app reads it; %d values thinned", self.name, self._thinned)
            return
        speed = self._checked(check_speed, decoded.speed_kmh)
        incline = self._checked(check_incline, decoded.inclination_percent)
        distance: float | None = None
        if decoded.total_distance_m is not None:
            try:
                distance = self._distance.check(decoded.total_distance_m, now)
            except ImplausibleValue as error:
                log.warning("%s: %s; not recorded", self.name, error)
        if speed is None and incline is None and distance is None:
            return
        self._last_forwarded = now
        reading = TreadmillReading(now, speed, incline, distance, decoded.elapsed_time_s)
        for listener in self._listeners:
            listener.on_treadmill_reading(reading)

    def _checked(self, check: Callable[[float], float], value: float | None) -> float | None:
        if value is None:
            return None
        try:
            return check(value)
        except ImplausibleValue as error:
            log.warning("%s: %s; not recorded", self.name, error)
            return None

    def _set_state(self, state: DeviceState, detail: str) -> None:
        self._state = state
        for listener in self._listeners:
            listener.on_treadmill_state(state, detail)
