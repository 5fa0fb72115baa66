"""A simulated FTMS treadmill and heart-rate strap: real GATT servers on bumble's virtual Bluetooth link.

Three bumble devices share one in-process link: the treadmill (Fitness Machine Service), the strap (Heart Rate
Service) and the app's central. The app reaches the peripherals through bumble_link.py with the same clients a
real treadmill gets, so everything above the GattLink is exercised over real ATT/GATT traffic. The physics is
sim_model.py; time comes from the injected clock, and values go out when ``publish`` is called (once a second by
``run`` in the demo, step by step in tests). All methods run on the device loop.
"""

from __future__ import annotations

import asyncio
import logging
import struct
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from bumble import gatt, hci
from bumble.att import AttributeValue
from bumble.controller import Controller
from bumble.core import AdvertisingData
from bumble.device import Connection, Device
from bumble.host import Host
from bumble.link import LocalLink

from runcompanion.core.clock import Clock
from runcompanion.core.ftms import (
    CONTROL_POINT_UUID,
    FEATURE_UUID,
    FTMS_SERVICE_UUID,
    INCLINATION_RANGE_UUID,
    MACHINE_STATUS_UUID,
    SPEED_RANGE_UUID,
    TREADMILL_DATA_UUID,
    Features,
    MachineFeature,
    ProtocolError,
    TargetSettingFeature,
    TreadmillData,
    encode_features,
    encode_inclination_range,
    encode_speed_range,
    encode_treadmill_data,
)
from runcompanion.core.ftms_control import (
    ControlRequest,
    ControlResponse,
    MachineStatus,
    MachineStatusCode,
    OpCode,
    ResultCode,
    StopOrPause,
    UnsupportedOpCode,
    decode_request,
    encode_response,
    encode_status,
)
from runcompanion.core.heart_rate import (
    HEART_RATE_MEASUREMENT_UUID,
    HEART_RATE_SERVICE_UUID,
    HeartRateMeasurement,
    encode_heart_rate,
)
from runcompanion.services.devices.sim_model import INCLINE_RANGE, SPEED_RANGE, TreadmillModel

log = logging.getLogger(__name__)

TREADMILL_ADDRESS = "F0:F0:5C:00:00:01"
STRAP_ADDRESS = "F0:F0:5C:00:00:02"
CENTRAL_ADDRESS = "F0:F0:5C:00:00:10"
TREADMILL_NAME = "Simulated treadmill"
STRAP_NAME = "Simulated heart-rate strap"
BODY_SENSOR_LOCATION_UUID = 0x2A38
_CHEST = 1


@dataclass
class SimulatorLog:
    """What the simulated machine was told and did, for tests to check against."""

    commands: list[tuple[float, ControlRequest, ResultCode]] = field(default_factory=list)
    belt: list[tuple[float, float, float, bool]] = field(default_factory=list)
    """(time, belt km/h, incline %, running) at every publish."""


