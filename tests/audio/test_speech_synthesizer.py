"""SpeechSynthesizer with the real engine: libespeak-ng through pyttsx3, no fakes."""

from __future__ import annotations

import logging
import sys
import threading
import wave
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from runcompanion.audio import espeak_engine as synth_module
from runcompanion.audio.speech_engine import SpeechUnavailableError, UnknownVoiceError
from runcompanion.audio.speech_synthesizer import SpeechSynthesizer
from runcompanion.audio.speech_worker import WORKER_THREAD_PREFIX
from runcompanion.audio.voices import VoiceInfo, choose_default_voice, install_hint
from runcompanion.audio.wav_cache import WavCache, wav_duration_s
from runcompanion.core.errors import UserError

if TYPE_CHECKING:
    from .conftest import MakeWav, ReadSamples


def _workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(WORKER_THREAD_PREFIX) and t.is_alive()]


def _assert_app_format(path: Path) -> None:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22050, 1, 2)
        assert wav.getnframes() > 0


def test_renders_real_speech_into_the_cache(
    synth: SpeechSynthesizer, cache: WavCache, read_samples: ReadSamples
) -> None:
    texts = ["Walk for two minutes at five kilometres per hour.", "Now run for one minute."]

    paths = [synth.render(text) for text in texts]

    for text, path in zip(texts, paths, strict=True):
        assert path == cache.path_for(text, None, 165, 1.0, engine="espeak")
        _assert_app_format(path)
        assert wav_duration_s(path) > 0.5
        assert max(abs(s) for s in read_samples(path)) > 3000  # speech, not silence
    assert synth.synthesis_count == 2
    assert sorted(p.name for p in cache.root.iterdir()) == sorted(p.name for p in paths)  # no temp files


def test_second_render_is_a_cache_hit_without_the_engine(synth: SpeechSynthesizer, cache: WavCache) -> None:
    text = "Halfway there. Keep it easy."
    first = synth.render(text)
    content = first.read_bytes()

    assert synth.render(text) == first
    assert synth.synthesis_count == 1
    assert first.read_bytes() == content
    synth.close()

    # A new synthesizer finds the file without ever starting a worker or loading the engine.
    with SpeechSynthesizer(cache) as fresh:
        assert fresh.render(text) == first
        assert fresh.synthesis_count == 0
        assert _workers() == []


def test_render_many_reports_progress_and_renders_each_text_once(synth: SpeechSynthesizer) -> None:
    synth.render("Three.")  # already cached
    calls: list[tuple[int, int]] = []

    result = synth.render_many(
        ["One.", "Three.", "Two.", "One."], progress=lambda done, total: calls.append((done, total))
    )

    assert list(result) == ["One.", "Three.", "Two."]
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert synth.synthesis_count == 3  # "Three." once before, "One." and "Two." once each
    for path in result.values():
        _assert_app_format(path)


def test_render_many_of_nothing(synth: SpeechSynthesizer) -> None:
    calls: list[tuple[int, int]] = []
    assert synth.render_many([], progress=lambda d, t: calls.append((d, t))) == {}
    assert calls == [(0, 0)]
    assert _workers() == []


def test_durations_measure_the_cached_files(synth: SpeechSynthesizer) -> None:
    durations = synth.durations(["Slow down to a walk.", "Well done."])
    assert set(durations) == {"Slow down to a walk.", "Well done."}
    assert durations["Slow down to a walk."] == wav_duration_s(synth.render("Slow down to a walk."))
    assert all(d > 0.5 for d in durations.values())


def test_concurrent_renders_share_one_engine(synth: SpeechSynthesizer) -> None:
    n = 8
    barrier = threading.Barrier(n)
    results: dict[int, tuple[Path, Path]] = {}
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            own = synth.render(f"Runner number {i}, keep going.")
            shared = synth.render("Everyone breathe out slowly.")
            results[i] = (own, shared)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(results) == n
    assert len({own for own, _ in results.values()}) == n
    assert len({shared for _, shared in results.values()}) == 1
    for own, shared in results.values():
        _assert_app_format(own)
        _assert_app_format(shared)
    # One engine on one thread did all the work, and the shared text was synthesized only once.
    assert len(_workers()) == 1
    assert synth.synthesis_count == n + 1


def test_nothing_reaches_stdout(
    synth: SpeechSynthesizer, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=synth_module.__name__)
    print("before")  # the process's stdout itself keeps working: it is not redirected

    synth.render("This sentence must not print anything.")
    synth.voices()
    synth.close()
    print("after")

    captured = capfd.readouterr()
    assert captured.out == "before\nafter\n"
    # The driver did announce the file; the announcement went to the log instead of stdout.
    assert any("Audio saved to" in r.getMessage() for r in caplog.records)


def test_empty_text_is_refused_before_any_work(synth: SpeechSynthesizer) -> None:
    for text in ["", "   ", "\n\t"]:
        with pytest.raises(ValueError, match="empty"):
            synth.render(text)
    with pytest.raises(ValueError, match="empty"):
        synth.render_many(["Fine.", " "])
    with pytest.raises(ValueError, match="NUL"):
        synth.render("bad\x00text")
    with pytest.raises(ValueError, match="Unicode"):
        synth.render("lone \ud800 surrogate")
    assert synth.synthesis_count == 0
    assert _workers() == []


