"""Settings, Devices: choose, remember and forget a treadmill and a heart-rate strap; treadmill control and its
limits; heart-rate zones. Must be used from the GUI thread; scanning runs elsewhere (``scan_requested``).

Turning treadmill control on is the first use: the card explains what the app will do and asks, and control stays
off unless the runner says yes (docs/devices.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from runcompanion.core.app_settings import AppSettings
from runcompanion.services.devices.bleak_link import FoundDevice
from runcompanion.services.devices.device_session import SIMULATED
from runcompanion.ui.common.widgets import Card, muted, wrapped

CONSENT_TITLE = "Let the app set the treadmill?"
CONSENT_TEXT = (
    "If you say yes, at each change in a run the app sets the treadmill's speed and incline to the segment's "
    "targets, after the heads-up and the countdown.\n\n"
    "• It never goes above the maximum speed and incline you set here.\n"
    "• It speeds up in small steps; slowing down happens at once.\n"
    "• Pausing the run pauses the belt; stopping stops it.\n"
    "• If you change the speed or incline on the treadmill yourself, the app leaves it to you until the next "
    "segment.\n"
    "• If the connection drops, the run goes on and the app sends nothing more.\n\n"
    "Keep the safety key clipped on and your hands near the console's stop button, as always. "
    "You can turn this off here at any time."
)
Ask = Callable[[QWidget, str, str], bool]


def ask_consent(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class DevicesCard(Card):
    """``changed`` fires after any edit (read ``apply``); ``scan_requested`` asks for a Bluetooth scan."""

    changed = Signal()
    scan_requested = Signal()
    check_requested = Signal(str, str)  # treadmill, heart-rate strap: "" / "simulated" / an address

    def __init__(self, ask: Ask = ask_consent, parent: QWidget | None = None) -> None:
        super().__init__("Treadmill and heart rate", parent)
        self._ask = ask
        self._loading = False
        self._agreed = False
        self.body.addWidget(
            muted("Optional: a Bluetooth treadmill (FTMS) and a heart-rate strap. Without them, nothing changes.")
        )
        self.form = form = QFormLayout()  # the settings page lines its label column up with the other cards'
        self.treadmill = QComboBox()
        self.treadmill.setAccessibleName("Treadmill")
        self.heart = QComboBox()
        self.heart.setAccessibleName("Heart-rate strap")
        self.forget_treadmill = QPushButton("Forget")
        self.forget_treadmill.setAccessibleName("Forget the treadmill")
        self.forget_heart = QPushButton("Forget")
        self.forget_heart.setAccessibleName("Forget the heart-rate strap")
        form.addRow("Treadmill", _row(self.treadmill, self.forget_treadmill))
        form.addRow("Heart-rate strap", _row(self.heart, self.forget_heart))
        self.scan = QPushButton("Find devices")
        self.check = QPushButton("Try the connection")
        self.status = wrapped("")
        self.status.setAccessibleName("Devices status")
        form.addRow("", _row(self.scan, self.check, self.status))
        self.control = QCheckBox("Let the app set the treadmill's speed and incline")
        self.max_speed = QSpinBox()
        self.max_speed.setRange(3, 25)
        self.max_speed.setSuffix(" km/h at most")
        self.max_incline = QSpinBox()
        self.max_incline.setRange(0, 15)
        self.max_incline.setSuffix(" % at most")
        form.addRow("", self.control)
        form.addRow("Speed limit", self.max_speed)
        form.addRow("Incline limit", self.max_incline)
        self.age = QSpinBox()
        self.age.setRange(0, 100)
        self.age.setSpecialValueText("not given")
        self.max_hr = QSpinBox()
        self.max_hr.setRange(0, 230)
        self.max_hr.setSpecialValueText("estimate from age")
        self.max_hr.setSuffix(" bpm")
        form.addRow("Age (for heart-rate zones)", self.age)
        form.addRow("Maximum heart rate", self.max_hr)
        self.body.addLayout(form)
        self._settings = AppSettings()
        self._found: list[FoundDevice] = []
        self.show_settings(AppSettings())

        self.scan.clicked.connect(self._scan)
        self.check.clicked.connect(self._check)
        self.forget_treadmill.clicked.connect(lambda: self._forget(self.treadmill))
        self.forget_heart.clicked.connect(lambda: self._forget(self.heart))
        self.control.toggled.connect(self._control_toggled)
        for combo in (self.treadmill, self.heart):
            combo.currentIndexChanged.connect(self._edited)
        for spin in (self.max_speed, self.max_incline, self.age, self.max_hr):
            spin.valueChanged.connect(self._edited)

    # -- in --------------------------------------------------------------------------------------------------------
    def show_settings(self, settings: AppSettings) -> None:
        self._loading = True
        self._settings = settings
        self._agreed = settings.belt_control_agreed
        self._fill(self.treadmill, "treadmill", settings.treadmill, settings.treadmill_name)
        self._fill(self.heart, "heart rate", settings.heart_rate_monitor, settings.heart_rate_monitor_name)
        self.control.setChecked(settings.belt_control and settings.belt_control_agreed)
        self.max_speed.setValue(settings.max_speed_kmh)
        self.max_incline.setValue(settings.max_incline_pct)
        self.age.setValue(settings.age)
        self.max_hr.setValue(settings.max_heart_rate)
        self._loading = False
        self._describe()

    def show_found(self, found: Sequence[FoundDevice]) -> None:
        """A scan's result: the devices join the lists (nothing is chosen for the runner)."""
        self._found = list(found)
        self.scan.setEnabled(True)
        self._loading = True
        self._fill(self.treadmill, "treadmill", *self._current(self.treadmill))
        self._fill(self.heart, "heart rate", *self._current(self.heart))
        self._loading = False
        if found:
            names = ", ".join(f"{d.name} ({d.kind})" for d in found)
            self.status.setText(f"Found: {names}. Choose them above.")
        else:
            self.status.setText("No treadmill or heart-rate strap answered. Is it switched on and awake?")

    def show_state(self, text: str) -> None:
        """What trying the connection found, in words."""
        self.check.setEnabled(True)
        self.status.setText(text)

    def show_problem(self, text: str) -> None:
        """No Bluetooth, or the scan failed: said in words; everything else goes on."""
        self.scan.setEnabled(True)
        self.check.setEnabled(True)
        self.status.setText(text)

    # -- out -------------------------------------------------------------------------------------------------------
    def apply(self, settings: AppSettings) -> AppSettings:
        treadmill, treadmill_name = self._current(self.treadmill)
        heart, heart_name = self._current(self.heart)
        return settings.with_changes(
            treadmill=treadmill,
            treadmill_name=treadmill_name,
            heart_rate_monitor=heart,
            heart_rate_monitor_name=heart_name,
            belt_control=self.control.isChecked(),
            belt_control_agreed=self._agreed,
            max_speed_kmh=self.max_speed.value(),
            max_incline_pct=self.max_incline.value(),
            age=self.age.value(),
            max_heart_rate=self.max_hr.value(),
        )

    # -- inside ----------------------------------------------------------------------------------------------------
    def _fill(self, combo: QComboBox, kind: str, chosen: str, chosen_name: str) -> None:
        combo.clear()
        combo.addItem("None", ("", ""))
        simulated_name = "Simulated treadmill" if kind == "treadmill" else "Simulated heart-rate strap"
        combo.addItem(simulated_name, (SIMULATED, simulated_name))
        seen = {"", SIMULATED}
        if chosen and chosen not in seen:
            combo.addItem(f"{chosen_name or chosen} (remembered)", (chosen, chosen_name))
            seen.add(chosen)
        for device in self._found:
            if device.kind == kind and device.address not in seen:
                combo.addItem(f"{device.name} ({device.address})", (device.address, device.name))
                seen.add(device.address)
        for index in range(combo.count()):
            if combo.itemData(index)[0] == chosen:
                combo.setCurrentIndex(index)

    @staticmethod
    def _current(combo: QComboBox) -> tuple[str, str]:
        data = combo.currentData()
        return (str(data[0]), str(data[1])) if data else ("", "")

    def _scan(self) -> None:
        self.scan.setEnabled(False)
        self.status.setText("Looking for treadmills and heart-rate straps…")
        self.scan_requested.emit()

    def _check(self) -> None:
        treadmill, heart = self._current(self.treadmill)[0], self._current(self.heart)[0]
        if not treadmill and not heart:
            self.status.setText("No device chosen.")
            return
        self.check.setEnabled(False)
        self.status.setText("Connecting…")
        self.check_requested.emit(treadmill, heart)

    def _forget(self, combo: QComboBox) -> None:
        combo.setCurrentIndex(0)

    def _control_toggled(self, on: bool) -> None:
        if self._loading:
            return
        if on and not self._agreed:
            if self._ask(self, CONSENT_TITLE, CONSENT_TEXT):
                self._agreed = True
            else:
                self._loading = True
                self.control.setChecked(False)
                self._loading = False
                return
        self._edited()

    def _edited(self) -> None:
        if self._loading:
            return
        self._describe()
        self.changed.emit()

    def _describe(self) -> None:
        chosen = [self.treadmill.currentText(), self.heart.currentText()]
        chosen = [name for name in chosen if name != "None"]
        if not chosen:
            self.status.setText("No device chosen.")
        else:
            moving = " The app may set the belt." if self.control.isChecked() else " The app only reads the belt."
            self.status.setText(f"Chosen: {', '.join(chosen)}. They connect when a run starts.{moving}")


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QComboBox | QLabel) else 0)
    return holder
