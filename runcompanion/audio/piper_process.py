"""Piper in a process of its own, so that its work never holds the app's GIL.

Piper phonemises each sentence with its own espeak-ng inside a C extension that keeps the GIL (about 6.5 ms a
sentence here), and loading a voice and running onnxruntime hold it in bursts too. On the app's Piper worker
thread that stalled the window: the GUI thread waited up to 5 ms at a time while the next run was rendered
ahead at idle, and a first Start press took 30 ms (docs/benchmarks.md, fifth and sixth sessions). Here the
Piper worker thread (audio/speech_worker.py) still owns the engine and sends it one request at a time, but the
voice is loaded and spoken in a child process, which shares no interpreter with the window.

The child is started with multiprocessing's "spawn" method: forking a process that runs Qt and threads is
unsafe. It loads each voice once, as the in-process engine does (audio/piper_engine.py, which it runs), writes
each file where the synthesizer asked, and answers with "ok" or the error's kind and sentence, so the app
shows the same words as before. It ends when asked to, or when the app's end of the pipe closes (the app
exited or crashed). If the child dies, the request it was on fails with a sentence and the next request
starts a new child.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NoReturn

from runcompanion.audio.piper_voices import list_piper_voices
from runcompanion.audio.speech_engine import SpeechSynthesisError, SpeechUnavailableError, UnknownVoiceError
from runcompanion.audio.voices import PIPER, VoiceInfo
from runcompanion.core.errors import UserError

__all__ = ["PiperProcessEngine"]

_START_TIMEOUT_S = 120.0  # importing onnxruntime and Piper on a slow, busy machine
_POLL_S = 0.5  # how often a wait for the child checks that it is still alive
_STOP_TIMEOUT_S = 10.0
_ERRORS: dict[str, type[Exception]] = {
    cls.__name__: cls for cls in (UnknownVoiceError, SpeechUnavailableError, SpeechSynthesisError, UserError)
}


class PiperChildStoppedError(SpeechSynthesisError):
    """The Piper process ended while it had work; the next request starts it again."""


class PiperProcessEngine:
    """The Piper engine (audio/speech_engine.py) with its voices loaded and spoken in a child process.

    Like every engine it belongs to one worker thread, which is the only one to use the pipe.
    """

    name = PIPER

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._process: Any = None  # multiprocessing's SpawnProcess, not exported for typing
        self._conn: Connection | None = None
        self._start()

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def voices(self) -> list[VoiceInfo]:
        return list_piper_voices(self._folder)  # reads the folder only: no need to ask the child

    def synthesize(self, text: str, voice_id: str | None, rate: int, volume: float, target: Path) -> None:
        self._call("synthesize", text, voice_id, rate, volume, str(target))

    def add(self, model: Path) -> VoiceInfo:
        """Copy a downloaded voice into the folder once it has loaded and said a test sentence (in the child)."""
        info = self._call("add", str(model))
        if not isinstance(info, VoiceInfo):
            raise SpeechSynthesisError(f"The Piper process answered {type(info).__name__} to adding a voice.")
        return info

    def close(self) -> None:
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            with contextlib.suppress(OSError):  # it has gone already
                conn.send(None)
            conn.close()
        if process is not None:
            process.join(_STOP_TIMEOUT_S)
            if process.is_alive():
                process.kill()
                process.join()
            process.close()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=serve, args=(theirs, str(self._folder)), name="runcompanion-piper", daemon=True
        )
        process.start()
        theirs.close()  # only the child holds it now, so its death reads as the pipe's end here
        self._process, self._conn = process, ours
        try:
            reply = self._receive(_START_TIMEOUT_S)
            if reply != ("ready",):
                self._raise(reply)
        except Exception as exc:
            self.close()
            if isinstance(exc, PiperChildStoppedError):
                raise SpeechUnavailableError(f"The Piper voice process could not start: {exc}") from exc
            raise

    def _call(self, op: str, *args: object) -> object:
        if self._conn is None:
            self._start()  # the last child died: start another one
        assert self._conn is not None
        try:
            self._conn.send((op, args))
        except OSError as exc:
            raise self._stopped("stopped") from exc
        reply = self._receive(None)
        if reply[0] == "ok":
            return reply[1]
        self._raise(reply)

    def _receive(self, timeout_s: float | None) -> tuple[Any, ...]:
        """The child's next answer; raises PiperChildStoppedError if it dies or (with a timeout) is silent."""
        assert self._conn is not None
        assert self._process is not None
        waited = 0.0
        while not self._conn.poll(_POLL_S):
            waited += _POLL_S
            if not self._process.is_alive() or (timeout_s is not None and waited >= timeout_s):
                break
        else:
            try:
                reply = self._conn.recv()
            except (EOFError, OSError):
                pass
            else:
                if isinstance(reply, tuple) and reply:
                    return reply
        raise self._stopped("did not answer")

    def _stopped(self, otherwise: str) -> PiperChildStoppedError:
        """Forget a child that stopped or hangs, and the error that says so."""
        assert self._process is not None
        self._process.join(_POLL_S)  # a child that just closed its end is reaped, so its exit code is known
        code = self._process.exitcode
        self._forget_child()
        why = otherwise if code is None else f"stopped (exit code {code})"
        return PiperChildStoppedError(f"The Piper voice process {why}; it starts again for the next cue.")

    def _forget_child(self) -> None:
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join()
            process.close()

    @staticmethod
    def _raise(reply: tuple[Any, ...]) -> NoReturn:
        if len(reply) == 3 and reply[0] == "error":
            raise _ERRORS.get(str(reply[1]), SpeechSynthesisError)(str(reply[2]))
        raise SpeechSynthesisError(f"The Piper voice process answered something unexpected: {reply!r:.200}")


def serve(conn: Connection, folder: str) -> None:
    """The child's loop: one request at a time until told to stop or the app's end of the pipe closes."""
    from runcompanion.audio.piper_engine import PiperEngine

    _settle_child()
    try:
        engine = PiperEngine(Path(folder))
    except Exception as exc:
        conn.send(_error(exc))
        return
    conn.send(("ready",))
    try:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                return  # the app has gone
            if request is None:
                return
            op, args = request
            try:
                if op == "synthesize":
                    text, voice_id, rate, volume, target = args
                    engine.synthesize(text, voice_id, rate, volume, Path(target))
                    result: object = None
                elif op == "add":
                    result = engine.add(Path(args[0]))
                else:
                    raise SpeechSynthesisError(f"The Piper voice process has no request {op!r}.")
            except Exception as exc:
                conn.send(_error(exc))
            else:
                conn.send(("ok", result))
    finally:
        engine.close()


def _error(exc: Exception) -> tuple[str, str, str]:
    # Most specific first (the table's order), so each error arrives as the class the app knows it by.
    kind = next((name for name, cls in _ERRORS.items() if isinstance(exc, cls)), SpeechSynthesisError.__name__)
    return ("error", kind, str(exc) or type(exc).__name__)


def _settle_child() -> None:
    """Speech is rendered ahead or during a countdown: the window and the sound come first on a busy machine.
    Ctrl+C in the terminal reaches the whole process group; the app decides when its child stops."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(5)
