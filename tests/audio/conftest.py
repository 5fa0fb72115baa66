"""Fixtures for the audio tests: a private cache, a real espeak-ng synthesizer, and WAV helpers."""

from __future__ import annotations

import sys
import wave
from array import array
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from runcompanion.audio.speech_synthesizer import SpeechSynthesizer
from runcompanion.audio.wav_cache import WavCache

MakeWav = Callable[..., Path]
ReadSamples = Callable[[Path], "array[int]"]


@pytest.fixture
def cache(tmp_path: Path) -> WavCache:
    return WavCache(tmp_path / "speech-cache")


@pytest.fixture
def synth(cache: WavCache) -> Iterator[SpeechSynthesizer]:
    """A real synthesizer (libespeak-ng through pyttsx3), closed after the test so the next may start one."""
    synthesizer = SpeechSynthesizer(cache)
    yield synthesizer
    synthesizer.close()


def _make_wav(path: Path, samples: Sequence[int], *, rate: int = 22050, channels: int = 1, width: int = 2) -> Path:
    """Write ``samples`` (already interleaved for ``channels``) as a PCM WAV of the given format."""
    if width == 1:
        data = bytes((s // 256 + 128) & 0xFF for s in samples)  # 8-bit WAV is unsigned
    else:
        pcm = array("h", samples)
        if sys.byteorder == "big":
            pcm.byteswap()
        data = pcm.tobytes()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(data)
    return path


def _read_samples(path: Path) -> array[int]:
    """The 16-bit samples of a WAV file, in machine order."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2
        pcm = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        pcm.byteswap()
    return pcm


@pytest.fixture
def make_wav() -> MakeWav:
    return _make_wav


@pytest.fixture
def read_samples() -> ReadSamples:
    return _read_samples
