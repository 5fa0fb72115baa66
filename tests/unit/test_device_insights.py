"""Insights from device figures: only with enough runs on each side, with the counts, the difference and whether
it could be chance, in words that never judge."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runcompanion.core.device_insights import MeasuredRun, device_insights, distance_trend_insight
from runcompanion.core.insight_stats import chance_of_difference

START = dt.datetime(2026, 1, 1, 7, 0, tzinfo=dt.UTC)


def _runs(hearts_and_lifts: list[tuple[int, int]], distance_m: float | None = None) -> list[MeasuredRun]:
    return [
        MeasuredRun(START + dt.timedelta(days=day), heart, distance_m, 0, lift)
        for day, (heart, lift) in enumerate(hearts_and_lifts)
    ]


def test_higher_heart_rate_runs_compared_with_the_others_from_five_on_each_side() -> None:
    # five runs at 150-158 bpm lifting by 3, five at 120-128 lifting by 1
    runs = _runs([(150 + 2 * i, 3) for i in range(5)] + [(120 + 2 * i, 1) for i in range(5)])
    [insight] = device_insights(runs)
    assert insight.kind == "heart_rate"
    assert (insight.runs, insight.other_runs) == (5, 5)
    assert (insight.average_lift, insight.other_average_lift, insight.difference) == (3.0, 1.0, 2.0)
    assert insight.chance == pytest.approx(chance_of_difference([3] * 5, [1] * 5))
    assert insight.text == (
        "After runs with a higher average heart rate (above 139 bpm) your feeling rose by 3.0 on average (5 runs); "
        "after runs at 139 bpm or lower it rose by 1.0 (5 runs). The difference, 2.0, is unlikely to be chance "
        "alone: one this large turns up by chance less than 1 time in 20."
    )


def test_fewer_than_five_runs_on_a_side_say_nothing() -> None:
    nine = _runs([(150 + i, 3) for i in range(4)] + [(120 + i, 1) for i in range(5)])
    assert device_insights(nine) == []
    # ten runs but the median splits them 4 to 6 (three share the median): still nothing
    lopsided = _runs([(130, 1)] * 3 + [(120, 1)] * 3 + [(150, 2)] * 4)
    assert device_insights(lopsided) == []
    assert device_insights(nine, min_runs=4) != []


def test_runs_without_a_feeling_count_only_for_the_distance_trend() -> None:
    no_feelings = [MeasuredRun(START + dt.timedelta(days=d), 140 + d, 3000.0 + 100 * d) for d in range(10)]
    [trend] = device_insights(no_feelings)
    assert trend.kind == "distance_trend"
    assert (trend.runs, trend.other_runs) == (5, 5)
    assert (trend.other_average_lift, trend.average_lift, trend.difference) == (3.2, 3.7, 0.5)
    assert trend.text.startswith(
        "On the treadmill your last 5 runs averaged 3.7 km; the 5 runs before them averaged 3.2 km. "
        "The difference, 0.5 km, "
    )
    assert distance_trend_insight(no_feelings[:9]) == []


def test_longer_and_shorter_runs_on_the_belt() -> None:
    runs = [MeasuredRun(START + dt.timedelta(days=d), None, 2000.0 + 500 * d, 0, 2 if d % 2 else 1) for d in range(10)]
    kinds = [insight.kind for insight in device_insights(runs)]
    assert kinds == ["distance", "distance_trend"]
    distance = device_insights(runs)[0]
    assert "longer runs on the treadmill (over 4.2 km)" in distance.text
    assert "runs of 4.2 km or less" in distance.text


@given(st.lists(st.tuples(st.integers(60, 200), st.integers(-10, 10)), max_size=30), st.integers(1, 8))
def test_every_statement_has_enough_runs_on_each_side(pairs: list[tuple[int, int]], min_runs: int) -> None:
    for insight in device_insights(_runs(pairs, 3000.0), min_runs=min_runs):
        assert insight.runs >= min_runs
        assert insight.other_runs >= min_runs
        assert insight.runs + insight.other_runs <= len(pairs)
        assert insight.chance is not None
        assert 0.0 <= insight.chance <= 1.0
