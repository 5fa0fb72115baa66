"""What engines write (WAV of any PCM format, AIFF, AIFF-C) read as the app's 22050 Hz mono 16-bit samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from runcompanion.audio.audio_convert import decode_audio, read_as_app_pcm
from runcompanion.audio.silence import first_audible, samples_of
from runcompanion.audio.wav_io import WavFormatError
from tests.audio.sound_files import TONE_LEVEL, aiff_bytes, utterance, wav_bytes, write

LEAD_S = 0.04
TOTAL_S = 0.04 + 0.5 + 0.3


@pytest.mark.parametrize(
    ("name", "blob_of"),
    [
        ("espeak/piper wav 22050 mono 16", lambda: wav_bytes(utterance(22050), 22050)),
        ("piper low wav 16000 mono 16", lambda: wav_bytes(utterance(16000), 16000)),
        ("sapi5 wav 44100 stereo 16", lambda: wav_bytes(utterance(44100), 44100, channels=2)),
        ("sapi5 wav 11025 mono 8-bit", lambda: wav_bytes(utterance(11025), 11025, width=1)),
        ("wav 24000 mono 24-bit extensible", lambda: wav_bytes(utterance(24000), 24000, width=3, extensible=True)),
        ("wav 48000 stereo 32-bit", lambda: wav_bytes(utterance(48000), 48000, channels=2, width=4)),
        ("nsss aiff 22050 mono 16", lambda: aiff_bytes(utterance(22050), 22050)),
        ("nsss aiff 44100 stereo 16", lambda: aiff_bytes(utterance(44100), 44100, channels=2)),
        ("aifc NONE 22050", lambda: aiff_bytes(utterance(22050), 22050, aifc=b"NONE")),
        ("aifc sowt 22050", lambda: aiff_bytes(utterance(22050), 22050, aifc=b"sowt")),
    ],
)
def test_every_engine_format_becomes_app_samples(tmp_path: Path, name: str, blob_of: object) -> None:
    assert callable(blob_of)
    path = write(tmp_path / "speech.out", blob_of())

    samples = samples_of(read_as_app_pcm(path))

    # Length and timing survive the conversion to within a sample or two.
    assert abs(len(samples) - TOTAL_S * 22050) <= 2, name
    onset = first_audible(samples, level=TONE_LEVEL // 4)
    assert onset is not None
    assert abs(onset / 22050 - LEAD_S) < 0.001, name
    # The level survives (8-bit rounds to steps of 256, nothing loses level); channels are averaged, not summed.
    peak = max(abs(s) for s in samples)
    assert TONE_LEVEL * 0.95 <= peak <= TONE_LEVEL * 1.03, name


def test_header_is_read_as_written(tmp_path: Path) -> None:
    audio = decode_audio(write(tmp_path / "a.aiff", aiff_bytes(utterance(44100), 44100, channels=2)))
    assert (audio.sample_rate, audio.channels, audio.sample_width, audio.big_endian) == (44100, 2, 2, True)
    assert audio.frames == round(TOTAL_S * 44100)


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"", "neither WAV nor AIFF"),
        (b"ID3\x03 an mp3 file", "neither WAV nor AIFF"),
        (b"RIFF\x04\x00\x00\x00WAVE", "no format or no sound data"),
        (
            wav_bytes([0] * 10, 22050)[:20] + (3).to_bytes(2, "little") + wav_bytes([0] * 10, 22050)[22:],
            "not integer PCM",
        ),
        (aiff_bytes([0] * 10, 22050, aifc=b"ulaw"), "compressed"),
    ],
)
def test_what_is_not_pcm_is_refused_in_words(tmp_path: Path, blob: bytes, message: str) -> None:
    with pytest.raises(WavFormatError, match=message):
        read_as_app_pcm(write(tmp_path / "x", blob))


def test_missing_file_is_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(WavFormatError, match="Cannot read the sound file"):
        read_as_app_pcm(tmp_path / "gone.wav")