class DeviceSimulator:
    """The simulated pair and the app's central. ``controllable=False`` makes the machine refuse control."""

    def __init__(self, clock: Clock, *, seed: int = 7, controllable: bool = True) -> None:
        self._clock = clock
        self.model = TreadmillModel(clock, seed=seed)
        self.controllable = controllable
        self.log = SimulatorLog()
        self._controller_connection: Connection | None = None
        self._treadmill: Device | None = None
        self._strap: Device | None = None
        self._central: Device | None = None
        self._connections: list[Connection] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.connect_lock: asyncio.Lock | None = None
        """Shared by the app's links to the simulated pair (see bumble_link.py); made on the device loop."""

    @property
    def central(self) -> Device:
        if self._central is None:
            raise RuntimeError("the simulator is not started")
        return self._central

    async def start(self) -> None:
        self.connect_lock = asyncio.Lock()
        link = LocalLink()  # type: ignore[no-untyped-call]
        self._treadmill = _device(link, TREADMILL_NAME, TREADMILL_ADDRESS)
        self._strap = _device(link, STRAP_NAME, STRAP_ADDRESS)
        self._central = _device(link, "RunCompanion", CENTRAL_ADDRESS)
        self._build_treadmill(self._treadmill)
        self._build_strap(self._strap)
        for device in (self._treadmill, self._strap, self._central):
            await device.power_on()
        for device, service in ((self._treadmill, FTMS_SERVICE_UUID), (self._strap, HEART_RATE_SERVICE_UUID)):
            device.on("connection", self._on_connection)
            # Without advertising the central's connect() waits forever: the link only connects advertisers.
            await device.start_advertising(advertising_data=_advert(device.name, service), auto_restart=True)

    def _on_connection(self, connection: Connection) -> None:
        self._connections.append(connection)

        def gone(_reason: int) -> None:
            self._connections = [each for each in self._connections if each is not connection]
            if connection is self._controller_connection:
                # The controlling app went away: hold the belt where it is, never keep ramping up on its word.
                self._controller_connection = None
                self.model.hold()

        connection.on("disconnection", gone)

    # -- the treadmill's GATT server -----------------------------------------------------------------------------
    def _build_treadmill(self, device: Device) -> None:
        props = gatt.Characteristic.Properties
        features = Features(
            MachineFeature.TOTAL_DISTANCE | MachineFeature.INCLINATION | MachineFeature.ELAPSED_TIME,
            TargetSettingFeature.SPEED | TargetSettingFeature.INCLINATION,
        )
        self._data = gatt.Characteristic(
            _uuid(TREADMILL_DATA_UUID), props.NOTIFY, gatt.Characteristic.READABLE, self._treadmill_bytes()
        )
        self._status = gatt.Characteristic(
            _uuid(MACHINE_STATUS_UUID), props.NOTIFY, gatt.Characteristic.READABLE, b"\x01"
        )
        self._control: gatt.Characteristic[bytes] = gatt.Characteristic(
            _uuid(CONTROL_POINT_UUID),
            props.WRITE | props.INDICATE,
            gatt.Characteristic.WRITEABLE,
            AttributeValue(write=self._on_control_write),
        )
        readable = gatt.Characteristic.READABLE
        characteristics = [
            gatt.Characteristic(_uuid(FEATURE_UUID), props.READ, readable, encode_features(features)),
            self._data,
            gatt.Characteristic(_uuid(SPEED_RANGE_UUID), props.READ, readable, encode_speed_range(SPEED_RANGE)),
            gatt.Characteristic(
                _uuid(INCLINATION_RANGE_UUID), props.READ, readable, encode_inclination_range(INCLINE_RANGE)
            ),
            self._control,
            self._status,
        ]
        device.add_service(gatt.Service(_uuid(FTMS_SERVICE_UUID), characteristics))

    def _build_strap(self, device: Device) -> None:
        props = gatt.Characteristic.Properties
        self._heart = gatt.Characteristic(
            _uuid(HEART_RATE_MEASUREMENT_UUID),
            props.NOTIFY,
            gatt.Characteristic.READABLE,
            encode_heart_rate(HeartRateMeasurement(62)),
        )
        location = gatt.Characteristic(
            _uuid(BODY_SENSOR_LOCATION_UUID), props.READ, gatt.Characteristic.READABLE, bytes([_CHEST])
        )
        device.add_service(gatt.Service(_uuid(HEART_RATE_SERVICE_UUID), [self._heart, location]))

    def _on_control_write(self, connection: Connection, value: bytes) -> None:
        now = self._clock()
        op_code = value[0] if value else 0
        try:
            request = decode_request(bytes(value))
            result = self._apply(connection, request)
        except UnsupportedOpCode:
            request, result = ControlRequest(OpCode.RESET), ResultCode.OP_CODE_NOT_SUPPORTED
        except ProtocolError:
            request, result = ControlRequest(OpCode.RESET), ResultCode.INVALID_PARAMETER
        self.log.commands.append((now, request, result))
        # The response is an indication after the write's own acknowledgement, never inside it.
        self._spawn(self._indicate(ControlResponse(op_code, result)))

    def _apply(self, connection: Connection, request: ControlRequest) -> ResultCode:
        op = request.op_code
        if op is OpCode.REQUEST_CONTROL:
            if not self.controllable:
                return ResultCode.CONTROL_NOT_PERMITTED
            self._controller_connection = connection
            return ResultCode.SUCCESS
        if connection is not self._controller_connection:
            return ResultCode.CONTROL_NOT_PERMITTED
        value = request.parameter
        if op is OpCode.SET_TARGET_SPEED and value is not None:
            if not SPEED_RANGE.minimum <= value <= SPEED_RANGE.maximum:
                return ResultCode.INVALID_PARAMETER
            self.model.set_target_speed(value)
            self._spawn(self._notify_status(MachineStatus(MachineStatusCode.TARGET_SPEED_CHANGED, value)))
        elif op is OpCode.SET_TARGET_INCLINATION and value is not None:
            if not INCLINE_RANGE.minimum <= value <= INCLINE_RANGE.maximum:
                return ResultCode.INVALID_PARAMETER
            self.model.set_target_incline(value)
            self._spawn(self._notify_status(MachineStatus(MachineStatusCode.TARGET_INCLINE_CHANGED, value)))
        elif op is OpCode.START_OR_RESUME:
            self.model.start()
        elif op is OpCode.STOP_OR_PAUSE:
            if value == StopOrPause.PAUSE:
                self.model.pause()
            else:
                self.model.stop()
        elif op is OpCode.RESET:
            self.model.stop()
            self._controller_connection = None
        else:
            return ResultCode.OP_CODE_NOT_SUPPORTED
        return ResultCode.SUCCESS

    async def _indicate(self, response: ControlResponse) -> None:
        if self._treadmill is not None:
            await self._treadmill.indicate_subscribers(self._control, encode_response(response))

    async def _notify_status(self, status: MachineStatus) -> None:
        if self._treadmill is not None:
            await self._treadmill.notify_subscribers(self._status, encode_status(status))

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- time and what goes out ----------------------------------------------------------------------------------
    def _treadmill_bytes(self) -> bytes:
        model = self.model
        return encode_treadmill_data(
            TreadmillData(
                speed_kmh=round(model.speed_kmh, 2),
                total_distance_m=int(model.distance_m),
                inclination_percent=round(model.incline_percent, 1),
                ramp_angle_deg=None,
                elapsed_time_s=int(model.elapsed_s),
            )
        )

    async def publish(self) -> None:
        """Advance the physics to now and notify the treadmill data and the heart rate."""
        self.model.advance()
        model = self.model
        self.log.belt.append((self._clock(), model.speed_kmh, model.incline_percent, model.running))
        if self._treadmill is None or self._strap is None:
            return
        await self._treadmill.notify_subscribers(self._data, self._treadmill_bytes())
        await self._strap.notify_subscribers(
            self._heart, encode_heart_rate(HeartRateMeasurement(model.heart_reading()))
        )

    async def send_raw(self, treadmill: bytes | None = None, heart: bytes | None = None) -> None:
        """Send bytes as they are (malformed, absurd): what a misbehaving device does."""
        if treadmill is not None and self._treadmill is not None:
            await self._treadmill.notify_subscribers(self._data, treadmill)
        if heart is not None and self._strap is not None:
            await self._strap.notify_subscribers(self._heart, heart)

    async def run(self, period_s: float = 1.0) -> None:
        """Publish every ``period_s`` of real time until cancelled (the demo's heartbeat)."""
        while True:
            await self.publish()
            await asyncio.sleep(period_s)

    async def console_change(self, speed_kmh: float | None = None, incline_percent: float | None = None) -> None:
        """The runner presses the console's buttons: the machine changes and says so in a status."""
        if speed_kmh is not None:
            self.model.set_target_speed(speed_kmh)
            await self._notify_status(MachineStatus(MachineStatusCode.TARGET_SPEED_CHANGED, speed_kmh))
        if incline_percent is not None:
            self.model.set_target_incline(incline_percent)
            await self._notify_status(MachineStatus(MachineStatusCode.TARGET_INCLINE_CHANGED, incline_percent))

    async def drop_links(self) -> None:
        """Cut every connection from the peripherals' side, as walking out of range does."""
        for connection in list(self._connections):
            await connection.disconnect(hci.HCI_REMOTE_USER_TERMINATED_CONNECTION_ERROR)


def _device(link: LocalLink, name: str, address: str) -> Device:
    controller = Controller(name, link=link, public_address=address)
    host = Host(controller, controller)
    return Device(name=name, address=hci.Address(address), host=host)


def _uuid(value: int) -> str:
    return f"{value:04X}"


def _advert(name: str, service: int) -> bytes:
    return bytes(
        AdvertisingData(
            [
                (AdvertisingData.COMPLETE_LOCAL_NAME, name.encode()),
                (AdvertisingData.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS, struct.pack("<H", service)),
            ]
        )
    )
