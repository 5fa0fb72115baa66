"""Settings: voice and cues, units, theme, and where the data lives."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from runcompanion.audio.voices import VoiceInfo
from runcompanion.core.app_settings import AppSettings, Theme
from runcompanion.core.cue_timeline import CueDensity
from runcompanion.core.units import SpeedUnit
from runcompanion.ui.common.item_views import current_follows_selection
from runcompanion.ui.common.widgets import Card, error_text, heading, muted, named, wrapped
from runcompanion.ui.settings.devices_card import DevicesCard
from runcompanion.ui.settings.speech_cache_row import SpeechCacheRow
from runcompanion.ui.settings.voice_picker import VoicePicker

DENSITY_WORDS = {
    CueDensity.OFF: "Off: only what comes next",
    CueDensity.LIGHT: "Light: about every 4 minutes",
    CueDensity.REGULAR: "Regular: about every 2 minutes",
}
THEME_WORDS = {Theme.SYSTEM: "Follow the system", Theme.LIGHT: "Light", Theme.DARK: "Dark"}
UNIT_WORDS = {SpeedUnit.KMH: "Kilometres per hour (km/h)", SpeedUnit.MPH: "Miles per hour (mph)"}


# Narrower than this, the voice row's buttons go under the list: beside it the page needed 706 px of content,
# and at 800x480 (a 626 px page) it scrolled sideways (tests/gui/test_settings_looks.py).
VOICE_ROW_PX = 760


class SettingsPage(QWidget):
    """Emits ``changed`` with the whole new settings value whenever the runner changes anything."""

    changed = Signal(object)  # AppSettings
    preview_voice_requested = Signal()
    add_voice_requested = Signal(object)  # Path of a Piper voice's .onnx file
    open_data_folder_requested = Signal()
    backup_requested = Signal()
    restore_requested = Signal(str)  # backup id

    def __init__(self, data_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = AppSettings()
        self._loading = False

        scroll = named(QScrollArea(self), "Settings")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        page = QVBoxLayout(inner)
        page.setContentsMargins(24, 20, 24, 20)
        page.setSpacing(16)
        page.addWidget(heading("Settings"))

        voice_card = Card("Voice and cues")
        form = QFormLayout()
        self.voice = VoicePicker()
        self.voice.preview_requested.connect(self.preview_voice_requested)
        self.voice.add_requested.connect(self.add_voice_requested)
        self.preview = self.voice.preview
        self.rate = QSpinBox()
        self.rate.setRange(80, 320)
        self.rate.setSuffix(" words per minute")
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.chime = QCheckBox("Chime before each change")
        self.density = QComboBox()
        for d, words in DENSITY_WORDS.items():
            self.density.addItem(words, d.value)
        self.countdown = QSpinBox()
        self.countdown.setRange(0, 30)
        self.countdown.setSuffix(" s before the start")
        form.addRow("Voice", self.voice)
        form.addRow("Speed of speech", self.rate)
        # The slider says its value: a position alone tells nobody how loud "there" is.
        volume_row = QHBoxLayout()
        self.volume_value = QLabel(f"{self.volume.value()} %")
        self.volume_value.setMinimumWidth(self.volume_value.fontMetrics().horizontalAdvance("100 %") + 4)
        self.volume.valueChanged.connect(lambda v: self.volume_value.setText(f"{v} %"))
        self.volume.setAccessibleName("Volume")
        volume_row.addWidget(self.volume, 1)
        volume_row.addWidget(self.volume_value)
        form.addRow("Volume", volume_row)
        form.addRow("", self.chime)
        form.addRow("Mindful and motivating cues", self.density)
        form.addRow("Countdown", self.countdown)
        self.speech_cache = SpeechCacheRow()
        form.addRow("Speech cache", self.speech_cache)
        voice_card.body.addLayout(form)
        page.addWidget(voice_card)

        look_card = Card("Units and look")
        form2 = QFormLayout()
        self.units = QComboBox()
        for u, words in UNIT_WORDS.items():
            self.units.addItem(words, u.value)
        self.theme = QComboBox()
        for t, words in THEME_WORDS.items():
            self.theme.addItem(words, t.value)
        self.remind = QSpinBox()
        self.remind.setRange(0, 240)
        self.remind.setSuffix(" minutes before")
        self.remind.setSpecialValueText("only when it is due")
        # Short: a check box does not wrap, and the longer words made the page scroll sideways at 800x480.
        self.close_to_tray = QCheckBox("Stay in the tray when closed, for reminders")
        self.pace = QLineEdit()
        self.pace.setPlaceholderText("m:ss per km, like 5:30 (empty: 6:00 is used)")
        self.pace_error = error_text()
        self.pace_error.hide()
        self.pace.setAccessibleName("Your 5 km pace, minutes and seconds per kilometre")
        self.pace.setToolTip(
            "Per kilometre. Zwift run workouts (.zwo) give speeds as shares of your race paces: this turns them "
            "into belt speeds when you import or export one."
        )
        form2.addRow("Treadmill speed", self.units)
        form2.addRow("Your 5 km pace", self.pace)
        form2.addRow("", self.pace_error)
        form2.addRow("Theme", self.theme)
        form2.addRow("Remind me", self.remind)
        form2.addRow("", self.close_to_tray)
        look_card.body.addLayout(form2)
        page.addWidget(look_card)
        self.devices = DevicesCard()
        page.addWidget(self.devices)
        _align_labels(form, form2, self.devices.form)

        data_card = Card("Your data")
        data_card.body.addWidget(wrapped(f"Runs, reflections and plans are kept in:\n{data_folder}"))
        data_card.body.addWidget(muted("Nothing leaves this computer."))
        self.open_folder = QPushButton("Open data folder")
        self.open_folder.clicked.connect(self.open_data_folder_requested)
        data_card.body.addWidget(self.open_folder)
        data_card.body.addWidget(
            QLabel("Backups (one a day when the app starts, the last 7 kept, and before updates):")
        )
        self.backups = QListWidget()
        self.backups.setAccessibleName("Backups")
        self.backups.setMaximumHeight(150)
        data_card.body.addWidget(self.backups)
        backup_row = QHBoxLayout()
        self.backup_now = QPushButton("Back up now")
        self.backup_now.clicked.connect(self.backup_requested)
        self.restore_button = QPushButton("Restore the chosen backup…")
        self.restore_button.clicked.connect(self._restore)
        self.restore_button.setEnabled(False)
        self.backups.currentRowChanged.connect(lambda row: self.restore_button.setEnabled(row >= 0))
        current_follows_selection(self.backups)  # a screen reader picks a backup by selecting it
        backup_row.addWidget(self.backup_now)
        backup_row.addWidget(self.restore_button)
        backup_row.addStretch(1)
        data_card.body.addLayout(backup_row)
        page.addWidget(data_card)
        self.voice_status = self.voice.status
        page.addStretch(1)

        self.voice.changed.connect(self._emit)
        for combo in (self.density, self.units, self.theme):
            combo.currentIndexChanged.connect(self._emit)
        self.close_to_tray.toggled.connect(self._emit)
        self.pace.textEdited.connect(self._pace_edited)
        for spin in (self.rate, self.countdown, self.remind):
            spin.valueChanged.connect(self._emit)
        self.volume.valueChanged.connect(self._emit)
        self.speech_cache.limit_changed.connect(self._emit)
        self.chime.toggled.connect(self._emit)
        self.devices.changed.connect(self._emit)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.voice.set_buttons_below(event.size().width() < VOICE_ROW_PX)

    def show_backups(self, backups: list[tuple[str, str]]) -> None:
        """``(id, description)`` per backup, newest first."""
        self.backups.clear()
        for backup_id, words in backups:
            item = QListWidgetItem(words)
            item.setData(Qt.ItemDataRole.UserRole, backup_id)
            self.backups.addItem(item)
        self.restore_button.setEnabled(False)

    def _restore(self) -> None:
        item = self.backups.currentItem()
        if item is not None:
            self.restore_requested.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def set_voices(self, voices: list[VoiceInfo], problems: dict[str, str]) -> None:
        """Every voice of every engine (loaded in the background), in display order, and failed engines."""
        self._loading = True
        self.voice.set_voices(voices, problems)
        self.voice.select(self._settings.voice_id)
        self._loading = False

    def show_settings(self, settings: AppSettings) -> None:
        self._loading = True
        self._settings = settings
        self.voice.select(settings.voice_id)
        self.rate.setValue(settings.rate)
        self.volume.setValue(settings.volume)
        self.chime.setChecked(settings.chime)
        self._select(self.density, settings.density.value)
        self.countdown.setValue(settings.countdown_s)
        self.speech_cache.limit.setValue(settings.speech_cache_mb)
        self._select(self.units, settings.units.value)
        pace = settings.reference_pace_s
        self.pace.setText(f"{pace // 60}:{pace % 60:02d}" if pace else "")
        self._select(self.theme, settings.theme.value)
        self.remind.setValue(settings.remind_before_min)
        self.close_to_tray.setChecked(settings.close_to_tray)
        self.devices.show_settings(settings)
        self._loading = False

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def _pace_s(self) -> int:
        """The pace box in seconds per km: 0 when empty or not (yet) a pace from 2:30 to 15:00."""
        minutes, _, seconds = self.pace.text().strip().partition(":")
        if minutes.isdigit() and len(seconds) == 2 and seconds.isdigit() and int(seconds) < 60:
            value = int(minutes) * 60 + int(seconds)
            return value if 150 <= value <= 900 else 0
        return 0

    def _pace_edited(self, text: str) -> None:
        bad = bool(text.strip()) and not self._pace_s()
        self.pace_error.setText("A pace per km from 2:30 to 15:00, like 5:30." if bad else "")
        self.pace_error.setVisible(bad)
        if not bad:
            self._emit()

    def _emit(self) -> None:
        if self._loading:
            return
        self._settings = self._settings.with_changes(
            voice_id=self.voice.current_id(),
            rate=self.rate.value(),
            volume=self.volume.value(),
            chime=self.chime.isChecked(),
            density=CueDensity(self.density.currentData()),
            countdown_s=self.countdown.value(),
            speech_cache_mb=self.speech_cache.limit.value(),
            units=SpeedUnit(self.units.currentData()),
            reference_pace_s=self._pace_s(),
            theme=Theme(self.theme.currentData()),
            remind_before_min=self.remind.value(),
            close_to_tray=self.close_to_tray.isChecked(),
        )
        self._settings = self.devices.apply(self._settings)
        self.changed.emit(self._settings)


def _align_labels(*forms: QFormLayout) -> None:
    """One label column for the cards' forms, so their fields start at the same x (each form sized its own)."""
    labels: list[QWidget] = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            widget = item.widget() if item is not None else None
            if widget is not None:
                labels.append(widget)
    widest = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(widest)
