"""Small building blocks the pages share, so every page looks like it belongs to the same app.

The window's first frame uses this module, and the first touch of Qt's namespace (``PySide6.QtCore.Qt``) builds
all of its enums at once, about 16 ms. Not only ``Qt.Something`` touches it: so does PySide6's overload check
for QPainter.setPen and setBrush, QPen, and a QColor given where a QBrush is wanted. What the first frame paints
here avoids all of them; ``tests/gui/test_startup.py`` checks that the namespace is still unbuilt at that frame.
"""

from __future__ import annotations

import math
from typing import TypeVar

from PySide6.QtCore import QEvent, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QDateEdit, QFrame, QLabel, QVBoxLayout, QWidget

from runcompanion.ui.common.palette import colours, is_dark, notice_colours

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """``widget`` with an accessible name: for a container that takes focus (a scroll area scrolls by keys, a tab
    widget), which a screen reader otherwise announces as a nameless "filler" (tests/a11y)."""
    widget.setAccessibleName(name)
    return widget


def heading(text: str, size: int = 22) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


class WrappingLabel(QLabel):
    """A word-wrapped label that asks for the height its text needs at its width.

    Inside a form row or a scroll area Qt lays a wrapped label out one line high (the height-for-width answer
    does not reach those layouts), and its second line was cut off at narrow widths.
    """

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.text():
            return
        # QLabel's height-for-width is never less than the minimum height set here: asked with that minimum in
        # place, a hint wrapped to four lines in a narrow window kept four lines' height once the window widened
        # (a gap around its two lines). So the minimum is lifted while asking.
        had = self.minimumHeight()
        self.setMinimumHeight(0)
        need = self.heightForWidth(self.width())
        self.setMinimumHeight(need if need > 0 else had)

    def setText(self, text: str) -> None:
        super().setText(text)
        if not text:
            self.setMinimumHeight(0)  # an emptied hint gives its room back


class ToneLabel(WrappingLabel):
    """A wrapping label in one of the theme's text tones, ``"muted"`` (a hint) or ``"error"`` (a problem), that
    follows theme switches: a colour set once kept the old theme's shade on the new window."""

    def __init__(self, text: str, tone: str) -> None:
        super().__init__(text)
        self._tone = tone
        self.setWordWrap(True)
        self._recolour()

    def _recolour(self) -> None:
        theme = colours(dark=is_dark(self.palette()))
        palette = self.palette()
        wanted = QColor(theme.error if self._tone == "error" else theme.placeholder)
        if palette.color(QPalette.ColorRole.WindowText) != wanted:
            palette.setColor(QPalette.ColorRole.WindowText, wanted)
            self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()


def muted(text: str) -> QLabel:
    return ToneLabel(text, "muted")


def error_text(text: str = "") -> QLabel:
    """A field's problem, in the theme's error colour."""
    return ToneLabel(text, "error")


def wrapped(text: str, *, selectable: bool = True) -> QLabel:
    """A wrapping label whose text can be selected and copied, unless ``selectable`` is false (a label of the
    window's first frame, which must not touch Qt's namespace)."""
    label = WrappingLabel(text)
    label.setWordWrap(True)
    if selectable:
        from PySide6.QtCore import Qt

        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class RoundedPanel(QFrame):
    """A rounded panel in the palette's base colour with a thin border.

    Painted here rather than with a style sheet: a style sheet puts every widget inside the panel under Qt's
    slow style-sheet style, and showing such a panel cost the run screen 10-20 ms (a visible stall).
    """

    RADIUS = 10.0

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        # The border and the inside as two filled shapes, from the palette's own brushes: a pen or a brush set
        # on the painter would cost the first frame 16 ms (see the top of this module).
        outer = QRectF(self.rect())
        painter.fillPath(_rounded(outer, self.RADIUS), palette.brush(QPalette.ColorRole.Mid))
        inner = outer.adjusted(1.0, 1.0, -1.0, -1.0)
        painter.fillPath(_rounded(inner, self.RADIUS - 1.0), palette.brush(QPalette.ColorRole.Base))


def _rounded(rect: QRectF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    return path


class Banner(QLabel):
    """A notice in a rounded amber box, in the theme's notice colours (palette.py), following theme switches.

    Its text may grow (``grow_to``) as far as one line allows: a wrapped notice took its second line from the
    run screen's digits, which at 1280x800 have no pixel to spare.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setContentsMargins(10, 4, 10, 4)
        self._background = QColor()
        self._px = (0, 0)
        self._recolour()

    def grow_to(self, largest_px: int, least_px: int) -> None:
        """Text of ``largest_px`` pixels, or smaller down to ``least_px`` while that keeps it on one line (below
        that it wraps)."""
        self._px = (largest_px, least_px)
        self._fit()

    def _fit(self) -> None:
        largest, least = self._px
        if not largest or not self.text():
            return
        room = self.contentsRect().width() - 2 * self.margin()
        font = QFont(self.font())
        size = largest
        while size > least:
            font.setPixelSize(size)
            if QFontMetrics(font).horizontalAdvance(self.text()) <= room:
                break
            size -= 1
        if self.font().pixelSize() != size:
            font.setPixelSize(size)
            self.setFont(font)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _recolour(self) -> None:
        text_colour, self._background = notice_colours(dark=is_dark(self.palette()))
        palette = self.palette()
        if palette.color(QPalette.ColorRole.WindowText) != text_colour:  # setting it sends PaletteChange again
            palette.setColor(QPalette.ColorRole.WindowText, text_colour)
            self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillPath(_rounded(QRectF(self.rect()), 6.0), self._background)
        painter.end()
        super().paintEvent(event)


class Card(RoundedPanel):
    """A rounded panel with a title, for one topic on a page."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(18, 14, 18, 16)
        self.body.setSpacing(8)
        self.title = heading(title, 14)
        self.body.addWidget(self.title)


def format_minutes(seconds: float) -> str:
    """``"45 min"``, ``"1 h 05 min"``; what people read on a plan."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def format_clock(seconds: float, *, ceil: bool = False) -> str:
    """``"4:05"`` or ``"1:02:03"``. Remaining times round up (``ceil``), so "0:00" means the change is now."""
    total = max(0, math.ceil(seconds - 1e-6) if ceil else math.floor(seconds + 1e-6))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TabLeavingDateEdit(QDateEdit):
    """A date box that Tab leaves. QDateEdit's own Tab walks its day, month and year; with a special value
    ("any day") shown it never got past them, and the keyboard was trapped in the box."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)
