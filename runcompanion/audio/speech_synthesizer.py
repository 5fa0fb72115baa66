"""Text to speech WAV files in the app's format, with one chosen voice, cached on disk.

The synthesizer turns a cue text into its spoken form (core/spoken_text.py), asks the voice's engine for it on
that engine's own worker (audio/speech_worker.py), converts whatever the engine wrote to 22050 Hz mono 16-bit
(audio/audio_convert.py), trims it to its audible start and a short tail (audio/silence.py) and stores it in
the cache under (engine, voice, rate, volume, spoken text). Files appear in the cache only whole (atomic
rename), so a crash never leaves half a clip under a cached name.

The voice decides the engine (audio/voices.py). With no voice chosen, the default is the first engine that
works: a Piper voice the user added, else the system's own voices (SAPI5, macOS), else espeak-ng, whose
English voice is picked (British, then American, ...).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path

from runcompanion.audio.audio_convert import read_as_app_pcm
from runcompanion.audio.espeak_engine import PROCESS_ESPEAK_SLOT
from runcompanion.audio.silence import trim_silence
from runcompanion.audio.speech_engine import (
    SpeechEngine,
    SpeechSynthesisError,
    SpeechUnavailableError,
    UnknownVoiceError,
    check_text,
)
from runcompanion.audio.speech_worker import SpeechEngines, default_engine_factories
from runcompanion.audio.voices import ESPEAK, PIPER, VoiceInfo, choose_default_voice, engine_of
from runcompanion.audio.wav_cache import WavCache, wav_duration_s
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

DEFAULT_RATE = 165  # words per minute: calm and clear over treadmill noise


class SpeechSynthesizer:
    """Renders cue texts to cached WAV files with one voice, rate and volume.

    ``engines`` is the process's set of engine workers (shared, closed by its owner); without it the
    synthesizer makes its own for the platform and closes it in ``close``. Every public method may be called
    from any thread, but the blocking ones (``start``, ``render``, ``render_many``, ``voices``, ``durations``,
    ``close``) must not be called from the Qt GUI thread: run them through the app's worker helper.
    """

    def __init__(
        self,
        cache: WavCache,
        *,
        voice_id: str | None = None,
        rate: int = DEFAULT_RATE,
        volume: float = 1.0,
        engines: SpeechEngines | None = None,
        piper_dir: Path | None = None,
    ) -> None:
        if not 50 <= rate <= 500:
            raise ValueError(f"speech rate must be 50-500 words per minute, not {rate}")
        if not 0.0 <= volume <= 1.0:
            raise ValueError(f"speech volume must be between 0.0 and 1.0, not {volume}")
        self._cache = cache
        self._voice_id = voice_id or None
        self._rate = rate
        self._volume = volume
        self._owns_engines = engines is None
        self._engines = engines or SpeechEngines(default_engine_factories(PROCESS_ESPEAK_SLOT, piper_dir))
        self._piper_dir = piper_dir
        self._lock = threading.Lock()  # guards the fields below
        self._engine = self._intended_engine()
        self._resolved: str | None = None  # the engine's voice id once the engine has started
        self._start_error: BaseException | None = None
        self._closed = False
        self._synthesis_count = 0

    # -- properties --

    @property
    def voice_id(self) -> str | None:
        """The voice asked for; None: the default voice of the first working engine. In the cache key."""
        return self._voice_id

    @property
    def engine(self) -> str:
        """The engine that speaks (before ``start``: the one expected to)."""
        with self._lock:
            return self._engine

    @property
    def resolved_voice(self) -> str | None:
        """The voice that speaks, once the engine has started (None before)."""
        with self._lock:
            return self._resolved

    @property
    def rate(self) -> int:
        return self._rate

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def synthesis_count(self) -> int:
        """How many files the engines have actually synthesized (cache hits do not count). Any thread."""
        with self._lock:
            return self._synthesis_count

    @property
    def cache(self) -> WavCache:
        return self._cache

    # -- public API --

    def start(self) -> None:
        """Start the voice's engine now instead of on first need. Not the GUI thread.

        Raises SpeechUnavailableError when the engine cannot be loaded and UnknownVoiceError for a voice that
        is not installed; later calls raise the same error again.
        """
        self._ensure_started()

    def key(self, text: str) -> tuple[str, str | None, int, float, str]:
        """The cache key of ``text`` as said by this synthesizer: (spoken text, voice, rate, volume, engine)."""
        return (spoken(text), self._voice_id, self._rate, self._volume, self.engine)

    def cached(self, text: str) -> Path | None:
        """The cached file for ``text`` with this voice, rate and volume, or None. Any thread; no blocking."""
        said, voice, rate, volume, engine = self.key(text)
        return self._cache.lookup(said, voice, rate, volume, engine=engine)

    def render(self, text: str) -> Path:
        """The WAV file for ``text``, synthesizing it if it is not cached. Blocks; not the GUI thread."""
        check_text(text)
        hit = self.cached(text)
        if hit is not None:
            return hit
        path = self._submit(text).result()
        self._cache.enforce_cap()
        return path

    def render_many(self, texts: Iterable[str], progress: Callable[[int, int], None] | None = None) -> dict[str, Path]:
        """Render each distinct text; return {text: file} in first-seen order. Blocks; not the GUI thread.

        ``progress(done, total)`` is called on the calling thread: first ``(0, total)``, then once per text as
        it becomes available (cached texts first), ending with ``(total, total)``. If one text fails, the
        texts not yet started are cancelled and the error is raised.
        """
        distinct = list(dict.fromkeys(texts))
        for text in distinct:
            check_text(text)
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
        futures = [(text, self._submit(text)) for text in missing]
        try:
            for text, future in futures:
                found[text] = future.result()
                done += 1
                if progress is not None:
                    progress(done, total)
        finally:
            for _, future in futures:
                future.cancel()  # no effect on finished or running ones
        if missing:
            self._cache.enforce_cap()
        return {text: found[text] for text in distinct}

    def durations(self, texts: Iterable[str], progress: Callable[[int, int], None] | None = None) -> dict[str, float]:
        """Spoken length in seconds of each distinct text, rendering any not cached. Not the GUI thread."""
        return {text: wav_duration_s(path) for text, path in self.render_many(texts, progress).items()}

    def voices(self) -> list[VoiceInfo]:
        """The voices of this synthesizer's engine (starts it if needed). Blocks briefly; not the GUI thread."""
        self._ensure_started()
        return self._engines.voices(self.engine)

    def close(self) -> None:
        """Stop accepting work; when the engines are the synthesizer's own, finish queued requests and free
        them. Idempotent. Not the GUI thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self._owns_engines:
            self._engines.close()

    def __enter__(self) -> SpeechSynthesizer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- internals --

    def _intended_engine(self) -> str:
        if self._voice_id is not None:
            return engine_of(self._voice_id)
        names = self._engines.names
        if PIPER in names and self._piper_dir is not None:
            from runcompanion.audio.piper_voices import list_piper_voices

            if list_piper_voices(self._piper_dir):
                return PIPER
        return next((n for n in names if n != PIPER), ESPEAK)

    def _ensure_started(self) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("the speech synthesizer is closed")
            if self._start_error is not None:
                raise self._start_error
            if self._resolved is not None:
                return
        try:
            engine, voice = self._resolve()
        except BaseException as exc:
            with self._lock:
                self._start_error = exc
            raise
        with self._lock:
            self._engine, self._resolved = engine, voice

    def _resolve(self) -> tuple[str, str]:
        """(engine, voice id) for this synthesizer, starting engines as needed (the fallback order is the
        engines' preference order: a failing system engine falls back to espeak-ng)."""
        if self._voice_id is not None:
            name = engine_of(self._voice_id)
            if name not in self._engines.names:
                hint = ' Install it with: pip install "runcompanion[natural-voice]"' if name == PIPER else ""
                raise SpeechUnavailableError(f"The voice '{self._voice_id}' needs the {name} engine.{hint}")
            voices = self._engines.voices(name)
            for voice in voices:
                # pyttsx3 lowercases espeak identifiers; accept the id in any case.
                if voice.id.lower() == self._voice_id.lower():
                    return name, voice.id
            raise UnknownVoiceError(
                f"The voice '{self._voice_id}' is not installed. Choose another voice in Settings "
                "(runcompanion voices lists them)."
            )
        first_error: BaseException | None = None
        candidates = [self._engine, *(n for n in self._engines.names if n not in (self._engine, PIPER))]
        for name in candidates:
            try:
                voices = self._engines.voices(name)
            except Exception as exc:
                first_error = first_error or exc
                continue
            chosen = choose_default_voice(voices) or next((v.id for v in voices), None)
            if chosen is not None:
                return name, chosen
        if first_error is not None:
            raise first_error
        raise SpeechUnavailableError("No speech engine on this system offers a voice.")

    def _submit(self, text: str) -> Future[Path]:
        self._ensure_started()
        with self._lock:
            engine, voice = self._engine, self._resolved
        return self._engines.worker(engine).submit(functools.partial(self._synthesize_job, text, voice))

    def _synthesize_job(self, text: str, voice: str | None, engine: SpeechEngine) -> Path:
        """Worker thread. Several requests for one text may be queued; only the first synthesizes."""
        hit = self.cached(text)
        if hit is not None:
            return hit
        said, _, rate, volume, engine_name = self.key(text)
        temp = self._cache.new_temp()
        try:
            engine.synthesize(said, voice, rate, volume, temp)
            pcm = trim_silence(read_as_app_pcm(temp))
            if not pcm:
                raise SpeechSynthesisError(f"The speech engine wrote an empty file for {text!r}.")
            final = self._cache.store_pcm(said, self._voice_id, rate, volume, pcm, engine=engine_name)
        finally:
            self._cache.discard(temp)
        with self._lock:
            self._synthesis_count += 1
        return final
