"""Text to speech WAV files, through one pyttsx3 engine on one worker thread, cached on disk.

Why it is built this way (DESIGN §4, checked against pyttsx3 2.99's espeak driver):

- libespeak-ng keeps process-wide state (it is initialised once per process and has ONE synthesis callback),
  and pyttsx3 engines are not thread-safe. So exactly one daemon thread creates and owns the engine, and every
  request reaches it through a queue. Only one SpeechSynthesizer may run an engine per process at a time.
- One ``save_to_file`` per ``runAndWait``: several queued utterances speak only the last one.
- The driver runs libespeak-ng in its asynchronous "retrieval" mode: ``Synth`` only queues the text, and
  espeak's own thread synthesizes it and calls back (on that thread) to write the file. So ``runAndWait``
  returns before the file is complete, and a file counts only once its header is readable, it holds all the
  frames the header announces (more than zero) and its size has stopped changing; the wait has a deadline.
- The same asynchrony makes ``runAndWait`` racy: it first ends its loop with ``stop()``, which cancels
  whatever is still in espeak's queue when espeak looks busy. Properties set through ``engine.setProperty``
  are queued inside pyttsx3 and sent to espeak in that same ``runAndWait`` just before ``stop()``, so the rate
  or volume was sometimes cancelled (seen: about 1 utterance in 40 came out at the default rate; a file that
  never appeared within the deadline, seen once, was most likely the same race). Hence properties are set
  directly with the driver's static ``setProperty`` once per engine, and before every utterance the worker
  waits until espeak's queue is idle (``espeak_Synchronize``): then ``stop()`` finds nothing to cancel.
- The engine writes to a temp file that is then renamed into the cache, so a crash never leaves a half file
  under a cached name.
- The espeak driver announces every saved file with a bare ``print("Audio saved to ...")``. Nothing may reach
  stdout (``runcompanion cues --json`` must print pure JSON), so the driver module's global name ``print`` is
  bound to a function that logs at DEBUG level. Python resolves a module's globals before builtins, so this
  touches only that one module: no other code's output is affected, and unlike redirecting fd 1 or
  ``sys.stdout`` around the call it is neither process-wide nor racy with other threads printing. If a
  later pyttsx3 stops printing, the binding is simply unused; the stdout test (capfd) catches any new kind
  of output.
- The espeak driver is used on every platform (not SAPI5 or NSSS), because the rest of the audio pipeline
  relies on its 22050 Hz mono 16-bit WAV output.
"""

from __future__ import annotations

import functools
import gc
import importlib
import logging
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from runcompanion.audio.wav_cache import WavCache, wav_duration_s
from runcompanion.audio.wav_io import SAMPLE_RATE, WavInfo, read_info
from runcompanion.core.errors import UserError
from runcompanion.core.spoken_text import spoken

__all__ = [
    "DEFAULT_RATE",
    "SpeechSynthesisError",
    "SpeechSynthesizer",
    "SpeechUnavailableError",
    "UnknownVoiceError",
    "VoiceInfo",
    "choose_default_voice",
]

log = logging.getLogger(__name__)

DEFAULT_RATE = 165  # words per minute: calm and clear over treadmill noise
WORKER_THREAD_NAME = "runcompanion-speech"

_DRIVER_NAME = "espeak"
_DRIVER_MODULE = "pyttsx3.drivers.espeak"
_ESPEAK_MODULE = "pyttsx3.drivers._espeak"  # pyttsx3's ctypes binding of libespeak-ng
# A sentence takes about 10-20 ms; this only bounds a broken engine, it is never waited out normally.
_FILE_DEADLINE_S = 20.0
_POLL_S = 0.002
_CLOSE_JOIN_S = 30.0

# libespeak-ng is a process-wide singleton (one init, one synthesis callback), so only one engine may exist at
# a time. This lock mirrors that: a worker holds it from creating its engine until the engine is gone.
_ENGINE_SLOT = threading.Lock()

T = TypeVar("T")


class SpeechUnavailableError(UserError):
    """The speech engine cannot start (pyttsx3 or the espeak-ng library is missing or broken)."""


class UnknownVoiceError(UserError):
    """The configured voice is not installed."""


class SpeechSynthesisError(RuntimeError):
    """The engine started but did not produce a usable file for a text."""


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    """A voice the engine offers. ``id`` is what ``voice_id`` takes (for espeak-ng, e.g. ``gmw/en-us``)."""

    id: str
    name: str
    languages: tuple[str, ...]


def install_hint(platform: str = sys.platform) -> str:
    """One sentence telling the user how to get espeak-ng on ``platform`` (a ``sys.platform`` value)."""
    if platform.startswith("linux"):
        return "Install espeak-ng: sudo apt-get install espeak-ng"
    if platform == "darwin":
        return "Install espeak-ng: brew install espeak-ng"
    return "Install eSpeak NG from https://github.com/espeak-ng/espeak-ng/releases"


