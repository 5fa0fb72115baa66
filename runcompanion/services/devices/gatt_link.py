"""What the FTMS and heart-rate clients need from a Bluetooth stack: one connected peripheral's characteristics.

bleak (real devices, bleak_link.py) and bumble (the simulator's virtual link, bumble_link.py) both sit behind it,
so the clients that turn bytes into readings are the same code in tests and on a real treadmill. All methods are
coroutines on the device loop; callbacks are called there too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


def uuid16(value: int) -> str:
    """The 128-bit form of a 16-bit SIG UUID, as bleak writes it."""
    return f"0000{value:04x}-0000-1000-8000-00805f9b34fb"


class LinkError(Exception):
    """The stack could not do what was asked (not connected, no such characteristic, a write refused)."""


class GattLink(Protocol):
    @property
    def name(self) -> str: ...

    async def connect(self, on_disconnect: Callable[[], None]) -> None:
        """Connect and discover services. ``on_disconnect`` is called once if the link drops later."""

    async def disconnect(self) -> None: ...

    def has(self, uuid: int) -> bool:
        """Whether the peripheral has this characteristic (after ``connect``)."""

    async def read(self, uuid: int) -> bytes: ...

    async def write(self, uuid: int, data: bytes) -> None:
        """A write with response."""

    async def subscribe(self, uuid: int, callback: Callable[[bytes], None]) -> None:
        """Enable notifications or indications, whichever the characteristic offers."""
