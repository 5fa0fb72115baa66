"""The speech part of ``runcompanion doctor``: each engine and its voices, and the voice the app will use.

An optional engine that is not installed (Piper) is reported as fine, with how to get it: only the engine that
would speak decides whether speech works.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from runcompanion.cli.doctor_check import Check
from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths

if TYPE_CHECKING:
    from runcompanion.audio.speech_worker import SpeechEngines

PIPER_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices"
TEST_SENTENCE = "Ready when you are."


def engine_fix(engine: str, platform: str = sys.platform) -> str:
    from runcompanion.audio.voices import ESPEAK, NSSS, PIPER, SAPI5, install_hint

    if engine == ESPEAK:
        if platform.startswith("linux"):
            return f"{install_hint(platform)}."
        return f"{install_hint(platform)}, or use the system's own voices (they need nothing more)."
    if engine == SAPI5:
        return (
            "Reinstall RunCompanion (pyttsx3 needs comtypes and pywin32), "
            "or add voices in Windows Settings > Time & language > Speech."
        )
    if engine == NSSS:
        return (
            "Reinstall RunCompanion (pyttsx3 needs pyobjc), "
            "or add voices in System Settings > Accessibility > Spoken Content."
        )
    if engine == PIPER:
        return 'pip install "runcompanion[natural-voice]", then add a voice: runcompanion voices add FILE.onnx'
    return ""


def speech_checks(paths: AppPaths, voice_id: str | None) -> list[Check]:
    """One check per engine, then "Speech engine": the voice ``voice_id`` (None: the default) speaking."""
    from runcompanion.audio.espeak_engine import PROCESS_ESPEAK_SLOT
    from runcompanion.audio.piper_engine import piper_available
    from runcompanion.audio.speech_worker import SpeechEngines, default_engine_factories
    from runcompanion.audio.voices import ENGINE_LABELS, PIPER, is_english

    checks: list[Check] = []
    engines = SpeechEngines(default_engine_factories(PROCESS_ESPEAK_SLOT, paths.voices_dir))
    try:
        for name in engines.display_order():
            label = f"Speech: {ENGINE_LABELS.get(name, name)}"
            try:
                voices = engines.voices(name)
            except Exception as exc:
                checks.append(Check(label, False, str(exc), engine_fix(name)))
                continue
            english = sum(is_english(v) for v in voices)
            if name == PIPER and not voices:
                checks.append(
                    Check(
                        label,
                        True,
                        "installed; no voice added yet",
                        f"Download a voice (.onnx and .onnx.json) from {PIPER_VOICES_URL}, then: "
                        "runcompanion voices add FILE.onnx",
                    )
                )
                continue
            count = f"{len(voices)} voice" + ("" if len(voices) == 1 else "s")
            checks.append(Check(label, True, f"{count}, {english} of them English"))
        if not piper_available():
            checks.append(Check(f"Speech: {ENGINE_LABELS[PIPER]}", True, "not installed (optional)", engine_fix(PIPER)))
        checks.append(_voice_in_use(engines, paths, voice_id))
    finally:
        engines.close()
    return checks


def _voice_in_use(engines: SpeechEngines, paths: AppPaths, voice_id: str | None) -> Check:
    from runcompanion.audio.speech_synthesizer import SpeechSynthesizer
    from runcompanion.audio.voices import ENGINE_LABELS, engine_of
    from runcompanion.audio.wav_cache import WavCache, wav_duration_s

    fix = engine_fix(engine_of(voice_id) if voice_id else engines.names[0] if engines.names else "espeak")
    if voice_id:
        fix = f"Choose another voice in Settings (runcompanion voices lists them). {fix}"
    with tempfile.TemporaryDirectory(prefix="runcompanion-doctor-") as tmp:
        synth = SpeechSynthesizer(WavCache(Path(tmp)), voice_id=voice_id, engines=engines, piper_dir=paths.voices_dir)
        try:
            seconds = wav_duration_s(synth.render(TEST_SENTENCE))
            voices = engines.voices(synth.engine)
        except (UserError, OSError, RuntimeError) as exc:
            return Check("Speech engine", False, f"speech synthesis failed: {exc}", fix)
        finally:
            synth.close()
    used = next((v for v in voices if v.id == synth.resolved_voice), None)
    name = f"{used.name} ({used.id})" if used is not None else str(synth.resolved_voice)
    chosen = "chosen in Settings" if voice_id else "the default"
    return Check(
        "Speech engine",
        True,
        f"{ENGINE_LABELS.get(synth.engine, synth.engine)}, voice {name}, {chosen}, of {len(voices)} voices; "
        f"a test sentence lasts {seconds:.1f} s",
    )
