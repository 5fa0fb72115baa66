"""Process-level plumbing for the GUI: a clean exit on SIGTERM/SIGINT, a log line at the first paint, and
PySide6's import check made without keeping every module's source.

End-to-end tests and the start-up benchmark read the ``first paint`` line from the log, so they measure the
moment a person would first see the window, not the moment ``show()`` was called.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

FIRST_PAINT_MESSAGE = "first paint"


def check_imports_without_keeping_sources() -> bool:
    """Make PySide6's check of every newly imported module without filling ``linecache``. Call once, on the
    main thread, after PySide6 is imported and before the services are; returns whether the check was replaced.

    PySide6 (6.6 to 6.11 at least) looks at each module imported after it for the word "PySide6", to know which
    modules its ``__feature__`` switches may apply to. It reads the source through ``inspect.getsource``, and
    ``linecache`` then keeps every line of every such module for the life of the process: SQLAlchemy, Alembic
    and the services, 21 MB of the app's resident memory two seconds after start (28 MB on a first start).
    Freeing the cache later gives nothing back: the lines sit between the modules' own objects. This makes the
    same decision, with the same answers, from one read of the file that is dropped at once. When PySide6 does
    not work this way (another version), nothing is changed.
    """
    feature: Any = sys.modules.get("shibokensupport.feature")  # PySide6's own module, untyped
    decided = getattr(feature, "pyside_feature_dict", None)
    if feature is None or not isinstance(decided, dict) or not callable(getattr(feature, "feature_imported", None)):
        return False

    def feature_imported(module: object) -> None:
        name = getattr(module, "__name__", None)
        if isinstance(name, str) and name not in decided:
            # 0: may use PySide6, switch features for it; -1: ignore it (what PySide6 itself decides).
            decided[name] = 0 if isinstance(module, ModuleType) and _mentions_pyside(module) else -1

    feature.feature_imported = feature_imported
    return True


def _mentions_pyside(module: ModuleType) -> bool:
    spec = getattr(module, "__spec__", None)
    name = getattr(spec, "name", None) or module.__name__
    get_source = getattr(getattr(module, "__loader__", None), "get_source", None)
    if get_source is None:
        return False
    try:
        source = get_source(name)
    except Exception:
        # No readable source (built in, compiled, a loader that refuses): PySide6 ignores such modules too, and
        # an error here would otherwise fail the import itself.
        return False
    return isinstance(source, str) and "PySide6" in source


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
