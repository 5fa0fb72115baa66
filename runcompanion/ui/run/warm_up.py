"""A run screen made and shown once at idle after start-up, where nothing appears, and dropped.

The first of each kind of widget costs Qt its style, font and layout work once, and that work fell on the
runner's first Start press: making, showing and dropping one run screen ahead took that turn from 17.8 to 12.5
ms (median of six processes each; docs/benchmarks.md, sixth session). The showing costs 13-20 ms once, while the
window sits idle. ``WA_DontShowOnScreen`` lets Qt polish, lay out and paint the screen without a window on the
desktop.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from PySide6.QtWidgets import QWidget


def warm_up_steps() -> list[Callable[[], object]]:
    """Three steps, each for its own turn of the event loop: make the screen, show it, drop it."""
    made: list[QWidget] = []

    def make() -> None:
        screen_module = import_module("runcompanion.ui.run.screen")  # loaded by then: the preload's first steps
        made.append(screen_module.RunScreen("", [("run", 60.0), ("walk", 60.0)]))

    def show() -> None:
        # Here, not at the top: the launcher loads this module before the first frame, which must not pay for
        # building PySide6's Qt namespace (tests/gui/test_startup.py).
        from PySide6.QtCore import Qt

        screen = made[0]
        screen.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        screen.resize(1280, 800)
        screen.show()

    def drop() -> None:
        screen = made.pop()
        screen.hide()
        screen.deleteLater()

    return [make, show, drop]
