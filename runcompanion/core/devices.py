"""The app's word for a treadmill and a heart-rate monitor, whatever carries the bytes (bleak, bumble, a test).

Every method returns at once with a ``concurrent.futures.Future``: the Bluetooth work runs on the device thread
(services/devices/device_loop.py), so a caller on the GUI thread never waits. Futures and listeners complete and
are called **on the device thread**; a Qt adapter re-emits them as signals, plain code must be thread-safe.
Readings reach listeners only after core/device_sanity.py let them through; malformed or absurd values are logged
and dropped below this interface, never passed up as real data.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from concurrent.futures import Future
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from runcompanion.core.ftms import SettingRange
from runcompanion.core.ftms_control import ControlResponse, MachineStatus


class DeviceState(StrEnum):
    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    LOST = "lost"
    """The link dropped without the app asking: the run goes on, a banner says so."""


class DeviceError(Exception):
    """A device could not be reached or did not answer; the message is a sentence for a person."""


@dataclass(frozen=True)
class TreadmillReading:
    """What the treadmill reported, stamped with the app's monotonic clock when it arrived.

    A field is None when the treadmill did not send it (or sent something implausible) this time.
    """

    at: float
    speed_kmh: float | None
    incline_percent: float | None
    distance_m: float | None
    elapsed_s: int | None


@dataclass(frozen=True)
class HeartRateReading:
    at: float
    bpm: int
    rr_intervals_s: tuple[float, ...] = ()


class TreadmillListener(Protocol):
    """Called on the device thread."""

    def on_treadmill_reading(self, reading: TreadmillReading) -> None: ...

    def on_treadmill_status(self, status: MachineStatus) -> None: ...

    def on_treadmill_state(self, state: DeviceState, detail: str) -> None: ...


class HeartRateListener(Protocol):
    """Called on the device thread."""

    def on_heart_rate(self, reading: HeartRateReading) -> None: ...

    def on_heart_rate_state(self, state: DeviceState, detail: str) -> None: ...


class Treadmill(ABC):
    """An FTMS treadmill. Control needs ``request_control`` first and the runner's consent before that."""

    @property
    @abstractmethod
    def name(self) -> str: ...

    @property
    @abstractmethod
    def state(self) -> DeviceState: ...

    @property
    @abstractmethod
    def speed_range(self) -> SettingRange | None:
        """The machine's own speed range in km/h, known once connected (None if it does not say)."""

    @property
    @abstractmethod
    def incline_range(self) -> SettingRange | None: ...

    @abstractmethod
    def add_listener(self, listener: TreadmillListener) -> None: ...

    @abstractmethod
    def remove_listener(self, listener: TreadmillListener) -> None: ...

    @abstractmethod
    def connect(self) -> Future[None]: ...

    @abstractmethod
    def disconnect(self) -> Future[None]: ...

    @abstractmethod
    def request_control(self) -> Future[ControlResponse]: ...

    @abstractmethod
    def set_target_speed(self, kmh: float) -> Future[ControlResponse]: ...

    @abstractmethod
    def set_target_incline(self, percent: float) -> Future[ControlResponse]: ...

    @abstractmethod
    def start(self) -> Future[ControlResponse]:
        """Start or resume the belt."""

    @abstractmethod
    def pause(self) -> Future[ControlResponse]: ...

    @abstractmethod
    def stop(self) -> Future[ControlResponse]: ...


class HeartRateMonitor(ABC):
    @property
    @abstractmethod
    def name(self) -> str: ...

    @property
    @abstractmethod
    def state(self) -> DeviceState: ...

    @abstractmethod
    def add_listener(self, listener: HeartRateListener) -> None: ...

    @abstractmethod
    def remove_listener(self, listener: HeartRateListener) -> None: ...

    @abstractmethod
    def connect(self) -> Future[None]: ...

    @abstractmethod
    def disconnect(self) -> Future[None]: ...
