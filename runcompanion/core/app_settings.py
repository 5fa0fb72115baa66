"""The runner's preferences, as one typed value. Stored as key/value pairs by the settings service."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any

from runcompanion.core.cue_timeline import CueDensity
from runcompanion.core.units import SpeedUnit

# The speech cache's cap in megabytes (10^6 bytes). Below the minimum a cap could evict the cues of the very
# session being prepared (an hour is about 10-20 MB a voice); the maximum only guards against a typo.
SPEECH_CACHE_MIN_MB = 50
SPEECH_CACHE_MAX_MB = 10_000
SPEECH_CACHE_DEFAULT_MB = 500


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True, slots=True)
class AppSettings:
    theme: Theme = Theme.SYSTEM
    units: SpeedUnit = SpeedUnit.KMH
    voice_id: str = ""  # empty: the engine's English default
    rate: int = 165  # words per minute, espeak-ng's scale
    volume: int = 80  # percent
    chime: bool = True
    density: CueDensity = CueDensity.LIGHT
    countdown_s: int = 5
    muted: bool = False
    welcomed: bool = False  # the first-run welcome has been seen
    remind_before_min: int = 15  # a reminder this long before a planned run (0: only when it is due)
    close_to_tray: bool = False
    # Devices (docs/devices.md). A device is "" (none), "simulated" or a Bluetooth address.
    treadmill: str = ""
    treadmill_name: str = ""
    heart_rate_monitor: str = ""
    heart_rate_monitor_name: str = ""
    belt_control: bool = False  # the app may set the belt's speed and incline
    belt_control_agreed: bool = False  # the runner read the first-use explanation and said yes
    max_speed_kmh: int = 12  # the app never sets the belt faster
    max_incline_pct: int = 6  # nor steeper
    age: int = 0  # 0: not given; with no max_heart_rate either, no heart-rate zones
    max_heart_rate: int = 0  # 0: estimated from age
    reference_pace_s: int = 0  # the runner's 5 km pace in seconds per km; 0: not set (workout files use 6:00)
    speech_cache_mb: int = SPEECH_CACHE_DEFAULT_MB  # the least recently used speech goes beyond this

    def with_changes(self, **changes: Any) -> AppSettings:
        return replace(self, **changes)

    def to_mapping(self) -> dict[str, object]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_mapping(cls, stored: Mapping[str, object]) -> AppSettings:
        """Build from stored values, keeping the default for anything missing or no longer valid.

        A settings row written by a newer or older version must never stop the app from starting.
        """
        default = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in stored:
                continue
            current = getattr(default, f.name)
            try:
                values[f.name] = _coerce(type(current), stored[f.name])
            except (TypeError, ValueError):
                continue
        return replace(default, **values).clamped()

    def clamped(self) -> AppSettings:
        return replace(
            self,
            rate=min(max(self.rate, 80), 320),
            volume=min(max(self.volume, 0), 100),
            countdown_s=min(max(self.countdown_s, 0), 30),
            remind_before_min=min(max(self.remind_before_min, 0), 240),
            reference_pace_s=0 if self.reference_pace_s <= 0 else min(max(self.reference_pace_s, 150), 900),
            speech_cache_mb=min(max(self.speech_cache_mb, SPEECH_CACHE_MIN_MB), SPEECH_CACHE_MAX_MB),
        )


def _plain(value: object) -> object:
    return value.value if isinstance(value, StrEnum) else value


def _coerce(kind: type, value: object) -> object:
    if issubclass(kind, StrEnum):
        return kind(str(value))
    if kind is bool:
        if not isinstance(value, bool):
            raise TypeError("not a bool")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError("not a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("not a finite number")  # JSON's 1e400 reads as infinity; int() would raise OverflowError
        return int(value)
    if kind is str:
        if not isinstance(value, str):
            raise TypeError("not a string")
        return value
    raise TypeError(f"unsupported setting type {kind}")
