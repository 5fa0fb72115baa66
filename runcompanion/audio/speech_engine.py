"""The one interface every speech engine implements, and the errors they report in words.

An engine object belongs to exactly one worker thread (audio/speech_worker.py): it is created, used and
closed there, so an engine needs no locking of its own and engines that keep per-thread or process-wide state
(libespeak-ng, COM for SAPI5, the Cocoa run loop for NSSpeechSynthesizer) stay on the thread that set it up.
An engine writes each utterance to a file in whatever PCM format it produces; the synthesizer converts that
file to the app's format and trims it (audio/audio_convert.py, audio/silence.py), so engines stay small.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from runcompanion.audio.voices import VoiceInfo
from runcompanion.core.errors import UserError

__all__ = [
    "SpeechEngine",
    "SpeechSynthesisError",
    "SpeechUnavailableError",
    "UnknownVoiceError",
    "check_text",
]


class SpeechUnavailableError(UserError):
    """A speech engine cannot start (its library is missing or broken); the message says how to fix it."""


class UnknownVoiceError(UserError):
    """The configured voice is not installed."""


class SpeechSynthesisError(RuntimeError):
    """The engine started but did not produce a usable file for a text."""


class SpeechEngine(Protocol):
    """One speech engine, owned by one worker thread. Every method runs on that thread only."""

    name: str  # "espeak", "sapi5", "nsss" or "piper" (audio/voices.py)

    def voices(self) -> list[VoiceInfo]:
        """Every voice this engine offers, with engine-qualified ids."""
        ...

    def synthesize(self, text: str, voice_id: str | None, rate: int, volume: float, target: Path) -> None:
        """Say ``text`` into the existing file ``target`` (any PCM WAV or AIFF) and return once it is complete.

        ``voice_id`` is one of ``voices()``' ids, or None for the engine's own default; ``rate`` is in words per
        minute (165 is calm and clear), ``volume`` 0.0-1.0. Raises SpeechSynthesisError with a sentence.
        """
        ...

    def close(self) -> None:
        """Free the engine. Called once, on the worker thread, after the last request."""
        ...


def check_text(text: str) -> None:
    """Refuse a text no engine can say, before any work starts."""
    if not text.strip():
        raise ValueError("cue text is empty")
    # espeak receives a NUL-terminated UTF-8 string: a NUL would cut the text short, a lone surrogate would
    # raise inside the engine loop and leave it stuck.
    if "\x00" in text:
        raise ValueError("cue text contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"cue text is not valid Unicode: {exc}") from exc
