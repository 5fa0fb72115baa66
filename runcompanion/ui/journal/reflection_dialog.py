"""After a run: how it felt, in a minute. Saved as a draft while it is typed, so closing or a crash loses nothing.

A pure view with two callbacks: ``save_draft(form)`` after each pause in typing, ``complete(form)`` on Save.
The same dialog logs a run done without the app (outdoors, say) when ``manual`` is set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from runcompanion.core.mood import AROUSAL, EFFORT, FEELING
from runcompanion.ui.common.scale_buttons import ScaleButtons
from runcompanion.ui.common.widgets import heading, muted, named

MAX_TEXT_CHARS = 100_000
DRAFT_DELAY_MS = 600


@dataclass(frozen=True, slots=True)
class ReflectionForm:
    feeling_before: int | None
    arousal_before: int | None
    feeling_after: int | None
    arousal_after: int | None
    effort: int | None
    prompt: str
    text: str
    tags: tuple[str, ...]
    distance_km: float | None


@dataclass(frozen=True, slots=True)
class ManualRun:
    """What the dialog asks in addition when a run is logged by hand."""

    started_at: dt.datetime  # local, aware
    duration_s: float
    title: str


def parse_tags(text: str) -> tuple[str, ...]:
    """``"treadmill, with Sam,  Morning"`` -> ``("treadmill", "with sam", "morning")``: trimmed, lower, unique."""
    seen: list[str] = []
    for part in text.replace(";", ",").split(","):
        tag = " ".join(part.split()).lower()[:40]
        if tag and tag not in seen:
            seen.append(tag)
    return tuple(seen[:20])


def warm_up() -> None:
    """Make and drop one of each kind of widget the dialog has and the shell does not.

    The first of each kind costs Qt its style and font work once: the dialog's first build took 17-19 ms instead
    of 8, as a run ends. Done at idle, once the services are attached, it takes about 9 ms.
    """
    for widget in (QPlainTextEdit(), QDoubleSpinBox(), QLineEdit(), QDialogButtonBox()):
        widget.deleteLater()


class ReflectionDialog(QDialog):
    """Must be used from the GUI thread."""

    def __init__(
        self,
        *,
        title: str,
        prompt: str,
        initial: ReflectionForm | None,
        save_draft: Callable[[ReflectionForm], object],
        complete: Callable[[ReflectionForm], object],
        manual: bool = False,
        editing: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your reflection")
        self.setMinimumWidth(620)
        # Editing a finished reflection keeps no drafts (a draft would turn it back into an unfinished one), and
        # a run logged by hand has none either: there the second button simply cancels.
        self._keeps_drafts = not (manual or editing)
        self._prompt = prompt
        self._save_draft = save_draft
        self._complete = complete
        self._saved_form: ReflectionForm | None = initial
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.save_draft_now)

        # The form scrolls and the buttons stay: at 480 px high Save is still on screen, and a squeezed dialog
        # scrolls instead of laying labels over the buttons.
        dialog_layout = QVBoxLayout(self)
        dialog_layout.addWidget(heading(title, 16))
        scroll = named(QScrollArea(), "Reflection")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        scroll.setWidget(content)
        dialog_layout.addWidget(scroll, 1)

        self.manual_box: QWidget | None = None
        if manual:
            box = QWidget()
            form = QFormLayout(box)
            self.when = QDateTimeEdit(QDateTime.currentDateTime())
            self.when.setCalendarPopup(True)
            self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
            self.minutes = QSpinBox()
            self.minutes.setRange(1, 600)
            self.minutes.setValue(30)
            self.minutes.setSuffix(" min")
            self.run_title = QLineEdit("Outdoor run")
            self.run_title.setMaxLength(80)
            form.addRow("When", self.when)
            form.addRow("How long", self.minutes)
            form.addRow("What", self.run_title)
            layout.addWidget(box)
            self.manual_box = box

        layout.addWidget(QLabel("Before the run, I felt:"))
        self.feeling_before = ScaleButtons(
            [(v, FEELING.label(v)) for v in FEELING.points],
            "Very bad",
            "Very good",
            signed=True,
            name="Before the run, I felt",
        )
        layout.addWidget(self.feeling_before)
        layout.addWidget(QLabel("Now I feel:"))
        self.feeling_after = ScaleButtons(
            [(v, FEELING.label(v)) for v in FEELING.points], "Very bad", "Very good", signed=True, name="Now I feel"
        )
        layout.addWidget(self.feeling_after)
        layout.addWidget(QLabel("How hard did it feel? (0 rest … 10 maximal)"))
        self.effort = ScaleButtons(
            [(v, EFFORT.label(v)) for v in EFFORT.points], "Rest", "Maximal", name="How hard it felt"
        )
        layout.addWidget(self.effort)
        layout.addWidget(QLabel("How energised do you feel now? (optional)"))
        self.arousal_after = ScaleButtons(
            [(v, AROUSAL.label(v)) for v in AROUSAL.points], "Calm, low", "Fired up", name="How energised now"
        )
        layout.addWidget(self.arousal_after)
        self._arousal_before: int | None = None

        prompt_label = QLabel(prompt)
        prompt_label.setWordWrap(True)
        prompt_label.setObjectName("prompt")
        # A font rather than a style sheet: a style sheet puts the label under Qt's slower style-sheet style,
        # and this dialog opens as a run ends.
        font = QFont(prompt_label.font())
        font.setPixelSize(15)
        font.setItalic(True)
        prompt_label.setFont(font)
        layout.addWidget(prompt_label)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("A few words are plenty.")
        self.text.setMinimumHeight(110)
        self.text.setTabChangesFocus(True)  # Tab goes on to Tags, Distance and Save, as everywhere else
        self.text.setAccessibleName("Reflection")
        layout.addWidget(self.text, 1)

        extra = QFormLayout()
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("for example: morning, treadmill, with Sam")
        self.distance = QDoubleSpinBox()
        self.distance.setRange(0.0, 200.0)
        self.distance.setDecimals(2)
        self.distance.setSuffix(" km")
        self.distance.setSpecialValueText("not recorded")
        extra.addRow("Tags", self.tags)
        extra.addRow("Distance", self.distance)
        layout.addLayout(extra)
        self.status = muted("")
        layout.addWidget(self.status)
        self.tags.setAccessibleName("Tags")
        self.distance.setAccessibleName("Distance")

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save reflection", QDialogButtonBox.ButtonRole.AcceptRole)
        later = "Finish later" if self._keeps_drafts else "Cancel"
        self.later_button = buttons.addButton(later, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        dialog_layout.addWidget(buttons)

        if initial is not None:
            self._fill(initial)
        for scale in (self.feeling_before, self.feeling_after, self.effort, self.arousal_after):
            scale.changed.connect(lambda _v: self._timer.start())
        self.text.textChanged.connect(self._text_changed)
        self.tags.textChanged.connect(lambda _t: self._timer.start())
        self.distance.valueChanged.connect(lambda _v: self._timer.start())
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)
        # Tall enough to show the whole form where the screen allows it; the scroll area takes over below that.
        room = self.screen().availableGeometry().height() - 60
        self.resize(max(620, content.sizeHint().width() + 40), min(content.sizeHint().height() + 130, room))

    def _fill(self, form: ReflectionForm) -> None:
        self.feeling_before.set_value(form.feeling_before)
        self.feeling_after.set_value(form.feeling_after)
        self.effort.set_value(form.effort)
        self.arousal_after.set_value(form.arousal_after)
        self._arousal_before = form.arousal_before
        self.text.setPlainText(form.text)
        self.tags.setText(", ".join(form.tags))
        self.distance.setValue(form.distance_km or 0.0)

    def manual_run(self) -> ManualRun | None:
        if self.manual_box is None:
            return None
        started = self.when.dateTime().toPython()
        assert isinstance(started, dt.datetime)
        return ManualRun(
            started_at=started.astimezone(),
            duration_s=self.minutes.value() * 60.0,
            title=self.run_title.text().strip() or "Run",
        )

    def form(self) -> ReflectionForm:
        distance = self.distance.value()
        return ReflectionForm(
            feeling_before=self.feeling_before.value(),
            arousal_before=self._arousal_before,
            feeling_after=self.feeling_after.value(),
            arousal_after=self.arousal_after.value(),
            effort=self.effort.value(),
            prompt=self._prompt,
            text=self.text.toPlainText()[:MAX_TEXT_CHARS],
            tags=parse_tags(self.tags.text()),
            distance_km=distance if distance > 0 else None,
        )

    def _text_changed(self) -> None:
        if len(self.text.toPlainText()) > MAX_TEXT_CHARS:
            self.status.setText(f"Reflections keep the first {MAX_TEXT_CHARS:,} characters.")
        self._timer.start()

    def save_draft_now(self) -> None:
        """Keep what is there as a draft (also called on close, so nothing typed is lost)."""
        self._timer.stop()
        form = self.form()
        if form != self._saved_form and self._keeps_drafts:
            self._save_draft(form)
            self._saved_form = form
            self.status.setText("Draft saved.")

    def _save(self) -> None:
        self._timer.stop()
        self._complete(self.form())
        self.accept()

    def reject(self) -> None:
        self.save_draft_now()
        super().reject()
