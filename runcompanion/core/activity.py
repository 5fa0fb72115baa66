"""A finished (or stopped, or interrupted) run as an activity for training logs: laps, pauses and distance.

Built from what the run record keeps: the segment log (one entry per segment entered, with its planned and
actual time and, since spoken pauses were recorded, its pauses), or, for a run a crash interrupted before it
could write its log, the plan up to the checkpointed segment. The writers (``activity_fit``, ``activity_tcx``)
turn it into files that Strava, Garmin Connect and intervals.icu take for a treadmill run.

Distance: a treadmill run has no GPS, so each lap's distance is its target speed times the time spent in it;
when the runner entered the distance they ran in their reflection, all laps are scaled so they add up to it
(laps without a target speed then share it by time).

Pure; any thread.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from runcompanion.core.run_samples import SAMPLE_EVERY_S, RunSample
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan

MIN_LAP_S = 0.5
"""A segment left by skip within half a second was not run: it gets no lap."""


@dataclass(frozen=True, slots=True)
class Pause:
    """A pause ``at_s`` seconds into its lap's running time, lasting ``duration_s``."""

    at_s: float
    duration_s: float


@dataclass(frozen=True, slots=True)
class Lap:
    """One segment as run: what was planned, how long was spent in it, and how far that was."""

    index: int  # the segment's index in the plan
    title: str
    kind: SegmentKind
    planned_s: float
    actual_s: float
    speed_kmh: float | None
    incline_pct: float | None
    distance_m: float
    pauses: tuple[Pause, ...] = ()

    @property
    def paused_s(self) -> float:
        return sum(p.duration_s for p in self.pauses)

    @property
    def planned_words(self) -> str:
        """ "Planned 1:00 at 11.0 km/h, incline 1 %": the lap's target, for the formats' lap notes."""
        words = f"Planned {_clock(self.planned_s)}"
        if self.speed_kmh is not None:
            words += f" at {self.speed_kmh:.1f} km/h"
        if self.incline_pct is not None:
            words += f", incline {self.incline_pct:g} %"
        return words


@dataclass(frozen=True, slots=True)
class Activity:
    run_id: int
    name: str
    status: str
    started_at: dt.datetime  # aware
    laps: tuple[Lap, ...]
    note: str = ""
    entered_distance_km: float | None = None
    avg_heart_rate: int | None = None  # the run's, from a strap
    max_heart_rate: int | None = None
    samples: tuple[RunSample, ...] = ()
    """The devices' figures over running time (core/run_samples.py): the records' heart rate and belt speed."""

    @property
    def timer_s(self) -> float:
        """Running time: what the run's record counts as its time (pauses not included)."""
        return sum(lap.actual_s for lap in self.laps)

    @property
    def elapsed_s(self) -> float:
        return self.timer_s + sum(lap.paused_s for lap in self.laps)

    @property
    def distance_m(self) -> float:
        return sum(lap.distance_m for lap in self.laps)


def build_activity(
    *,
    run_id: int,
    name: str,
    status: str,
    started_at: dt.datetime,
    elapsed_s: float,
    segment_index: int,
    segment_log: Sequence[Mapping[str, object]],
    plan: SessionPlan | None,
    note: str = "",
    entered_distance_km: float | None = None,
) -> Activity:
    """The activity of one run. ``plan`` is the session as it is now (None if it was deleted): it gives the
    laps their titles and targets; a plan that no longer matches the log is not used."""
    if started_at.tzinfo is None:
        raise ValueError("started_at must be an aware datetime")
    segments = plan.segments if plan is not None else ()
    raw: list[tuple[int, SegmentKind, float, float, tuple[Pause, ...]]] = []
    if segment_log:
        for entry in segment_log:
            index = _int(entry.get("index"))
            actual = _float(entry.get("actual_s"))
            if actual < MIN_LAP_S:
                continue
            kind = _kind(entry.get("kind"))
            raw.append((index, kind, _float(entry.get("planned_s")), actual, _pauses(entry.get("pauses"), actual)))
    else:
        # Interrupted before the log was written: the checkpoint says how far the run got.
        left = max(elapsed_s, 0.0)
        for index, segment in enumerate(segments[: max(segment_index, 0) + 1]):
            actual = min(segment.duration_s, left) if index < segment_index else left
            left -= actual
            if actual >= MIN_LAP_S:
                raw.append((index, segment.kind, segment.duration_s, actual, ()))
    if not raw and not segments and elapsed_s >= MIN_LAP_S:
        # A run logged by hand (or one whose session is gone): one lap of its whole time.
        raw.append((0, SegmentKind.FREE, elapsed_s, elapsed_s, ()))
    laps = []
    for index, kind, planned, actual, pauses in raw:
        matched = _matching(segments, index, kind)
        speed = matched.speed_kmh if matched else None
        laps.append(
            Lap(
                index=index,
                title=matched.title if matched else kind.label,
                kind=kind,
                planned_s=planned,
                actual_s=actual,
                speed_kmh=speed,
                incline_pct=matched.incline_pct if matched else None,
                distance_m=speed / 3.6 * actual if speed else 0.0,
                pauses=pauses,
            )
        )
    laps = _scaled(laps, entered_distance_km)
    return Activity(run_id, name, status, started_at, tuple(laps), note, entered_distance_km)


