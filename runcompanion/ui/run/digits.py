"""The run screen's remaining time, and the bold pixel-sized fonts its lines use."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy


class DigitsLabel(QLabel):
    """The remaining time: its font grows to fill whatever room the layout leaves it.

    Sizing from the room left, not from the window, keeps every other line on screen on a small display
    while the digits stay as large as they can be.
    """

    SAMPLE = "00:00"

    def __init__(self) -> None:
        super().__init__("")
        self.setObjectName("bigTime")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(80, 40)

    def sizeHint(self) -> QSize:
        return QSize(200, 80)

    def minimumSizeHint(self) -> QSize:
        return QSize(80, 40)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        sample = font(100)
        metrics = QFontMetrics(sample)
        by_height = 100 * self.height() / max(metrics.height(), 1)
        by_width = 100 * self.width() * 0.96 / max(metrics.horizontalAdvance(self.SAMPLE), 1)
        self.setFont(font(int(min(by_height, by_width))))


def font(size_px: int, bold: bool = True) -> QFont:
    font = QFont()
    font.setPixelSize(max(size_px, 8))
    font.setBold(bold)
    return font
