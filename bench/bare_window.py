"""The yardstick for start-up: a bare PySide6 window with one label, measured exactly like the app."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

STARTED = time.monotonic()


class _FirstPaint(QObject):
    def __init__(self, window: QMainWindow, out: Path) -> None:
        super().__init__(window)
        self._window = window
        self._out = out
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            self._out.write_text(f"first paint after {time.monotonic() - STARTED:.3f} s\n")
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Hello"))
    window.resize(1100, 720)
    _FirstPaint(window, Path(sys.argv[1]))
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
