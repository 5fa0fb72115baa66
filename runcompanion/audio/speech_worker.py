"""One dedicated worker thread per speech engine, and the set of engines a process can use.

Engines are not thread-safe and some hold per-thread or process-wide state (audio/speech_engine.py), so each
engine is created, used and closed on its own daemon thread and every request reaches it through a queue as a
function of the engine. Engines start on first need, so a session whose cues are all cached never loads one.
A slow engine (Piper) then never holds up a fast one (espeak-ng): they run side by side.
"""

from __future__ import annotations

import functools
import logging
import queue
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from runcompanion.audio.espeak_engine import EspeakEngine, EspeakSlot
from runcompanion.audio.speech_engine import SpeechEngine
from runcompanion.audio.voices import ESPEAK, NSSS, PIPER, SAPI5, VoiceInfo, ordered_voices, platform_engines

__all__ = ["WORKER_THREAD_PREFIX", "EngineWorker", "SpeechEngines", "default_engine_factories"]

log = logging.getLogger(__name__)

T = TypeVar("T")
EngineFactory = Callable[[], SpeechEngine]
_CLOSE_JOIN_S = 30.0
WORKER_THREAD_PREFIX = "runcompanion-speech-"  # + the engine's name


@dataclass(slots=True)
class _Job(Generic[T]):
    work: Callable[[SpeechEngine], T]
    future: Future[T]


class EngineWorker:
    """A daemon thread that owns one engine and runs submitted work on it, in order. Any thread may submit."""

    def __init__(self, name: str, factory: EngineFactory) -> None:
        self.name = name
        self._factory = factory
        self._jobs: queue.Queue[_Job[Any] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._start_error: BaseException | None = None
        self._closed = False

    def start(self) -> None:
        """Start the thread and its engine now; raise the engine's start error (again on later calls)."""
        with self._lock:
            self._ensure_started_locked()

    def submit(self, work: Callable[[SpeechEngine], T]) -> Future[T]:
        future: Future[T] = Future()
        # Under the lock, so a request can never be queued behind the stop marker that close() puts in.
        with self._lock:
            self._ensure_started_locked()
            self._jobs.put(_Job(work, future))
        return future

    def close(self) -> None:
        """Finish queued work, close the engine, stop the thread. Idempotent."""
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
                log.warning("speech worker %s did not stop within %.0f s", self.name, _CLOSE_JOIN_S)

    def _ensure_started_locked(self) -> None:
        if self._closed:
            raise RuntimeError("the speech synthesizer is closed")
        if self._start_error is not None:
            raise self._start_error
        if self._thread is not None:
            if not self._thread.is_alive():
                raise RuntimeError("the speech worker stopped unexpectedly; restart RunCompanion")
            return
        ready: Future[None] = Future()
        thread = threading.Thread(target=self._run, args=(ready,), name=WORKER_THREAD_PREFIX + self.name, daemon=True)
        thread.start()
        try:
            ready.result()
        except BaseException as exc:
            self._start_error = exc
            thread.join()  # it has released whatever it held (the espeak slot) when this returns
            raise
        self._thread = thread

    def _run(self, ready: Future[None]) -> None:
        engine: SpeechEngine | None = None
        try:
            try:
                engine = self._factory()
            except BaseException as exc:
                ready.set_exception(exc)
                return
            ready.set_result(None)
            while (job := self._jobs.get()) is not None:
                if job.future.set_running_or_notify_cancel():
                    try:
                        job.future.set_result(job.work(engine))
                    except Exception as exc:
                        job.future.set_exception(exc)
                del job  # drop any traceback that references the engine before waiting again
        finally:
            if engine is not None:
                engine.close()
            self._fail_leftovers()

    def _fail_leftovers(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None and job.future.set_running_or_notify_cancel():
                job.future.set_exception(RuntimeError("the speech worker stopped"))


def default_engine_factories(
    slot: EspeakSlot, piper_dir: Path | None, platform: str = sys.platform
) -> dict[str, EngineFactory]:
    """The engines this system can offer, in the order they are preferred for a new user: the system's own
    (pyttsx3's native driver), then espeak-ng; Piper when its extra is installed, in a process of its own
    (audio/piper_process.py)."""
    factories: dict[str, EngineFactory] = {}
    for name in platform_engines(platform):
        if name == ESPEAK:
            factories[name] = lambda: EspeakEngine(slot)
        elif name in (SAPI5, NSSS):
            from runcompanion.audio.pyttsx3_engine import Pyttsx3Engine

            factories[name] = functools.partial(Pyttsx3Engine, name)
    if piper_dir is not None:
        from runcompanion.audio.piper_engine import piper_available

        if piper_available():
            from runcompanion.audio.piper_process import PiperProcessEngine

            factories[PIPER] = lambda: PiperProcessEngine(piper_dir)
    return factories


class SpeechEngines:
    """Every engine of the process, each on its own worker, started on first use. Any thread; the blocking
    methods (``voices``, ``all_voices``, ``close``) not on the GUI thread."""

    def __init__(self, factories: Mapping[str, EngineFactory]) -> None:
        self._factories = dict(factories)
        self._workers: dict[str, EngineWorker] = {}
        self._lock = threading.Lock()
        self._closed = False

    @property
    def names(self) -> tuple[str, ...]:
        """Engine names, preferred first."""
        return tuple(self._factories)

    def display_order(self) -> tuple[str, ...]:
        """Piper (natural voices the user added) first, then the system's engines."""
        return tuple(sorted(self._factories, key=lambda name: name != PIPER))

    def worker(self, name: str) -> EngineWorker:
        with self._lock:
            if self._closed:
                raise RuntimeError("the speech synthesizer is closed")
            worker = self._workers.get(name)
            if worker is None:
                factory = self._factories.get(name)
                if factory is None:
                    raise KeyError(name)
                worker = self._workers[name] = EngineWorker(name, factory)
            return worker

    def voices(self, name: str) -> list[VoiceInfo]:
        """The voices of one engine (starting it). Raises its start error."""
        return self.worker(name).submit(lambda engine: engine.voices()).result()

    def all_voices(self) -> tuple[list[VoiceInfo], dict[str, str]]:
        """Every voice of every engine in display order (English first), and each engine that failed, with
        its problem in words."""
        found: list[VoiceInfo] = []
        problems: dict[str, str] = {}
        for name in self.display_order():
            try:
                found.extend(self.voices(name))
            except Exception as exc:
                problems[name] = str(exc)
        return ordered_voices(found, self.display_order()), problems

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers.values())
        for worker in workers:
            worker.close()
