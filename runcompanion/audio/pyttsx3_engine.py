"""The system's own voices through pyttsx3: SAPI5 on Windows, NSSpeechSynthesizer on macOS.

Both drivers synthesize to a file with ``save_to_file`` + ``runAndWait`` (pyttsx3 2.99): SAPI5 writes a WAV
synchronously in whatever format the voice prefers (pyttsx3 sets none), and NSSpeechSynthesizer writes AIFF
whatever the file is called, asynchronously, announcing the end with ``finished-utterance``. The synthesizer
converts either to the app's format (audio/audio_convert.py). The AVSpeech driver has no ``save_to_file``, so
it is not used. Voice, rate (words per minute on both drivers) and volume go through ``engine.setProperty``.

pyttsx3 runs a command at once when its driver proxy is idle, and only queues it when busy. After a first
``runAndWait`` the proxy is idle, so a second ``save_to_file`` would run before ``runAndWait`` and the queued
``endLoop`` would end a loop that has not started yet: the loop that then starts waits for SAPI5's EndStream
event to end it, and a Speak that failed sends none, so it would wait forever. Marking the proxy busy first
makes every utterance the same: properties, ``save_to_file`` and ``endLoop`` run in order inside the loop.

These drivers only run on their own systems. tests/audio/test_pyttsx3_engine.py drives this class through a
stand-in driver module that implements pyttsx3's driver interface (``buildDriver(proxy)`` and the methods the
engine calls) and writes files in the formats the real drivers write.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from runcompanion.audio.speech_engine import SpeechSynthesisError, SpeechUnavailableError
from runcompanion.audio.voices import NSSS, SAPI5, VoiceInfo, local_id, qualified_id

__all__ = ["Pyttsx3Engine"]

log = logging.getLogger(__name__)

_FILE_DEADLINE_S = 20.0
_POLL_S = 0.005
_HEADER_BYTES = {SAPI5: 44, NSSS: 54}  # the smallest complete header of a WAV and of an AIFF


def _default_engine_factory(driver: str) -> Any:
    import pyttsx3

    return pyttsx3.Engine(driver)


class Pyttsx3Engine:
    """A pyttsx3 engine on a native driver ("sapi5" or "nsss"). Worker thread only."""

    def __init__(self, driver: str, engine_factory: Callable[[str], Any] = _default_engine_factory) -> None:
        if driver not in (SAPI5, NSSS):
            raise ValueError(f"not a native pyttsx3 driver: {driver}")
        self.name = driver
        self._finished = threading.Event()
        self._errors: list[BaseException] = []
        self._applied: tuple[str | None, int, float] | None = None
        try:
            self._engine: Any = engine_factory(driver)
        except Exception as exc:
            system = "Windows speech (SAPI5)" if driver == SAPI5 else "macOS speech (NSSpeechSynthesizer)"
            raise SpeechUnavailableError(
                f"{system} could not start ({exc}). Reinstall RunCompanion, or choose an eSpeak NG voice."
            ) from exc
        self._engine.connect("finished-utterance", self._on_finished)
        self._engine.connect("error", self._on_error)

    def _on_finished(self, **_kwargs: object) -> None:
        self._finished.set()

    def _on_error(self, exception: BaseException | None = None, **_kwargs: object) -> None:
        self._errors.append(exception or RuntimeError("unknown speech engine error"))

    def voices(self) -> list[VoiceInfo]:
        voices = []
        for v in self._engine.getProperty("voices"):
            languages = tuple(str(lang) for lang in (v.languages or ()) if lang)
            gender = str(v.gender).lower() if v.gender else None
            if gender is not None:
                gender = gender.removeprefix("voicegender")  # NSSS says "VoiceGenderFemale"
            voices.append(
                VoiceInfo(
                    id=qualified_id(self.name, str(v.id)),
                    name=str(v.name or v.id),
                    languages=languages,
                    engine=self.name,
                    gender=gender,
                )
            )
        return voices

    def _apply(self, voice_id: str | None, rate: int, volume: float) -> None:
        """Queue the properties that changed (the proxy is busy: they run inside the next loop)."""
        if self._applied == (voice_id, rate, volume):
            return
        # Voice first: NSSS resets rate and volume when the voice changes.
        if voice_id is not None:
            self._engine.setProperty("voice", local_id(voice_id))
        self._engine.setProperty("rate", rate)
        self._engine.setProperty("volume", volume)
        self._applied = (voice_id, rate, volume)

    def synthesize(self, text: str, voice_id: str | None, rate: int, volume: float, target: Path) -> None:
        self._engine.proxy.setBusy(True)  # queue, do not run (see the module docstring)
        try:
            self._apply(voice_id, rate, volume)
        except Exception as exc:
            raise SpeechSynthesisError(f"The system voice could not be set up: {exc}") from exc
        self._finished.clear()
        self._errors.clear()
        self._engine.save_to_file(text, str(target))
        try:
            self._engine.runAndWait()
        except Exception as exc:
            raise SpeechSynthesisError(f"The system speech engine failed on {text!r}: {exc}") from exc
        if self._errors:
            raise SpeechSynthesisError(f"The system speech engine failed on {text!r}: {self._errors[0]}")
        self._wait_for_file(text, target)

    def _wait_for_file(self, text: str, target: Path) -> None:
        # SAPI5 has written the whole file when runAndWait returns; NSSS writes it on its own queue and reports
        # "finished-utterance" when done. Either way: a header's worth of bytes and a size that holds still.
        deadline = time.monotonic() + _FILE_DEADLINE_S
        previous = -1
        while True:
            try:
                size = target.stat().st_size
            except OSError:
                size = 0
            if size > _HEADER_BYTES[self.name] and size == previous and (self.name == SAPI5 or self._finished.is_set()):
                return
            previous = size
            if time.monotonic() > deadline:
                raise SpeechSynthesisError(
                    f"The system speech engine did not finish the file for {text!r} within {_FILE_DEADLINE_S:.0f} s."
                )
            time.sleep(_POLL_S)

    def close(self) -> None:
        self._engine = None