def choose_default_voice(voices: Sequence[VoiceInfo]) -> str | None:
    """Pick an English voice: British, then American, then a regional variant of either, then any English.

    Returns None when there is no English voice, meaning "keep the engine's default".
    """

    def rank(voice: VoiceInfo) -> int | None:
        tags = [lang.lower().replace("_", "-") for lang in voice.languages]
        tags.append(voice.id.lower().rsplit("/", 1)[-1])
        best: int | None = None
        for tag in tags:
            if tag == "en-gb":
                r = 0
            elif tag == "en-us":
                r = 1
            elif tag.startswith(("en-gb-", "en-us-")):
                r = 2
            elif tag == "en" or tag.startswith("en-"):
                r = 3
            else:
                continue
            best = r if best is None else min(best, r)
        return best

    ranked = [(r, i, v.id) for i, v in enumerate(voices) if (r := rank(v)) is not None]
    return min(ranked)[2] if ranked else None


def _check_text(text: str) -> None:
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


def _driver_print(*args: object, **_kwargs: object) -> None:
    """Stands in for ``print`` inside pyttsx3's espeak driver (see the module docstring)."""
    log.debug("pyttsx3: %s", " ".join(str(a) for a in args))


@dataclass(slots=True)
class _Job(Generic[T]):
    work: Callable[[_EngineHost], T]
    future: Future[T]


class _EngineHost:
    """The pyttsx3 engine and what belongs to it. Worker thread only: created, used and closed there."""

    def __init__(self, voice_id: str | None, rate: int, volume: float) -> None:
        self._rate = rate
        self._volume = volume
        self._finished = threading.Event()
        self._errors: list[BaseException] = []
        self._engine: Any = None
        self._driver_class: Any = None
        self._espeak: Any = None
        self._start()
        self.voices: list[VoiceInfo] = self._read_voices()
        self.voice_id = self._resolve_voice(voice_id)
        self._apply_properties()

    def _start(self) -> None:
        try:
            import pyttsx3

            # Importing the driver loads libespeak-ng: this is where a missing library shows up.
            driver = importlib.import_module(_DRIVER_MODULE)
            vars(driver)["print"] = _driver_print
            engine = pyttsx3.Engine(_DRIVER_NAME)
            self._driver_class = driver.EspeakDriver
            self._espeak = importlib.import_module(_ESPEAK_MODULE)
        except Exception as exc:
            raise SpeechUnavailableError(f"The speech engine could not start ({exc}). {install_hint()}.") from exc
        engine.connect("finished-utterance", self._on_finished)
        engine.connect("error", self._on_error)
        self._engine = engine

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
            voices.append(VoiceInfo(id=str(v.id), name=str(v.name or v.id), languages=languages))
        return voices

    def _resolve_voice(self, voice_id: str | None) -> str | None:
        if voice_id is None:
            return choose_default_voice(self.voices)
        for voice in self.voices:
            # pyttsx3 lowercases espeak identifiers; accept the id in any case.
            if voice.id.lower() == voice_id.lower():
                return voice.id
        raise UnknownVoiceError(
            f"The voice '{voice_id}' is not installed. Choose another voice in Settings "
            "(runcompanion doctor lists the installed voices)."
        )

    def _apply_properties(self) -> None:
        # Straight to espeak, not through engine.setProperty (see the module docstring). The voice is set
        # synchronously by espeak while rate and volume go through its queue, so the queue is drained before
        # (the driver's constructor queued its own defaults) and after. They persist for later utterances.
        set_property = self._driver_class.setProperty
        self._wait_until_espeak_idle()
        if self.voice_id is not None:
            set_property("voice", self.voice_id)
        set_property("rate", self._rate)
        set_property("volume", self._volume)
        self._wait_until_espeak_idle()

    def _wait_until_espeak_idle(self) -> None:
        # espeak_Synchronize returns once espeak's queue is empty (it polls every 20 ms while busy).
        self._espeak.Synchronize()

    def synthesize(self, text: str, target: Path) -> None:
        """Write ``text`` as speech into the existing file ``target`` and return once the file is complete."""
        self._wait_until_espeak_idle()
        self._finished.clear()
        self._errors.clear()
        self._engine.save_to_file(text, str(target))
        try:
            self._engine.runAndWait()
        except Exception as exc:
            # A failed runAndWait leaves the engine marked "in loop" for good: replace it.
            self._restart()
            raise SpeechSynthesisError(f"The speech engine failed on {text!r}: {exc}") from exc
        if self._errors:
            raise SpeechSynthesisError(f"The speech engine failed on {text!r}: {self._errors[0]}")
        self._wait_for_file(text, target)

    def _wait_for_file(self, text: str, target: Path) -> None:
        # runAndWait has only queued the text: espeak's thread writes the file when it reaches the end, usually
        # within milliseconds. pyttsx3's wave writer puts the final frame count in the header before the data,
        # so "all announced frames present" plus "size unchanged since the last probe" means it is done.
        deadline = time.monotonic() + _FILE_DEADLINE_S
        previous: int | None = None
        while True:
            probe = _probe_complete_wav(target)
            if probe is not None:
                info, size = probe
                if not info.is_app_format:
                    raise SpeechSynthesisError(
                        f"The speech engine wrote {info.describe()} audio; expected {SAMPLE_RATE} Hz mono 16-bit."
                    )
                if size == previous:
                    return
                previous = size
            if time.monotonic() > deadline:
                reported = "reported the end" if self._finished.is_set() else "never reported the end"
                raise SpeechSynthesisError(
                    f"The speech engine did not finish the file for {text!r} within {_FILE_DEADLINE_S:.0f} s "
                    f"(it {reported} of the utterance)."
                )
            time.sleep(_POLL_S)

    def _restart(self) -> None:
        self.close()
        self._start()
        self._apply_properties()

    def close(self) -> None:
        # Let espeak's thread leave our callback before the engine goes. Dropping the last reference frees the
        # engine now; its driver proxy then clears espeak's callback. That must happen before another engine
        # registers its own callback, hence gc before the slot is free.
        if self._espeak is not None:
            self._wait_until_espeak_idle()
        self._engine = None
        gc.collect()


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


