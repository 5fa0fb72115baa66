"""espeak-ng through pyttsx3's espeak driver: the default engine on Linux and the fallback everywhere.

Why it is built this way (checked against pyttsx3 2.99's espeak driver and libespeak-ng 1.51):

- libespeak-ng keeps process-wide state (it is initialised once per process and has ONE synthesis callback),
  so only one EspeakEngine may exist per process at a time; the engine slot (``EspeakSlot``) enforces that.
- One ``save_to_file`` per ``runAndWait``: several queued utterances speak only the last one.
- The driver runs libespeak-ng in its asynchronous "retrieval" mode: ``Synth`` only queues the text, and
  espeak's own thread synthesizes it and calls back (on that thread) to write the file. So ``runAndWait``
  returns before the file is complete, and a file counts only once its header is readable, it holds all the
  frames the header announces (more than zero) and its size has stopped changing; the wait has a deadline.
- The same asynchrony makes ``runAndWait`` racy: it first ends its loop with ``stop()``, which cancels
  whatever is still in espeak's queue when espeak looks busy. Properties set through ``engine.setProperty``
  are queued inside pyttsx3 and sent to espeak in that same ``runAndWait`` just before ``stop()``, so the rate
  or volume was sometimes cancelled (seen: about 1 utterance in 40 came out at the default rate). Hence
  properties are set directly with the driver's static ``setProperty``, only when they change, and before
  every utterance the engine waits until espeak's queue is idle (``espeak_Synchronize``).
- The espeak driver announces every saved file with a bare ``print("Audio saved to ...")``. Nothing may reach
  stdout (``runcompanion cues --json`` must print pure JSON), so the driver module's global name ``print`` is
  bound to a function that logs at DEBUG level: Python resolves a module's globals before builtins, so this
  touches only that one module and, unlike redirecting fd 1, is neither process-wide nor racy.
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
import time
from pathlib import Path
from typing import Any

from runcompanion.audio.speech_engine import SpeechSynthesisError, SpeechUnavailableError
from runcompanion.audio.voices import ESPEAK, VoiceInfo, install_hint, local_id
from runcompanion.audio.wav_io import WavInfo, read_info
from runcompanion.core.errors import UserError

__all__ = ["PROCESS_ESPEAK_SLOT", "EspeakEngine", "EspeakSlot", "wait_for_complete_wav"]

log = logging.getLogger(__name__)

_DRIVER_MODULE = "pyttsx3.drivers.espeak"
_ESPEAK_MODULE = "pyttsx3.drivers._espeak"  # pyttsx3's ctypes binding of libespeak-ng
# A sentence takes about 10-20 ms; this only bounds a broken engine, it is never waited out normally.
FILE_DEADLINE_S = 20.0
_POLL_S = 0.002


class EspeakSlot:
    """libespeak-ng is a process-wide singleton (one init, one callback): the composition root makes one slot
    and every espeak engine of the process holds it from creation until it is gone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def acquire(self) -> bool:
        return self._lock.acquire(blocking=False)

    def release(self) -> None:
        self._lock.release()


# The one slot of this process. Module-level on purpose: it stands for libespeak-ng's own process-wide state,
# which exists once per process whatever the app's object graph looks like.
PROCESS_ESPEAK_SLOT = EspeakSlot()


def _driver_print(*args: object, **_kwargs: object) -> None:
    """Stands in for ``print`` inside pyttsx3's espeak driver (see the module docstring)."""
    log.debug("pyttsx3: %s", " ".join(str(a) for a in args))


def _probe_complete_wav(path: Path) -> tuple[WavInfo, int] | None:
    """(header, size) when ``path`` is a WAV holding all the frames its header announces (some), else None."""
    try:
        size = path.stat().st_size
        info = read_info(path)
    except (OSError, UserError):
        return None
    if info.frames <= 0:
        return None
    header_bytes = size - info.frames * info.channels * info.sample_width
    # The canonical header is 44 bytes; anything less means the data is not all there yet.
    return (info, size) if header_bytes >= 44 else None


def wait_for_complete_wav(text: str, target: Path, finished: threading.Event, deadline_s: float) -> None:
    """Return once ``target`` holds a complete WAV whose size has stopped changing; raise after the deadline."""
    deadline = time.monotonic() + deadline_s
    previous: int | None = None
    while True:
        probe = _probe_complete_wav(target)
        if probe is not None:
            size = probe[1]
            if size == previous:
                return
            previous = size
        if time.monotonic() > deadline:
            reported = "reported the end" if finished.is_set() else "never reported the end"
            raise SpeechSynthesisError(
                f"The speech engine did not finish the file for {text!r} within {deadline_s:.0f} s "
                f"(it {reported} of the utterance)."
            )
        time.sleep(_POLL_S)


