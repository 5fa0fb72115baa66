"""Small building blocks the pages share, so every page looks like it belongs to the same app."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


def heading(text: str, size: int = 22) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class Card(QFrame):
    """A rounded panel with a title, for one topic on a page."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#card { background: palette(base); border: 1px solid palette(mid); border-radius: 10px; }"
        )
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
