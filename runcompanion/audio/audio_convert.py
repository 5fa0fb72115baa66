"""Read what a speech engine wrote (PCM WAV or AIFF, any rate, width and channel count) as the app's samples.

Engines disagree on format: libespeak-ng and most Piper voices write 22050 Hz mono 16-bit WAV, low-quality
Piper voices 16000 Hz, SAPI5 writes whatever format its voice prefers (often 22050 Hz or 16000 Hz 16-bit, some
voices stereo or 44100 Hz), and NSSpeechSynthesizer writes big-endian AIFF (or AIFF-C). Written here rather
than with a library because the standard library no longer covers it (``wave`` in 3.11 rejects
WAVE_FORMAT_EXTENSIBLE; ``aifc`` and ``audioop`` are deprecated and gone in Python 3.13), and the well-kept
alternatives (soundfile + numpy, about 30 MB) would enter the base install for the few seconds of speech a
cue holds; resampling is linear interpolation, which is plenty for speech going down to or near 22050 Hz.
Plain computation on bytes: any thread.
"""

from __future__ import annotations

import math
import struct
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from runcompanion.audio.wav_io import SAMPLE_RATE, WavFormatError

__all__ = ["DecodedAudio", "decode_audio", "read_as_app_pcm", "to_app_pcm"]

_WAVE_FORMAT_PCM = 1
_WAVE_FORMAT_EXTENSIBLE = 0xFFFE


@dataclass(frozen=True, slots=True)
class DecodedAudio:
    """Interleaved integer PCM as found in the file."""

    sample_rate: int
    channels: int
    sample_width: int  # bytes per sample: 1, 2, 3 or 4
    big_endian: bool
    data: bytes

    @property
    def frames(self) -> int:
        return len(self.data) // (self.channels * self.sample_width)


def _chunks(blob: bytes, start: int, big_endian: bool) -> dict[bytes, bytes]:
    found: dict[bytes, bytes] = {}
    fmt = ">I" if big_endian else "<I"
    pos = start
    while pos + 8 <= len(blob):
        cid = blob[pos : pos + 4]
        (size,) = struct.unpack(fmt, blob[pos + 4 : pos + 8])
        body = blob[pos + 8 : pos + 8 + size]
        found.setdefault(cid, body)
        pos += 8 + size + (size & 1)  # chunks are padded to an even length
    return found


def _decode_wav(blob: bytes, name: str) -> DecodedAudio:
    chunks = _chunks(blob, 12, big_endian=False)
    fmt, data = chunks.get(b"fmt "), chunks.get(b"data")
    if fmt is None or data is None or len(fmt) < 16:
        raise WavFormatError(f"The sound file {name} has no format or no sound data.")
    tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _WAVE_FORMAT_EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]  # the sub-format GUID starts with the real format tag
    if tag != _WAVE_FORMAT_PCM or bits not in (8, 16, 24, 32) or channels < 1 or rate < 1:
        raise WavFormatError(f"The sound file {name} is not integer PCM (format {tag}, {bits}-bit).")
    return DecodedAudio(rate, channels, bits // 8, False, data)


def _extended_to_float(raw: bytes) -> float:
    """The 80-bit IEEE extended float AIFF stores its sample rate in."""
    exponent = struct.unpack(">H", raw[:2])[0] & 0x7FFF
    mantissa = struct.unpack(">Q", raw[2:10])[0]
    return 0.0 if exponent == 0 and mantissa == 0 else math.ldexp(mantissa, exponent - 16383 - 63)


def _decode_aiff(blob: bytes, name: str) -> DecodedAudio:
    compressed = blob[8:12] == b"AIFC"
    chunks = _chunks(blob, 12, big_endian=True)
    comm, ssnd = chunks.get(b"COMM"), chunks.get(b"SSND")
    if comm is None or ssnd is None or len(comm) < 18:
        raise WavFormatError(f"The sound file {name} has no format or no sound data.")
    channels, _, bits = struct.unpack(">hIh", comm[:8])
    rate = round(_extended_to_float(comm[8:18]))
    big_endian = True
    if compressed:
        kind = comm[18:22]
        if kind == b"sowt":
            big_endian = False  # little-endian samples in an AIFF-C container
        elif kind not in (b"NONE", b"twos"):
            raise WavFormatError(f"The sound file {name} is compressed ({kind.decode('latin-1')}).")
    if bits not in (8, 16, 24, 32) or channels < 1 or rate < 1:
        raise WavFormatError(f"The sound file {name} has an unsupported format ({bits}-bit).")
    offset = struct.unpack(">I", ssnd[:4])[0]
    return DecodedAudio(rate, channels, bits // 8, big_endian, ssnd[8 + offset :])


def decode_audio(path: Path) -> DecodedAudio:
    """Read a PCM WAV or AIFF file. Raises WavFormatError in words for anything else."""
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise WavFormatError(f"Cannot read the sound file {path}: {exc.strerror or exc}.") from exc
    if blob[:4] == b"RIFF" and blob[8:12] == b"WAVE":
        return _decode_wav(blob, str(path))
    if blob[:4] == b"FORM" and blob[8:12] in (b"AIFF", b"AIFC"):
        return _decode_aiff(blob, str(path))
    raise WavFormatError(f"The sound file {path} is neither WAV nor AIFF.")


def _as_int16_mono(audio: DecodedAudio) -> array[int]:
    width, channels = audio.sample_width, audio.channels
    usable = audio.frames * channels * width
    raw = audio.data[:usable]
    if width == 2:
        samples = array("h", raw)
        if audio.big_endian != (sys.byteorder == "big"):
            samples.byteswap()
    else:
        order: Literal["big", "little"] = "big" if audio.big_endian else "little"
        signed = width > 1  # 8-bit WAV is unsigned; 8-bit AIFF is signed
        if width == 1 and not audio.big_endian:
            values = [b - 128 for b in raw]
        else:
            values = [int.from_bytes(raw[i : i + width], order, signed=signed) for i in range(0, usable, width)]
        shift = 8 * (width - 2)
        samples = array("h", (v << -shift if shift < 0 else v >> shift for v in values))
    if channels == 1:
        return samples
    return array("h", (sum(samples[i : i + channels]) // channels for i in range(0, len(samples), channels)))


def _resample(samples: array[int], rate: int) -> array[int]:
    if rate == SAMPLE_RATE or len(samples) < 2:
        return samples
    count = max(1, round(len(samples) * SAMPLE_RATE / rate))
    step = (len(samples) - 1) / max(1, count - 1)
    out = array("h", bytes(2 * count))
    last = len(samples) - 1
    for i in range(count):
        pos = i * step
        j = min(int(pos), last - 1)
        frac = pos - j
        out[i] = round(samples[j] + (samples[j + 1] - samples[j]) * frac)
    return out


def to_app_pcm(audio: DecodedAudio) -> bytes:
    """The samples as 22050 Hz mono 16-bit little-endian bytes: channels averaged, rate interpolated."""
    samples = _resample(_as_int16_mono(audio), audio.sample_rate)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


def read_as_app_pcm(path: Path) -> bytes:
    """``decode_audio`` then ``to_app_pcm``."""
    return to_app_pcm(decode_audio(path))
