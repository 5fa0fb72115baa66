"""Spoken interval texts: durations, heads-ups, changes, halfway, one minute left, start and finish."""

from __future__ import annotations

import pytest

from runcompanion.core.cue_templates import (
    FINISH_TEXTS,
    Ordinal,
    change_text,
    duration_words,
    effort_words,
    finish_text,
    heads_up_text,
    incline_words,
    one_minute_text,
    segment_halfway_text,
    session_halfway_text,
    start_text,
)
from runcompanion.core.session_plan import Segment, SegmentKind
from runcompanion.core.units import SpeedUnit

KMH = SpeedUnit.KMH
MPH = SpeedUnit.MPH


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (10, "10 seconds"),
        (45.4, "45 seconds"),
        (59.6, "1 minute"),
        (60, "1 minute"),
        (75, "1 minute 15 seconds"),
        (61, "1 minute 1 second"),
        (90, "90 seconds"),
        (120, "2 minutes"),
        (150, "2 and a half minutes"),
        (195, "3 minutes 15 seconds"),
        (1200, "20 minutes"),
        (1230, "20 and a half minutes"),
        (3600, "1 hour"),
        (5400, "1 hour 30 minutes"),
        (7265, "2 hours 1 minute 5 seconds"),
        (-5, "0 seconds"),
    ],
)
def test_duration_words(seconds: float, words: str) -> None:
    assert duration_words(seconds) == words


def test_heads_up_says_what_comes_and_leaves_the_numbers_to_the_change() -> None:
    walk = Segment(SegmentKind.WALK, 120, speed_kmh=5.5, incline_pct=1)
    run = Segment(SegmentKind.RUN, 60, speed_kmh=8, incline_pct=1)

    assert heads_up_text(walk, KMH, current=run) == "In 10 seconds: walk."


def test_heads_up_names_an_incline_that_changes_and_flat_for_zero() -> None:
    flat = Segment(SegmentKind.WALK, 300, speed_kmh=5, incline_pct=0)
    hill = Segment(SegmentKind.WALK, 300, speed_kmh=5, incline_pct=6)

    assert heads_up_text(hill, KMH, current=flat) == "In 10 seconds: walk, incline 6 percent."
    assert heads_up_text(flat, KMH, current=hill) == "In 10 seconds: walk, flat."


def test_heads_up_names_an_effort_that_changes_when_there_is_no_speed() -> None:
    hard = Segment(SegmentKind.RUN, 60, effort=8)
    easy = Segment(SegmentKind.RECOVER, 60, effort=2)

    assert heads_up_text(easy, KMH, current=hard) == "In 10 seconds: recover, easy effort, 2 out of 10."


def test_heads_up_at_the_end_of_a_hard_effort_is_short() -> None:
    easy = Segment(SegmentKind.RECOVER, 90, speed_kmh=6.5)

    assert heads_up_text(easy, KMH, short=True) == "10 seconds, then recover."
    assert heads_up_text(easy, KMH, lead_s=15, short=True) == "15 seconds, then recover."


def test_heads_up_for_a_free_segment_is_your_own_pace() -> None:
    free = Segment(SegmentKind.FREE, 120, speed_kmh=6.5)

    assert heads_up_text(free, KMH, current=Segment(SegmentKind.WALK, 60)) == "In 10 seconds: your own pace."


def test_heads_up_with_longer_lead() -> None:
    segment = Segment(SegmentKind.RUN, 60, speed_kmh=10)

    assert heads_up_text(segment, KMH, lead_s=15, ordinal=Ordinal(3, 8)) == "In 15 seconds: run."


def test_change_text_example() -> None:
    segment = Segment(SegmentKind.RUN, 90, speed_kmh=8)

    assert change_text(segment, KMH, False) == "Run now, 90 seconds. Speed 8 kilometres per hour."


def test_change_text_first_segment() -> None:
    segment = Segment(SegmentKind.WARMUP, 300, speed_kmh=5, incline_pct=1)

    assert change_text(segment, KMH, True) == (
        "First, warm up for 5 minutes. Speed 5 kilometres per hour. Incline 1 percent."
    )


def test_change_text_says_only_what_changes() -> None:
    run = Segment(SegmentKind.RUN, 60, speed_kmh=12, incline_pct=1)
    recover = Segment(SegmentKind.RECOVER, 90, speed_kmh=6.5, incline_pct=1)
    cooldown = Segment(SegmentKind.COOLDOWN, 300, speed_kmh=6.5, incline_pct=0)

    assert change_text(recover, KMH, False, previous=run) == "Recover now, 90 seconds. Speed 6.5."
    assert change_text(cooldown, KMH, False, previous=recover) == "Cool down now, 5 minutes. Flat."


