"""Process-level plumbing for the GUI: a clean exit on SIGTERM/SIGINT and a log line at the first paint.

End-to-end tests and the start-up benchmark read the ``first paint`` line from the log, so they measure the
moment a person would first see the window, not the moment ``show()`` was called.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

FIRST_PAINT_MESSAGE = "first paint"


class FirstPaintLogger(QObject):
    """Logs once, when ``widget`` is painted for the first time, with seconds since ``started``.

    ``painted`` is emitted (queued, after the paint has finished) so start-up work can wait for the first frame.
    """

    painted = Signal()

    def __init__(self, widget: QWidget, started: float) -> None:
        super().__init__(widget)
        self._widget = widget
        self._started = started
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            log.info("%s after %.3f s", FIRST_PAINT_MESSAGE, time.monotonic() - self._started)
            QTimer.singleShot(0, self.painted.emit)
        return False


class SignalBridge(QObject):
    """Turns SIGTERM and SIGINT into a call on the GUI thread.

    Python runs signal handlers only when the interpreter gets control, which a Qt event loop may not give it
    for a long time; the wakeup fd makes the loop notice at once.
    """

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._reader, self._writer = os.pipe()
        os.set_blocking(self._reader, False)
        os.set_blocking(self._writer, False)
        self._previous_fd = signal.set_wakeup_fd(self._writer)
        self._previous = {s: signal.signal(s, lambda *_: None) for s in (signal.SIGTERM, signal.SIGINT)}
        self._notifier = QSocketNotifier(self._reader, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        try:
            data = os.read(self._reader, 64)
        except BlockingIOError:
            return
        for signum in data:
            log.info("received signal %d, closing", signum)
            self._on_signal(signum)

    def restore(self) -> None:
        signal.set_wakeup_fd(self._previous_fd)
        for s, handler in self._previous.items():
            signal.signal(s, handler)
        self._notifier.setEnabled(False)
        os.close(self._reader)
        os.close(self._writer)
