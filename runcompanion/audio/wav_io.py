"""Read and write the one audio format the app uses inside: 22050 Hz, mono, 16-bit little-endian PCM WAV.

22050 Hz mono 16-bit is what libespeak-ng produces, so speech, chime and beep all share it and mixing is a
byte copy. Every function here is plain file I/O: any thread may call it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from runcompanion.core.errors import UserError

SAMPLE_RATE = 22050
CHANNELS = 1
SAMPLE_WIDTH = 2  # bytes per sample: 16-bit
FORMAT_NAME = "22050 Hz mono 16-bit PCM"

# Temp files start with this, so a cache lookup or a directory listing can tell them from finished files.
TEMP_PREFIX = ".tmp-"


class WavFormatError(UserError):
    """A WAV file is unreadable or not in the app's format (22050 Hz mono 16-bit)."""


@dataclass(frozen=True, slots=True)
class WavInfo:
    """What a WAV header says."""

    sample_rate: int
    channels: int
    sample_width: int
    frames: int

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0

    @property
    def is_app_format(self) -> bool:
        return (self.sample_rate, self.channels, self.sample_width) == (SAMPLE_RATE, CHANNELS, SAMPLE_WIDTH)

    def describe(self) -> str:
        return f"{self.sample_rate} Hz, {self.channels} channel(s), {8 * self.sample_width}-bit"


def read_info(path: Path) -> WavInfo:
    """Read a WAV header. Raises WavFormatError when the file is missing or not a PCM WAV."""
    try:
        with wave.open(str(path), "rb") as wav:
            return WavInfo(wav.getframerate(), wav.getnchannels(), wav.getsampwidth(), wav.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise WavFormatError(f"Cannot read the sound file {path}: {exc}.") from exc


def wav_duration_s(path: Path) -> float:
    """Length of a WAV file in seconds, from its header."""
    return read_info(path).duration_s


def read_pcm(path: Path) -> bytes:
    """Return the samples of a WAV file in the app's format as little-endian 16-bit bytes.

    Raises WavFormatError naming the file and both formats when it has another rate, width or channel count,
    because mixing it byte for byte would play it at the wrong speed or as noise.
    """
    try:
        with wave.open(str(path), "rb") as wav:
            info = WavInfo(wav.getframerate(), wav.getnchannels(), wav.getsampwidth(), wav.getnframes())
            if not info.is_app_format:
                raise WavFormatError(
                    f"The sound file {path} is {info.describe()}; RunCompanion needs {FORMAT_NAME}. "
                    "Convert it (for example: sox IN.wav -r 22050 -c 1 -b 16 OUT.wav) or delete the "
                    "speech cache so it is rendered again."
                )
            data = wav.readframes(info.frames)
    except (OSError, EOFError, wave.Error) as exc:
        raise WavFormatError(f"Cannot read the sound file {path}: {exc}.") from exc
    if len(data) != info.frames * SAMPLE_WIDTH:
        raise WavFormatError(f"The sound file {path} is truncated: delete it so it is made again.")
    return data


def write_pcm_atomic(path: Path, pcm: bytes | bytearray | memoryview, *, mode: int = 0o600) -> None:
    """Write ``pcm`` (little-endian 16-bit mono samples) as a WAV file at ``path``, atomically.

    The data goes to a temp file in the same folder, is flushed to disk, and is then renamed over ``path``:
    readers see the old file or the complete new one, never half a file, even if the process dies mid-write.
    For the app's own files (the speech cache, shipped sounds); a file a person asked for is written through
    the services' safe writer, which also refuses devices and folders.
    """
    tmp = make_temp_file(path.parent, suffix=".wav")
    try:
        with open(tmp, "wb") as raw:
            write_wav(raw, pcm)
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_wav(raw: BinaryIO, pcm: bytes | bytearray | memoryview) -> None:
    """Write ``pcm`` (little-endian 16-bit mono samples at ``SAMPLE_RATE``) as a whole WAV file to ``raw``."""
    with wave.open(raw, "wb") as wav:
        wav.setnchannels(CHANNELS)
        wav.setsampwidth(SAMPLE_WIDTH)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm)


def make_temp_file(folder: Path, *, suffix: str) -> Path:
    """Create an empty 0600 temp file in ``folder``: the final name's file system, so rename is atomic."""
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=suffix, dir=folder)
    os.close(fd)
    return Path(name)


def fsync_file(path: Path) -> None:
    """Flush a file another writer produced to disk, so renaming it into place survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
