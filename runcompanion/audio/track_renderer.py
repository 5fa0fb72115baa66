"""Mix a cue timeline into one WAV file: the whole guided run to take along (``runcompanion render``).

The track is a bytearray of silence into which each clip is copied by slice assignment, so a 60-minute
session costs one allocation and a few hundred memcpy calls. Samples are added one by one only where two clips
overlap (which the scheduler should prevent): then they are mixed with clipping rather than dropped.
Any thread may call ``render_track``; it blocks for the whole render (well under a second for an hour).
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from runcompanion.audio.wav_io import SAMPLE_RATE, SAMPLE_WIDTH, read_pcm, write_pcm_atomic, write_wav
from runcompanion.core.cue_timeline import CueKind, CueTimeline
from runcompanion.core.errors import UserError

__all__ = ["TAIL_S", "CuePlacement", "TrackReport", "render_track"]

# Silence after the end of the session, so the last words are not cut off and players do not clip the end.
TAIL_S = 2.0
_TRACK_MODE = 0o644  # a file the user asked for, to copy to a phone: readable like any file they save


@dataclass(frozen=True, slots=True)
class CuePlacement:
    """Where one cue landed in the track. Offsets and lengths are in samples at SAMPLE_RATE."""

    index: int  # position in the timeline
    kind: CueKind
    text: str
    start_sample: int  # round(offset_s * SAMPLE_RATE): the chime, beep or speech starts exactly here
    length_samples: int  # chime plus speech, or the beep, as written (after any truncation)
    speech_start_sample: int | None  # where the words start (after the chime), None for a beep or no speech
    overlapped: bool  # part of it was mixed with an earlier clip
    truncated: bool  # it ran past the end of the track and was cut


@dataclass(frozen=True, slots=True)
class TrackReport:
    path: Path
    sample_rate: int
    total_samples: int
    placements: tuple[CuePlacement, ...]

    @property
    def duration_s(self) -> float:
        return self.total_samples / self.sample_rate

    @property
    def cue_offsets(self) -> tuple[int, ...]:
        """Each cue's start, in samples, in timeline order."""
        return tuple(p.start_sample for p in self.placements)

    @property
    def overlaps(self) -> int:
        return sum(p.overlapped for p in self.placements)

    @property
    def truncated(self) -> int:
        return sum(p.truncated for p in self.placements)


class _Clips:
    """Reads each WAV once (a session repeats texts such as "three, two, one") and checks its format."""

    def __init__(self) -> None:
        self._loaded: dict[Path, bytes] = {}

    def get(self, path: Path) -> bytes:
        pcm = self._loaded.get(path)
        if pcm is None:
            pcm = self._loaded[path] = read_pcm(path)
        return pcm


class _Track:
    """The growing mix. ``covered`` is where untouched silence begins: clips past it need no mixing."""

    def __init__(self, total_samples: int) -> None:
        self.total_samples = total_samples
        self.buf = bytearray(total_samples * SAMPLE_WIDTH)
        self.covered = 0

    def place(self, start: int, pcm: bytes) -> tuple[int, bool, bool]:
        """Add ``pcm`` at sample ``start``; return (samples written, overlapped, truncated)."""
        n = len(pcm) // SAMPLE_WIDTH
        end = min(start + n, self.total_samples)
        truncated = start + n > end
        if end <= start:
            return 0, False, truncated
        overlapped = start < self.covered
        fresh_from = start
        if overlapped:
            mix_end = min(end, self.covered)
            _mix_into(self.buf, start, pcm[: (mix_end - start) * SAMPLE_WIDTH])
            fresh_from = mix_end
        if fresh_from < end:
            src = pcm[(fresh_from - start) * SAMPLE_WIDTH : (end - start) * SAMPLE_WIDTH]
            self.buf[fresh_from * SAMPLE_WIDTH : end * SAMPLE_WIDTH] = src
        self.covered = max(self.covered, end)
        return end - start, overlapped, truncated


