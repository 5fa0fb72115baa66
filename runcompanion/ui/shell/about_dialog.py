"""About RunCompanion, with the care notice the app owes its users."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from runcompanion import __version__
from runcompanion.core.notices import CARE_NOTICE, PRIVACY_NOTICE
from runcompanion.ui.common.widgets import heading, wrapped


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About RunCompanion")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("RunCompanion", 20))
        layout.addWidget(QLabel(f"Version {__version__}"))
        layout.addWidget(wrapped("A companion for guided runs: spoken cues, treadmill targets and a private journal."))
        care = wrapped(CARE_NOTICE)
        care.setObjectName("careNotice")
        care.setStyleSheet("font-weight: bold;")
        layout.addWidget(care)
        layout.addWidget(wrapped(PRIVACY_NOTICE))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
