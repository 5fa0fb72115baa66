"""The system's own voices (SAPI5 on Windows, NSSpeechSynthesizer on macOS) through pyttsx3.

These drivers cannot run on Linux. The tests load stand-in driver modules (tests/audio/pyttsx3_standins.py)
through the real ``pyttsx3.Engine`` and ``DriverProxy``, so pyttsx3's queueing and run loop are real and the
stand-ins record every call the app makes. Their outputs are files in the formats the real drivers write.
Not exercised here: COM/SAPI5 and Cocoa themselves, real voices' own formats beyond those listed, and what
NSSpeechSynthesizer does when the delegate never fires (the wait's deadline covers it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from runcompanion.audio.espeak_engine import PROCESS_ESPEAK_SLOT, EspeakEngine
from runcompanion.audio.pyttsx3_engine import Pyttsx3Engine
from runcompanion.audio.silence import PRE_ROLL_S, TAIL_KEEP_S, first_audible, samples_of
from runcompanion.audio.speech_engine import SpeechSynthesisError, SpeechUnavailableError
from runcompanion.audio.speech_synthesizer import SpeechSynthesizer
from runcompanion.audio.speech_worker import EngineFactory, SpeechEngines
from runcompanion.audio.wav_cache import WavCache
from runcompanion.audio.wav_io import read_info, read_pcm
from tests.audio import pyttsx3_standins as standins
from tests.audio.sound_files import aiff_bytes, utterance, wav_bytes

TONE_S = 0.5


def _sapi5_output(_text: str) -> bytes:
    return wav_bytes(utterance(44100, lead_s=0.06), 44100, channels=2)  # a voice that prefers 44.1 kHz stereo


def _nsss_output(_text: str) -> bytes:
    return aiff_bytes(utterance(22050, lead_s=0.09), 22050)


@pytest.fixture
def install(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Callable[[str], bytes]], standins._Recorder]:
    def put(kind: str, output: Callable[[str], bytes]) -> standins._Recorder:
        module, recorder = standins.driver_module(kind, output)
        monkeypatch.setitem(sys.modules, f"pyttsx3.drivers.{kind}", module)
        return recorder

    return put


def _engines(**factories: EngineFactory) -> SpeechEngines:
    return SpeechEngines(factories)


@pytest.fixture
def closing() -> Iterator[list[SpeechEngines]]:
    made: list[SpeechEngines] = []
    yield made
    for engines in made:
        engines.close()


def _assert_trimmed_tone(path: Path) -> None:
    info = read_info(path)
    assert info.is_app_format
    samples = samples_of(read_pcm(path))
    assert first_audible(samples) == round(PRE_ROLL_S * 22050)  # the engine's leading silence is gone
    assert abs(info.duration_s - (PRE_ROLL_S + TONE_S + TAIL_KEEP_S)) < 0.002  # and most of its trailing one


def test_sapi5_voice_speaks_through_save_to_file_and_is_converted(
    install: Callable[..., standins._Recorder], cache: WavCache, closing: list[SpeechEngines]
) -> None:
    recorder = install("sapi5", _sapi5_output)
    engines = _engines(sapi5=lambda: Pyttsx3Engine("sapi5"))
    closing.append(engines)
    hazel = "sapi5:" + standins.TOKENS[2]
    synth = SpeechSynthesizer(cache, voice_id=hazel, rate=150, volume=0.8, engines=engines)

    first = synth.render("Ease to 8 km/h.")
    second = synth.render("Walk for 1:30.")

    _assert_trimmed_tone(first)
    _assert_trimmed_tone(second)
    assert synth.engine == "sapi5"
    calls = recorder.calls
    saved = [args for name, args in calls if name == "save_to_file"]
    # The spoken form reaches the driver; each utterance is its own save_to_file + runAndWait.
    assert [text for text, _ in saved] == ["Ease to 8 kilometres per hour.", "Walk for a minute and a half."]
    assert all(Path(target).parent == cache.root for _, target in saved)
    # Voice, then rate and volume, once: they persist in the driver.
    assert [args for name, args in calls if name == "setProperty"] == [
        ("voice", standins.TOKENS[2]),
        ("rate", 150),
        ("volume", 0.8),
    ]
    # Every save_to_file runs inside its own loop (the queued endLoop, then SAPI5's EndStream event, end it),
    # never before the loop starts: that order is what keeps a failed Speak from hanging runAndWait.
    loop = [name for name, _ in calls if name in ("startLoop", "save_to_file", "endLoop")]
    assert loop == ["startLoop", "save_to_file", "endLoop", "endLoop"] * 2
    assert sorted(p.name for p in cache.root.iterdir()) == sorted([first.name, second.name])  # no temp left


def test_sapi5_voices_are_listed_with_engine_language_and_gender(
    install: Callable[..., standins._Recorder], cache: WavCache, closing: list[SpeechEngines]
) -> None:
    install("sapi5", _sapi5_output)
    engines = _engines(sapi5=lambda: Pyttsx3Engine("sapi5"))
    closing.append(engines)

    voices = engines.all_voices()[0]

    assert [v.name for v in voices][:2] == [
        "Microsoft Hazel Desktop - English (Great Britain)",  # English first, British first
        "Microsoft Zira Desktop - English (United States)",
    ]
    assert voices[-1].language == "de-de"
    zira = voices[1]
    assert (zira.id, zira.engine, zira.gender, zira.languages) == (
        "sapi5:" + standins.TOKENS[0],
        "sapi5",
        "female",
        ("en-US",),
    )


def test_nsss_writes_aiff_asynchronously_and_the_default_english_voice_is_chosen(
    install: Callable[..., standins._Recorder], cache: WavCache, closing: list[SpeechEngines]
) -> None:
    recorder = install("nsss", _nsss_output)
    engines = _engines(nsss=lambda: Pyttsx3Engine("nsss"))
    closing.append(engines)
    synth = SpeechSynthesizer(cache, engines=engines)

    path = synth.render("Notice your breath.")

    _assert_trimmed_tone(path)
    assert synth.resolved_voice == "nsss:" + standins.VOICES[1]  # en_GB Daniel: British English first
    assert ("setProperty", ("voice", standins.VOICES[1])) in recorder.calls
    voices = {v.id: v for v in engines.voices("nsss")}
    assert voices["nsss:" + standins.VOICES[0]].gender == "female"


def test_a_driver_error_is_reported_in_words_and_the_engine_keeps_working(
    install: Callable[..., standins._Recorder], cache: WavCache, closing: list[SpeechEngines]
) -> None:
    def output(text: str) -> bytes:
        if "fail" in text:
            raise OSError("The device is not ready")
        return _sapi5_output(text)

    install("sapi5", output)
    engines = _engines(sapi5=lambda: Pyttsx3Engine("sapi5"))
    closing.append(engines)
    synth = SpeechSynthesizer(cache, voice_id="sapi5:" + standins.TOKENS[0], engines=engines)

    with pytest.raises(SpeechSynthesisError, match="The device is not ready"):
        synth.render("This will fail.")
    _assert_trimmed_tone(synth.render("This works."))
    assert [p for p in cache.root.iterdir() if p.name.startswith(".tmp-")] == []


def test_a_system_engine_that_cannot_start_falls_back_to_espeak_ng(
    monkeypatch: pytest.MonkeyPatch, cache: WavCache, closing: list[SpeechEngines]
) -> None:
    # What Windows without comtypes (or a broken SAPI) looks like: importing the driver fails.
    monkeypatch.setitem(sys.modules, "pyttsx3.drivers.sapi5", None)
    factories: dict[str, EngineFactory] = {
        "sapi5": lambda: Pyttsx3Engine("sapi5"),
        "espeak": lambda: EspeakEngine(PROCESS_ESPEAK_SLOT),
    }
    engines = SpeechEngines(factories)
    closing.append(engines)
    synth = SpeechSynthesizer(cache, engines=engines)

    path = synth.render("Still speaking.")

    assert synth.engine == "espeak"
    assert read_info(path).is_app_format
    voices, problems = engines.all_voices()
    assert "Windows speech (SAPI5) could not start" in problems["sapi5"]
    assert voices
    assert all(v.engine == "espeak" for v in voices)
    # A voice chosen on that engine says what is wrong instead of speaking with another one.
    chosen = SpeechSynthesizer(cache, voice_id="sapi5:" + standins.TOKENS[0], engines=engines)
    with pytest.raises(SpeechUnavailableError, match="SAPI5"):
        chosen.render("Hello.")


def test_only_native_drivers_are_accepted() -> None:
    with pytest.raises(ValueError, match="not a native pyttsx3 driver"):
        Pyttsx3Engine("espeak")
