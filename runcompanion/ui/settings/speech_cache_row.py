"""Settings' speech cache row: how much synthesized speech is kept, its size limit, and a way to clear it.

The limit is a setting (``AppSettings.speech_cache_mb``); the page emits it with the rest of the settings, and
``speech_cache_actions`` applies it to the cache. Clearing asks first: with a Piper voice, the speech of an
hour-long session takes minutes to render again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QSpinBox, QVBoxLayout, QWidget

from runcompanion.core.app_settings import SPEECH_CACHE_MAX_MB, SPEECH_CACHE_MIN_MB
from runcompanion.ui.common.widgets import muted

CLEAR_TITLE = "Clear the speech cache?"


class SpeechCacheRow(QWidget):
    """The limit's spin box emits ``limit_changed`` when the runner settles on a value (not on every digit
    typed: 1000 passes through 100 on the way); ``clear_requested`` once the runner confirmed clearing."""

    limit_changed = Signal()
    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._used_bytes = 0
        self.limit = QSpinBox()
        self.limit.setRange(SPEECH_CACHE_MIN_MB, SPEECH_CACHE_MAX_MB)
        self.limit.setSingleStep(50)
        self.limit.setSuffix(" MB at most")
        self.limit.setKeyboardTracking(False)
        self.limit.setAccessibleName("Speech cache size limit, in megabytes")
        self.limit.setToolTip(
            "Spoken cues are kept so that a run starts at once. Past this size the least recently used "
            "speech is removed first."
        )
        self.clear = QPushButton("Clear speech cache…")
        self.clear.setAccessibleName("Clear speech cache")
        self.usage = muted("")
        self.usage.setAccessibleName("Speech cache use")

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.limit)
        row.addWidget(self.clear)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.usage)

        self.limit.valueChanged.connect(lambda _mb: self.limit_changed.emit())
        self.clear.clicked.connect(self._confirm_clear)

    def show_usage(self, used_bytes: int, max_bytes: int) -> None:
        """What the cache holds now and the limit in force (both in bytes)."""
        self._used_bytes = used_bytes
        self.usage.setText(
            f"Holds {used_bytes / 1e6:.1f} MB of speech now, of at most {max_bytes / 1e6:.0f} MB; "
            "the least recently used speech goes first."
        )
        self.clear.setEnabled(used_bytes > 0)

    def _confirm_clear(self) -> None:
        answer = QMessageBox.question(
            self,
            CLEAR_TITLE,
            f"This removes {self._used_bytes / 1e6:.1f} MB of spoken cues. They are made again when a run or a "
            "preview needs them, which takes a while with a natural (Piper) voice.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.clear_requested.emit()
