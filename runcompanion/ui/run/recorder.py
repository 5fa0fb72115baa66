"""One guided run's record, written off the GUI thread.

A run is saved when it starts, checkpointed every few seconds and saved again when it ends. Each write is a
short SQLite transaction, but even a short one (1-11 ms, more when a backup or an export holds the file) is a
visible stall on the run screen, so every write goes to a worker. The worker is serial: writes happen in the
order they were asked for, so a checkpoint can never overtake the start that creates the row, nor the end
overtake a checkpoint.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from runcompanion.core.errors import UserError
from runcompanion.ui.common.tasks import TaskRunner

if TYPE_CHECKING:
    from runcompanion.services.run_service import RunEnd, RunProgress
    from runcompanion.services.run_session import RunSession
    from runcompanion.storage.records import RunRecord

log = logging.getLogger(__name__)


class _RowId:
    """The run's id as the worker knows it. Only the worker reads or writes it: the start sets it before any
    later write of the same run runs, because the worker runs one write at a time, in order."""

    value: int | None = None


class RunRecorder(QObject):
    """Saves one run. ``started`` carries the ``RunRecord`` once the row exists; ``saved`` carries the final
    record; ``problem`` carries a sentence for the runner when a write failed (the run itself goes on)."""

    started = Signal(object)
    saved = Signal(object)
    problem = Signal(str)

    def __init__(self, session: RunSession, writer: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._writer = writer
        self._row = _RowId()
        self.record: RunRecord | None = None
        """The latest record the worker handed back (``None`` until the start is saved)."""
        self._waiting: list[Callable[[int], object]] = []
        self._failed = False

    @property
    def run_id(self) -> int | None:
        return None if self.record is None else self.record.id

    def start(self) -> None:
        session, row = self._session, self._row

        def write() -> RunRecord:
            record = session.record_start()
            row.value = record.id
            return record

        self._writer.run(write, self._started, lambda exc: self._fail("This run is not being saved", exc))

    def checkpoint(self, progress: RunProgress) -> None:
        session, row = self._session, self._row

        def write() -> None:
            if row.value is not None:  # the start failed: there is no row to move on
                session.record_checkpoint(row.value, progress)

        self._writer.run(write, None, lambda exc: self._fail("The run's progress could not be saved", exc))

    def finish(self, end: RunEnd) -> None:
        session, row = self._session, self._row

        def write() -> RunRecord | None:
            if row.value is None:
                return None
            return session.record_end(row.value, end)

        self._writer.run(write, self._finished, lambda exc: self._fail("The end of this run could not be saved", exc))

    def write_with_id(self, write: Callable[[int], object], what: str) -> None:
        """Queue ``write(run_id)`` behind the writes asked for so far (the devices' figures); skipped if the
        start failed. ``what`` names it in the banner if it fails."""
        row = self._row

        def run() -> None:
            if row.value is not None:
                write(row.value)

        self._writer.run(run, None, lambda exc: self._fail(what, exc))

    def when_started(self, then: Callable[[int], object]) -> None:
        """Call ``then(run_id)`` once the run's row exists: at once if it does, never if its start failed."""
        if self.record is not None:
            then(self.record.id)
        elif not self._failed:
            self._waiting.append(then)

    def _started(self, record: RunRecord) -> None:
        self.record = record
        log.info("run %d started: %s (seed %s)", record.id, record.session_id, record.seed)
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            then(record.id)
        self.started.emit(record)

    def _finished(self, record: RunRecord | None) -> None:
        if record is None:
            return
        self.record = record
        log.info("run %d %s after %.1f s", record.id, record.status, record.elapsed_s)
        self.saved.emit(record)

    def _fail(self, what: str, exc: BaseException) -> None:
        if self.record is None:
            self._failed = True
            self._waiting.clear()
        log.warning("%s: %s", what, exc)
        reason = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
        self.problem.emit(f"{what}. {reason}")
