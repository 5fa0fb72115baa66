"""The one way RunCompanion moves work off the GUI thread.

``TaskRunner.run(func, on_success, on_failure)`` runs ``func`` on a worker thread and calls back on the GUI
thread with its result or its exception. Speech synthesis, import/export and backups all go through it, so the
GUI thread never waits on disk or on the speech engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker arrive here queued, on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class _Job(QRunnable, Generic[T]):
    def __init__(self, func: Callable[[], T], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._func = func
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._func()
        except BaseException as exc:
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class TaskRunner(QObject):
    """Runs functions in a small thread pool and reports back on the GUI thread.

    Must be created and used from the GUI thread. ``busy_changed`` carries the number of tasks in flight, so a
    window can show that something is happening and refuse to quit half way through an export.
    """

    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._in_flight: set[_Relay] = set()
        self._closed = False

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    def run(
        self,
        func: Callable[[], T],
        on_success: Callable[[T], Any] | None = None,
        on_failure: Callable[[BaseException], Any] | None = None,
    ) -> None:
        """Run ``func`` on a worker; ``on_success(result)`` or ``on_failure(exc)`` then runs on the GUI thread."""
        self.run_with_progress(lambda _report: func(), None, on_success, on_failure)

    def run_with_progress(
        self,
        func: Callable[[Callable[[int, int], None]], T],
        on_progress: Callable[[int, int], Any] | None,
        on_success: Callable[[T], Any] | None = None,
        on_failure: Callable[[BaseException], Any] | None = None,
    ) -> None:
        """Like ``run``; ``func`` gets a ``report(done, total)`` it may call from the worker, and
        ``on_progress(done, total)`` runs on the GUI thread for each report."""
        relay = _Relay()
        if on_progress is not None:
            relay.progressed.connect(on_progress)
        self._in_flight.add(relay)

        @Slot(object)
        def succeeded(result: Any) -> None:
            self._finish(relay)
            if self._closed:
                return
            if on_success is not None:
                on_success(result)

        @Slot(object)
        def failed(exc: BaseException) -> None:
            self._finish(relay)
            if self._closed:
                log.warning("background task failed while closing: %s", exc)
                return
            if on_failure is not None:
                on_failure(exc)
            else:
                log.error("background task failed", exc_info=exc)

        relay.succeeded.connect(succeeded)
        relay.failed.connect(failed)
        self.busy_changed.emit(len(self._in_flight))
        self._pool.start(_Job(lambda: func(relay.progressed.emit), relay))

    def _finish(self, relay: _Relay) -> None:
        self._in_flight.discard(relay)
        relay.deleteLater()
        self.busy_changed.emit(len(self._in_flight))

    def close(self, timeout_ms: int = 30_000) -> bool:
        """Block until the work in flight is done; from now on no callback runs. Only for shutdown: the
        callbacks would reach windows and services that are closing or gone."""
        self._closed = True
        return self._pool.waitForDone(timeout_ms)
