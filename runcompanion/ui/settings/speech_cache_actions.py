"""What Settings' speech cache row asks for, done off the GUI thread: apply a new size limit, clear the cache,
and show what the cache holds."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox

from runcompanion.core.app_settings import AppSettings
from runcompanion.core.errors import UserError
from runcompanion.ui.common.tasks import TaskRunner
from runcompanion.ui.settings.speech_cache_row import SpeechCacheRow

if TYPE_CHECKING:
    from runcompanion.services.cue_service import CueService

log = logging.getLogger(__name__)

MB = 1_000_000
# Stepping the limit down with the arrow keys passes through every value on the way; each would remove speech.
APPLY_DELAY_MS = 800


class SpeechCacheActions(QObject):
    """Keeps the cache's limit in step with the settings and the row in step with the cache.

    ``settings_applied`` is connected to the shell's signal of the same name; ``updated`` carries
    ``(used_bytes, max_bytes)`` each time the row was told what the cache holds.
    """

    updated = Signal(int, int)

    def __init__(self, row: SpeechCacheRow, cues: CueService, tasks: TaskRunner, limit_mb: int) -> None:
        super().__init__(row)
        self._row = row
        self._cues = cues
        self._tasks = tasks
        self._applied_mb = limit_mb  # the composition root built the cache with the saved limit
        self._wanted_mb = limit_mb
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(APPLY_DELAY_MS)
        self._timer.timeout.connect(self._apply)
        row.clear_requested.connect(self.clear)
        self.refresh()

    def settings_applied(self, settings: AppSettings) -> None:
        self._wanted_mb = settings.speech_cache_mb
        if self._wanted_mb != self._applied_mb:
            self._timer.start()

    def refresh(self) -> None:
        self._tasks.run(self._cues.cache_usage, self._show, lambda exc: log.warning("speech cache: %s", exc))

    def clear(self) -> None:
        def failed(exc: BaseException) -> None:
            text = str(exc) if isinstance(exc, UserError) else f"The speech cache could not be cleared: {exc}"
            QMessageBox.warning(self._row, "Speech cache not cleared", text)
            self.refresh()

        self._row.clear.setEnabled(False)
        self._tasks.run(self._cues.clear_cache, self._show, failed)

    def _apply(self) -> None:
        mb = self._wanted_mb
        self._applied_mb = mb

        def failed(exc: BaseException) -> None:
            log.warning("speech cache limit: %s", exc)
            self.refresh()

        self._tasks.run(lambda: self._cues.set_cache_cap(mb * MB), self._show, failed)

    def _show(self, usage: tuple[int, int]) -> None:
        used, cap = usage
        self._row.show_usage(used, cap)
        self.updated.emit(used, cap)