def _scaled(laps: list[Lap], entered_km: float | None) -> list[Lap]:
    if not entered_km or entered_km <= 0 or not laps:
        return laps

    target = entered_km * 1000.0
    known = sum(lap.distance_m for lap in laps)
    if known > 0:
        return [replace(lap, distance_m=lap.distance_m * target / known) for lap in laps]
    total = sum(lap.actual_s for lap in laps)
    return [replace(lap, distance_m=target * lap.actual_s / total) for lap in laps]


def _matching(segments: Sequence[Segment], index: int, kind: SegmentKind) -> Segment | None:
    if 0 <= index < len(segments) and segments[index].kind is kind:
        return segments[index]
    return None


def _pauses(raw: object, actual_s: float) -> tuple[Pause, ...]:
    if not isinstance(raw, list):
        return ()
    pauses = []
    for item in raw:
        if isinstance(item, Mapping):
            at, length = _float(item.get("at_s")), _float(item.get("s"))
            if length > 0:
                pauses.append(Pause(min(max(at, 0.0), actual_s), length))
    return tuple(sorted(pauses, key=lambda p: p.at_s))


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _float(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return float(value)
    return 0.0


def _kind(value: object) -> SegmentKind:
    try:
        return SegmentKind(str(value))
    except ValueError:
        return SegmentKind.FREE


def _clock(seconds: float) -> str:
    whole = round(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of running without a pause: wall-clock seconds from the start, and the distance covered."""

    lap: int  # index into Activity.laps
    start_s: float
    end_s: float
    start_m: float
    end_m: float


def running_spans(activity: Activity) -> list[Span]:
    """The run as stretches between pauses, in order; a pause is the gap between two spans."""
    spans: list[Span] = []
    wall = 0.0
    metres = 0.0
    for number, lap in enumerate(activity.laps):
        speed = lap.distance_m / lap.actual_s if lap.actual_s > 0 else 0.0
        done = 0.0
        for pause in (*lap.pauses, Pause(lap.actual_s, 0.0)):
            length = max(pause.at_s - done, 0.0)
            if length > 0:
                spans.append(Span(number, wall, wall + length, metres, metres + speed * length))
            wall += length + pause.duration_s
            metres += speed * length
            done += length
    return spans


class SampleIndex:
    """The run's samples looked up by running time (the writers ask once a record)."""

    def __init__(self, samples: Sequence[RunSample]) -> None:
        self._samples = list(samples)
        self._times = [sample.elapsed_s for sample in self._samples]

    def at(self, running_s: float) -> RunSample | None:
        """The sample nearest ``running_s``, if one lies within a sampling step of it: a record in a gap of the
        samples gets no heart rate rather than a stale one."""
        place = bisect.bisect_left(self._times, running_s)
        near = [self._samples[i] for i in (place - 1, place) if 0 <= i < len(self._samples)]
        if not near:
            return None
        best = min(near, key=lambda sample: abs(sample.elapsed_s - running_s))
        return best if abs(best.elapsed_s - running_s) <= SAMPLE_EVERY_S else None
