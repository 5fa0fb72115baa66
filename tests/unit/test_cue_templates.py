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


def test_heads_up_with_speed() -> None:
    segment = Segment(SegmentKind.WALK, 120, speed_kmh=5.5)

    assert heads_up_text(segment, KMH) == "In 10 seconds: walk for 2 minutes, treadmill to 5.5 kilometres per hour."


def test_heads_up_with_speed_and_incline_in_mph() -> None:
    segment = Segment(SegmentKind.RUN, 90, speed_kmh=9.656, incline_pct=2.0)

    assert heads_up_text(segment, MPH) == (
        "In 10 seconds: run for 90 seconds, treadmill to 6 miles per hour, incline 2 percent."
    )


def test_heads_up_uses_effort_words_without_speed() -> None:
    segment = Segment(SegmentKind.RECOVER, 60, effort=2)

    assert heads_up_text(segment, KMH) == "In 10 seconds: recover for 1 minute, easy effort, 2 out of 10."


def test_heads_up_prefers_speed_to_effort() -> None:
    segment = Segment(SegmentKind.RUN, 60, effort=8, speed_kmh=12)

    assert "effort" not in heads_up_text(segment, KMH)


def test_heads_up_incline_only() -> None:
    segment = Segment(SegmentKind.WALK, 300, incline_pct=6)

    assert heads_up_text(segment, KMH) == "In 10 seconds: walk for 5 minutes, treadmill incline 6 percent."


def test_heads_up_with_nothing_but_a_duration() -> None:
    segment = Segment(SegmentKind.COOLDOWN, 300)

    assert heads_up_text(segment, KMH) == "In 10 seconds: cool down for 5 minutes."


def test_heads_up_with_longer_lead_and_ordinal() -> None:
    segment = Segment(SegmentKind.RUN, 60, speed_kmh=10)

    text = heads_up_text(segment, KMH, lead_s=15, ordinal=Ordinal(3, 8))

    assert text == "In 15 seconds: run for 1 minute, treadmill to 10 kilometres per hour. Run 3 of 8."


def test_heads_up_for_the_last_of_several() -> None:
    segment = Segment(SegmentKind.WALK, 90)

    assert heads_up_text(segment, KMH, ordinal=Ordinal(8, 8)).endswith("The last walk.")


def test_change_text_example() -> None:
    segment = Segment(SegmentKind.RUN, 90, speed_kmh=8)

    assert change_text(segment, KMH, False) == "Run now, for 90 seconds. Speed 8 kilometres per hour."


def test_change_text_first_segment() -> None:
    segment = Segment(SegmentKind.WARMUP, 300, speed_kmh=5, incline_pct=1)

    assert change_text(segment, KMH, True) == (
        "First, warm up for 5 minutes. Speed 5 kilometres per hour. Incline 1 percent."
    )


def test_change_text_effort_and_ordinal() -> None:
    segment = Segment(SegmentKind.RECOVER, 120, effort=3)

    text = change_text(segment, KMH, False, ordinal=Ordinal(2, 5))

    assert text == "Recover now, for 2 minutes. Moderate effort, 3 out of 10. Recovery 2 of 5."


def test_change_text_brief_is_short_and_keeps_the_ordinal() -> None:
    segment = Segment(SegmentKind.RUN, 20, speed_kmh=14, incline_pct=1)

    assert change_text(segment, KMH, False, brief=True) == "Run now."
    assert change_text(segment, KMH, False, ordinal=Ordinal(4, 10), brief=True) == "Run now. Run 4 of 10."


def test_change_text_for_every_kind_reads_naturally() -> None:
    texts = {kind: change_text(Segment(kind, 60), KMH, False) for kind in SegmentKind}

    assert texts[SegmentKind.WARMUP] == "Warm up now, for 1 minute."
    assert texts[SegmentKind.COOLDOWN] == "Cool down now, for 1 minute."
    assert texts[SegmentKind.FREE] == "Go at your own pace now, for 1 minute."
    assert len(set(texts.values())) == len(SegmentKind)


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
