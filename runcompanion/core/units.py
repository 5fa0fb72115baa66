"""Speed units. Plans keep km/h; the runner sees km/h or mph, as they choose in Settings."""

from __future__ import annotations

from enum import StrEnum

KM_PER_MILE = 1.609344


class SpeedUnit(StrEnum):
    KMH = "kmh"
    MPH = "mph"

    @property
    def short(self) -> str:
        return "km/h" if self is SpeedUnit.KMH else "mph"

    @property
    def spoken(self) -> str:
        return "kilometres per hour" if self is SpeedUnit.KMH else "miles per hour"


def speed_in(unit: SpeedUnit, speed_kmh: float) -> float:
    """``speed_kmh`` expressed in ``unit``, rounded to the 0.1 steps treadmills use."""
    value = speed_kmh if unit is SpeedUnit.KMH else speed_kmh / KM_PER_MILE
    return round(value, 1)


def format_speed(unit: SpeedUnit, speed_kmh: float) -> str:
    """``"8.5 km/h"`` or ``"5.3 mph"``."""
    return f"{speed_in(unit, speed_kmh):.1f} {unit.short}"


def spoken_speed(unit: SpeedUnit, speed_kmh: float) -> str:
    """``"8.5 kilometres per hour"``; whole numbers are said without ``point zero``."""
    value = speed_in(unit, speed_kmh)
    number = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    return f"{number} {unit.spoken}"
