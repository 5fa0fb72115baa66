"""The figures a run records from its devices: distance, heart rate and zones, each segment's actual speed and
incline.

Only readings that passed the plausibility checks reach this (the clients drop the rest), and only time spent
running counts: pauses and gaps longer than ``MAX_GAP_S`` (a strap out of range, a dropped link) add nothing, so a
silence is never filled with invented figures. Distance is the treadmill's own counter where it sends one (a
counter that starts again after a reconnect is followed, not subtracted), otherwise speed integrated over time.
Readings come on the device thread and segment changes on the run's: a lock keeps them apart.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from runcompanion.core.devices import DeviceState, HeartRateReading, TreadmillReading
from runcompanion.core.ftms_control import MachineStatus
from runcompanion.core.heart_zones import ZONE_COUNT, zone_of

MAX_GAP_S = 5.0


@dataclass(frozen=True)
class SegmentFigures:
    index: int
    distance_m: float
    speed_kmh: float | None
    """Time-weighted mean belt speed while running in this segment."""
    incline_percent: float | None


@dataclass(frozen=True)
class RunFigures:
    distance_m: float | None
    avg_heart_rate: int | None
    max_heart_rate: int | None
    zone_s: tuple[float, ...] | None
    """Seconds in zones 1-5 (None without a maximum heart rate or without heart-rate readings)."""
    segments: tuple[SegmentFigures, ...]

    @property
    def has_heart_rate(self) -> bool:
        return self.avg_heart_rate is not None


@dataclass
class _Segment:
    distance_m: float = 0.0
    speed_weighted: float = 0.0
    speed_s: float = 0.0
    incline_weighted: float = 0.0
    incline_s: float = 0.0


@dataclass
class _Heart:
    weighted: float = 0.0
    seconds: float = 0.0
    maximum: int | None = None
    zones: list[float] = field(default_factory=lambda: [0.0] * ZONE_COUNT)


class RunMetrics:
    """Listens to a treadmill and a heart-rate monitor for one run. ``max_heart_rate`` None: no zones."""

    def __init__(self, max_heart_rate: int | None) -> None:
        self._max_hr = max_heart_rate
        self._lock = threading.Lock()
        self._segments: dict[int, _Segment] = {}
        self._segment = 0
        self._running = False
        self._last_tread: TreadmillReading | None = None
        self._counter: float | None = None
        self._distance = 0.0
        self._saw_distance = False
        self._last_heart: HeartRateReading | None = None
        self._heart = _Heart()

    # -- from the run ---------------------------------------------------------------------------------------------
    def segment_started(self, index: int) -> None:
        with self._lock:
            self._segment = index
            self._running = True

    def pause(self) -> None:
        with self._lock:
            self._running = False
            self._last_tread = None
            self._last_heart = None

    def resume(self) -> None:
        with self._lock:
            self._running = True

    def finish(self, at: float) -> RunFigures:
        """Close the last intervals at ``at`` (the clock the readings use) and return the run's figures."""
        with self._lock:
            if self._last_heart is not None and self._running:
                self._count_heart(self._last_heart, at)
            if self._last_tread is not None and self._running:
                self._count_tread(self._last_tread, at)
            self._running = False
            return self._figures()

    @property
    def distance_m(self) -> float | None:
        with self._lock:
            return self._distance if self._saw_distance else None

    # -- from the device thread -----------------------------------------------------------------------------------
    def on_treadmill_reading(self, reading: TreadmillReading) -> None:
        with self._lock:
            if not self._running:
                self._counter = reading.distance_m if reading.distance_m is not None else self._counter
                return
            if self._last_tread is not None:
                self._count_tread(self._last_tread, reading.at)
            if reading.distance_m is not None:
                if self._counter is not None and reading.distance_m >= self._counter:
                    step = reading.distance_m - self._counter
                    self._distance += step
                    self._current().distance_m += step
                self._counter = reading.distance_m  # a counter that went back (reconnect) starts a new baseline
                self._saw_distance = True
            self._last_tread = reading

    def on_treadmill_status(self, status: MachineStatus) -> None:
        """Statuses say nothing about distance or heart rate."""

    def on_treadmill_state(self, state: DeviceState, detail: str) -> None:
        if state is not DeviceState.CONNECTED:
            with self._lock:
                self._last_tread = None

    def on_heart_rate(self, reading: HeartRateReading) -> None:
        with self._lock:
            if not self._running:
                return
            if self._last_heart is not None:
                self._count_heart(self._last_heart, reading.at)
            self._last_heart = reading
            self._heart.maximum = max(self._heart.maximum or 0, reading.bpm)

    def on_heart_rate_state(self, state: DeviceState, detail: str) -> None:
        if state is not DeviceState.CONNECTED:
            with self._lock:
                self._last_heart = None

    # -- inside (lock held) ---------------------------------------------------------------------------------------
    def _current(self) -> _Segment:
        return self._segments.setdefault(self._segment, _Segment())

    def _count_tread(self, reading: TreadmillReading, until: float) -> None:
        span = until - reading.at
        if span <= 0 or span > MAX_GAP_S:
            return
        segment = self._current()
        if reading.speed_kmh is not None:
            segment.speed_weighted += reading.speed_kmh * span
            segment.speed_s += span
            if reading.distance_m is None and self._counter is None:
                self._distance += reading.speed_kmh / 3.6 * span
                segment.distance_m += reading.speed_kmh / 3.6 * span
                self._saw_distance = True
        if reading.incline_percent is not None:
            segment.incline_weighted += reading.incline_percent * span
            segment.incline_s += span

    def _count_heart(self, reading: HeartRateReading, until: float) -> None:
        span = until - reading.at
        if span <= 0 or span > MAX_GAP_S:
            return
        self._heart.weighted += reading.bpm * span
        self._heart.seconds += span
        if self._max_hr is not None:
            zone = zone_of(reading.bpm, self._max_hr)
            if zone is not None:
                self._heart.zones[zone - 1] += span

    def _figures(self) -> RunFigures:
        heart = self._heart
        average = round(heart.weighted / heart.seconds) if heart.seconds > 0 else None
        zones = tuple(round(s, 1) for s in heart.zones) if self._max_hr is not None and average is not None else None
        segments = tuple(
            SegmentFigures(
                index,
                round(each.distance_m, 1),
                round(each.speed_weighted / each.speed_s, 2) if each.speed_s else None,
                round(each.incline_weighted / each.incline_s, 2) if each.incline_s else None,
            )
            for index, each in sorted(self._segments.items())
        )
        return RunFigures(
            round(self._distance, 1) if self._saw_distance else None,
            average,
            heart.maximum if average is not None else None,
            zones,
            segments,
        )
