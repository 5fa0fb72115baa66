"""A folder of synthesized speech, one WAV per (engine, voice, rate, volume, text), capped in size.

Files appear only by atomic rename of a complete file, so whatever a lookup finds is whole: a crash mid-write
leaves at most a ``.tmp-*`` file, which never counts as cached and is swept away later. The folder is private
(0700, files 0600) because cue texts can be the user's own words.

All methods are plain file-system work and safe from any thread; two processes may share one cache (the
worst case is that both synthesize a text and the later rename wins with identical content).

The size cap removes the least recently used files first: a hit refreshes a file's modification time, so the
cues of the sessions the runner actually does stay, and those of a voice tried once go.
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
# 2: texts go through core/spoken_text.py before synthesis; 3: the engine is in the key, clips are trimmed to
# their audible start (audio/silence.py).
FORMAT_VERSION = 3
# In MB of 10^6 bytes, as Settings shows them (core/app_settings.py holds the setting and its range).
DEFAULT_MAX_BYTES = 500 * 1_000_000
# Below this a cap could evict the cues of the very session being prepared (an hour is ~10-20 MB per voice).
MIN_MAX_BYTES = 50 * 1_000_000

_DIR_MODE = 0o700
_FILE_MODE = 0o600
# A temp file this old belongs to a process that died; younger ones may still be being written.
_STALE_TEMP_S = 3600.0


class WavCache:
    """Content-addressed WAV files under ``root``. Any thread."""

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._root = root
        self._max_bytes = max(MIN_MAX_BYTES, max_bytes)
        root.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask and ignored for an existing folder: set it explicitly.
        os.chmod(root, _DIR_MODE)
        self._sweep_stale_temps()

    @property
    def root(self) -> Path:
        return self._root

    @property
    def max_bytes(self) -> int:
        return self._max_bytes

    def set_max_bytes(self, max_bytes: int) -> None:
        """A new cap (raised to the minimum), kept from the next ``enforce_cap`` on: the next write, or now
        when the caller calls it. A plain int assignment: safe from any thread."""
        self._max_bytes = max(MIN_MAX_BYTES, max_bytes)

    @staticmethod
    def key(text: str, voice: str | None, rate: int, volume: float, *, engine: str = "") -> str:
        """The hex sha256 that names the file for these inputs.

        JSON of a list keeps the fields apart (no "a|b" + "c" == "a" + "b|c" collisions); volume is rounded
        so 0.1 + 0.2 and 0.3 share a file.
        """
        payload = json.dumps(
            [FORMAT_VERSION, engine, voice or "", int(rate), round(float(volume), 4), text],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def path_for(self, text: str, voice: str | None, rate: int, volume: float, *, engine: str = "") -> Path:
        """Where the WAV for these inputs lives (whether or not it exists yet)."""
        return self._root / f"{self.key(text, voice, rate, volume, engine=engine)}.wav"

    def lookup(self, text: str, voice: str | None, rate: int, volume: float, *, engine: str = "") -> Path | None:
        """The cached WAV for these inputs, or None. Touches no engine: a stat and a utime call."""
        path = self.path_for(text, voice, rate, volume, engine=engine)
        try:
            # Anything smaller than a WAV header cannot be a published file (for example a file system that
            # lost data after a power cut); treat it as missing so it is rendered again.
            if path.stat().st_size <= 44:
                return None
            os.utime(path)  # recently used: the size cap removes it last
            return path
        except FileNotFoundError:
            return None
        except OSError:
            return path  # a read-only cache still serves what it holds

    def size_bytes(self) -> int:
        """What the cached files take on disk, in bytes."""
        total = 0
        for entry in self._entries():
            total += entry[1]
        return total

    def _entries(self) -> list[tuple[float, int, Path]]:
        entries = []
        for path in self._root.glob("*.wav"):
            if path.name.startswith(TEMP_PREFIX):
                continue
            with contextlib.suppress(OSError):
                st = path.stat()
                entries.append((st.st_mtime, st.st_size, path))
        return entries

    def enforce_cap(self) -> int:
        """Remove the least recently used files until the cache fits its cap; return how many went."""
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in entries:
            if total <= self._max_bytes:
                break
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
            total -= size
        return removed

    def clear(self) -> None:
        """Remove every cached file (temp files of a running writer are left to it)."""
        for _, _, path in self._entries():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

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

    def store_pcm(
        self, text: str, voice: str | None, rate: int, volume: float, pcm: bytes, *, engine: str = ""
    ) -> Path:
        """Write 22050 Hz mono 16-bit samples as the entry for these inputs, atomically."""
        path = self.path_for(text, voice, rate, volume, engine=engine)
        write_pcm_atomic(path, pcm, mode=_FILE_MODE)
        return path

    def _sweep_stale_temps(self) -> None:
        cutoff = time.time() - _STALE_TEMP_S
        for tmp in self._root.glob(f"{TEMP_PREFIX}*"):
            # Another process may remove the same file at the same moment: that is fine.
            with contextlib.suppress(OSError):
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
