"""One run's devices: the timer engine's events move the belt (with consent) and mark out the recorded figures.

The run (ui/ or a test) passes every batch of engine events to ``handle``, on its own thread; at the end
``finish`` returns the figures for the run record. With control off and a simulated runner, each new segment's
targets are "heard" by the simulator's runner instead, who changes the belt by hand a few seconds later.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from runcompanion.core.clock import Clock
from runcompanion.core.devices import HeartRateMonitor, Treadmill
from runcompanion.core.engine_events import EngineEvent, EventKind
from runcompanion.core.session_plan import SessionPlan
from runcompanion.services.devices.belt_control import BeltControl, BeltLimits
from runcompanion.services.devices.run_metrics import RunFigures, RunMetrics
from runcompanion.services.devices.run_sampler import RunSampler

TargetsHeard = Callable[[float | None, float | None], None]


class DeviceRun:
    def __init__(
        self,
        plan: SessionPlan,
        treadmill: Treadmill | None,
        heart: HeartRateMonitor | None,
        *,
        limits: BeltLimits,
        max_heart_rate: int | None,
        on_notice: Callable[[str], None],
        targets_heard: TargetsHeard | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        """``clock`` is the one the devices stamp their readings with (the samples' running time)."""
        self._plan = plan
        self._limits = limits
        self._on_notice = on_notice
        self._targets_heard = targets_heard
        self._treadmill: Treadmill | None = None
        self._heart: HeartRateMonitor | None = None
        self.metrics = RunMetrics(max_heart_rate)
        self.samples = RunSampler(clock, lambda: self.metrics.distance_m)
        self.belt: BeltControl | None = None
        self._control = False
        self._segment: int | None = None
        self.attach(treadmill, heart)

    def attach(self, treadmill: Treadmill | None, heart: HeartRateMonitor | None) -> None:
        """Use these devices from now on (they may connect after the run began: the current segment's targets
        then apply at once)."""
        if treadmill is not None and self._treadmill is None:
            self._treadmill = treadmill
            self.belt = BeltControl(treadmill, self._limits, self._on_notice)
            treadmill.add_listener(self.metrics)
            treadmill.add_listener(self.samples)  # after the metrics: it reads their distance
            treadmill.add_listener(self.belt)
            if self._segment is not None:
                segment = self._plan.segments[self._segment]
                self.belt.segment_started(segment.speed_kmh, segment.incline_pct)
        if heart is not None and self._heart is None:
            self._heart = heart
            heart.add_listener(self.metrics)
            heart.add_listener(self.samples)

    def use_plan(self, plan: SessionPlan) -> None:
        """Go on with ``plan``: the shorter version a low check-in offers, which keeps the segments done so far
        (services/run_session.py, ``use_shorter``), so the segment under way keeps its targets."""
        self._plan = plan

    def take_control(self) -> None:
        """Ask the treadmill for control. Call only after the runner agreed to the app moving the belt."""
        if self.belt is not None:
            self._control = True
            self.belt.take_control()

    def handle(self, events: Sequence[EngineEvent]) -> None:
        for event in events:
            if event.kind is EventKind.SEGMENT_STARTED:
                segment = self._plan.segments[event.segment_index]
                self._segment = event.segment_index
                self.metrics.segment_started(event.segment_index)
                self.samples.run()
                if self.belt is not None and self._control:
                    self.belt.segment_started(segment.speed_kmh, segment.incline_pct)
                elif self._targets_heard is not None:
                    self._targets_heard(segment.speed_kmh, segment.incline_pct)
            elif event.kind is EventKind.PAUSED:
                self.metrics.pause()
                self.samples.pause()
                if self.belt is not None:
                    self.belt.pause()
            elif event.kind is EventKind.RESUMED:
                self.metrics.resume()
                self.samples.run()
                if self.belt is not None:
                    self.belt.resume()
            elif event.kind in (EventKind.FINISHED, EventKind.STOPPED):
                self.samples.pause()
                if self.belt is not None:
                    self.belt.stop()

    def finish(self, at: float) -> RunFigures:
        """The run's figures, closed at ``at`` (the devices' clock). Listeners are detached; the samples not yet
        taken stay for ``samples.take``."""
        if self._treadmill is not None:
            self._treadmill.remove_listener(self.metrics)
            self._treadmill.remove_listener(self.samples)
            if self.belt is not None:
                self._treadmill.remove_listener(self.belt)
        if self._heart is not None:
            self._heart.remove_listener(self.metrics)
            self._heart.remove_listener(self.samples)
        return self.metrics.finish(at)
