"""Sound files in the formats speech engines write, built byte by byte for the tests.

Each "utterance" is a known shape: ``lead_s`` of silence, a tone, then ``tail_s`` of silence, so a test can
check both the format conversion (rate, channels, width, byte order) and where the audible part begins.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path
from typing import Literal

TONE_LEVEL = 8000


def utterance(rate: int, *, lead_s: float = 0.04, tone_s: float = 0.5, tail_s: float = 0.3) -> list[int]:
    """Mono samples: silence, a 440 Hz tone at TONE_LEVEL, silence."""
    lead, tone, tail = round(lead_s * rate), round(tone_s * rate), round(tail_s * rate)
    # Start the tone at its peak so its first sample is already audible: the onset is exactly ``lead``.
    body = [round(TONE_LEVEL * math.cos(2 * math.pi * 440 * i / rate)) for i in range(tone)]
    return [0] * lead + body + [0] * tail


def _interleave(samples: list[int], channels: int) -> list[int]:
    return [s for s in samples for _ in range(channels)]


def _pcm(samples: list[int], width: int, big_endian: bool, unsigned_8bit: bool) -> bytes:
    out = bytearray()
    order: Literal["big", "little"] = "big" if big_endian else "little"
    for s in samples:
        if width == 1:
            v = s >> 8
            out.append((v + 128) & 0xFF if unsigned_8bit else v & 0xFF)
        else:
            out += (s << (8 * (width - 2))).to_bytes(width, order, signed=True)
    return bytes(out)


def wav_bytes(samples: list[int], rate: int, *, channels: int = 1, width: int = 2, extensible: bool = False) -> bytes:
    data = _pcm(_interleave(samples, channels), width, big_endian=False, unsigned_8bit=True)
    block = channels * width
    if extensible:
        guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt = struct.pack("<HHIIHH", 0xFFFE, channels, rate, rate * block, block, 8 * width)
        fmt += struct.pack("<HHI", 22, 8 * width, 0) + struct.pack("<H", 1) + guid_tail
    else:
        fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * block, block, 8 * width)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _extended(value: float) -> bytes:
    """An 80-bit IEEE extended float, as AIFF stores its sample rate."""
    mantissa, exponent = math.frexp(value)  # value = mantissa * 2**exponent, 0.5 <= mantissa < 1
    return struct.pack(">HQ", exponent - 1 + 16383, int(mantissa * 2**64))


def aiff_bytes(samples: list[int], rate: int, *, channels: int = 1, width: int = 2, aifc: bytes | None = None) -> bytes:
    """AIFF (big-endian) or, with ``aifc`` = b"NONE"/b"sowt", AIFF-C (sowt: little-endian samples)."""
    interleaved = _interleave(samples, channels)
    data = _pcm(interleaved, width, big_endian=aifc != b"sowt", unsigned_8bit=False)
    comm = struct.pack(">hIh", channels, len(samples), 8 * width) + _extended(rate)
    if aifc is not None:
        comm += aifc + b"\x00\x00"  # compression type and an empty pascal-string name, padded to even
    ssnd = struct.pack(">II", 0, 0) + data
    chunks = b"COMM" + struct.pack(">I", len(comm)) + comm
    if len(comm) % 2:
        chunks += b"\x00"
    chunks += b"SSND" + struct.pack(">I", len(ssnd)) + ssnd
    kind = b"AIFC" if aifc is not None else b"AIFF"
    if aifc is not None:
        chunks = b"FVER" + struct.pack(">II", 4, 0xA2805140) + chunks
    return b"FORM" + struct.pack(">I", 4 + len(chunks)) + kind + chunks


def write(path: Path, blob: bytes) -> Path:
    path.write_bytes(blob)
    return path
