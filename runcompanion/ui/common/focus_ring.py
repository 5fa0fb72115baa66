"""A focus ring a keyboard user finds at a glance, in the light and the dark theme.

Fusion marks the focused control with a one-pixel line in a washed-out highlight colour, which was nearly
invisible, worst in the dark theme. This ring is drawn around the control, outside it, in the palette's full
highlight colour (3:1 or better against both themes' backgrounds, as WCAG 2.2 asks of a focus indicator). It is a
QFocusFrame: Qt keeps it over the control as the control moves, resizes or scrolls, and it takes no clicks.
(QFocusFrame, not a style: a Python QProxyStyle would be called for every primitive Qt paints.)

One ring, owned by the main window and handed from control to control. Rings made for each control and
parented to it crashed the layout check now and then (SIGSEGV in a QTabWidget whose tab bar had been
focused): Python's wrappers then tied each ring to a passing widget.

It shows when focus came from the keyboard (Tab, a shortcut), as ``:focus-visible`` does on the web, and not
after a click: the window's WA_KeyboardFocusChange attribute, which Qt sets and clears that way, decides.
"""

from __future__ import annotations

from typing import TypeGuard

import shiboken6
from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QFocusFrame, QWidget

# The band QFocusFrame leaves around the control (Fusion's focus-frame margin) is 2 px; the ring fills it.
RING_PX = 2.0


class FocusRing(QObject):
    """The application's focus ring, around the control that has keyboard focus."""

    def __init__(self, app: QApplication, owner: QWidget) -> None:
        """``owner``: the main window; the ring stops following the focus when it goes."""
        super().__init__(owner)
        self._owner = owner
        self._ring = _Ring(owner)
        # focusChanged, not focusObjectChanged: the latter comes before Qt marks a Tab as a keyboard focus change.
        app.focusChanged.connect(self._focus_changed)

    def widget(self) -> QWidget | None:
        """The control the ring is around, if any."""
        return self._ring.widget() if shiboken6.isValid(self._ring) else None

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # The ring lives among the control's siblings (Qt moves it there), so it goes when their parent goes
        # (a closed dialog): then a new one is made, owned by the main window, never by a passing widget.
        if not shiboken6.isValid(self._owner):
            return  # the main window is gone (the app is closing)
        if not shiboken6.isValid(self._ring):
            self._ring = _Ring(self._owner)
        if _wants_ring(new):
            self._ring.setWidget(_ring_target(new))
        else:
            self._ring.setWidget(None)  # type: ignore[arg-type]  # Qt takes a null widget; the stubs say no
            self._ring.hide()


class _Ring(QFocusFrame):
    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight))
        pen.setWidthF(RING_PX)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = RING_PX / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 4, 4)
        painter.end()


def _ring_target(widget: QWidget) -> QWidget:
    """``widget``, or the nearest container of it the ring fits around: a ring round a part that fills its
    parent (a calendar's grid of days) would be cut off by the parent's edges and not be seen at all."""
    margin = int(RING_PX)
    target = widget
    while True:
        parent = target.parentWidget()
        if parent is None:
            return widget
        if parent.rect().contains(target.geometry().adjusted(-margin, -margin, margin, margin)):
            return target
        if parent.isWindow():
            return widget  # nothing inside the window has room: cut, as it is (the navigation is given room)
        target = parent


def _wants_ring(widget: QObject | None) -> TypeGuard[QWidget]:
    if not isinstance(widget, QWidget) or widget.isWindow():
        return False
    return widget.window().testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
