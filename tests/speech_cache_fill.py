"""Filling a speech cache with real WAV files of a known size and age, for the tests of its size limit."""

from __future__ import annotations

import os
import time
from pathlib import Path

from runcompanion.audio.wav_cache import WavCache

MB = 1_000_000
HEADER = 44  # the canonical PCM WAV header write_pcm_atomic writes


def fill_cache(cache: WavCache, count: int, file_bytes: int = 2 * MB, *, voice: str = "gmw/en") -> list[Path]:
    """``count`` cached clips of ``file_bytes`` each (header included), stored as the app stores speech; the
    first is the least recently used (a day ago), each next one a minute younger, all older than now."""
    pcm = bytes(range(256)) * ((file_bytes - HEADER) // 256) + bytes((file_bytes - HEADER) % 256)
    day_ago = time.time() - 86_400
    paths = []
    for i in range(count):
        path = cache.store_pcm(f"Filler sentence number {i}.", voice, 165, 1.0, pcm, engine="espeak")
        assert path.stat().st_size == file_bytes
        os.utime(path, (day_ago + 60 * i, day_ago + 60 * i))
        paths.append(path)
    return paths
