"""The insights worked out in fewer passes (each run's lift once, groups as lists of lifts, each distinct square
once) say exactly what the straightforward computation says: every field of every ``Insight``, the chance's float
included, on varied journals.

``_Reference`` below is the computation as it was before (core/insights.py and core/insight_stats.py at 774bc83),
sample by sample: kept here as the yardstick, not used by the app.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from typing import Literal

from hypothesis import given, settings
from hypothesis import strategies as st

from runcompanion.core import insight_stats
from runcompanion.core.insights import (
    HARDER_FROM_EFFORT,
    TIMES_OF_DAY,
    Insight,
    InsightKind,
    MoodSample,
    _average_lift,
    chance_sentence,
    change_phrase,
    compared,
    effort_insights,
    insights,
    overall_insight,
    round_half_away,
    runs_text,
    time_of_day,
    time_of_day_insights,
)


class _Reference:
    """The insights as first written: every group a list of samples, every lift and square computed anew."""

    @staticmethod
    def variance(values: Sequence[int]) -> float:
        if len(values) < 2:
            return 0.0
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values) / (len(values) - 1)

    @classmethod
    def chance(cls, group: Sequence[int], others: Sequence[int]) -> float:
        if len(group) + len(others) < insight_stats.LARGE_SAMPLE:
            return insight_stats.chance_of_difference(group, others)  # unchanged below the normal approximation
        observed = abs(sum(group) / len(group) - sum(others) / len(others))
        if observed == 0:
            return 1.0
        error = math.sqrt(cls.variance(group) / len(group) + cls.variance(others) / len(others))
        if error == 0:
            return 0.0
        return math.erfc(observed / error / math.sqrt(2))

    @classmethod
    def compared(  # noqa: PLR0917 - as core.insights.compared
        cls,
        kind: InsightKind,
        name: str,
        subject: str,
        group: Sequence[MoodSample],
        other_subject: str,
        others: Sequence[MoodSample],
    ) -> Insight:
        mine, theirs = _average_lift(group), _average_lift(others)
        total_mine, total_theirs = sum(s.lift for s in group), sum(s.lift for s in others)
        difference = round_half_away(total_mine * len(others) - total_theirs * len(group), len(group) * len(others))
        chance = cls.chance([s.lift for s in group], [s.lift for s in others])
        text = (
            f"After {subject} your feeling {change_phrase(mine)} on average ({runs_text(len(group))}); after "
            f"{other_subject} it {change_phrase(theirs)} ({runs_text(len(others))})."
        )
        text += " " + chance_sentence(difference, chance)
        return Insight(kind, name, text, len(group), mine, len(others), theirs, difference, chance)

    @classmethod
    def time_of_day(cls, samples: Sequence[MoodSample], min_runs: int) -> list[Insight]:
        result = []
        for name in TIMES_OF_DAY:
            group = [s for s in samples if time_of_day(s.local_start.hour) == name]
            others = [s for s in samples if time_of_day(s.local_start.hour) != name]
            if len(group) >= min_runs and len(others) >= min_runs:
                result.append(
                    cls.compared("time_of_day", name, f"{name} runs", group, "your runs at other times", others)
                )
        return result

    @classmethod
    def effort(cls, samples: Sequence[MoodSample], min_runs: int) -> list[Insight]:
        easier = [s for s in samples if s.effort is not None and s.effort < HARDER_FROM_EFFORT]
        harder = [s for s in samples if s.effort is not None and s.effort >= HARDER_FROM_EFFORT]
        if len(easier) < min_runs or len(harder) < min_runs:
            return []
        return [
            cls.compared(
                "effort",
                "harder",
                f"harder runs (effort {HARDER_FROM_EFFORT} or more)",
                harder,
                f"easier ones (effort {HARDER_FROM_EFFORT - 1} or less)",
                easier,
            )
        ]

    @classmethod
    def labelled(
        cls,
        samples: Sequence[MoodSample],
        kind: Literal["session_kind", "tag"],
        labels_of: Callable[[MoodSample], tuple[str, ...]],
        min_runs: int,
        max_groups: int,
    ) -> list[Insight]:
        groups: dict[str, list[MoodSample]] = {}
        for sample in samples:
            for label in dict.fromkeys(labels_of(sample)):
                groups.setdefault(label, []).append(sample)
        large = sorted(
            (item for item in groups.items() if min_runs <= len(item[1]) <= len(samples) - min_runs),
            key=lambda item: (-len(item[1]), item[0]),
        )
        result = []
        for label, group in large[:max_groups]:
            others = [s for s in samples if label not in labels_of(s)]
            if kind == "session_kind":
                subject, other = f'sessions tagged "{label}"', "your other sessions"
            else:
                subject, other = f'runs you tagged "{label}"', "runs without that tag"
            result.append(cls.compared(kind, label, subject, group, other, others))
        return result

    @classmethod
    def insights(cls, samples: Sequence[MoodSample], min_runs: int, max_per_kind: int = 3) -> list[Insight]:
        return [
            *overall_insight(samples, min_runs=min_runs),
            *cls.time_of_day(samples, min_runs),
            *cls.labelled(samples, "session_kind", lambda s: s.session_kinds, min_runs, max_per_kind),
            *cls.labelled(samples, "tag", lambda s: s.tags, min_runs, max_per_kind),
            *cls.effort(samples, min_runs),
        ]


_KINDS = ("intervals", "mindful", "easy", "long", "hills")
_TAGS = ("rain", "tired", "music", "friends", "morning light", "work", "calm")


def _journal(seed: int, count: int) -> list[MoodSample]:
    """``count`` runs: feelings over the whole scale, some without effort, repeated and missing labels."""
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1, 6, tzinfo=dt.UTC)
    samples = []
    for i in range(count):
        before = rng.randint(-5, 5)
        after = max(-5, min(5, before + rng.randint(-3, 5)))
        kinds = tuple(rng.choices(_KINDS, k=rng.randint(0, 3)))  # may repeat a kind: counted once
        tags = tuple(rng.sample(_TAGS, rng.randint(0, 3)))
        effort = None if rng.random() < 0.15 else rng.randint(0, 10)
        when = start + dt.timedelta(hours=7 * i + rng.randint(0, 6))
        samples.append(MoodSample(when, before, after, effort, kinds, tags))
    return samples


def test_a_large_journal_gets_the_very_same_insights() -> None:
    # 10,000 runs: the normal approximation, every kind of insight present.
    samples = _journal(1, 10_000)
    found = insights(samples)
    assert found == _Reference.insights(samples, 5)
    assert {i.kind for i in found} == {"overall", "time_of_day", "session_kind", "tag", "effort"}
    assert all(i.chance is not None and 0 <= i.chance <= 1 for i in found if i.kind != "overall")


def test_journals_of_every_size_get_the_very_same_insights() -> None:
    # Few runs (exact splits), some hundreds (sampled splits, then the normal approximation) and groups that
    # only just reach min_runs.
    for seed, count, min_runs in [(2, 6, 2), (3, 12, 3), (4, 40, 5), (5, 199, 5), (6, 200, 5), (7, 1500, 5)]:
        samples = _journal(seed, count)
        assert insights(samples, min_runs=min_runs) == _Reference.insights(samples, min_runs), (seed, count)


def test_no_runs_and_too_few_runs_give_the_same_nothing() -> None:
    assert insights([]) == _Reference.insights([], 5) == []
    four = _journal(8, 4)
    assert insights(four) == _Reference.insights(four, 5) == []


def test_the_public_helpers_still_compare_samples_as_before() -> None:
    samples = _journal(9, 800)
    assert time_of_day_insights(samples) == _Reference.time_of_day(samples, 5)
    assert effort_insights(samples) == _Reference.effort(samples, 5)
    group, others = samples[:300], samples[300:]
    assert compared("tag", "x", "x", group, "y", others) == _Reference.compared("tag", "x", "x", group, "y", others)


_lifts = st.lists(st.integers(-10, 10), min_size=2, max_size=400)


@settings(max_examples=80, deadline=None)
@given(group=_lifts, others=_lifts)
def test_the_variance_of_each_distinct_square_once_is_bit_for_bit_the_same(group: list[int], others: list[int]) -> None:
    assert insight_stats._variance(group) == _Reference.variance(group)
    assert insight_stats.chance_of_difference(group, others) == _Reference.chance(group, others)


_samples = st.lists(
    st.builds(
        MoodSample,
        st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2024, 12, 31)),
        st.integers(-5, 5),
        st.integers(-5, 5),
        st.none() | st.integers(0, 10),
        st.lists(st.sampled_from(_KINDS[:3]), max_size=3).map(tuple),
        st.lists(st.sampled_from(_TAGS[:4]), max_size=3, unique=True).map(tuple),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(samples=_samples, min_runs=st.integers(1, 6))
def test_any_small_journal_gets_the_very_same_insights(samples: list[MoodSample], min_runs: int) -> None:
    assert insights(samples, min_runs=min_runs) == _Reference.insights(samples, min_runs)
