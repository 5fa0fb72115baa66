"""Real treadmills and straps through bleak (BlueZ on Linux, CoreBluetooth on macOS, WinRT on Windows).

A GattLink like bumble_link.py, so the FTMS and heart-rate clients above it are the ones the simulator tests
exercise; what is specific to bleak (how it names characteristics, which errors it raises, scanning) stays here.
Everything runs on the device loop, never on the GUI thread. No machine here has a Bluetooth adapter, so this
module is tested at its boundary with fake BleakClient and scanner objects (tests/unit/test_bleak_link.py); the
radio itself is exercised only on a machine with an adapter.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from runcompanion.core.ftms import (
    CONTROL_POINT_UUID,
    FEATURE_UUID,
    FTMS_SERVICE_UUID,
    INCLINATION_RANGE_UUID,
    MACHINE_STATUS_UUID,
    SPEED_RANGE_UUID,
    TREADMILL_DATA_UUID,
)
from runcompanion.core.heart_rate import HEART_RATE_MEASUREMENT_UUID, HEART_RATE_SERVICE_UUID
from runcompanion.services.devices.gatt_link import LinkError, uuid16

SCAN_SECONDS = 6.0


class BluetoothUnavailable(Exception):
    """No Bluetooth here (no adapter, adapter off, no permission, no system Bluetooth service)."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "Bluetooth is not available on this computer"
            f" ({detail}). The app works without it; a simulated treadmill is in Settings, Devices."
        )


class CharacteristicLike(Protocol):
    @property
    def properties(self) -> list[str]: ...


class ServicesLike(Protocol):
    def get_characteristic(self, specifier: str) -> Any: ...


class ClientLike(Protocol):
    """The part of ``bleak.BleakClient`` this link uses; tests pass a fake with the same shape."""

    @property
    def services(self) -> ServicesLike: ...

    async def connect(self) -> None: ...

    async def disconnect(self) -> None: ...

    async def read_gatt_char(self, char_specifier: Any) -> bytearray: ...

    async def write_gatt_char(self, char_specifier: Any, data: bytes, response: bool | None = None) -> None: ...

    async def start_notify(self, char_specifier: Any, callback: Callable[[Any, bytearray], None]) -> None: ...


ClientFactory = Callable[[str, Callable[[Any], None]], ClientLike]
"""Builds a client for an address with a disconnected callback (``bleak.BleakClient`` itself in the app)."""


def bleak_client(address: str, on_disconnect: Callable[[Any], None]) -> ClientLike:
    from bleak import BleakClient

    client: ClientLike = BleakClient(address, disconnected_callback=on_disconnect, timeout=15.0)
    return client


def _stack_errors() -> tuple[type[BaseException], ...]:
    from bleak.exc import BleakError

    return (BleakError, OSError, TimeoutError)


class BleakGattLink:
    def __init__(self, address: str, name: str, factory: ClientFactory = bleak_client) -> None:
        self._address = address
        self._name = name
        self._factory = factory
        self._client: ClientLike | None = None
        self._present: set[int] = set()

    @property
    def name(self) -> str:
        return self._name

    async def connect(self, on_disconnect: Callable[[], None]) -> None:
        def lost(_client: object) -> None:
            if self._client is not None:
                self._client = None
                on_disconnect()

        client = self._factory(self._address, lost)
        try:
            await client.connect()
        except _stack_errors() as error:
            raise LinkError(_words(error)) from error
        self._client = client
        self._present = set()
        for uuid in _KNOWN:
            if client.services.get_characteristic(uuid16(uuid)) is not None:
                self._present.add(uuid)

    async def disconnect(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                await client.disconnect()
            except _stack_errors() as error:
                raise LinkError(_words(error)) from error

    def has(self, uuid: int) -> bool:
        return uuid in self._present

    def _connected(self) -> ClientLike:
        if self._client is None:
            raise LinkError(f"{self._name} is not connected")
        return self._client

    async def read(self, uuid: int) -> bytes:
        return bytes(await self._call(self._connected().read_gatt_char(uuid16(uuid))))

    async def write(self, uuid: int, data: bytes) -> None:
        await self._call(self._connected().write_gatt_char(uuid16(uuid), data, response=True))

    async def subscribe(self, uuid: int, callback: Callable[[bytes], None]) -> None:
        # bleak chooses notify or indicate from the characteristic's properties itself.
        await self._call(self._connected().start_notify(uuid16(uuid), lambda _sender, data: callback(bytes(data))))

    async def _call(self, operation: Awaitable[Any]) -> Any:
        try:
            return await operation
        except _stack_errors() as error:
            raise LinkError(_words(error)) from error


def _words(error: BaseException) -> str:
    return str(error) or type(error).__name__


@dataclass(frozen=True)
class FoundDevice:
    """A device seen while scanning; ``kind`` is "treadmill" or "heart rate"."""

    address: str
    name: str
    kind: str
    rssi: int | None


Discover = Callable[[float], Awaitable[dict[str, tuple[Any, Any]]]]


async def bleak_discover(seconds: float) -> dict[str, tuple[Any, Any]]:
    from bleak import BleakScanner

    return await BleakScanner.discover(timeout=seconds, return_adv=True)


async def scan(seconds: float = SCAN_SECONDS, discover: Discover = bleak_discover) -> list[FoundDevice]:
    """Treadmills (FTMS) and heart-rate straps in range, strongest first. Raises ``BluetoothUnavailable``."""
    try:
        found = await discover(seconds)
    except _stack_errors() as error:
        raise BluetoothUnavailable(_words(error)) from error
    kinds = {uuid16(FTMS_SERVICE_UUID): "treadmill", uuid16(HEART_RATE_SERVICE_UUID): "heart rate"}
    devices: list[FoundDevice] = []
    for address, (device, advert) in found.items():
        services = [str(each).lower() for each in (getattr(advert, "service_uuids", None) or [])]
        for uuid, kind in kinds.items():
            if uuid in services:
                name = getattr(advert, "local_name", None) or getattr(device, "name", None) or address
                devices.append(FoundDevice(address, str(name), kind, getattr(advert, "rssi", None)))
    return sorted(devices, key=lambda each: -(each.rssi if each.rssi is not None else -999))


_KNOWN = (
    FEATURE_UUID,
    TREADMILL_DATA_UUID,
    SPEED_RANGE_UUID,
    INCLINATION_RANGE_UUID,
    CONTROL_POINT_UUID,
    MACHINE_STATUS_UUID,
    HEART_RATE_MEASUREMENT_UUID,
)
