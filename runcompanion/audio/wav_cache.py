"""A folder of synthesized speech, one WAV per (text, voice, rate, volume).

Files appear only by atomic rename of a complete file, so whatever a lookup finds is whole: a crash mid-write
leaves at most a ``.tmp-*`` file, which never counts as cached and is swept away later. The folder is private
(0700, files 0600) because cue texts can be the user's own words.

All methods are plain file-system work and safe from any thread; two processes may share one cache (the
worst case is that both synthesize a text and the later rename wins with identical content).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path

from runcompanion.audio.wav_io import (
    TEMP_PREFIX,
    fsync_file,
    make_temp_file,
    wav_duration_s,
    write_pcm_atomic,
)

__all__ = ["FORMAT_VERSION", "WavCache", "wav_duration_s"]

# Bump when the audio produced for the same inputs changes (another engine, trimming, sample rate):
# every old entry then misses and is rendered again instead of being played in the old form.
FORMAT_VERSION = 2  # 2: texts go through core/spoken_text.py before synthesis

_DIR_MODE = 0o700
_FILE_MODE = 0o600
# A temp file this old belongs to a process that died; younger ones may still be being written.
_STALE_TEMP_S = 3600.0


class WavCache:
    """Content-addressed WAV files under ``root``. Any thread."""

    def __init__(self, root: Path) -> None:
        self._root = root
        root.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask and ignored for an existing folder: set it explicitly.
        os.chmod(root, _DIR_MODE)
        self._sweep_stale_temps()

    @property
    def root(self) -> Path:
        return self._root

    @staticmethod
    def key(text: str, voice: str | None, rate: int, volume: float) -> str:
        """The hex sha256 that names the file for these inputs.

        JSON of a list keeps the fields apart (no "a|b" + "c" == "a" + "b|c" collisions); volume is rounded
        so 0.1 + 0.2 and 0.3 share a file.
        """
        payload = json.dumps(
            [FORMAT_VERSION, text, voice or "", int(rate), round(float(volume), 4)],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def path_for(self, text: str, voice: str | None, rate: int, volume: float) -> Path:
        """Where the WAV for these inputs lives (whether or not it exists yet)."""
        return self._root / f"{self.key(text, voice, rate, volume)}.wav"

    def lookup(self, text: str, voice: str | None, rate: int, volume: float) -> Path | None:
        """The cached WAV for these inputs, or None. Touches no engine: one stat call."""
        path = self.path_for(text, voice, rate, volume)
        try:
            # Anything smaller than a WAV header cannot be a published file (for example a file system that
            # lost data after a power cut); treat it as missing so it is rendered again.
            return path if path.stat().st_size > 44 else None
        except FileNotFoundError:
            return None

    def new_temp(self) -> Path:
        """An empty private temp file inside the cache folder, for a writer to fill before ``publish``."""
        return make_temp_file(self._root, suffix=".wav")

    def publish(self, temp: Path, final: Path) -> Path:
        """Move a finished temp file to its final name atomically and return ``final``.

        The temp file is flushed to disk first so the renamed file is never empty after a power cut.
        """
        if temp.parent != self._root or final.parent != self._root:
            raise ValueError("publish() only moves files inside the cache folder")
        fsync_file(temp)
        os.chmod(temp, _FILE_MODE)
        os.replace(temp, final)
        return final

    def discard(self, temp: Path) -> None:
        """Remove a temp file that will not be published (missing is fine)."""
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()

    def store_pcm(self, text: str, voice: str | None, rate: int, volume: float, pcm: bytes) -> Path:
        """Write 22050 Hz mono 16-bit samples as the entry for these inputs, atomically."""
        path = self.path_for(text, voice, rate, volume)
        write_pcm_atomic(path, pcm, mode=_FILE_MODE)
        return path

    def _sweep_stale_temps(self) -> None:
        cutoff = time.time() - _STALE_TEMP_S
        for tmp in self._root.glob(f"{TEMP_PREFIX}*"):
            # Another process may remove the same file at the same moment: that is fine.
            with contextlib.suppress(OSError):
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
