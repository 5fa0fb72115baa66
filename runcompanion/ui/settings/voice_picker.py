"""The voice part of Settings: voices grouped by engine, English first, preview, "Add voice…", and a line on
how to get better voices on this system.

The cues are English, so only English voices are listed until "Show all languages" is ticked; each engine's
voices come under its name (a disabled row), in the order ``runcompanion voices`` prints them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from runcompanion.audio.voices import ENGINE_LABELS, VoiceInfo, is_english
from runcompanion.ui.common.widgets import wrapped

DEFAULT_LABEL = "Default (the best English voice here)"


class VoicePicker(QWidget):
    """Emits ``changed`` when the runner picks another voice (its id; "" for the default)."""

    changed = Signal()
    preview_requested = Signal()
    add_requested = Signal(object)  # Path of the chosen .onnx file

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._voices: list[VoiceInfo] = []
        self._selected = ""
        self._filling = False
        self.combo = QComboBox()
        self.combo.setAccessibleName("Voice")
        self.combo.addItem(DEFAULT_LABEL, "")
        self.all_languages = QCheckBox("Show all languages")
        self.preview = QPushButton("Preview voice")
        self.add = QPushButton("Add voice…")
        self.add.setToolTip("Add a Piper voice: its .onnx file, with the .onnx.json beside it")
        self.hint = wrapped("")
        self.status = _StatusLine()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.preview)
        row.addWidget(self.add)
        # Narrow (800x480), Preview and Add voice get a row of their own (set_buttons_below): beside the list they made
        # Settings scroll sideways, with Add voice… cut at the edge.
        # A widget, hidden while empty: an empty row would still take a line's spacing (a gap in the page).
        self._below = QWidget()
        below = QHBoxLayout(self._below)
        below.setContentsMargins(0, 0, 0, 0)
        below.addStretch(1)
        self._below.hide()
        self._button_rows = (row, below)
        self._buttons_below = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self._below)
        layout.addWidget(self.all_languages)
        layout.addWidget(self.status)
        layout.addWidget(self.hint)

        self.combo.currentIndexChanged.connect(self._picked)
        self.all_languages.toggled.connect(lambda _on: self._fill())
        self.preview.clicked.connect(self.preview_requested)
        self.add.clicked.connect(self._choose_file)

    # -- what the controller gives --

    def set_voices(self, voices: list[VoiceInfo], problems: dict[str, str]) -> None:
        """Every voice in display order (``runcompanion voices``' order) and each engine that failed."""
        self._voices = list(voices)
        self._fill()
        self.status.setText(
            " ".join(f"{ENGINE_LABELS.get(engine, engine)}: {problem}" for engine, problem in problems.items())
        )

    def select(self, voice_id: str) -> None:
        self._selected = voice_id
        if voice_id and not self.all_languages.isChecked():
            voice = next((v for v in self._voices if v.id == voice_id), None)
            if voice is not None and not is_english(voice):
                self.all_languages.setChecked(True)  # refills, showing the chosen voice
                return
        self._fill()

    def current_id(self) -> str:
        return self._selected

    def show_hint(self, text: str) -> None:
        self.hint.setText(text)

    def set_buttons_below(self, below: bool) -> None:
        """Preview and Add voice under the list (a narrow window) or beside it."""
        if below != self._buttons_below:
            source, target = self._button_rows if below else self._button_rows[::-1]
            for button in (self.preview, self.add):
                source.removeWidget(button)
                target.addWidget(button)
            self._below.setVisible(below)
            self._buttons_below = below

    # -- internals --

    def _fill(self) -> None:
        self._filling = True
        try:
            self.combo.clear()
            self.combo.addItem(DEFAULT_LABEL, "")
            shown = [v for v in self._voices if self.all_languages.isChecked() or is_english(v)]
            model = self.combo.model()
            engine: str | None = None
            for voice in shown:
                if voice.engine != engine:
                    engine = voice.engine
                    self.combo.addItem(f"— {ENGINE_LABELS.get(engine, engine)} —", None)
                    if isinstance(model, QStandardItemModel):
                        header = model.item(self.combo.count() - 1)
                        if header is not None:
                            header.setEnabled(False)
                label = voice.name
                if voice.quality:
                    label += f", {voice.quality} quality"
                self.combo.addItem(label, voice.id)
                if voice.licence:
                    self.combo.setItemData(
                        self.combo.count() - 1, f"Licence: {voice.licence}", Qt.ItemDataRole.ToolTipRole
                    )
            index = self.combo.findData(self._selected)
            self.combo.setCurrentIndex(max(index, 0))
        finally:
            self._filling = False

    def _picked(self, _index: int) -> None:
        if self._filling:
            return
        data = self.combo.currentData()
        if data is None:  # an engine's heading cannot be chosen; keep the voice there was
            self._fill()
            return
        self._selected = str(data)
        self.changed.emit()

    def _choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "Add a Piper voice", "", "Piper voices (*.onnx)")
        if name:
            self.add_requested.emit(Path(name))


class _StatusLine(QLabel):
    """A status line that is hidden while it says nothing: an empty label still takes a line of the layout,
    which showed as a gap above the hint on better voices."""

    def __init__(self) -> None:
        super().__init__("")
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))
