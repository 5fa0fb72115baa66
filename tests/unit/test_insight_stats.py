"""The chance test behind the Journal's comparisons: exact where it can be, deterministic everywhere."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runcompanion.core.insight_stats import LARGE_SAMPLE, chance_of_difference


def test_identical_groups_are_always_possibly_chance() -> None:
    assert chance_of_difference([1, 2, 3], [3, 2, 1]) == 1.0


def test_the_exact_answer_for_a_small_split() -> None:
    # Lifts 3,3 against 0,0: of the 6 ways to pick two of four runs, only {3,3} and {0,0} are this far apart.
    assert chance_of_difference([3, 3], [0, 0]) == pytest.approx(2 / 6)


def test_a_clear_difference_in_a_larger_journal_is_unlikely_to_be_chance() -> None:
    group = [3, 2, 3, 4, 3, 2, 3, 3, 4, 2, 3, 3]
    others = [0, 1, 0, -1, 0, 1, 0, 0, 1, 0, 0, -1]
    assert chance_of_difference(group, others) < 0.001


def test_sampling_is_repeatable_and_the_large_sample_shortcut_agrees() -> None:
    group = [2, 1, 3, 0, 2, 1, 2, 3, 1, 2, 0, 2] * 2
    others = [1, 0, 2, 1, 1, 0, 1, 2, 0, 1, 1, 0] * 2
    sampled = chance_of_difference(group, others)
    assert sampled == chance_of_difference(group, others)
    big = chance_of_difference(group * (LARGE_SAMPLE // 48 + 1), others * (LARGE_SAMPLE // 48 + 1))
    assert 0 <= big < sampled  # more runs with the same difference: less likely to be chance


def test_an_empty_group_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        chance_of_difference([], [1])


@given(
    st.lists(st.integers(-10, 10), min_size=1, max_size=8),
    st.lists(st.integers(-10, 10), min_size=1, max_size=8),
)
def test_the_chance_is_a_probability_and_symmetric(group: list[int], others: list[int]) -> None:
    chance = chance_of_difference(group, others)
    assert 0 < chance <= 1
    assert math.isclose(chance, chance_of_difference(others, group))
