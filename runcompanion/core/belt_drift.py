"""When the coach may say the belt's real figures ("You're at 8.5 km/h; the target here is 8"): the drift rule.

A runner who sets the treadmill by hand can miss a spoken target (headphones, a noisy gym) or press one step too
many; a word with the real figures helps. A remark on every noisy reading, or to someone who chose to go easier,
would be nagging. So the coach speaks only when all of these hold (docs/devices.md, "When the coach mentions the
belt"):

- the segment has a target and is not a free segment (there the runner chooses), and the belt is off it by more
  than ``SPEED_TOLERANCE_KMH`` or ``INCLINE_TOLERANCE_PCT``, on every reading for ``HOLD_S`` (readings at most
  ``MAX_GAP_S`` apart: one reading back on target, or a silence, starts the count again);
- not in the first ``GRACE_S`` of a segment or after a resume: the runner is still pressing buttons and the belt
  ramps at about 1 km/h a second;
- the runner has not matched the target in this segment (``SETTLED_S`` on target) and then moved away: that is a
  choice, and so is a change on the console while the app holds the belt; either leaves the rest of the segment
  to them;
- slower than the target only in run and walk segments: in a warm-up, recovery or cool-down, easier is never worth
  a remark;
- at most once a segment and ``COOL_DOWN_S`` after the last remark.

Times are session seconds as the run's engine reports them (pauses do not advance them). Pure; one thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from runcompanion.core.cue_timeline import TimelineCue
from runcompanion.core.session_plan import SegmentKind
from runcompanion.core.units import SpeedUnit, speed_in

SPEED_TOLERANCE_KMH: Final = 0.3
INCLINE_TOLERANCE_PCT: Final = 1.0
GRACE_S: Final = 20.0
HOLD_S: Final = 10.0
SETTLED_S: Final = 5.0
COOL_DOWN_S: Final = 120.0
MAX_GAP_S: Final = 5.0
QUIET_MARGIN_S: Final = 1.5
"""Silence kept between a remark and the scheduled cues on either side of it."""
_SLOWER_WORTH_SAYING: Final = (SegmentKind.RUN, SegmentKind.WALK)


@dataclass(frozen=True, slots=True)
class Drift:
    """What the belt is doing against the segment's target; a field pair is None when it is not off."""

    speed_kmh: float | None = None
    target_speed_kmh: float | None = None
    incline_pct: float | None = None
    target_incline_pct: float | None = None


def _off(value: float | None, target: float | None, tolerance: float) -> int:
    """-1 below the target, 1 above, 0 on it or unknown."""
    if value is None or target is None or abs(value - target) <= tolerance + 1e-9:  # 8.0 + 0.3 is 8.3000...01
        return 0
    return 1 if value > target else -1


