"""Insights from what a treadmill and a heart-rate strap measured, by the same honest comparison as the others
(core/insights.py): each statement needs ``min_runs`` runs on each side, says how many runs each side has and the
difference, and whether a difference that size could be chance at this sample size (core/insight_stats.py).

- Feeling and heart rate: the lift after runs with a higher average heart rate (above the median of the runs that
  have one) against the others.
- Feeling and distance: the lift after longer runs on the belt (above the median distance) against shorter ones.
- Distance over time: the distance of the more recent half of the measured runs against the earlier half. Here the
  ``Insight``'s averages are kilometres, not lifts.

Splits are by value at the median, so a run on the median is with the lower side, and both sides must still have
``min_runs``. The words describe; they never judge a higher or lower heart rate or a shorter run. Pure; any thread.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from runcompanion.core.insight_stats import chance_of_difference
from runcompanion.core.insights import DEFAULT_MIN_RUNS, Insight, MoodSample, chance_sentence, compared, runs_text


@dataclass(frozen=True, slots=True)
class MeasuredRun:
    """One run with device figures; ``feeling_before``/``feeling_after`` only from a finished reflection."""

    started_at: dt.datetime
    avg_heart_rate: int | None
    distance_m: float | None
    feeling_before: int | None = None
    feeling_after: int | None = None


def _mood(run: MeasuredRun) -> MoodSample | None:
    if run.feeling_before is None or run.feeling_after is None:
        return None
    return MoodSample(run.started_at, run.feeling_before, run.feeling_after)


def device_insights(runs: Iterable[MeasuredRun], *, min_runs: int = DEFAULT_MIN_RUNS) -> list[Insight]:
    if min_runs < 1:
        raise ValueError(f"min_runs must be at least 1; got {min_runs}")
    measured = sorted(runs, key=lambda run: run.started_at)
    return [
        *heart_rate_insight(measured, min_runs=min_runs),
        *distance_lift_insight(measured, min_runs=min_runs),
        *distance_trend_insight(measured, min_runs=min_runs),
    ]


def _split_by_median(
    pairs: Sequence[tuple[float, MoodSample]], min_runs: int
) -> tuple[float, list[MoodSample], list[MoodSample]] | None:
    if len(pairs) < 2 * min_runs:
        return None
    median = statistics.median(value for value, _ in pairs)
    higher = [sample for value, sample in pairs if value > median]
    lower = [sample for value, sample in pairs if value <= median]
    if len(higher) < min_runs or len(lower) < min_runs:
        return None
    return median, higher, lower


def heart_rate_insight(runs: Sequence[MeasuredRun], *, min_runs: int = DEFAULT_MIN_RUNS) -> list[Insight]:
    pairs = [(float(run.avg_heart_rate), mood) for run in runs if run.avg_heart_rate and (mood := _mood(run))]
    split = _split_by_median(pairs, min_runs)
    if split is None:
        return []
    median, higher, lower = split
    bpm = f"{median:.0f}"
    return [
        compared(
            "heart_rate",
            "higher",
            f"runs with a higher average heart rate (above {bpm} bpm)",
            higher,
            f"runs at {bpm} bpm or lower",
            lower,
        )
    ]


def distance_lift_insight(runs: Sequence[MeasuredRun], *, min_runs: int = DEFAULT_MIN_RUNS) -> list[Insight]:
    pairs = [(run.distance_m, mood) for run in runs if run.distance_m and (mood := _mood(run))]
    split = _split_by_median(pairs, min_runs)
    if split is None:
        return []
    median, longer, shorter = split
    km = f"{median / 1000:.1f}"
    return [
        compared(
            "distance",
            "longer",
            f"longer runs on the treadmill (over {km} km)",
            longer,
            f"runs of {km} km or less",
            shorter,
        )
    ]


def distance_trend_insight(runs: Sequence[MeasuredRun], *, min_runs: int = DEFAULT_MIN_RUNS) -> list[Insight]:
    """The recent half of the runs a treadmill measured against the earlier half (``runs`` oldest first)."""
    metres = [round(run.distance_m) for run in runs if run.distance_m]
    if len(metres) < 2 * min_runs:
        return []
    half = len(metres) // 2
    earlier, recent = metres[: len(metres) - half], metres[len(metres) - half :]
    mine, theirs = sum(recent) / len(recent) / 1000, sum(earlier) / len(earlier) / 1000
    difference = round(mine - theirs, 1)
    chance = chance_of_difference(recent, earlier)
    text = (
        f"On the treadmill your last {runs_text(len(recent))} averaged {mine:.1f} km; "
        f"the {runs_text(len(earlier))} before them averaged {theirs:.1f} km. "
        + chance_sentence(difference, chance).replace(f"{abs(difference):.1f},", f"{abs(difference):.1f} km,", 1)
    )
    return [
        Insight(
            "distance_trend",
            "recent",
            text,
            len(recent),
            round(mine, 1),
            len(earlier),
            round(theirs, 1),
            difference,
            chance,
        )
    ]
