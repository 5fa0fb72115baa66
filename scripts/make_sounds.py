"""Make resources/sounds/chime.wav and beep.wav (22050 Hz mono 16-bit, peak -3 dBFS).

Run it again after changing a sound: `.venv/bin/python scripts/make_sounds.py`. The output is deterministic,
so an unchanged script reproduces the committed files byte for byte.

- chime: a soft two-note bell, B5 then G5 (a falling major third, the familiar "ding-dong"), CHIME_S long.
  Bell-like partials with short attacks and exponential decays; the upper partials fade faster so it sounds
  soft rather than piercing, yet 0.8-2 kHz carries over treadmill motor and belt noise.
- beep: an 880 Hz sine, BEEP_S long, with 8 ms raised-cosine fades so it starts and stops without a click.
"""

from __future__ import annotations

import math
import sys
from array import array
from pathlib import Path

from runcompanion.audio.sounds import BEEP_FILE, BEEP_S, CHIME_FILE, CHIME_S
from runcompanion.audio.wav_io import SAMPLE_RATE, write_pcm_atomic

PEAK_DBFS = -3.0
OUT_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds"

# (frequency ratio to the note, relative amplitude, decay time constant as a fraction of the note's).
_BELL_PARTIALS = ((1.0, 1.0, 1.0), (2.0, 0.35, 0.5), (2.76, 0.10, 0.3), (3.0, 0.12, 0.35))


def _n_samples(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


def _raised_cosine(i: int, length: int) -> float:
    """0 -> 1 over ``length`` samples, with zero slope at both ends (no click)."""
    return 0.5 - 0.5 * math.cos(math.pi * i / length)


def _bell_note(samples: list[float], start_s: float, freq: float, amp: float, tau_s: float) -> None:
    start = _n_samples(start_s)
    attack = _n_samples(0.004)
    for i in range(len(samples) - start):
        t = i / SAMPLE_RATE
        env = _raised_cosine(i, attack) if i < attack else 1.0
        value = 0.0
        for ratio, rel_amp, rel_tau in _BELL_PARTIALS:
            value += rel_amp * math.exp(-t / (tau_s * rel_tau)) * math.sin(2 * math.pi * freq * ratio * t)
        samples[start + i] += amp * env * value


def chime() -> list[float]:
    samples = [0.0] * _n_samples(CHIME_S)
    _bell_note(samples, 0.0, 987.77, 1.0, 0.16)  # B5
    _bell_note(samples, 0.20, 783.99, 0.9, 0.20)  # G5
    _fade_out(samples, _n_samples(0.06))
    return samples


def beep() -> list[float]:
    samples = [math.sin(2 * math.pi * 880.0 * i / SAMPLE_RATE) for i in range(_n_samples(BEEP_S))]
    fade = _n_samples(0.008)
    for i in range(fade):
        samples[i] *= _raised_cosine(i, fade)
    _fade_out(samples, fade)
    return samples


def _fade_out(samples: list[float], length: int) -> None:
    n = len(samples)
    for i in range(length):
        # Reaches exactly 0 at the last sample, so the sound ends without a click.
        samples[n - 1 - i] *= _raised_cosine(i, length)


def to_pcm(samples: list[float], peak_dbfs: float = PEAK_DBFS) -> bytes:
    """Normalize to ``peak_dbfs`` and convert to little-endian 16-bit."""
    peak = max(abs(s) for s in samples)
    gain = 32767 * 10 ** (peak_dbfs / 20) / peak
    pcm = array("h", (round(s * gain) for s in samples))
    if sys.byteorder != "little":
        pcm.byteswap()
    return pcm.tobytes()


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, samples in ((CHIME_FILE, chime()), (BEEP_FILE, beep())):
        path = OUT_DIR / name
        # Resources are shipped files, readable by everyone (unlike the private speech cache).
        write_pcm_atomic(path, to_pcm(samples), mode=0o644)
        print(f"wrote {path} ({len(samples)} samples, {len(samples) / SAMPLE_RATE:.4f} s)")


if __name__ == "__main__":
    main()
