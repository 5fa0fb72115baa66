"""The base install (no natural-voice extra): nothing about Piper gets in the way, and adding a voice says how
to install it."""

from __future__ import annotations

from pathlib import Path

import pytest

from runcompanion.audio import piper_engine, speech_worker
from runcompanion.audio.espeak_engine import PROCESS_ESPEAK_SLOT
from runcompanion.audio.voices import better_voices_hint
from runcompanion.core.app_settings import AppSettings
from runcompanion.core.cue_library import load_cue_library
from runcompanion.core.errors import UserError
from runcompanion.paths import resource_files
from runcompanion.services.cue_service import CueService


def test_without_the_extra_there_is_no_piper_engine_and_adding_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(piper_engine, "piper_available", lambda: False)
    factories = speech_worker.default_engine_factories(PROCESS_ESPEAK_SLOT, tmp_path / "voices", platform="linux")
    assert list(factories) == ["espeak"]

    service = CueService(load_cue_library(resource_files("cues", ".toml")), tmp_path / "cache", voices_dir=None)
    try:
        with pytest.raises(UserError, match=r'pip install "runcompanion\[natural-voice\]"'):
            service.add_piper_voice(tmp_path / "en_GB-alba-medium.onnx")
        assert not service.is_slow_voice(AppSettings())
        assert service.is_slow_voice(AppSettings(voice_id="piper:en_GB-alba-medium"))
        assert not service.is_slow_voice(AppSettings(voice_id="gmw/en"))
    finally:
        service.close()


@pytest.mark.parametrize(
    ("platform", "needle"),
    [
        ("linux", "download a Piper voice"),
        ("win32", "Settings > Time & language > Speech"),
        ("darwin", "Spoken Content"),
    ],
)
def test_the_hint_on_better_voices_fits_the_system(platform: str, needle: str) -> None:
    assert needle in better_voices_hint(platform)
    assert 'pip install "runcompanion[natural-voice]"' in better_voices_hint(platform, piper_installed=False)
    assert "pip install" not in better_voices_hint(platform, piper_installed=True)
    # Plain words in the window: no web address to copy out of a label (the README gives it).
    assert "http" not in better_voices_hint(platform) + better_voices_hint(platform, piper_installed=True)
