"""WavCache: stable keys, private atomic files, and nothing half-written ever counts as cached."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from runcompanion.audio import wav_cache as wav_cache_module
from runcompanion.audio.wav_cache import MIN_MAX_BYTES, WavCache, wav_duration_s
from runcompanion.audio.wav_io import TEMP_PREFIX, WavFormatError, read_info, read_pcm
from tests.speech_cache_fill import MB, fill_cache

if TYPE_CHECKING:
    from .conftest import MakeWav

ONE_SECOND_OF_TONE = bytes(range(256)) * (22050 * 2 // 256) + bytes(22050 * 2 % 256)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_path_is_stable_and_depends_on_every_input(cache: WavCache) -> None:
    base = cache.path_for("Walk for two minutes.", "gmw/en", 165, 1.0)

    assert base == cache.path_for("Walk for two minutes.", "gmw/en", 165, 1.0)
    assert base.parent == cache.root
    assert base.suffix == ".wav"
    assert len(base.stem) == 64
    int(base.stem, 16)  # a hex sha256
    variants = {
        cache.path_for("Walk for three minutes.", "gmw/en", 165, 1.0),
        cache.path_for("Walk for two minutes.", "gmw/en-us", 165, 1.0),
        cache.path_for("Walk for two minutes.", None, 165, 1.0),
        cache.path_for("Walk for two minutes.", "gmw/en", 166, 1.0),
        cache.path_for("Walk for two minutes.", "gmw/en", 165, 0.9),
    }
    assert base not in variants
    assert len(variants) == 5


def test_fields_cannot_run_into_each_other(cache: WavCache) -> None:
    # A naive "text|voice" key would make these two collide.
    assert cache.key("a|b", "c", 165, 1.0) != cache.key("a", "b|c", 165, 1.0)


def test_volume_is_compared_after_rounding(cache: WavCache) -> None:
    assert cache.key("Hi.", None, 165, 0.1 + 0.2) == cache.key("Hi.", None, 165, 0.3)


def test_format_version_is_part_of_the_key(cache: WavCache, monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.key("Hi.", None, 165, 1.0)
    monkeypatch.setattr(wav_cache_module, "FORMAT_VERSION", wav_cache_module.FORMAT_VERSION + 1)
    assert cache.key("Hi.", None, 165, 1.0) != before


def test_lookup_misses_then_finds_the_stored_file(cache: WavCache) -> None:
    assert cache.lookup("Breathe in.", None, 165, 1.0) is None

    stored = cache.store_pcm("Breathe in.", None, 165, 1.0, ONE_SECOND_OF_TONE)

    assert stored == cache.path_for("Breathe in.", None, 165, 1.0)
    assert cache.lookup("Breathe in.", None, 165, 1.0) == stored
    assert read_pcm(stored) == ONE_SECOND_OF_TONE
    assert wav_duration_s(stored) == pytest.approx(1.0)
    assert cache.lookup("Breathe out.", None, 165, 1.0) is None


def test_folder_is_private_and_files_are_0600(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)  # an existing, too open folder

    cache = WavCache(root)
    stored = cache.store_pcm("Hi.", None, 165, 1.0, ONE_SECOND_OF_TONE)
    temp = cache.new_temp()

    assert _mode(root) == 0o700
    assert _mode(stored) == 0o600
    assert _mode(temp) == 0o600


def test_new_folder_is_created_0700(tmp_path: Path) -> None:
    cache = WavCache(tmp_path / "a" / "b")
    assert cache.root.is_dir()
    assert _mode(cache.root) == 0o700


def test_crash_before_rename_leaves_nothing_cached(cache: WavCache, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_args: object) -> None:
        raise OSError("killed just before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="killed"):
        cache.store_pcm("Hi.", None, 165, 1.0, ONE_SECOND_OF_TONE)

    assert cache.lookup("Hi.", None, 165, 1.0) is None
    assert list(cache.root.iterdir()) == []


def test_half_written_temp_file_never_counts(cache: WavCache) -> None:
    temp = cache.new_temp()
    temp.write_bytes(b"RIFF\x00\x00")  # what a crash mid-write leaves behind

    assert temp.name.startswith(TEMP_PREFIX)
    assert cache.lookup("Hi.", None, 165, 1.0) is None


def test_file_smaller_than_a_header_counts_as_missing(cache: WavCache) -> None:
    # For example a file system that lost the data of a renamed file in a power cut.
    cache.path_for("Hi.", None, 165, 1.0).write_bytes(b"RIFF")
    assert cache.lookup("Hi.", None, 165, 1.0) is None


def test_publish_moves_a_finished_temp_file(cache: WavCache, make_wav: MakeWav) -> None:
    temp = cache.new_temp()
    make_wav(temp, [1000] * 2205)
    final = cache.path_for("Hi.", None, 165, 1.0)

    assert cache.publish(temp, final) == final

    assert not temp.exists()
    assert read_info(final).frames == 2205
    assert _mode(final) == 0o600
    assert cache.lookup("Hi.", None, 165, 1.0) == final


def test_publish_refuses_paths_outside_the_cache(cache: WavCache, tmp_path: Path) -> None:
    temp = cache.new_temp()
    with pytest.raises(ValueError, match="inside the cache"):
        cache.publish(temp, tmp_path / "elsewhere.wav")
    assert temp.exists()


def test_stale_temp_files_are_swept_and_fresh_ones_kept(tmp_path: Path) -> None:
    first = WavCache(tmp_path / "cache")
    stale, fresh = first.new_temp(), first.new_temp()
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))

    WavCache(tmp_path / "cache")  # the next start of the app

    assert not stale.exists()
    assert fresh.exists()  # may belong to another process that is still writing it


def test_wav_duration_of_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WavFormatError, match=r"Cannot read the sound file .*nothing\.wav"):
        wav_duration_s(tmp_path / "nothing.wav")


def test_the_size_limit_removes_the_least_recently_used_first(tmp_path: Path) -> None:
    cache = WavCache(tmp_path / "cache", max_bytes=50 * MB)
    files = fill_cache(cache, 30)  # 60 MB: five files too many
    assert cache.lookup("Filler sentence number 0.", "gmw/en", 165, 1.0, engine="espeak") == files[0]  # used now

    assert cache.enforce_cap() == 5

    assert cache.size_bytes() == 25 * 2 * MB
    assert files[0].exists()  # the oldest file, but used just now: it stays
    assert [p.exists() for p in files[1:7]] == [False] * 5 + [True]  # the next five oldest went, in order


def test_a_new_limit_holds_from_the_next_pruning(tmp_path: Path) -> None:
    cache = WavCache(tmp_path / "cache")
    assert cache.max_bytes == 500 * MB  # the default, as Settings shows it
    files = fill_cache(cache, 30)
    assert cache.enforce_cap() == 0

    cache.set_max_bytes(56 * MB)
    assert cache.max_bytes == 56 * MB
    assert all(p.exists() for p in files)  # a new limit alone removes nothing ...
    assert cache.enforce_cap() == 2  # ... the next pruning does
    assert [p.exists() for p in files[:3]] == [False, False, True]
    assert cache.size_bytes() == 56 * MB

    cache.set_max_bytes(1)  # below the minimum, which holds an hour's speech
    assert cache.max_bytes == MIN_MAX_BYTES == 50 * MB
    assert cache.enforce_cap() == 3
    assert cache.size_bytes() == 50 * MB


def test_clear_removes_every_cached_file_and_leaves_a_writers_temp_file(cache: WavCache) -> None:
    files = fill_cache(cache, 3)
    temp = cache.new_temp()

    cache.clear()

    assert not any(p.exists() for p in files)
    assert cache.size_bytes() == 0
    assert temp.exists()
