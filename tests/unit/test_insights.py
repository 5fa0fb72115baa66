"""Insights: only where there are enough runs, averages rounded as shown, plain and never shaming words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runcompanion.core.insights import (
    Insight,
    MoodSample,
    change_phrase,
    effort_insights,
    insights,
    overall_insight,
    round_half_away,
    time_of_day,
    time_of_day_insights,
)

_SHAMING = re.compile(r"\b(only|failed?|bad|worse|worst|should|lazy|poor|disappointing|must|but)\b", re.IGNORECASE)


def _sample(
    hour: int,
    before: int,
    after: int,
    *,
    effort: int | None = None,
    kinds: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
) -> MoodSample:
    return MoodSample(dt.datetime(2024, 5, 6, hour, 15), before, after, effort, kinds, tags)


def _texts(found: list[Insight]) -> list[str]:
    return [insight.text for insight in found]


@pytest.mark.parametrize(
    ("hour", "expected"),
    [(0, "morning"), (11, "morning"), (12, "afternoon"), (16, "afternoon"), (17, "evening"), (23, "evening")],
)
def test_times_of_day_split_at_noon_and_five(hour: int, expected: str) -> None:
    assert time_of_day(hour) == expected


def test_an_hour_outside_the_day_is_refused() -> None:
    with pytest.raises(ValueError, match="0 to 23"):
        time_of_day(24)


def test_rounding_is_half_away_from_zero_on_the_exact_mean() -> None:
    assert round_half_away(41, 20) == 2.1  # 2.05 exactly; float rounding would give 2.0
    assert round_half_away(-41, 20) == -2.1
    assert round_half_away(4, 3) == 1.3
    assert round_half_away(1, 30) == 0.0
    assert round_half_away(-1, 30) == 0.0
    with pytest.raises(ValueError, match="at least one"):
        round_half_away(1, 0)


def test_the_change_is_put_in_neutral_words_whichever_way_it_went() -> None:
    assert change_phrase(2.1) == "rose by 2.1"
    assert change_phrase(0.0) == "stayed about the same"
    assert change_phrase(-0.4) == "was 0.4 lower"


def test_fewer_runs_than_the_minimum_give_no_insight_at_all() -> None:
    four_mornings = [_sample(7, 0, 3, effort=3, kinds=("easy",), tags=("park",)) for _ in range(4)]
    assert insights(four_mornings) == []
    assert len(overall_insight(four_mornings, min_runs=4)) == 1


def test_the_example_from_the_issue_reads_as_written() -> None:
    mornings = [_sample(7, 0, 2) for _ in range(11)] + [_sample(8, 0, 3)]  # lifts: eleven 2s and a 3
    evenings = [_sample(19, 1, 1) for _ in range(5)]
    found = time_of_day_insights(mornings + evenings)
    assert _texts(found) == [
        "After morning runs your feeling rose by 2.1 on average (12 runs); after your runs at other times it "
        "stayed about the same (5 runs). The difference, 2.1, is unlikely to be chance alone: one this large "
        "turns up by chance less than 1 time in 20.",
        "After evening runs your feeling stayed about the same on average (5 runs); after your runs at other "
        "times it rose by 2.1 (12 runs). The difference, 2.1, is unlikely to be chance alone: one this large "
        "turns up by chance less than 1 time in 20.",
    ]
    assert [(i.group, i.runs, i.average_lift, i.other_runs, i.difference) for i in found] == [
        ("morning", 12, 2.1, 5, 2.1),
        ("evening", 5, 0.0, 12, -2.1),
    ]


def test_overall_comes_first_then_time_of_day_kinds_tags_and_effort() -> None:
    samples = [_sample(7, -1, 2, effort=3, kinds=("mindful",), tags=("park",)) for _ in range(5)]
    samples += [_sample(18, 0, 1, effort=7, kinds=("intervals",), tags=("treadmill",)) for _ in range(5)]
    found = insights(samples)
    assert [insight.kind for insight in found] == [
        "overall",
        "time_of_day",
        "time_of_day",
        "session_kind",
        "session_kind",
        "tag",
        "tag",
        "effort",
    ]
    assert found[0].text == "Across 10 runs your feeling rose by 2.0 on average from before to after."
    texts = _texts(found)
    assert texts[3].startswith(
        'After sessions tagged "intervals" your feeling rose by 1.0 on average (5 runs); after your other '
        "sessions it rose by 3.0 (5 runs). The difference, 2.0,"
    )
    assert texts[5].startswith(
        'After runs you tagged "park" your feeling rose by 3.0 on average (5 runs); after runs without that tag '
        "it rose by 1.0 (5 runs)."
    )
    assert texts[-1].startswith(
        "After harder runs (effort 5 or more) your feeling rose by 1.0 on average (5 runs); after easier ones "
        "(effort 4 or less) it rose by 3.0 (5 runs)."
    )
    # Five identical runs against five others: of the 252 ways to split ten runs, 2 are this extreme.
    assert found[-1].chance == pytest.approx(2 / 252)


def test_a_group_holding_every_run_repeats_nothing_the_overall_sentence_says() -> None:
    samples = [_sample(7, 0, 2, kinds=("c25k",), tags=("treadmill",)) for _ in range(6)]
    assert [insight.kind for insight in insights(samples)] == ["overall"]


def test_effort_is_compared_only_when_both_sides_have_enough_runs() -> None:
    samples = [_sample(7, 0, 2, effort=2) for _ in range(9)] + [_sample(7, 0, 1, effort=8) for _ in range(4)]
    samples += [_sample(7, 0, 1) for _ in range(3)]  # no effort given: in neither group
    assert effort_insights(samples) == []
    assert len(effort_insights([*samples, _sample(7, 0, 1, effort=5)])) == 1


def test_only_the_largest_groups_of_tags_get_a_sentence() -> None:
    samples = [_sample(7, 0, 1, tags=(f"tag{i}", "common")) for i in range(4) for _ in range(5)]
    samples += [_sample(7, 0, 1) for _ in range(5)]
    tag_groups = [insight.group for insight in insights(samples, max_per_kind=3) if insight.kind == "tag"]
    assert tag_groups == ["common", "tag0", "tag1"]


def test_a_repeated_tag_on_one_run_counts_once() -> None:
    samples = [_sample(7, 0, 1, tags=("calm", "calm")) for _ in range(5)] + [_sample(7, 0, 1) for _ in range(5)]
    [calm] = [insight for insight in insights(samples) if insight.kind == "tag"]
    assert calm.runs == 5


def test_a_lower_feeling_is_reported_plainly() -> None:
    samples = [_sample(h, 3, 1, effort=e, kinds=("long",), tags=("rain",)) for h in (7, 19) for e in (2, 8)] * 3
    samples += [_sample(13, 0, 0, effort=5) for _ in range(6)]
    texts = _texts(insights(samples))
    assert any(text.startswith("After evening runs your feeling was 2.0 lower on average (6 runs);") for text in texts)
    for text in texts:
        assert not _SHAMING.search(text), text


@given(
    st.lists(
        st.builds(
            _sample,
            hour=st.integers(0, 23),
            before=st.integers(-5, 5),
            after=st.integers(-5, 5),
            effort=st.none() | st.integers(0, 10),
            kinds=st.lists(st.sampled_from(["easy", "intervals", "mindful"]), max_size=2).map(tuple),
            tags=st.lists(st.sampled_from(["park", "rain", "with sam"]), max_size=3).map(tuple),
        ),
        max_size=40,
    )
)
def test_every_insight_rests_on_enough_runs_and_states_its_rounded_mean(samples: list[MoodSample]) -> None:
    for insight in insights(samples):
        assert insight.runs >= 5
        assert -10 <= insight.average_lift <= 10
        assert f"{abs(insight.average_lift):.1f}" in insight.text or "about the same" in insight.text
        assert not _SHAMING.search(insight.text), insight.text
        assert "\n" not in insight.text
        assert insight.text.endswith(".")


def test_min_runs_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        insights([], min_runs=0)


def test_a_difference_small_for_its_sample_size_is_called_possibly_chance() -> None:
    mornings = [_sample(7, 0, lift) for lift in (2, 0, 1, 3, 1)]
    evenings = [_sample(19, 0, lift) for lift in (1, 0, 2, 1, 2)]

    [morning, evening] = time_of_day_insights(mornings + evenings)

    assert morning.difference == pytest.approx(0.2)
    assert morning.chance is not None
    assert morning.chance > 0.5
    assert morning.text.endswith("The difference, 0.2, could easily be chance with this many runs.")
    assert evening.difference == pytest.approx(-0.2)


def test_no_difference_is_said_as_none() -> None:
    samples = [_sample(7, 0, 1) for _ in range(5)] + [_sample(19, 0, 1) for _ in range(5)]

    assert all(i.text.endswith("There is no difference between them.") for i in time_of_day_insights(samples))


def test_a_kind_with_too_few_others_to_compare_gets_no_sentence() -> None:
    samples = [_sample(7, 0, 2, kinds=("mindful",)) for _ in range(8)] + [_sample(7, 0, 1) for _ in range(4)]

    assert [i.kind for i in insights(samples)] == ["overall"]
