"""The bleak transport at its boundary: fake BleakClient and scanner objects with bleak's shapes and errors.

What these cannot show (no adapter on the machines that run them): BlueZ/CoreBluetooth/WinRT pairing and
permission prompts, real radio timing and range, how a real treadmill's firmware answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from bleak.exc import BleakDeviceNotFoundError, BleakError

from runcompanion.core.clock import FakeClock
from runcompanion.core.devices import DeviceError, DeviceState, HeartRateReading, TreadmillReading
from runcompanion.core.ftms import SettingRange, TreadmillData, encode_speed_range, encode_treadmill_data
from runcompanion.core.ftms_control import MachineStatus, ResultCode
from runcompanion.core.heart_rate import HeartRateMeasurement, encode_heart_rate
from runcompanion.services.devices.bleak_link import BleakGattLink, BluetoothUnavailable, FoundDevice, scan
from runcompanion.services.devices.device_loop import DeviceLoop
from runcompanion.services.devices.ftms_client import FtmsTreadmill
from runcompanion.services.devices.gatt_link import uuid16
from runcompanion.services.devices.hr_client import HeartRateStrap

WAIT = 5.0


class FakeServices:
    def __init__(self, uuids: set[str]) -> None:
        self._uuids = uuids

    def get_characteristic(self, specifier: str) -> object | None:
        return object() if specifier in self._uuids else None


class FakeBleakClient:
    """Shaped like bleak.BleakClient; answers FTMS control-point writes like a compliant treadmill."""

    def __init__(self, address: str, on_disconnect: Callable[[Any], None], *, uuids: set[int], answer: int = 1):
        self.address = address
        self.on_disconnect = on_disconnect
        self.services = FakeServices({uuid16(u) for u in uuids})
        self.answer = answer
        self.callbacks: dict[str, Callable[[Any, bytearray], None]] = {}
        self.writes: list[tuple[str, bytes, bool | None]] = []
        self.connect_error: BaseException | None = None
        self.write_error: BaseException | None = None
        self.connected = False

    async def connect(self) -> None:
        if self.connect_error is not None:
            raise self.connect_error
        self.connected = True

    async def disconnect(self) -> None:
        self.connected = False

    async def read_gatt_char(self, char_specifier: Any) -> bytearray:
        assert char_specifier == uuid16(0x2AD4)
        return bytearray(encode_speed_range(SettingRange(1.0, 18.0, 0.1)))

    async def write_gatt_char(self, char_specifier: Any, data: bytes, response: bool | None = None) -> None:
        if self.write_error is not None:
            raise self.write_error
        self.writes.append((char_specifier, bytes(data), response))
        indicate = self.callbacks[uuid16(0x2AD9)]
        asyncio.get_running_loop().call_soon(indicate, None, bytearray([0x80, data[0], self.answer]))

    async def start_notify(self, char_specifier: Any, callback: Callable[[Any, bytearray], None]) -> None:
        self.callbacks[char_specifier] = callback

    def notify(self, uuid: int, data: bytes) -> None:
        self.callbacks[uuid16(uuid)](None, bytearray(data))

    def drop(self) -> None:
        self.connected = False
        self.on_disconnect(self)


class Seen:
    def __init__(self) -> None:
        self.readings: list[TreadmillReading | HeartRateReading] = []
        self.states: list[DeviceState] = []
        self.statuses: list[MachineStatus] = []

    def on_treadmill_reading(self, reading: TreadmillReading) -> None:
        self.readings.append(reading)

    def on_treadmill_status(self, status: MachineStatus) -> None:
        self.statuses.append(status)

    def on_treadmill_state(self, state: DeviceState, detail: str) -> None:
        self.states.append(state)

    def on_heart_rate(self, reading: HeartRateReading) -> None:
        self.readings.append(reading)

    def on_heart_rate_state(self, state: DeviceState, detail: str) -> None:
        self.states.append(state)


@pytest.fixture
def loop() -> Iterator[DeviceLoop]:
    loop = DeviceLoop("test-bleak")
    yield loop
    loop.close()


FTMS = {0x2ACC, 0x2ACD, 0x2AD4, 0x2AD9, 0x2ADA}


def _treadmill(loop: DeviceLoop, **kwargs: Any) -> tuple[FtmsTreadmill, list[FakeBleakClient], Seen]:
    clients: list[FakeBleakClient] = []

    def factory(address: str, on_disconnect: Callable[[Any], None]) -> FakeBleakClient:
        client = FakeBleakClient(
            address, on_disconnect, uuids=kwargs.get("uuids", FTMS), answer=kwargs.get("answer", 1)
        )
        client.connect_error = kwargs.get("connect_error")
        clients.append(client)
        return client

    treadmill = FtmsTreadmill(BleakGattLink("AA:BB:CC:DD:EE:01", "Gym treadmill", factory), loop, FakeClock())
    seen = Seen()
    treadmill.add_listener(seen)
    return treadmill, clients, seen


def test_connect_reads_ranges_and_subscribes(loop: DeviceLoop) -> None:
    treadmill, clients, seen = _treadmill(loop)
    treadmill.connect().result(WAIT)
    client = clients[0]
    assert client.address == "AA:BB:CC:DD:EE:01"
    assert treadmill.speed_range == SettingRange(1.0, 18.0, 0.1)
    assert treadmill.incline_range is None  # the machine has no 0x2AD5
    assert set(client.callbacks) == {uuid16(0x2ACD), uuid16(0x2ADA), uuid16(0x2AD9)}
    assert seen.states == [DeviceState.CONNECTING, DeviceState.CONNECTED]


def test_notifications_and_control_point_round_trip(loop: DeviceLoop) -> None:
    treadmill, clients, seen = _treadmill(loop)
    treadmill.connect().result(WAIT)
    client = clients[0]
    loop.submit(_call(lambda: client.notify(0x2ACD, encode_treadmill_data(TreadmillData(speed_kmh=8.5))))).result(WAIT)
    assert seen.readings == [TreadmillReading(1000.0, 8.5, None, None, None)]
    assert treadmill.request_control().result(WAIT).ok
    assert treadmill.set_target_speed(9.0).result(WAIT).ok
    assert treadmill.pause().result(WAIT).ok
    assert [w[1].hex(" ") for w in client.writes] == ["00", "02 84 03", "08 02"]
    assert all(w[0] == uuid16(0x2AD9) and w[2] is True for w in client.writes)


def test_a_refusal_is_returned_not_raised(loop: DeviceLoop) -> None:
    treadmill, _clients, _seen = _treadmill(loop, answer=int(ResultCode.CONTROL_NOT_PERMITTED))
    treadmill.connect().result(WAIT)
    assert treadmill.request_control().result(WAIT).result is ResultCode.CONTROL_NOT_PERMITTED


def test_connect_errors_become_device_errors_in_words(loop: DeviceLoop) -> None:
    treadmill, _clients, seen = _treadmill(loop, connect_error=BleakDeviceNotFoundError("AA", "not found"))
    with pytest.raises(DeviceError, match="Could not connect to Gym treadmill"):
        treadmill.connect().result(WAIT)
    assert seen.states[-1] is DeviceState.DISCONNECTED


def test_a_device_that_is_no_treadmill_is_refused(loop: DeviceLoop) -> None:
    treadmill, _clients, _seen = _treadmill(loop, uuids={0x2A37})
    with pytest.raises(DeviceError, match="does not send treadmill data"):
        treadmill.connect().result(WAIT)


def test_a_write_error_is_a_device_error(loop: DeviceLoop) -> None:
    treadmill, clients, _seen = _treadmill(loop)
    treadmill.connect().result(WAIT)
    clients[0].write_error = BleakError("Not connected")
    with pytest.raises(DeviceError, match="refused the write"):
        treadmill.set_target_speed(5.0).result(WAIT)


def test_a_dropped_link_is_reported_once_and_commands_fail_cleanly(loop: DeviceLoop) -> None:
    treadmill, clients, seen = _treadmill(loop)
    treadmill.connect().result(WAIT)
    loop.submit(_call(clients[0].drop)).result(WAIT)
    assert treadmill.state is DeviceState.LOST
    assert seen.states.count(DeviceState.LOST) == 1
    with pytest.raises(DeviceError, match="not connected"):
        treadmill.set_target_speed(5.0).result(WAIT)


def test_heart_rate_over_bleak(loop: DeviceLoop) -> None:
    clients: list[FakeBleakClient] = []

    def factory(address: str, on_disconnect: Callable[[Any], None]) -> FakeBleakClient:
        clients.append(FakeBleakClient(address, on_disconnect, uuids={0x2A37}))
        return clients[-1]

    strap = HeartRateStrap(BleakGattLink("AA:BB:CC:DD:EE:02", "Chest strap", factory), loop, FakeClock())
    seen = Seen()
    strap.add_listener(seen)
    strap.connect().result(WAIT)
    raw = encode_heart_rate(HeartRateMeasurement(151, rr_intervals_s=(0.3984375,)))
    loop.submit(_call(lambda: clients[0].notify(0x2A37, raw))).result(WAIT)
    assert seen.readings == [HeartRateReading(1000.0, 151, (0.3984375,))]


class Advert:
    def __init__(self, name: str | None, uuids: list[str], rssi: int) -> None:
        self.local_name = name
        self.service_uuids = uuids
        self.rssi = rssi


class Device:
    def __init__(self, name: str | None) -> None:
        self.name = name


def test_scan_keeps_treadmills_and_straps_strongest_first() -> None:
    async def discover(seconds: float) -> dict[str, tuple[Any, Any]]:
        assert seconds == 2.0
        return {
            "01": (Device("Tread"), Advert("Tread", [uuid16(0x1826).upper()], -70)),
            "02": (Device(None), Advert(None, [uuid16(0x180D)], -50)),
            "03": (Device("Speaker"), Advert("Speaker", [uuid16(0x110B)], -30)),
        }

    found = asyncio.run(scan(2.0, discover))
    assert found == [FoundDevice("02", "02", "heart rate", -50), FoundDevice("01", "Tread", "treadmill", -70)]


@pytest.mark.parametrize("error", [FileNotFoundError(2, "No such file or directory"), BleakError("No powered adapter")])
def test_no_bluetooth_is_said_in_words(error: BaseException) -> None:
    async def discover(seconds: float) -> dict[str, tuple[Any, Any]]:
        raise error

    with pytest.raises(BluetoothUnavailable, match="Bluetooth is not available on this computer"):
        asyncio.run(scan(1.0, discover))


async def _call(function: Callable[[], None]) -> None:
    function()