class DriftWatch:
    """Fed the segment changes, pauses and belt readings of one run; ``due`` says when a remark may be made."""

    def __init__(self) -> None:
        self._kind: SegmentKind | None = None
        self._speed: float | None = None
        self._incline: float | None = None
        self._from = 0.0  # the grace runs from here: the segment's start or the latest resume
        self._paused = False
        self._left_to_runner = False
        self._said_in_segment = False
        self._last_said: float | None = None
        self._last_reading: float | None = None
        self._off_since: float | None = None
        self._on_since: float | None = None
        self._latest = Drift()

    # -- the run ----------------------------------------------------------------------------------------------
    def segment_started(self, at: float, kind: SegmentKind, speed_kmh: float | None, incline_pct: float | None) -> None:
        """A new segment (or the same one again after "back"), with the targets the runner should follow: the
        plan's, capped by the runner's own limits."""
        self._kind, self._speed, self._incline = kind, speed_kmh, incline_pct
        self._from = at
        self._left_to_runner = self._said_in_segment = False
        self._off_since = self._on_since = self._last_reading = None

    def paused(self) -> None:
        self._paused = True

    def resumed(self, at: float) -> None:
        self._paused = False
        self._from = at
        self._off_since = self._on_since = self._last_reading = None

    def runner_took_over(self) -> None:
        """The runner changed the belt on the console while the app held it: theirs until the next segment."""
        self._left_to_runner = True

    # -- the belt ---------------------------------------------------------------------------------------------
    def reading(self, at: float, speed_kmh: float | None, incline_pct: float | None) -> None:
        if self._paused or self._kind is None:
            return
        if self._last_reading is not None and at - self._last_reading > MAX_GAP_S:
            self._off_since = self._on_since = None  # a silence: nobody knows what the belt did meanwhile
        self._last_reading = at
        speed_off = _off(speed_kmh, self._speed, SPEED_TOLERANCE_KMH)
        incline_off = _off(incline_pct, self._incline, INCLINE_TOLERANCE_PCT)
        if speed_off or incline_off:
            self._on_since = None
            drift = Drift(
                speed_kmh if speed_off else None,
                self._speed if speed_off else None,
                incline_pct if incline_off else None,
                self._incline if incline_off else None,
            )
            if self._off_since is None or not _same_way(drift, self._latest):
                self._off_since = at
            self._latest = drift
            return
        self._off_since = None
        self._latest = Drift()
        if self._on_since is None:
            self._on_since = at
        elif at - self._on_since >= SETTLED_S:
            self._left_to_runner = True  # matched the target: moving away later is their choice

    # -- the question -----------------------------------------------------------------------------------------
    def due(self, at: float) -> Drift | None:
        """The drift to mention now, or None. Call ``said`` once it is said."""
        if self._paused or self._kind is None or self._kind is SegmentKind.FREE:
            return None
        if self._left_to_runner or self._said_in_segment or self._off_since is None:
            return None
        if self._last_said is not None and abs(at - self._last_said) < COOL_DOWN_S:
            return None
        if self._last_reading is None or at - self._last_reading > MAX_GAP_S:
            return None
        if at - max(self._off_since, self._from + GRACE_S) < HOLD_S:
            return None
        drift = self._latest
        slower = (drift.speed_kmh is not None and drift.speed_kmh < (drift.target_speed_kmh or 0.0)) or (
            drift.incline_pct is not None and drift.incline_pct < (drift.target_incline_pct or 0.0)
        )
        if slower and self._kind not in _SLOWER_WORTH_SAYING:
            return None
        return drift

    def said(self, at: float) -> None:
        self._said_in_segment = True
        self._last_said = at


def _same_way(a: Drift, b: Drift) -> bool:
    """Both off in the same quantities and the same direction (a belt swinging across the target is not held)."""

    def way(value: float | None, target: float | None) -> int:
        return 0 if value is None or target is None else (1 if value > target else -1)

    return way(a.speed_kmh, a.target_speed_kmh) == way(b.speed_kmh, b.target_speed_kmh) and way(
        a.incline_pct, a.target_incline_pct
    ) == way(b.incline_pct, b.target_incline_pct)


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def drift_remark(drift: Drift, units: SpeedUnit) -> str:
    """The remark as written (the speech engines say units in words: core/spoken_text.py). Kind, with the real
    figures, and always leaving the choice to the runner."""
    now: list[str] = []
    target: list[str] = []
    slower = False
    if drift.speed_kmh is not None and drift.target_speed_kmh is not None:
        now.append(f"{_number(speed_in(units, drift.speed_kmh))} {units.short}")
        target.append(f"{_number(speed_in(units, drift.target_speed_kmh))} {units.short}")
        slower = drift.speed_kmh < drift.target_speed_kmh
    if drift.incline_pct is not None and drift.target_incline_pct is not None:
        now.append(f"{_number(round(drift.incline_pct, 1))} % incline")
        target.append(f"{_number(round(drift.target_incline_pct, 1))} %")
        slower = slower or drift.incline_pct < drift.target_incline_pct
    ending = "Staying easier is fine too." if slower else "Go with what feels right."
    return f"Just so you know: you're at {' and '.join(now)}; the target here is {' and '.join(target)}. {ending}"


def quiet_between(cues: Sequence[TimelineCue], start: float, end: float, margin: float = QUIET_MARGIN_S) -> bool:
    """True when no scheduled cue (countdown beeps included) is being said or due from ``start - margin`` to
    ``end + margin``: a remark there collides with nothing the run was going to say."""
    return not any(cue.offset_s < end + margin and cue.end_s + margin > start for cue in cues)
