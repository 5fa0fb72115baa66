"""The physics of the simulated treadmill and runner: belt, incline, distance and heart rate over time.

Pure and clock-driven, so a test can run ten simulated minutes in a blink. The belt ramps toward its target at a
motor's pace (about 1 km/h per second, as home treadmills do); distance is the exact integral of that piecewise-
linear speed. Heart rate follows effort with a first-order lag: the steady state comes from the oxygen cost of
running or walking at that speed and grade (the ACSM metabolic equations, ACSM's Guidelines for Exercise Testing
and Prescription) mapped onto heart-rate reserve (Swain and Leutholtz, 1997: %VO2 reserve tracks %HR reserve),
and the lag's time constant is about 30 s, the order of heart-rate on-kinetics reported for moderate exercise.
The figures are a plausible runner for a demo and for tests, not a physiological model of anyone.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from runcompanion.core.clock import Clock
from runcompanion.core.ftms import SettingRange

SPEED_RANGE = SettingRange(0.5, 20.0, 0.1)
INCLINE_RANGE = SettingRange(0.0, 15.0, 0.5)
BELT_ACCELERATION_KMH_S = 1.0
INCLINE_RATE_PCT_S = 0.5
HEART_TAU_S = 30.0
WALK_RUN_KMH = 6.5
RESTING_BPM = 62.0
MAX_BPM = 188.0
VO2_MAX = 45.0
VO2_REST = 3.5
_STEP_S = 0.25


@dataclass(frozen=True)
class PendingChange:
    """A change the simulated runner makes by hand a few seconds after a spoken target."""

    due: float
    speed_kmh: float | None
    incline_percent: float | None


class TreadmillModel:
    """Belt, incline, distance and the runner's heart, advanced to ``clock()`` whenever asked."""

    def __init__(self, clock: Clock, *, seed: int = 7) -> None:
        self._clock = clock
        self._random = random.Random(seed)
        self._at = clock()
        self.running = False
        self.speed_kmh = 0.0
        self.incline_percent = 0.0
        self.target_speed_kmh = 0.0
        self.target_incline_percent = 0.0
        self.distance_m = 0.0
        self.elapsed_s = 0.0
        self.heart_bpm = RESTING_BPM
        self._pending: list[PendingChange] = []
        self._missing = 0

    # -- what the control point or the console does --------------------------------------------------------------
    def start(self) -> None:
        self.advance()
        self.running = True

    def pause(self) -> None:
        self.advance()
        self.running = False
        self.speed_kmh = 0.0  # a paused belt stops; the target stays for resume

    def stop(self) -> None:
        self.pause()
        self.target_speed_kmh = 0.0

    def set_target_speed(self, kmh: float) -> None:
        self.advance()
        self.target_speed_kmh = SPEED_RANGE.clamp(kmh)
        self.running = True

    def set_target_incline(self, percent: float) -> None:
        self.advance()
        self.target_incline_percent = INCLINE_RANGE.clamp(percent)

    def hold(self) -> None:
        """Stop any change in progress where it is: what a safe machine does when its controller goes away."""
        self.advance()
        self.target_speed_kmh = self.speed_kmh
        self.target_incline_percent = self.incline_percent

    def miss_targets(self, count: int = 1) -> None:
        """The runner will not hear the next ``count`` targets (headphones out, a loud gym): the belt stays."""
        self._missing = count

    def hear_targets(self, speed_kmh: float | None, incline_percent: float | None) -> None:
        """The runner heard a target: they press the buttons 2-5 s later and land within a step of it."""
        if self._missing > 0:
            self._missing -= 1
            return
        delay = self._random.uniform(2.0, 5.0)

        def noisy(value: float | None, step: float) -> float | None:
            return None if value is None else round(value + self._random.choice((-step, 0.0, 0.0, step)), 1)

        # The newest target replaces one not acted on yet: the runner never goes back to an older one.
        self._pending = [PendingChange(self._clock() + delay, noisy(speed_kmh, 0.1), noisy(incline_percent, 0.5))]

    # -- time ----------------------------------------------------------------------------------------------------
    def advance(self) -> None:
        now = self._clock()
        due = sorted((p for p in self._pending if p.due <= now), key=lambda p: p.due)
        self._pending = [p for p in self._pending if p.due > now]
        for change in due:
            self._advance_to(change.due)
            if change.speed_kmh is not None:
                self.target_speed_kmh = SPEED_RANGE.clamp(change.speed_kmh)
                self.running = True
            if change.incline_percent is not None:
                self.target_incline_percent = INCLINE_RANGE.clamp(change.incline_percent)
        self._advance_to(now)

    def _advance_to(self, when: float) -> None:
        span = when - self._at
        if span <= 0:
            return
        self._at = when
        if not self.running:
            self._heart(span, effort_kmh=0.0, grade=0.0)
            return
        self.elapsed_s += span
        self.distance_m += self._belt(span)
        self.incline_percent = _toward(self.incline_percent, self.target_incline_percent, INCLINE_RATE_PCT_S * span)
        self._heart(span, effort_kmh=self.speed_kmh, grade=self.incline_percent / 100)

    def _belt(self, span: float) -> float:
        """Move the belt for ``span`` seconds and return the metres it carried (exact for a linear ramp)."""
        start = self.speed_kmh
        gap = self.target_speed_kmh - start
        ramp = min(span, abs(gap) / BELT_ACCELERATION_KMH_S)
        end = start + math.copysign(BELT_ACCELERATION_KMH_S * ramp, gap)
        self.speed_kmh = self.target_speed_kmh if ramp < span else end
        return ((start + end) / 2 * ramp + end * (span - ramp)) / 3.6

    def _heart(self, span: float, *, effort_kmh: float, grade: float) -> None:
        steady = steady_heart_rate(effort_kmh, grade)
        remaining = span
        while remaining > 0:
            step = min(_STEP_S, remaining)
            self.heart_bpm += (steady - self.heart_bpm) * (1 - math.exp(-step / HEART_TAU_S))
            remaining -= step

    def heart_reading(self) -> int:
        """The strap's figure: the model's heart rate with a beat of measurement noise."""
        return round(self.heart_bpm + self._random.choice((-1, 0, 0, 1)))


def steady_heart_rate(speed_kmh: float, grade: float) -> float:
    """Heart rate after a few minutes at this speed and grade (see the module docstring for the sources)."""
    if speed_kmh <= 0:
        return RESTING_BPM
    metres_per_min = speed_kmh * 1000 / 60
    if speed_kmh < WALK_RUN_KMH:
        vo2 = VO2_REST + 0.1 * metres_per_min + 1.8 * metres_per_min * max(grade, 0.0)
    else:
        vo2 = VO2_REST + 0.2 * metres_per_min + 0.9 * metres_per_min * max(grade, 0.0)
    reserve = min(1.0, max(0.0, (vo2 - VO2_REST) / (VO2_MAX - VO2_REST)))
    return RESTING_BPM + reserve * (MAX_BPM - RESTING_BPM)


def _toward(value: float, target: float, step: float) -> float:
    if abs(target - value) <= step:
        return target
    return value + math.copysign(step, target - value)
