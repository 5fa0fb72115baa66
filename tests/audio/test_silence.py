"""Trimming a clip to its audible part: the onset lands PRE_ROLL_S after the start, a short tail stays."""

from __future__ import annotations

from array import array

from runcompanion.audio.silence import (
    AUDIBLE_LEVEL,
    PRE_ROLL_S,
    TAIL_KEEP_S,
    first_audible,
    last_audible,
    samples_of,
    trim_silence,
)

RATE = 22050


def _pcm(samples: list[int]) -> bytes:
    return array("h", samples).tobytes()


def test_leading_silence_goes_and_a_short_tail_stays() -> None:
    lead, body, tail = 1100, [0] * 20 + [5000] * 2000 + [0] * 20, 8000
    pcm = _pcm([0] * lead + body + [0] * tail)

    trimmed = samples_of(trim_silence(pcm))

    onset = first_audible(trimmed)
    assert onset == round(PRE_ROLL_S * RATE)
    last = last_audible(trimmed)
    assert last is not None
    assert len(trimmed) - 1 - last == round(TAIL_KEEP_S * RATE)


def test_quiet_noise_below_the_threshold_counts_as_silence() -> None:
    noise = [AUDIBLE_LEVEL - 1, -(AUDIBLE_LEVEL - 1)] * 2000
    pcm = _pcm(noise + [9000] * 100 + noise)
    trimmed = samples_of(trim_silence(pcm))
    assert first_audible(trimmed) == round(PRE_ROLL_S * RATE)
    assert len(trimmed) == round(PRE_ROLL_S * RATE) + 100 + round(TAIL_KEEP_S * RATE)


def test_a_clip_already_tight_is_unchanged() -> None:
    pcm = _pcm([7000] * 300)
    assert trim_silence(pcm) == pcm


def test_a_silent_clip_is_kept_rather_than_emptied() -> None:
    pcm = _pcm([0] * 500)
    assert trim_silence(pcm) == pcm


def test_search_window() -> None:
    samples = samples_of(_pcm([0] * 10 + [1000] + [0] * 10 + [2000]))
    assert first_audible(samples) == 10
    assert first_audible(samples, start=11) == 21
    assert first_audible(samples, start=11, stop=21) is None
    assert last_audible(samples) == 21
