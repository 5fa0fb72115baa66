"""One run's figures over time (core/run_samples.py): a sample each ``SAMPLE_EVERY_S`` of running.

A sample is taken when a reading arrives and the run has run ``SAMPLE_EVERY_S`` since the last one, so a link that
drops makes a gap, never invented figures; each field comes from a reading at most ``MAX_GAP_S`` old. Running
time is measured here, on the devices' clock (the one the readings are stamped with), from the run's start,
stopping while it is paused. Readings come on the device thread, the run's start, pauses and ``take`` on the
run's thread: a lock keeps them apart. The run writes what ``take`` returns at each checkpoint, so a crash loses
at most the last few seconds.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from runcompanion.core.clock import Clock
from runcompanion.core.devices import DeviceState, HeartRateReading, TreadmillReading
from runcompanion.core.ftms_control import MachineStatus
from runcompanion.core.run_samples import SAMPLE_EVERY_S, RunSample
from runcompanion.services.devices.run_metrics import MAX_GAP_S


class RunSampler:
    """``distance`` gives the run's distance so far (RunMetrics.distance_m); added after RunMetrics as a listener,
    it sees each reading once RunMetrics has counted it."""

    def __init__(self, clock: Clock, distance: Callable[[], float | None], every_s: float = SAMPLE_EVERY_S) -> None:
        self._clock = clock
        self._distance = distance
        self._every = every_s
        self._lock = threading.Lock()
        self._banked = 0.0  # running time before the current stretch
        self._since: float | None = None  # clock reading the current stretch began; None: not running
        self._next = 0.0
        self._last_elapsed = -1.0
        self._belt: TreadmillReading | None = None
        self._heart: HeartRateReading | None = None
        self._pending: list[RunSample] = []
        self.count = 0
        """Samples taken in this run so far."""

    # -- the run's thread -----------------------------------------------------------------------------------------
    def run(self) -> None:
        """Running from now (the run started or resumed)."""
        with self._lock:
            if self._since is None:
                self._since = self._clock()

    def pause(self) -> None:
        with self._lock:
            if self._since is not None:
                self._banked += max(0.0, self._clock() - self._since)
                self._since = None

    def take(self) -> list[RunSample]:
        """The samples taken since the last call, oldest first."""
        with self._lock:
            taken, self._pending = self._pending, []
            return taken

    # -- the device thread ----------------------------------------------------------------------------------------
    def on_treadmill_reading(self, reading: TreadmillReading) -> None:
        distance = self._distance()
        with self._lock:
            self._belt = reading
            self._maybe_sample(reading.at, distance)

    def on_treadmill_status(self, status: MachineStatus) -> None:
        """Statuses carry no figures."""

    def on_treadmill_state(self, state: DeviceState, detail: str) -> None:
        if state is not DeviceState.CONNECTED:
            with self._lock:
                self._belt = None

    def on_heart_rate(self, reading: HeartRateReading) -> None:
        distance = self._distance()
        with self._lock:
            self._heart = reading
            self._maybe_sample(reading.at, distance)

    def on_heart_rate_state(self, state: DeviceState, detail: str) -> None:
        if state is not DeviceState.CONNECTED:
            with self._lock:
                self._heart = None

    # -- inside (lock held) ---------------------------------------------------------------------------------------
    def _maybe_sample(self, at: float, distance: float | None) -> None:
        if self._since is None:
            return
        elapsed = self._banked + max(0.0, at - self._since)
        if elapsed < self._next:
            return
        self._next = (math.floor(elapsed / self._every) + 1) * self._every
        elapsed = round(elapsed, 1)
        if elapsed <= self._last_elapsed:
            return
        belt = self._belt if self._belt is not None and 0 <= at - self._belt.at <= MAX_GAP_S else None
        heart = self._heart if self._heart is not None and 0 <= at - self._heart.at <= MAX_GAP_S else None
        sample = RunSample(
            elapsed,
            None if belt is None or belt.speed_kmh is None else round(belt.speed_kmh, 2),
            None if belt is None or belt.incline_percent is None else round(belt.incline_percent, 1),
            None if distance is None else round(distance, 1),
            None if heart is None else heart.bpm,
        )
        if sample.empty:
            return
        self._last_elapsed = elapsed
        self._pending.append(sample)
        self.count += 1