class EspeakEngine:
    """The pyttsx3 espeak engine. Worker thread only (audio/speech_engine.py)."""

    name = ESPEAK

    def __init__(self, slot: EspeakSlot) -> None:
        if not slot.acquire():
            raise RuntimeError(
                "another espeak-ng engine is running in this process; close it first "
                "(libespeak-ng allows only one engine per process)"
            )
        self._slot: EspeakSlot | None = slot
        self._finished = threading.Event()
        self._errors: list[BaseException] = []
        self._engine: Any = None
        self._driver_class: Any = None
        self._espeak: Any = None
        self._applied: tuple[str | None, int, float] | None = None
        try:
            self._start()
            self._voices = self._read_voices()
        except BaseException:
            self.close()
            raise

    def _start(self) -> None:
        try:
            import pyttsx3

            # Importing the driver loads libespeak-ng: this is where a missing library shows up.
            driver = importlib.import_module(_DRIVER_MODULE)
            vars(driver)["print"] = _driver_print
            engine = pyttsx3.Engine(ESPEAK)
            self._driver_class = driver.EspeakDriver
            self._espeak = importlib.import_module(_ESPEAK_MODULE)
        except Exception as exc:
            raise SpeechUnavailableError(f"The speech engine could not start ({exc}). {install_hint()}.") from exc
        engine.connect("finished-utterance", self._on_finished)
        engine.connect("error", self._on_error)
        self._engine = engine
        self._applied = None

    def _on_finished(self, **_kwargs: object) -> None:
        self._finished.set()

    def _on_error(self, exception: BaseException | None = None, **_kwargs: object) -> None:
        self._errors.append(exception or RuntimeError("unknown speech engine error"))

    def _read_voices(self) -> list[VoiceInfo]:
        voices = []
        for v in self._engine.getProperty("voices"):
            languages = tuple(
                lang.decode("utf-8", "replace") if isinstance(lang, bytes) else str(lang)
                for lang in (v.languages or ())
            )
            gender = str(v.gender).lower() if getattr(v, "gender", None) else None
            voices.append(
                VoiceInfo(id=str(v.id), name=str(v.name or v.id), languages=languages, engine=ESPEAK, gender=gender)
            )
        return voices

    def voices(self) -> list[VoiceInfo]:
        return list(self._voices)

    def _apply(self, voice_id: str | None, rate: int, volume: float) -> None:
        # Straight to espeak, not through engine.setProperty (see the module docstring). The voice is set
        # synchronously by espeak while rate and volume go through its queue, so the queue is drained before
        # and after. They persist for later utterances, so they are only sent when they change.
        if self._applied == (voice_id, rate, volume):
            return
        set_property = self._driver_class.setProperty
        self._wait_until_idle()
        if voice_id is not None:
            set_property("voice", local_id(voice_id))
        set_property("rate", rate)
        set_property("volume", volume)
        self._wait_until_idle()
        self._applied = (voice_id, rate, volume)

    def _wait_until_idle(self) -> None:
        # espeak_Synchronize returns once espeak's queue is empty (it polls every 20 ms while busy).
        self._espeak.Synchronize()

    def synthesize(self, text: str, voice_id: str | None, rate: int, volume: float, target: Path) -> None:
        self._apply(voice_id, rate, volume)
        self._wait_until_idle()
        self._finished.clear()
        self._errors.clear()
        self._engine.save_to_file(text, str(target))
        try:
            self._engine.runAndWait()
        except Exception as exc:
            # A failed runAndWait leaves the engine marked "in loop" for good: replace it.
            self._release_engine()
            self._start()
            raise SpeechSynthesisError(f"The speech engine failed on {text!r}: {exc}") from exc
        if self._errors:
            raise SpeechSynthesisError(f"The speech engine failed on {text!r}: {self._errors[0]}")
        wait_for_complete_wav(text, target, self._finished, FILE_DEADLINE_S)

    def _release_engine(self) -> None:
        # Let espeak's thread leave our callback before the engine goes. Dropping the last reference frees the
        # engine now; its driver proxy then clears espeak's callback. That must happen before another engine
        # registers its own callback, hence gc before the slot is free.
        if self._espeak is not None and self._engine is not None:
            self._wait_until_idle()
        self._engine = None
        gc.collect()

    def close(self) -> None:
        self._release_engine()
        if self._slot is not None:
            self._slot.release()
            self._slot = None
