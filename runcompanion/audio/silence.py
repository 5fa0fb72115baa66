"""Where speech is audible in a clip: trim what comes before it and most of what comes after.

Engines start a file with silence (espeak-ng up to ~50 ms, Piper 20-70 ms, SAPI5 and macOS voices their own),
so a cue placed at its offset would be heard that much later. Every synthesized clip is cut to begin just
before its first audible sample and to end a short tail after its last one; the clip's length is then its
real spoken duration, which is what the scheduler spaces cues by. The same threshold finds onsets in a rendered
track (bench/speech.py), so what "audible" means is defined once, here.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Sequence

from runcompanion.audio.wav_io import SAMPLE_RATE, SAMPLE_WIDTH

__all__ = [
    "AUDIBLE_LEVEL",
    "PRE_ROLL_S",
    "TAIL_KEEP_S",
    "first_audible",
    "last_audible",
    "samples_of",
    "trim_silence",
]

# -40 dBFS: well above the dither and noise floor of every engine's "silence", well below any spoken phoneme.
AUDIBLE_LEVEL = 328
# Kept before the first audible sample so a soft attack (an "h", an "f") is not clipped; short enough that
# the cue is still heard within a few milliseconds of its offset.
PRE_ROLL_S = 0.002
# Kept after the last audible sample: the natural decay of the last word. Longer silence is dead air that
# would push the next cue later for nothing.
TAIL_KEEP_S = 0.12


def samples_of(pcm: bytes | bytearray | memoryview) -> array[int]:
    """Little-endian 16-bit bytes as integers (one copy)."""
    samples = array("h", bytes(pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH]))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def first_audible(
    samples: Sequence[int], start: int = 0, stop: int | None = None, level: int = AUDIBLE_LEVEL
) -> int | None:
    """Index of the first sample in ``[start, stop)`` whose magnitude reaches ``level``, or None."""
    for i in range(start, len(samples) if stop is None else min(stop, len(samples))):
        if abs(samples[i]) >= level:
            return i
    return None


def last_audible(samples: Sequence[int], level: int = AUDIBLE_LEVEL) -> int | None:
    """Index of the last sample whose magnitude reaches ``level``, or None."""
    for i in range(len(samples) - 1, -1, -1):
        if abs(samples[i]) >= level:
            return i
    return None


def trim_silence(pcm: bytes) -> bytes:
    """``pcm`` (22050 Hz mono 16-bit) from ``PRE_ROLL_S`` before its first audible sample to ``TAIL_KEEP_S``
    after its last. A clip with nothing audible is returned unchanged: better a quiet clip than none."""
    samples = samples_of(pcm)
    first = first_audible(samples)
    last = last_audible(samples)
    if first is None or last is None:
        return pcm
    begin = max(0, first - round(PRE_ROLL_S * SAMPLE_RATE))
    end = min(len(pcm) // SAMPLE_WIDTH, last + 1 + round(TAIL_KEEP_S * SAMPLE_RATE))
    return pcm[begin * SAMPLE_WIDTH : end * SAMPLE_WIDTH]
