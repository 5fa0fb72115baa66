"""A row of buttons for a rating scale: one click picks a point, a second click on it clears it.

Used for the Feeling Scale (-5..+5), the Felt Arousal Scale (1..6) and perceived effort (0..10), so a runner
answers with one tap and never has to type a number.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class ScaleButtons(QWidget):
    """``changed`` carries the chosen value, or None when cleared."""

    changed = Signal(object)

    def __init__(
        self,
        points: Sequence[tuple[int, str]],
        low_label: str,
        high_label: str,
        *,
        signed: bool = False,
        button_px: int = 40,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._value: int | None = None
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)  # exclusivity is handled here, so a second click can clear
        self._buttons: dict[int, QPushButton] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(4)
        for value, words in points:
            text = f"{value:+d}" if signed and value != 0 else str(value)
            button = QPushButton(text)
            button.setCheckable(True)
            button.setToolTip(words)
            button.setAccessibleName(f"{text}: {words}")
            button.setMinimumSize(button_px, button_px)
            button.clicked.connect(lambda _checked=False, v=value: self._clicked(v))
            self._group.addButton(button)
            self._buttons[value] = button
            row.addWidget(button)
        outer.addLayout(row)
        ends = QHBoxLayout()
        ends.addWidget(QLabel(low_label))
        ends.addStretch(1)
        ends.addWidget(QLabel(high_label))
        outer.addLayout(ends)

    def value(self) -> int | None:
        return self._value

    def set_value(self, value: int | None) -> None:
        self._value = value if value in self._buttons else None
        # The chosen point is marked with the palette rather than a style sheet: a style sheet here made the
        # run screen's check-in and the reflection dialog slow to show (10-20 ms on the GUI thread).
        plain = self.palette()
        marked = QPalette(plain)
        role = QPalette.ColorRole
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            marked.setColor(group, role.Button, plain.color(group, role.Highlight))
            marked.setColor(group, role.ButtonText, plain.color(group, role.HighlightedText))
        for v, button in self._buttons.items():
            chosen = v == self._value
            button.setChecked(chosen)
            # An empty palette: the button follows the window's, theme switches included.
            button.setPalette(marked if chosen else QPalette())
            font = button.font()
            font.setBold(chosen)
            button.setFont(font)

    def changeEvent(self, event: QEvent) -> None:
        # The theme changed (with a dialog open): mark the chosen point in the new colours.
        if event.type() == QEvent.Type.PaletteChange and self._value is not None:
            self.set_value(self._value)
        super().changeEvent(event)

    def button(self, value: int) -> QPushButton:
        return self._buttons[value]

    def _clicked(self, value: int) -> None:
        self.set_value(None if self._value == value else value)
        self.changed.emit(self._value)
