"""Where sounds start in a WAV file: the cue onsets of a rendered track or of a recording of the live app.

Pure helpers on the standard library (``wave``, ``array``): no numpy, no app code. A recording is reduced to
the peak level of each 5 ms block, so finding onsets in a three-minute 44.1 kHz stereo file costs a few
thousand ``max``/``min`` calls on array slices; an onset found in a block is then refined to the exact frame.

Vocabulary: a *level* is the largest absolute sample value over all channels; *sound* is a level above the
threshold the caller chooses; an *onset* is the first frame of sound after at least ``silence_s`` without any.
"""

from __future__ import annotations

import statistics
import sys
import wave
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BLOCK_S = 0.005


@dataclass(frozen=True)
class Recording:
    """A 16-bit PCM WAV file in memory, with the peak level of every block of ``block_frames`` frames."""

    rate: int
    channels: int
    samples: array[int]  # interleaved 16-bit samples, in the machine's byte order
    block_frames: int
    peaks: array[int]  # peak level of each block

    @property
    def frames(self) -> int:
        return len(self.samples) // self.channels

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate

    def frame_level(self, frame: int) -> int:
        """The peak level over all channels of one frame."""
        base = frame * self.channels
        return max(abs(s) for s in self.samples[base : base + self.channels])

    def level(self, start_s: float, end_s: float) -> int:
        """The peak level between two times (0 for an empty or out-of-range span)."""
        lo = max(0, round(start_s * self.rate)) * self.channels
        hi = min(self.frames, round(end_s * self.rate)) * self.channels
        if hi <= lo:
            return 0
        return _peak(self.samples[lo:hi])

    def first_sound(self, threshold: int, start_s: float = 0.0, end_s: float | None = None) -> float | None:
        """The time of the first frame above ``threshold`` at or after ``start_s`` (and before ``end_s``)."""
        first = max(0, round(start_s * self.rate))
        last = self.frames if end_s is None else min(self.frames, round(end_s * self.rate))
        if first >= last:
            return None
        # The block holding ``first`` may start before it: look at that partial block frame by frame.
        block_end = min(last, (first // self.block_frames + 1) * self.block_frames)
        found = self._first_frame_above(threshold, first, block_end)
        if found is not None:
            return found / self.rate
        for block in range(block_end // self.block_frames, -(-last // self.block_frames)):
            if self.peaks[block] > threshold:
                lo = max(first, block * self.block_frames)
                found = self._first_frame_above(threshold, lo, min(last, lo + self.block_frames))
                if found is not None:
                    return found / self.rate
        return None

    def onsets(self, threshold: int, silence_s: float, start_s: float = 0.0, end_s: float | None = None) -> list[float]:
        """Every onset between two times: the first frame above ``threshold`` after at least ``silence_s``
        below it (the start of the file counts as silence)."""
        quiet_blocks = max(1, round(silence_s / (self.block_frames / self.rate)))
        first_block = max(0, int(start_s * self.rate) // self.block_frames)
        last_block = len(self.peaks)
        if end_s is not None:
            last_block = min(last_block, -(-round(end_s * self.rate) // self.block_frames))
        found: list[float] = []
        for block in range(first_block, last_block):
            if self.peaks[block] <= threshold:
                continue
            before = self.peaks[max(0, block - quiet_blocks) : block]
            if before and max(before) > threshold:
                continue
            lo = block * self.block_frames
            frame = self._first_frame_above(threshold, lo, min(self.frames, lo + self.block_frames))
            if frame is not None:
                found.append(frame / self.rate)
        return found

    def onset_near(
        self, expected_s: float, threshold: int, *, silence_s: float = 0.3, before_s: float = 0.4, after_s: float = 0.45
    ) -> float | None:
        """The onset closest to ``expected_s`` within ``[expected_s - before_s, expected_s + after_s]``."""
        candidates = self.onsets(threshold, silence_s, expected_s - before_s, expected_s + after_s)
        candidates = [t for t in candidates if expected_s - before_s <= t <= expected_s + after_s]
        if not candidates:
            return None
        return min(candidates, key=lambda t: abs(t - expected_s))

    def _first_frame_above(self, threshold: int, lo: int, hi: int) -> int | None:
        channels = self.channels
        samples = self.samples
        for frame in range(lo, hi):
            base = frame * channels
            for s in samples[base : base + channels]:
                if s > threshold or -s > threshold:
                    return frame
        return None


def _peak(part: array[int]) -> int:
    """The largest absolute value in a non-empty slice, in two C-level passes."""
    high, low = max(part), min(part)
    return high if high >= -low else -low


def read_wav(path: Path, block_s: float = BLOCK_S) -> Recording:
    """Read a 16-bit PCM WAV file. A file whose header was never finished (the recorder was killed) is read
    as far as its data goes."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16-bit samples, got {8 * w.getsampwidth()}-bit")
        rate, channels = w.getframerate(), w.getnchannels()
        data = w.readframes(w.getnframes())
    data = data[: len(data) - len(data) % (2 * channels)]
    samples = array("h")
    samples.frombytes(data)
    if sys.byteorder == "big":
        samples.byteswap()
    block_frames = max(1, round(block_s * rate))
    step = block_frames * channels
    peaks = array("i")
    for lo in range(0, len(samples), step):
        peaks.append(_peak(samples[lo : lo + step]))
    return Recording(rate=rate, channels=channels, samples=samples, block_frames=block_frames, peaks=peaks)


@dataclass(frozen=True)
class CueOnset:
    """One expected cue and where it was heard (``found_s`` None: not heard near its time)."""

    index: int
    text: str
    expected_s: float
    found_s: float | None

    @property
    def error_s(self) -> float | None:
        return None if self.found_s is None else self.found_s - self.expected_s


@dataclass(frozen=True)
class OnsetReport:
    anchor_s: float
    cues: tuple[CueOnset, ...]

    @property
    def heard(self) -> list[CueOnset]:
        return [c for c in self.cues if c.found_s is not None]

    @property
    def missing(self) -> list[CueOnset]:
        return [c for c in self.cues if c.found_s is None]

    @property
    def abs_errors_s(self) -> list[float]:
        """Every cue's error but the anchor's (zero by definition)."""
        return [abs(c.error_s) for c in self.cues[1:] if c.error_s is not None]

    @property
    def max_error_s(self) -> float:
        return max(self.abs_errors_s, default=float("nan"))

    @property
    def median_error_s(self) -> float:
        errors = self.abs_errors_s
        return statistics.median(errors) if errors else float("nan")

    def summary(self) -> str:
        return (
            f"{len(self.heard)} of {len(self.cues)} cues heard; onset error max {self.max_error_s * 1000:.1f} ms, "
            f"median {self.median_error_s * 1000:.1f} ms (over the {len(self.abs_errors_s)} cues after the anchor)"
        )

    def table(self) -> str:
        lines = []
        for c in self.cues:
            error = "missing" if c.error_s is None else f"{c.error_s * 1000:+7.1f} ms"
            lines.append(f"{c.index:3d} {c.expected_s - self.anchor_s:8.3f} s  {error:>10}  {c.text[:50]}")
        return "\n".join(lines)


def match_cues(
    recording: Recording,
    offsets_s: Sequence[float],
    texts: Sequence[str],
    *,
    threshold: int,
    lead_s: Sequence[float] | None = None,
    silence_s: float = 0.3,
) -> OnsetReport:
    """Find each cue of a timeline in a recording of the live run.

    The first cue (offset 0) is the anchor: its onset is the first sound of the recording, and every other
    cue is expected at ``anchor + offset``. ``lead_s`` (optional) is each cue's own quiet start (espeak-ng
    begins some sentences with up to ~50 ms of silence), so that the error measures when the app played the
    clip, not what the clip begins with.
    """
    if not offsets_s:
        raise ValueError("no cues to look for")
    leads = list(lead_s) if lead_s is not None else [0.0] * len(offsets_s)
    first = recording.first_sound(threshold)
    if first is None:
        return OnsetReport(float("nan"), tuple(CueOnset(i, t, float("nan"), None) for i, t in enumerate(texts)))
    anchor = first - leads[0] - offsets_s[0]
    cues = [CueOnset(0, texts[0], first, first)]
    for i in range(1, len(offsets_s)):
        expected = anchor + offsets_s[i] + leads[i]
        found = recording.onset_near(expected, threshold, silence_s=silence_s)
        cues.append(CueOnset(i, texts[i], expected, found))
    return OnsetReport(anchor, tuple(cues))


def lead_s(path: Path, threshold: int) -> float:
    """How long a clip is quiet before its first sample above ``threshold`` (its own quiet start)."""
    first = read_wav(path).first_sound(threshold)
    if first is None:
        raise ValueError(f"{path}: no sound above {threshold} at all")
    return first
