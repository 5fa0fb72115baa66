"""A GattLink over bumble: the app's side of the simulator's virtual Bluetooth link.

bleak cannot reach bumble's virtual controllers (it talks to BlueZ, CoreBluetooth or WinRT), so the simulated
devices are reached through this link instead, below the same FTMS and heart-rate clients that real devices use.
Runs on the device loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bumble import core as bumble_core
from bumble import gatt, hci
from bumble.device import Connection, Device, Peer
from bumble.gatt_client import CharacteristicProxy

from runcompanion.services.devices.gatt_link import LinkError

CONNECT_TIMEOUT_S = 10.0


class BumbleGattLink:
    """One peripheral on a bumble link, reached from ``central`` (a powered-on bumble ``Device``)."""

    def __init__(self, central: Device, address: str, name: str, connect_lock: asyncio.Lock | None = None) -> None:
        self._central = central
        # bumble's central makes one connection at a time (a second connect() while one is pending trips an
        # assertion in its connection handler), and two links reconnecting after a drop would do just that.
        self._connect_lock = connect_lock or asyncio.Lock()
        self._address = address
        self._name = name
        self._connection: Connection | None = None
        self._characteristics: dict[int, CharacteristicProxy[bytes]] = {}

    @property
    def name(self) -> str:
        return self._name

    async def connect(self, on_disconnect: Callable[[], None]) -> None:
        try:
            async with self._connect_lock:
                connection = await self._central.connect(hci.Address(self._address), timeout=CONNECT_TIMEOUT_S)
        except (bumble_core.BaseBumbleError, hci.HCI_Error) as error:
            raise LinkError(f"no answer from {self._name}") from error
        self._connection = connection

        def lost(_reason: int) -> None:
            self._connection = None
            on_disconnect()

        connection.on("disconnection", lost)
        peer = Peer(connection)
        await peer.discover_services()
        for service in peer.services:
            await service.discover_characteristics()
        self._characteristics = {}
        for service in peer.services:
            for characteristic in service.characteristics:
                short = _short_uuid(characteristic.uuid)
                if short is not None:
                    self._characteristics[short] = characteristic

    async def disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.disconnect()
            except (bumble_core.BaseBumbleError, hci.HCI_Error) as error:
                raise LinkError(str(error)) from error

    def has(self, uuid: int) -> bool:
        return uuid in self._characteristics

    def _proxy(self, uuid: int) -> CharacteristicProxy[bytes]:
        if self._connection is None:
            raise LinkError(f"{self._name} is not connected")
        try:
            return self._characteristics[uuid]
        except KeyError:
            raise LinkError(f"{self._name} has no characteristic 0x{uuid:04X}") from None

    async def read(self, uuid: int) -> bytes:
        try:
            return bytes(await self._proxy(uuid).read_value())
        except (bumble_core.BaseBumbleError, hci.HCI_Error) as error:
            raise LinkError(str(error)) from error

    async def write(self, uuid: int, data: bytes) -> None:
        try:
            await self._proxy(uuid).write_value(data, with_response=True)
        except (bumble_core.BaseBumbleError, hci.HCI_Error) as error:
            raise LinkError(str(error)) from error

    async def subscribe(self, uuid: int, callback: Callable[[bytes], None]) -> None:
        proxy = self._proxy(uuid)
        indicate_only = not proxy.properties & gatt.Characteristic.Properties.NOTIFY
        try:
            await proxy.subscribe(lambda value: callback(bytes(value)), prefer_notify=not indicate_only)
        except (bumble_core.BaseBumbleError, hci.HCI_Error) as error:
            raise LinkError(str(error)) from error


def _short_uuid(uuid: bumble_core.UUID) -> int | None:
    raw = uuid.to_bytes()  # little-endian; a SIG 16-bit UUID is 2 bytes or sits in the base UUID
    if len(raw) == 2:
        return int.from_bytes(raw, "little")
    text = str(uuid).lower()
    if text.endswith("-0000-1000-8000-00805f9b34fb") and text.startswith("0000"):
        return int(text[4:8], 16)
    return None
