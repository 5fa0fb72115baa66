"""A row of buttons for a rating scale: one click picks a point, a second click on it clears it.

Used for the Feeling Scale (-5..+5), the Felt Arousal Scale (1..6) and perceived effort (0..10), so a runner
answers with one tap and never has to type a number.

By keyboard the row behaves like a radio group: one Tab stop (the chosen point, else the first), arrow keys move
and pick, Home/End pick the ends, a digit picks that point ("-" then a digit on a signed scale), Space or Delete
on the chosen point clears it. On the run screen the row takes no focus at all (``focusable=False``): there the
keys belong to the screen, and Space must pause whatever was tapped before.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPalette
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
        name: str = "",
        focusable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._value: int | None = None
        self._focusable = focusable
        self._minus_pending = False
        if name:
            self.setAccessibleName(name)
            self.setAccessibleDescription(f"{low_label} to {high_label}; arrow keys, Home, End or a digit choose")
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
            # Said as a radio button, not a check box: one choice of several. Only the role changes: in a
            # (non-exclusive) group Qt leaves the clicking to the group, so a second click still clears.
            button.setAutoExclusive(True)
            button.setToolTip(words)
            button.setAccessibleName(f"{text}: {words}")
            button.setMinimumSize(button_px, button_px)
            button.installEventFilter(self)
            button.clicked.connect(lambda _checked=False, v=value: self._clicked(v))
            self._group.addButton(button)
            self._buttons[value] = button
            row.addWidget(button)
        outer.addLayout(row)
        ends = QHBoxLayout()
        self._ends = (QLabel(low_label), QLabel(high_label))
        ends.addWidget(self._ends[0])
        ends.addStretch(1)
        ends.addWidget(self._ends[1])
        outer.addLayout(ends)
        self._update_focus_stop()

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
        self._update_focus_stop()

    def set_scale(self, font: QFont, button_px: int) -> None:
        """Text and buttons at this size: the run screen grows its check-in with the window."""
        for v, button in self._buttons.items():
            chosen = QFont(font)
            chosen.setBold(v == self._value)
            button.setFont(chosen)
            button.setMinimumSize(button_px, button_px)
        for label in self._ends:
            label.setFont(font)

    def _update_focus_stop(self) -> None:
        """One Tab stop per scale, as in a radio group: the chosen point, or the first when none is chosen."""
        values = list(self._buttons)
        stop = self._value if self._value is not None else values[0]
        for v, button in self._buttons.items():
            if not self._focusable:
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            else:
                button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if v == stop else Qt.FocusPolicy.ClickFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            value = next((v for v, b in self._buttons.items() if b is watched), None)
            if value is not None and self._key(value, event):
                return True
        return super().eventFilter(watched, event)

    def _key(self, at: int, event: QKeyEvent) -> bool:
        values = list(self._buttons)
        i = values.index(at)
        k = Qt.Key
        key = event.key()
        target: int | None
        if key in (k.Key_Left, k.Key_Up):
            target = values[max(i - 1, 0)]
        elif key in (k.Key_Right, k.Key_Down):
            target = values[min(i + 1, len(values) - 1)]
        elif key == k.Key_Home:
            target = values[0]
        elif key == k.Key_End:
            target = values[-1]
        elif key == k.Key_Minus:
            self._minus_pending = True
            return True
        elif key in (k.Key_Delete, k.Key_Backspace):
            self._pick(None)
            return True
        elif k.Key_0 <= key <= k.Key_9:
            digit = key - k.Key_0
            target = -digit if self._minus_pending else digit
            self._minus_pending = False
            if target not in self._buttons:
                return True
        else:
            self._minus_pending = False
            return False
        self._minus_pending = False
        self._pick(target)
        return True

    def _pick(self, value: int | None) -> None:
        if value == self._value:
            return
        self.set_value(value)
        self.changed.emit(self._value)
        if value is not None and self._focusable:
            self._buttons[value].setFocus(Qt.FocusReason.TabFocusReason)

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
