"""The journal's scales: their ranges, a label for every point, checking values, and the mood lift."""

from __future__ import annotations

import pytest

from runcompanion.core.mood import (
    AROUSAL,
    EFFORT,
    FEELING,
    MAX_LIFT,
    OutOfScaleError,
    Scale,
    feeling_text,
    lift,
    signed,
)


def test_the_scales_have_the_ranges_exercise_psychology_uses() -> None:
    assert (FEELING.low, FEELING.high) == (-5, 5)
    assert (AROUSAL.low, AROUSAL.high) == (1, 6)
    assert (EFFORT.low, EFFORT.high) == (0, 10)
    assert list(FEELING.points) == list(range(-5, 6))
    assert MAX_LIFT == 10


def test_the_anchor_points_say_what_the_original_scales_say() -> None:
    assert [FEELING.label(v) for v in (5, 3, 1, 0, -1, -3, -5)] == [
        "Very good",
        "Good",
        "Fairly good",
        "Neutral",
        "Fairly bad",
        "Bad",
        "Very bad",
    ]
    assert (AROUSAL.label(1), AROUSAL.label(6)) == ("Low arousal", "High arousal")
    assert (EFFORT.label(0), EFFORT.label(3), EFFORT.label(10)) == ("Rest", "Moderate", "Maximal")


@pytest.mark.parametrize("scale", [FEELING, AROUSAL, EFFORT], ids=lambda s: s.name)
def test_every_point_has_its_own_short_label(scale: Scale) -> None:
    labels = [scale.label(point) for point in scale.points]
    assert len(set(labels)) == len(labels)
    assert all(0 < len(label) <= 20 and label == label.strip() for label in labels)


@pytest.mark.parametrize(
    ("scale", "value"),
    [(FEELING, 6), (FEELING, -6), (AROUSAL, 0), (AROUSAL, 7), (EFFORT, -1), (EFFORT, 11), (FEELING, 1.0)],
)
def test_values_off_the_scale_are_refused(scale: Scale, value: object) -> None:
    assert not scale.contains(value)
    with pytest.raises(OutOfScaleError, match=f"from {scale.low} to {scale.high}"):
        scale.check(value, "the answer")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="the value"):
        scale.label(value)  # type: ignore[arg-type]


def test_a_bool_is_not_a_point_even_though_python_counts_it_as_an_int() -> None:
    assert not AROUSAL.contains(True)
    with pytest.raises(OutOfScaleError):
        AROUSAL.check(True, "arousal")


def test_optional_values_may_be_left_out() -> None:
    assert FEELING.check_optional(None, "feeling") is None
    assert FEELING.check_optional(-5, "feeling") == -5
    with pytest.raises(OutOfScaleError, match="feeling after"):
        FEELING.check_optional(9, "feeling after")


def test_a_scale_needs_one_label_per_point() -> None:
    with pytest.raises(ValueError, match="2 labels for 3 points"):
        Scale("Odd", 1, 3, ("a", "b"))


def test_lift_is_after_minus_before_and_unknown_without_both() -> None:
    assert lift(-2, 3) == 5
    assert lift(4, 1) == -3
    assert lift(None, 3) is None
    assert lift(2, None) is None
    with pytest.raises(OutOfScaleError):
        lift(0, 8)


def test_signed_values_read_as_the_journal_shows_them() -> None:
    assert [signed(v) for v in (3, 0, -2)] == ["+3", "0", "-2"]
    assert feeling_text(3) == "+3 (Good)"
    assert feeling_text(-5) == "-5 (Very bad)"
