"""The speech cache's size limit as a setting: a saved limit is the cache's limit from the next start, new
speech (real espeak-ng) prunes to it, a changed limit prunes at once, and clearing never pulls files from under
a preparation in progress. Real data folders, real WAV files."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from runcompanion.audio.speech_engine import SpeechEngine
from runcompanion.audio.voices import ESPEAK
from runcompanion.core.app_settings import SPEECH_CACHE_MAX_MB, SPEECH_CACHE_MIN_MB, AppSettings
from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths, resolve_paths
from runcompanion.services import cue_service
from runcompanion.services.composition import Services, build_services
from tests.speech_cache_fill import MB, fill_cache


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "home", env={})


@pytest.fixture
def services(paths: AppPaths) -> Iterator[Services]:
    built = build_services(paths)
    yield built
    built.close()


def test_the_limit_is_saved_and_out_of_range_values_come_back_in_range() -> None:
    assert AppSettings().speech_cache_mb == 500
    assert AppSettings.from_mapping({"speech_cache_mb": 1}).speech_cache_mb == SPEECH_CACHE_MIN_MB
    assert AppSettings.from_mapping({"speech_cache_mb": 10**9}).speech_cache_mb == SPEECH_CACHE_MAX_MB
    assert AppSettings.from_mapping({"speech_cache_mb": "lots"}).speech_cache_mb == 500
    assert AppSettings(speech_cache_mb=120).to_mapping()["speech_cache_mb"] == 120


def test_a_saved_limit_holds_from_the_next_start_and_new_speech_prunes_to_it(paths: AppPaths) -> None:
    first = build_services(paths)
    try:
        first.settings.save(first.settings.load().with_changes(speech_cache_mb=70))
    finally:
        first.close()

    services = build_services(paths)  # the next start of the app, or the next command
    try:
        cues = services.cues
        assert cues.cache.max_bytes == 70 * MB
        files = fill_cache(cues.cache, 40)  # 80 MB, the oldest first
        said = cues.speak_to_file("A sentence nobody has said to this cache before.", services.settings.load())

        assert said.is_file()  # the newest speech stays ...
        assert cues.cache.size_bytes() <= 70 * MB  # ... and the cache fits its limit again
        # 80 MB and the new speech: the six oldest files went, in order, and no more.
        assert [p.exists() for p in files[:7]] == [False] * 6 + [True]
    finally:
        services.close()


def test_a_new_limit_prunes_at_once(services: Services) -> None:
    cues = services.cues
    files = fill_cache(cues.cache, 30)  # 60 MB
    assert cues.cache_usage() == (60 * MB, 500 * MB)

    assert cues.set_cache_cap(54 * MB) == (54 * MB, 54 * MB)
    assert [p.exists() for p in files[:4]] == [False, False, False, True]

    assert cues.clear_cache() == (0, 54 * MB)
    assert not any(p.exists() for p in files)


def test_clearing_during_a_preparation_says_so_and_removes_nothing(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    cues = services.cues
    settings = services.settings.load()
    files = fill_cache(cues.cache, 2)
    monkeypatch.setattr(cue_service, "CLEAR_WAIT_S", 0.2)
    # The speech worker is held busy, so a preparation that needs new speech waits there, holding the service.
    worker = cues.engines.worker(ESPEAK)
    release = threading.Event()
    held = worker.submit(lambda _engine: release.wait(60))
    submitted = threading.Event()
    submit = worker.submit

    def noting_submit(work: Callable[[SpeechEngine], Path]) -> Future[Path]:
        future = submit(work)
        submitted.set()  # the preparation is now waiting for its speech
        return future

    monkeypatch.setattr(worker, "submit", noting_submit)
    with ThreadPoolExecutor(1) as pool:
        try:
            preparing = pool.submit(cues.speak_to_file, "Speech that is being prepared.", settings)
            assert submitted.wait(30)
            with pytest.raises(UserError, match="Speech is being prepared"):
                cues.clear_cache()
            assert all(p.exists() for p in files)
        finally:
            release.set()
        assert held.result(timeout=10) is True
        assert preparing.result(timeout=60).is_file()
    assert cues.clear_cache() == (0, 500 * MB)  # once the preparation is done, clearing works