@pytest.mark.parametrize(("rate", "volume"), [(10, 1.0), (900, 1.0), (165, -0.1), (165, 1.5)])
def test_bad_settings_are_refused(cache: WavCache, rate: int, volume: float) -> None:
    with pytest.raises(ValueError, match="speech"):
        SpeechSynthesizer(cache, rate=rate, volume=volume)


def test_rate_and_voice_are_applied_and_keyed(cache: WavCache) -> None:
    text = "Pick up the pace for the next minute."
    with SpeechSynthesizer(cache, rate=120) as slow:
        slow_path = slow.render(text)
    with SpeechSynthesizer(cache, rate=260) as fast:
        fast_path = fast.render(text)
    with SpeechSynthesizer(cache, voice_id="gmw/en-us", rate=260) as american:
        american_path = american.render(text)

    assert len({slow_path, fast_path, american_path}) == 3
    assert wav_duration_s(slow_path) > 1.5 * wav_duration_s(fast_path)
    assert american_path.read_bytes() != fast_path.read_bytes()


def test_voices_lists_the_english_voices(synth: SpeechSynthesizer) -> None:
    voices = {v.id: v for v in synth.voices()}
    assert "gmw/en" in voices
    assert "en-gb" in voices["gmw/en"].languages
    assert "en-us" in voices["gmw/en-us"].languages
    assert voices["gmw/en-us"].name == "English (America)"


def test_default_voice_prefers_british_then_american_english() -> None:
    french = VoiceInfo("roa/fr", "French", ("fr-fr",))
    german = VoiceInfo("gmw/de", "German", ("de",))
    us = VoiceInfo("gmw/en-us", "English (America)", ("en-us",))
    gb = VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",))
    scots = VoiceInfo("gmw/en-gb-scotland", "English (Scotland)", ("en-gb-scotland",))
    caribbean = VoiceInfo("gmw/en-029", "English (Caribbean)", ("en-029",))
    by_id_only = VoiceInfo("en-us", "Some US voice", ())

    assert choose_default_voice([french, scots, us, gb]) == "gmw/en"
    assert choose_default_voice([french, caribbean, scots, us]) == "gmw/en-us"
    assert choose_default_voice([caribbean, scots]) == "gmw/en-gb-scotland"
    assert choose_default_voice([german, caribbean]) == "gmw/en-029"
    assert choose_default_voice([german, by_id_only]) == "en-us"
    assert choose_default_voice([french, german]) is None
    assert choose_default_voice([]) is None


def test_unknown_voice_is_a_user_error(cache: WavCache) -> None:
    with SpeechSynthesizer(cache, voice_id="xx/no-such-voice") as synth:
        with pytest.raises(UnknownVoiceError, match="'xx/no-such-voice' is not installed") as info:
            synth.render("Hello.")
        assert isinstance(info.value, UserError)
        with pytest.raises(UnknownVoiceError):
            synth.start()  # the same answer again, without a second engine
        assert len(_workers()) == 1  # the engine that listed its voices
    assert _workers() == []


def test_missing_espeak_says_how_to_install_it(cache: WavCache, monkeypatch: pytest.MonkeyPatch) -> None:
    # What the process sees when libespeak-ng is not installed: the espeak driver cannot be imported.
    monkeypatch.setitem(sys.modules, "pyttsx3.drivers.espeak", None)
    with SpeechSynthesizer(cache) as synth, pytest.raises(SpeechUnavailableError) as info:
        synth.render("Hello.")
    assert isinstance(info.value, UserError)
    assert str(info.value).startswith("The speech engine could not start")
    assert install_hint() in str(info.value)
    assert "sudo apt-get install espeak-ng" in install_hint("linux")
    assert "brew install espeak-ng" in install_hint("darwin")
    assert "github.com/espeak-ng" in install_hint("win32")


def test_closed_synthesizer_refuses_work_and_frees_the_engine(synth: SpeechSynthesizer, cache: WavCache) -> None:
    cached = synth.render("Before closing.")
    synth.close()
    synth.close()  # idempotent

    assert _workers() == []
    assert synth.render("Before closing.") == cached  # cached files stay available
    with pytest.raises(RuntimeError, match="closed"):
        synth.render("After closing.")
    # libespeak-ng has one process-wide callback: a new engine must get it back and really synthesize.
    with SpeechSynthesizer(cache) as second:
        path = second.render("A new engine after the first one closed.")
        _assert_app_format(path)
        assert second.synthesis_count == 1


def test_only_one_engine_per_process(synth: SpeechSynthesizer, cache: WavCache) -> None:
    synth.start()
    with (
        SpeechSynthesizer(cache, rate=200) as other,
        pytest.raises(RuntimeError, match="another espeak-ng engine is running"),
    ):
        other.render("Two engines at once.")
    assert synth.render("The first one still works.").exists()


def test_incomplete_file_is_not_taken_for_a_finished_one(tmp_path: Path, make_wav: MakeWav) -> None:
    path = make_wav(tmp_path / "speech.wav", [1200] * 22050)
    probe = synth_module._probe_complete_wav(path)
    assert probe is not None
    assert probe[0].frames == 22050
    assert probe[1] == path.stat().st_size

    data = path.read_bytes()
    path.write_bytes(data[:-100])  # the header promises more frames than are there yet
    assert synth_module._probe_complete_wav(path) is None
    path.write_bytes(data[:20])  # not even a whole header
    assert synth_module._probe_complete_wav(path) is None
    make_wav(path, [])  # a valid header with no frames
    assert synth_module._probe_complete_wav(path) is None
