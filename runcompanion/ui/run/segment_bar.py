"""A progress bar for the whole session: one coloured block per segment, the part done shaded, a marker now."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from runcompanion.ui.common.palette import done_shade, segment_fill


class SegmentBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._blocks: list[tuple[str, float]] = []
        self._total = 0.0
        self._position = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Session progress")

    def sizeHint(self) -> QSize:
        return QSize(400, 28)

    def minimumSizeHint(self) -> QSize:
        return QSize(100, 16)

    def set_segments(self, blocks: list[tuple[str, float]]) -> None:
        """``(kind, duration_s)`` per segment."""
        self._blocks = blocks
        self._total = sum(d for _, d in blocks) or 1.0
        self.update()

    def set_position(self, elapsed_s: float) -> None:
        # Repaint only when the marker moves by a whole pixel: the run screen calls this every frame.
        before = self._pixel(self._position)
        self._position = elapsed_s
        if self._pixel(elapsed_s) != before:
            self.update()

    def _pixel(self, elapsed_s: float) -> int:
        return round(self.width() * min(elapsed_s / self._total, 1.0)) if self._total else 0

    @property
    def blocks(self) -> list[tuple[str, float]]:
        """The segments shown, as (kind, seconds)."""
        return list(self._blocks)

    @property
    def position(self) -> float:
        return self._position

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 3, -1, -3)
        width = rect.width()
        x = rect.left()
        total = self._total or 1.0  # painted before any segments (an empty session in the editor)
        done_x = rect.left() + width * min(self._position / total, 1.0)
        shade_colour = done_shade()
        for kind, duration in self._blocks:
            w = width * duration / total
            block = QRectF(x, rect.top(), max(w - 1.5, 1.0), rect.height())
            painter.fillRect(block, segment_fill(kind))
            if block.left() < done_x:
                shade = QRectF(block.left(), block.top(), min(done_x, block.right()) - block.left(), block.height())
                painter.fillRect(shade, shade_colour)
            x += w
        pen = QPen(self.palette().color(self.foregroundRole()))
        pen.setWidthF(3.0)
        painter.setPen(pen)
        painter.drawLine(int(done_x), int(rect.top()) - 3, int(done_x), int(rect.bottom()) + 3)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.end()
