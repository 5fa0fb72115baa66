"""The run's countdown starts once the run screen is on screen: after its first paint, or soon without one.

Starting the countdown before the screen has painted would count seconds the runner never saw.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

PAINT_WAIT_MS = 250
"""How long the countdown waits for the run screen's first paint: a window that is minimised or hidden in
the tray never paints, and its run must start all the same."""


class _PaintWatch(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then: Callable[[], None] | None = then
        QTimer.singleShot(PAINT_WAIT_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._fire)  # after this paint, not inside it
        return False

    def _fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self._widget.removeEventFilter(self)
            self.deleteLater()
            then()


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Call ``then`` on the turn after ``widget`` first paints, or after ``PAINT_WAIT_MS`` if it never does."""
    widget.installEventFilter(_PaintWatch(widget, then))
