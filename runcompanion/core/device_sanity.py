"""What a treadmill or heart-rate strap may plausibly report; anything else is logged and never recorded.

A value can be perfectly well formed and still absurd: a strap that loses skin contact reports 0 or 255, a
treadmill's firmware can send 500 km/h after a glitch, and a distance counter can jump or wrap. The limits are
wide enough for any person on any treadmill sold for home or gym use (the fastest go to about 25 km/h and 40 %
incline, some decline to -6 %) and narrow enough that a recorded figure is a real one.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_SPEED_KMH = 40.0
MIN_INCLINE_PERCENT = -15.0
MAX_INCLINE_PERCENT = 45.0
MIN_HEART_RATE_BPM = 25
MAX_HEART_RATE_BPM = 240
MIN_RR_S = 0.25
MAX_RR_S = 2.5
MAX_RUN_SPEED_MS = MAX_SPEED_KMH / 3.6
DISTANCE_SLACK_M = 5.0
"""Allowance for a counter that ticks in whole metres and for notifications that arrive unevenly."""


class ImplausibleValue(ValueError):
    """A reading outside what a real device can report: dropped with a log line, never recorded."""


def check_speed(kmh: float) -> float:
    if not 0.0 <= kmh <= MAX_SPEED_KMH:
        raise ImplausibleValue(f"belt speed {kmh:g} km/h is outside 0-{MAX_SPEED_KMH:g}")
    return kmh


def check_incline(percent: float) -> float:
    if not MIN_INCLINE_PERCENT <= percent <= MAX_INCLINE_PERCENT:
        raise ImplausibleValue(f"incline {percent:g} % is outside {MIN_INCLINE_PERCENT:g} to {MAX_INCLINE_PERCENT:g}")
    return percent


def check_heart_rate(bpm: int) -> int:
    if not MIN_HEART_RATE_BPM <= bpm <= MAX_HEART_RATE_BPM:
        raise ImplausibleValue(f"heart rate {bpm} bpm is outside {MIN_HEART_RATE_BPM}-{MAX_HEART_RATE_BPM}")
    return bpm


def plausible_rr(intervals: tuple[float, ...]) -> tuple[float, ...]:
    """RR intervals a heart can produce; beats the strap mis-timed are left out rather than failing the value."""
    return tuple(rr for rr in intervals if MIN_RR_S <= rr <= MAX_RR_S)


@dataclass
class DistanceCheck:
    """Follows a treadmill's distance counter and refuses steps no runner could make.

    A counter that goes back (a reset on the console, a wrap of its 24 bits) or leaps further than the top speed
    allows in the time since the last good value is implausible; the next plausible value is measured from the
    last good one, so a single glitch costs nothing.
    """

    last_m: float | None = None
    last_at: float | None = None

    def check(self, distance_m: float, at: float) -> float:
        if distance_m < 0:
            raise ImplausibleValue(f"distance {distance_m:g} m is negative")
        if self.last_m is not None and self.last_at is not None:
            if distance_m < self.last_m:
                raise ImplausibleValue(f"distance went back from {self.last_m:g} m to {distance_m:g} m")
            allowed = MAX_RUN_SPEED_MS * max(0.0, at - self.last_at) + DISTANCE_SLACK_M
            if distance_m - self.last_m > allowed:
                raise ImplausibleValue(f"distance leapt {distance_m - self.last_m:g} m in {at - self.last_at:.1f} s")
        self.last_m = distance_m
        self.last_at = at
        return distance_m