def _mix_into(buf: bytearray, start: int, pcm: bytes) -> None:
    """Add 16-bit samples into ``buf`` from sample ``start``, clipping. Per-sample: only for overlaps."""
    lo, hi = start * SAMPLE_WIDTH, start * SAMPLE_WIDTH + len(pcm)
    ours, theirs = array("h", buf[lo:hi]), array("h", pcm)
    big_endian = sys.byteorder == "big"  # WAV data is little-endian; array uses the machine's order
    if big_endian:
        ours.byteswap()
        theirs.byteswap()
    mixed = array("h", (max(-32768, min(32767, a + b)) for a, b in zip(ours, theirs, strict=True)))
    if big_endian:
        mixed.byteswap()
    buf[lo:hi] = mixed.tobytes()


def render_track(
    timeline: CueTimeline,
    speech: Mapping[str, Path],
    out: Path,
    *,
    chime: Path,
    beep: Path,
    total_s: float,
    progress: Callable[[int, int], None] | None = None,
    save: Callable[[Path, Callable[[BinaryIO], None]], None] | None = None,
) -> TrackReport:
    """Write the session as one 22050 Hz mono 16-bit WAV at ``out``: ``total_s`` (or until the last cue has been
    said, if that is later) plus ``TAIL_S`` seconds.

    Each cue starts at exactly ``round(offset_s * 22050)`` samples: a beep cue plays ``beep``; a chime cue
    plays ``chime`` and then its speech right after; any other cue plays its speech (``speech[cue.text]``).
    Every input must already be 22050 Hz mono 16-bit (WavFormatError otherwise) and is checked before
    anything is written. ``out`` is replaced atomically. ``progress(done, total)`` is called on this thread
    once per cue and once more after the file is written. Any thread; blocks.

    ``save(out, fill)`` writes the file: it opens the destination and calls ``fill`` with a binary handle. The
    command line passes the services' safe writer (which refuses devices and folders); without it the track
    is written like the app's own files.
    """
    if not math.isfinite(total_s) or total_s < 0:
        raise ValueError(f"total_s must be a non-negative number of seconds, not {total_s}")
    clips = _Clips()
    chime_pcm, beep_pcm = clips.get(chime), clips.get(beep)

    # Resolve and check every clip first: a missing or bad file fails before the big buffer exists.
    plan: list[tuple[int, bytes | None, bytes | None]] = []  # (start, lead sound, speech)
    for cue in timeline.cues:
        if not math.isfinite(cue.offset_s) or cue.offset_s < 0:
            raise ValueError(f"cue offset must be a non-negative number of seconds, not {cue.offset_s}")
        start = round(cue.offset_s * SAMPLE_RATE)
        if cue.beep:
            plan.append((start, beep_pcm, None))
            continue
        words: bytes | None = None
        if cue.text.strip():
            path = speech.get(cue.text)
            if path is None:
                raise ValueError(f"no speech file for the cue {cue.text!r}: render the timeline texts first")
            words = clips.get(path)
        plan.append((start, chime_pcm if cue.chime else None, words))

    # The last cue (the thank-you) starts at the end of the session: the track runs until it has been said.
    spoken_until = max((cue.end_s for cue in timeline.cues), default=0.0)
    total_samples = round((max(total_s, spoken_until) + TAIL_S) * SAMPLE_RATE)
    track = _Track(total_samples)
    steps = len(plan) + 1
    placements = []
    for index, (cue, (start, lead, words)) in enumerate(zip(timeline.cues, plan, strict=True)):
        written, overlapped, truncated = 0, False, False
        speech_start: int | None = None
        at = start
        for pcm, is_words in ((lead, False), (words, True)):
            if pcm is None:
                continue
            if is_words:
                speech_start = at
            n, o, t = track.place(at, pcm)
            written, overlapped, truncated = written + n, overlapped or o, truncated or t
            at += len(pcm) // SAMPLE_WIDTH
        placements.append(CuePlacement(index, cue.kind, cue.text, start, written, speech_start, overlapped, truncated))
        if progress is not None:
            progress(index + 1, steps)

    try:
        if save is None:
            write_pcm_atomic(out, track.buf, mode=_TRACK_MODE)
        else:
            save(out, lambda raw: write_wav(raw, track.buf))
    except OSError as exc:
        raise UserError(
            f"Cannot write the track to {out}: {exc.strerror or exc}. Choose a folder you can write to."
        ) from exc
    if progress is not None:
        progress(steps, steps)
    return TrackReport(out, SAMPLE_RATE, total_samples, tuple(placements))