def test_change_text_counts_runs_only() -> None:
    run = Segment(SegmentKind.RUN, 60, speed_kmh=12)
    recover = Segment(SegmentKind.RECOVER, 120, effort=3)

    assert change_text(run, KMH, False, ordinal=Ordinal(2, 8)).endswith("Run 2 of 8.")
    assert change_text(run, KMH, False, ordinal=Ordinal(8, 8)).endswith("The last one.")
    assert change_text(recover, KMH, False, ordinal=Ordinal(2, 5)) == (
        "Recover now, 2 minutes. Moderate effort, 3 out of 10."
    )


def test_a_free_segment_is_your_own_pace_with_no_speed() -> None:
    walk = Segment(SegmentKind.WALK, 180, speed_kmh=5)
    free = Segment(SegmentKind.FREE, 120, speed_kmh=6.5)

    assert change_text(free, KMH, False, previous=walk) == "Your own pace now, 2 minutes."


def test_change_text_brief_is_short_and_keeps_the_ordinal() -> None:
    segment = Segment(SegmentKind.RUN, 20, speed_kmh=14, incline_pct=1)

    assert change_text(segment, KMH, False, brief=True) == "Run now."
    assert change_text(segment, KMH, False, ordinal=Ordinal(4, 10), brief=True) == "Run now. Run 4 of 10."


def test_change_text_for_every_kind_reads_naturally() -> None:
    texts = {kind: change_text(Segment(kind, 60), KMH, False) for kind in SegmentKind}

    assert texts[SegmentKind.WARMUP] == "Warm up now, 1 minute."
    assert texts[SegmentKind.COOLDOWN] == "Cool down now, 1 minute."
    assert texts[SegmentKind.FREE] == "Your own pace now, 1 minute."
    assert len(set(texts.values())) == len(SegmentKind)


def test_the_start_names_a_program_run_without_symbols_and_never_says_a_number_twice() -> None:
    assert start_text("Couch to 5K \u00b7 Week 3 \u00b7 Run 2", 1800) == ("Here we go: Couch to 5K, 30 minutes in all.")
    assert start_text("Small steps 10", 600) == "Here we go: Small steps 10."


def test_decline_and_whole_numbers() -> None:
    assert incline_words(-1.5) == "decline 1.5 percent"
    assert incline_words(0) == "incline 0 percent"
    assert incline_words(2.0) == "incline 2 percent"
    assert "point" not in change_text(Segment(SegmentKind.RUN, 60, speed_kmh=10.0), KMH, False)
    assert "10 kilometres" in change_text(Segment(SegmentKind.RUN, 60, speed_kmh=10.0), KMH, False)


@pytest.mark.parametrize(
    ("effort", "words"),
    [
        (0, "resting effort, 0 out of 10"),
        (5, "hard effort, 5 out of 10"),
        (10, "all-out effort, 10 out of 10"),
    ],
)
def test_effort_words(effort: int, words: str) -> None:
    assert effort_words(effort) == words


def test_start_text() -> None:
    assert start_text("Easy intervals", 1800) == "Here we go: Easy intervals, 30 minutes in all."
    assert start_text("Week 1.  ", 1230) == "Here we go: Week 1, 20 and a half minutes in all."
    assert start_text("", 600) == "Here we go: 10 minutes in all."


def test_session_halfway_text() -> None:
    assert session_halfway_text(1800) == "Halfway there. 15 minutes done, and the same again to go."


def test_segment_halfway_text() -> None:
    segment = Segment(SegmentKind.RUN, 600)

    assert segment_halfway_text(segment) == "Halfway through this run, 5 minutes to go."
    assert segment_halfway_text(segment, ordinal=Ordinal(2, 3)) == "Halfway through run 2 of 3, 5 minutes to go."
    assert segment_halfway_text(segment, ordinal=Ordinal(3, 3)).startswith("Halfway through the last run,")


def test_one_minute_text() -> None:
    segment = Segment(SegmentKind.WALK, 300)

    assert one_minute_text(segment) == "One minute left in this walk."
    assert one_minute_text(segment, ordinal=Ordinal(1, 2)) == "One minute left in walk 1 of 2."
    assert one_minute_text(segment, ordinal=Ordinal(1, 2), is_last=True) == "One minute left in the session."


def test_finish_texts_all_thank_the_runner() -> None:
    assert len(FINISH_TEXTS) >= 3
    texts = {finish_text(seed, 1800) for seed in range(len(FINISH_TEXTS))}

    assert len(texts) == len(FINISH_TEXTS)
    for text in texts:
        assert "Thank you" in text
        assert "30 minutes" in text
        assert "{" not in text


def test_finish_text_is_chosen_by_seed_deterministically() -> None:
    assert finish_text(7, 600) == finish_text(7, 600)
    assert finish_text(-3, 600) in {t.format(total="10 minutes") for t in FINISH_TEXTS}


def test_ordinal_range_is_checked() -> None:
    with pytest.raises(ValueError, match="out of range"):
        Ordinal(0, 3)
    with pytest.raises(ValueError, match="out of range"):
        Ordinal(4, 3)