class SpeechSynthesizer:
    """Renders cue texts to cached WAV files with one pyttsx3 engine on one daemon worker thread.

    The worker and its engine start on first need (or on ``start()``), so a session whose cues are all cached
    plays without ever loading espeak. Every public method may be called from any thread, but the blocking
    ones (``start``, ``render``, ``render_many``, ``voices``, ``durations``, ``close``) must not be called
    from the Qt GUI thread: run them through the app's worker helper.
    """

    def __init__(
        self,
        cache: WavCache,
        *,
        voice_id: str | None = None,
        rate: int = DEFAULT_RATE,
        volume: float = 1.0,
    ) -> None:
        if not 50 <= rate <= 500:
            raise ValueError(f"speech rate must be 50-500 words per minute, not {rate}")
        if not 0.0 <= volume <= 1.0:
            raise ValueError(f"speech volume must be between 0.0 and 1.0, not {volume}")
        self._cache = cache
        self._voice_id = voice_id
        self._rate = rate
        self._volume = volume
        self._jobs: queue.Queue[_Job[Any] | None] = queue.Queue()
        self._lock = threading.Lock()  # guards the fields below
        self._thread: threading.Thread | None = None
        self._start_error: BaseException | None = None
        self._closed = False
        self._synthesis_count = 0

    # -- properties --

    @property
    def voice_id(self) -> str | None:
        """The voice asked for; None: an English voice picked when the engine starts. In the cache key."""
        return self._voice_id

    @property
    def rate(self) -> int:
        return self._rate

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def synthesis_count(self) -> int:
        """How many files the engine has actually synthesized (cache hits do not count). Any thread."""
        with self._lock:
            return self._synthesis_count

    # -- public API --

    def start(self) -> None:
        """Start the worker and its engine now instead of on first need. Not the GUI thread (about 30 ms).

        Raises SpeechUnavailableError when espeak-ng cannot be loaded and UnknownVoiceError for a voice that
        is not installed; later calls raise the same error again.
        """
        with self._lock:
            self._ensure_started_locked()

    def cached(self, text: str) -> Path | None:
        """The cached file for ``text`` with this voice, rate and volume, or None. Any thread; no blocking."""
        return self._cache.lookup(text, self._voice_id, self._rate, self._volume)

    def render(self, text: str) -> Path:
        """The WAV file for ``text``, synthesizing it if it is not cached. Blocks; not the GUI thread.

        A cached file is returned at once without touching the engine.
        """
        _check_text(text)
        hit = self.cached(text)
        if hit is not None:
            return hit
        return self._submit(functools.partial(self._synthesize_job, text)).result()

    def render_many(self, texts: Iterable[str], progress: Callable[[int, int], None] | None = None) -> dict[str, Path]:
        """Render each distinct text; return {text: file} in first-seen order. Blocks; not the GUI thread.

        ``progress(done, total)`` is called on the calling thread: first ``(0, total)``, then once per text as
        it becomes available (cached texts first), ending with ``(total, total)``. If one text fails, the
        texts not yet started are cancelled and the error is raised.
        """
        distinct = list(dict.fromkeys(texts))
        for text in distinct:
            _check_text(text)
        total = len(distinct)
        done = 0
        if progress is not None:
            progress(done, total)
        found: dict[str, Path] = {}
        missing: list[str] = []
        for text in distinct:
            hit = self.cached(text)
            if hit is None:
                missing.append(text)
                continue
            found[text] = hit
            done += 1
            if progress is not None:
                progress(done, total)
        # Queue every miss at once so the worker never idles between them.
        futures = [(text, self._submit(functools.partial(self._synthesize_job, text))) for text in missing]
        try:
            for text, future in futures:
                found[text] = future.result()
                done += 1
                if progress is not None:
                    progress(done, total)
        finally:
            for _, future in futures:
                future.cancel()  # no effect on finished or running ones
        return {text: found[text] for text in distinct}

    def durations(self, texts: Iterable[str], progress: Callable[[int, int], None] | None = None) -> dict[str, float]:
        """Spoken length in seconds of each distinct text, rendering any not cached. Not the GUI thread."""
        return {text: wav_duration_s(path) for text, path in self.render_many(texts, progress).items()}

    def voices(self) -> list[VoiceInfo]:
        """The voices the engine offers (starts the engine if needed). Blocks briefly; not the GUI thread."""
        return list(self._submit(lambda host: host.voices).result())

    def close(self) -> None:
        """Finish queued requests, stop the worker and free the engine. Idempotent. Not the GUI thread.

        After close, every request raises RuntimeError; a new SpeechSynthesizer may then start its engine.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._jobs.put(None)
        if thread is not None and thread is not threading.current_thread():
            thread.join(_CLOSE_JOIN_S)
            if thread.is_alive():
                log.warning("speech worker did not stop within %.0f s", _CLOSE_JOIN_S)

    def __enter__(self) -> SpeechSynthesizer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- internals --

    def _ensure_started_locked(self) -> None:
        if self._closed:
            raise RuntimeError("the speech synthesizer is closed")
        if self._start_error is not None:
            raise self._start_error
        if self._thread is not None:
            if not self._thread.is_alive():
                raise RuntimeError("the speech worker stopped unexpectedly; create a new SpeechSynthesizer")
            return
        ready: Future[None] = Future()
        thread = threading.Thread(target=self._run, args=(ready,), name=WORKER_THREAD_NAME, daemon=True)
        thread.start()
        try:
            ready.result()
        except BaseException as exc:
            self._start_error = exc
            # The worker is on its way out; wait until it has given the engine slot back, so a synthesizer
            # created right after this error can start.
            thread.join()
            raise
        self._thread = thread

    def _submit(self, work: Callable[[_EngineHost], T]) -> Future[T]:
        future: Future[T] = Future()
        # Under the lock, so a request can never be queued behind the stop marker that close() puts in.
        with self._lock:
            self._ensure_started_locked()
            self._jobs.put(_Job(work, future))
        return future

    def _synthesize_job(self, text: str, host: _EngineHost) -> Path:
        """Worker thread. Several requests for one text may be queued; only the first synthesizes."""
        final = self._cache.path_for(text, self._voice_id, self._rate, self._volume)
        hit = self.cached(text)
        if hit is not None:
            return hit
        temp = self._cache.new_temp()
        try:
            host.synthesize(spoken(text), temp)
            self._cache.publish(temp, final)
        finally:
            self._cache.discard(temp)  # gone already after a successful publish
        with self._lock:
            self._synthesis_count += 1
        return final

    def _run(self, ready: Future[None]) -> None:
        """The worker thread's body: own the engine, serve jobs in order until the stop marker."""
        if not _ENGINE_SLOT.acquire(blocking=False):
            ready.set_exception(
                RuntimeError(
                    "another SpeechSynthesizer is running in this process; close it first "
                    "(libespeak-ng allows only one engine per process)"
                )
            )
            return
        host: _EngineHost | None = None
        try:
            try:
                host = _EngineHost(self._voice_id, self._rate, self._volume)
            except BaseException as exc:
                ready.set_exception(exc)
                return
            ready.set_result(None)
            self._serve(host)
        finally:
            if host is not None:
                host.close()
            host = None
            gc.collect()
            _ENGINE_SLOT.release()
            self._fail_leftovers()

    def _serve(self, host: _EngineHost) -> None:
        while (job := self._jobs.get()) is not None:
            if not job.future.set_running_or_notify_cancel():
                continue
            try:
                result = job.work(host)
            except Exception as exc:
                job.future.set_exception(exc)
            else:
                job.future.set_result(result)
            # Drop the job (and any traceback that references the engine) before waiting for the next one.
            del job

    def _fail_leftovers(self) -> None:
        # Only reachable if the worker dies abnormally; otherwise nothing can follow the stop marker.
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None and job.future.set_running_or_notify_cancel():
                job.future.set_exception(RuntimeError("the speech worker stopped"))
