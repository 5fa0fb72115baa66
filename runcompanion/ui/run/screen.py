"""The treadmill screen: readable from two metres. Remaining time in huge digits, what to do now, what next.

A pure view: the run controller feeds it ``RunView`` values and listens to its signals. Keys: Space
pause/resume, Right skip, Left back, Esc stop, M mute, +/- volume, F11 full screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QFontMetrics,
    QKeyEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from runcompanion.core.coach_texts import source_line
from runcompanion.ui.common.palette import is_dark, segment_text
from runcompanion.ui.common.widgets import Banner
from runcompanion.ui.run.checkin_panel import COMPACT_BELOW_PX, CheckinPanel, control_height_px, control_text_px
from runcompanion.ui.run.digits import DigitsLabel
from runcompanion.ui.run.digits import font as _font
from runcompanion.ui.run.segment_bar import SegmentBar


@dataclass(frozen=True, slots=True)
class RunView:
    """Everything the screen shows at one moment, already in words."""

    phase: str  # "countdown", "running", "paused", "finished", "stopped"
    big_time: str  # "4:05", or the countdown number
    now_kind: str  # segment kind, for the colour
    now_title: str  # "Run"
    now_targets: str  # "8.0 km/h · incline 1 %"
    next_line: str  # "Next: Walk 1:30 · 5.5 km/h" / "Last one: Cool-down"
    elapsed_line: str  # "12:04 of 20:00"
    segment_line: str  # "Segment 4 of 19"
    position_s: float


@dataclass(frozen=True, slots=True)
class RunSummary:
    finished: bool
    title: str  # "Well done" / "You stopped early, and that's fine"
    lines: list[str]


class RunScreen(QWidget):
    """Must be used from the GUI thread. Signals carry nothing; the controller knows the run."""

    pause_toggled = Signal()
    skip_requested = Signal()
    back_requested = Signal()
    stop_requested = Signal()
    mute_toggled = Signal()
    volume_step = Signal(int)  # +5 / -5
    fullscreen_toggled = Signal()
    reflect_requested = Signal()
    close_requested = Signal()
    checkin_changed = Signal(object, object)  # feeling (-5..5 or None), arousal (1..6 or None)

    def __init__(self, session_name: str, blocks: list[tuple[str, float]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runScreen")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Guided run")  # it holds the focus (so its keys always work): a reader says this
        self.setAutoFillBackground(True)

        self.pages = QStackedWidget()
        self._live = QWidget()
        self._summary_page = QWidget()
        self.pages.addWidget(self._live)
        self.pages.addWidget(self._summary_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        live = QVBoxLayout(self._live)
        live.setContentsMargins(28, 16, 28, 14)
        live.setSpacing(6)

        top = QHBoxLayout()
        self.session_label = QLabel(session_name)
        self.elapsed_label = QLabel("")
        self.elapsed_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Muted is a state the runner must see from the belt, not a word on a small button.
        self.muted_label = QLabel("Sound off · M to unmute")
        self.muted_label.setObjectName("mutedIndicator")
        self.muted_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.muted_label.hide()
        top.addWidget(self.session_label, 1)
        top.addWidget(self.muted_label)
        top.addWidget(self.elapsed_label)
        live.addLayout(top)

        self.banner = Banner()
        self.banner.setObjectName("banner")
        self.banner.hide()
        live.addWidget(self.banner)

        self.now_label = QLabel("")
        self.now_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.targets_label = QLabel("")
        self.targets_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time_label = DigitsLabel()
        self.next_label = QLabel("")
        self.next_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_label.setWordWrap(True)
        # What the treadmill and the strap report, beside the targets; hidden without devices.
        self.live_label = QLabel("")
        self.live_label.setObjectName("liveFigures")
        self.live_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.live_label.setAccessibleName("Treadmill and heart rate")
        self.live_label.hide()
        live.addWidget(self.now_label)
        live.addWidget(self.targets_label)
        live.addWidget(self.live_label)
        live.addWidget(self.time_label, 1)
        live.addWidget(self.next_label)

        # The ten-second check-in: one tap each, never required, gone once the run is under way.
        self.checkin = CheckinPanel()
        self.feeling = self.checkin.feeling
        self.arousal = self.checkin.arousal
        self.feeling.changed.connect(lambda _v: self.checkin_changed.emit(self.feeling.value(), self.arousal.value()))
        self.arousal.changed.connect(lambda _v: self.checkin_changed.emit(self.feeling.value(), self.arousal.value()))
        live.addWidget(self.checkin)

        self.bar = SegmentBar()
        self.bar.set_segments(blocks)
        live.addWidget(self.bar)
        self.segment_label = QLabel("")
        live.addWidget(self.segment_label)

        self.caption = QLabel("")
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        live.addWidget(self.caption)
        # A science cue's source under its words: the ear gets the finding, the eye who found it.
        self.cue_source = QLabel("")
        self.cue_source.setObjectName("cue_source")
        # One line, so the digits keep their room: the source is authors, year and journal, never the title.
        self.cue_source.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.cue_source.setAlignment(Qt.AlignmentFlag.AlignCenter)
        live.addWidget(self.cue_source)

        self.preparing = QProgressBar()
        self.preparing.setObjectName("preparing")
        self.preparing.setTextVisible(True)
        self.preparing.setFormat("Preparing the voice… %v of %m")
        self.preparing.hide()
        live.addWidget(self.preparing)

        buttons = QHBoxLayout()
        self.pause_button = QPushButton("Pause (Space)")
        self.back_button = QPushButton("◀ Back")
        self.skip_button = QPushButton("Skip ▶")
        self.stop_button = QPushButton("Stop (Esc)")
        self.mute_button = QPushButton("Mute (M)")
        for b in (self.pause_button, self.back_button, self.skip_button, self.mute_button, self.stop_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the screen, not to a focused button
            b.setMinimumHeight(36)
            buttons.addWidget(b)
        self.pause_button.clicked.connect(self.pause_toggled)
        self.back_button.clicked.connect(self.back_requested)
        self.skip_button.clicked.connect(self.skip_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        self.mute_button.clicked.connect(self.mute_toggled)
        self.keys_hint = QLabel("Space pause · ← back · → skip · Esc stop · M mute · +/− volume · F11 full screen")
        self.keys_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        live.addLayout(buttons)
        live.addWidget(self.keys_hint)

        summary = QVBoxLayout(self._summary_page)
        summary.setContentsMargins(48, 40, 48, 40)
        self.summary_title = QLabel("")
        self.summary_title.setWordWrap(True)
        self.summary_body = QLabel("")
        self.summary_body.setWordWrap(True)
        self.summary_body.setTextFormat(Qt.TextFormat.PlainText)
        self.reflect_button = QPushButton("Write a short reflection")
        self.reflect_button.setMinimumHeight(48)
        self.reflect_button.clicked.connect(self.reflect_requested)
        self.done_button = QPushButton("Back to Today")
        self.done_button.setMinimumHeight(48)
        self.done_button.clicked.connect(self.close_requested)
        self.summary_bar = SegmentBar()
        self.summary_bar.set_segments(blocks)
        summary.addWidget(self.summary_title)
        summary.addSpacing(12)
        summary.addWidget(self.summary_body)
        summary.addSpacing(12)
        summary.addWidget(self.summary_bar)
        summary.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.reflect_button)
        row.addWidget(self.done_button)
        row.addStretch(1)
        summary.addLayout(row)

        self._kind = "free"
        self._announced = ""
        self._phase = "countdown"
        self._compact = False
        self._apply_fonts()

    # --- what the controller calls ------------------------------------------------------------------------
    def show_view(self, view: RunView) -> None:
        self._phase = view.phase
        if view.now_kind != self._kind:
            self._kind = view.now_kind
            self._apply_colours()
        self._set(self.time_label, view.big_time)
        self._set(self.now_label, view.now_title)
        self._set(self.targets_label, view.now_targets)
        self._set(self.next_label, view.next_line)
        self._set(self.elapsed_label, view.elapsed_line)
        self._set(self.segment_label, view.segment_line)
        self.pause_button.setText("Resume (Space)" if view.phase == "paused" else "Pause (Space)")
        if view.now_title != self._announced and view.phase in ("running", "paused"):
            self._announced = view.now_title
            # A screen reader says each new segment, as the voice does: the screen's big words change silently.
            QAccessible.updateAccessibility(
                QAccessibleAnnouncementEvent(self, f"{view.now_title}. {view.now_targets}".strip(" ."))
            )
        self.bar.set_position(view.position_s)

    def show_checkin(self, visible: bool) -> None:
        if self.checkin.isVisible() != visible:
            self.checkin.setVisible(visible)
            # On a small screen the check-in takes the place of the lines it would otherwise crowd out.
            for label in (self.next_label, self.caption, self.cue_source):
                label.setVisible(not (visible and self._compact))

    def show_preparing(self, done: int, total: int) -> None:
        """Speech being rendered for this run; hidden once ``done`` reaches ``total``."""
        self.preparing.setMaximum(max(total, 1))
        self.preparing.setValue(min(done, total))
        self.preparing.setVisible(done < total)

    def show_caption(self, text: str, source: str = "") -> None:
        """The cue being said; ``source`` is a science cue's authors, year and journal (shown, not said)."""
        self.caption.setText(text)
        self.caption.setAccessibleName(text)
        self.caption.setAccessibleDescription(f"Source: {source}" if source else "")
        self.cue_source.setText(source_line(source))
        self.cue_source.setAccessibleName(f"Source: {source}" if source else "")

    def show_live(self, text: str) -> None:
        """The devices' figures ("Belt 8.5 km/h · 2.0 % · 1.23 km · ♥ 142"); empty hides the line."""
        self._set(self.live_label, text)
        self.live_label.setVisible(bool(text))

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def set_muted(self, muted: bool) -> None:
        self.mute_button.setText("Unmute (M)" if muted else "Mute (M)")
        self.muted_label.setVisible(muted)

    def show_summary(self, summary: RunSummary) -> None:
        self.summary_bar.set_position(self.bar.position)
        self.summary_title.setText(summary.title)
        self.summary_body.setText("\n".join(summary.lines))
        self.pages.setCurrentWidget(self._summary_page)
        self.reflect_button.setFocus()

    @property
    def showing_summary(self) -> bool:
        return self.pages.currentWidget() is self._summary_page

    # --- looks ----------------------------------------------------------------------------------------------
    @staticmethod
    def _set(label: QLabel, text: str) -> None:
        if label.text() != text:  # setText relayouts even when nothing changed; this runs every frame
            label.setText(text)

    def _apply_colours(self) -> None:
        dark = is_dark(self.palette())
        palette = self.now_label.palette()
        # A palette, not a style sheet: this runs at every segment change, and a style sheet re-polishes.
        palette.setColor(QPalette.ColorRole.WindowText, segment_text(self._kind, dark=dark))
        self.now_label.setPalette(palette)

    def _apply_fonts(self) -> None:
        # Font pixel sizes are shares of the screen height: the digits (cap height ~0.73 of the pixel size) then
        # stand taller than a fifth of the window, readable from a treadmill two metres away.
        h = max(self.height(), 300)
        compact = h < COMPACT_BELOW_PX
        # On a small screen the lines meant for the hand, not the eye, make room for the digits.
        self.keys_hint.setVisible(not compact)
        self.segment_label.setVisible(not compact)
        for b in (self.pause_button, self.back_button, self.skip_button, self.mute_button, self.stop_button):
            b.setMinimumHeight(control_height_px(h))
        self._compact = compact
        self.now_label.setFont(_font(int(h * 0.07)))
        self.targets_label.setFont(_font(int(h * 0.045)))
        self.live_label.setFont(_font(int(h * 0.045)))
        self.next_label.setFont(_font(int(h * 0.035), bold=False))
        self.caption.setFont(_font(int(h * 0.03), bold=False))
        self.cue_source.setFont(_font(max(int(h * 0.024), 14), bold=False))  # 26 px at 1080: read from 2 m
        # Lines whose text changes get a fixed height of two lines, so a longer cue or next line never takes
        # room from the digits: they kept changing size between segments and after Left.
        fixed = ((self.next_label, 1 if compact else 2), (self.caption, 2 if compact else 3), (self.cue_source, 1))
        for label, lines in fixed:
            label.setFixedHeight(lines * QFontMetrics(label.font()).lineSpacing() + 4)
        self.muted_label.setFont(_font(int(h * 0.04)))
        for b in (self.pause_button, self.back_button, self.skip_button, self.mute_button, self.stop_button):
            b.setFont(_font(control_text_px(h), bold=False))
        self.checkin.scale_to(h)
        self.banner.grow_to(control_text_px(h), 12)  # as the check-in's text, if one line allows
        self.session_label.setFont(_font(int(h * 0.03)))
        self.elapsed_label.setFont(_font(int(h * 0.03)))
        self.segment_label.setFont(_font(int(h * 0.022), bold=False))
        self.keys_hint.setFont(_font(max(int(h * 0.018), 11), bold=False))
        self.bar.setFixedHeight(max(int(h * 0.04), 16))
        self.summary_title.setFont(_font(int(h * 0.09)))
        self.summary_body.setFont(_font(int(h * 0.045), bold=False))
        self.summary_bar.setFixedHeight(max(int(h * 0.05), 16))
        for b in (self.reflect_button, self.done_button):
            b.setFont(_font(max(int(h * 0.03), 13)))
            b.setMinimumHeight(max(int(h * 0.08), 40))
        self._apply_colours()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_fonts()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        k = Qt.Key
        if key == k.Key_F11:
            self.fullscreen_toggled.emit()
        elif self.showing_summary:
            super().keyPressEvent(event)
        elif key == k.Key_Space:
            self.pause_toggled.emit()
        elif key == k.Key_Right:
            self.skip_requested.emit()
        elif key == k.Key_Left:
            self.back_requested.emit()
        elif key == k.Key_Escape:
            self.stop_requested.emit()
        elif key == k.Key_M:
            self.mute_toggled.emit()
        elif key in (k.Key_Plus, k.Key_Equal):
            self.volume_step.emit(5)
        elif key in (k.Key_Minus, k.Key_Underscore):
            self.volume_step.emit(-5)
        else:
            super().keyPressEvent(event)


__all__ = ["RunScreen", "RunSummary", "RunView"]
