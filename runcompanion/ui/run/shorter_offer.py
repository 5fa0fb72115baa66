"""The shorter run a low check-in offers before the run is under way (services/run_session.py, ``shorter_offer``).

When the runner taps a feeling of -2 or below while the run is early (the countdown or its first segment), a
panel under the check-in offers the shorter version: "Shorter run today: 15 minutes instead of 20 minutes".
S takes it and K keeps the plan; the screen's own keys (Space pauses, Esc stops) work as before, and a screen
reader hears the offer as it appears. Taking it prepares the shorter run's gentle cues on a worker, then
switches the run in one turn of the event loop: the engine, the player's sounds, the segment bars, the
treadmill's copy of the plan and, on the writer, the record's name and planned length. Declining it, or
letting it pass, changes nothing; the panel goes once the run is past where the offer can be taken.
Must be used from the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from runcompanion.audio.player import Player
from runcompanion.core.coach import LOW_FEELING
from runcompanion.core.cue_templates import duration_words
from runcompanion.core.session_plan import SessionPlan
from runcompanion.services.run_session import Shorter
from runcompanion.ui.common.widgets import RoundedPanel
from runcompanion.ui.run.checkin_panel import control_height_px, control_text_px
from runcompanion.ui.run.digits import font

if TYPE_CHECKING:
    from runcompanion.ui.common.tasks import TaskRunner
    from runcompanion.ui.run.controller import RunController

log = logging.getLogger(__name__)

RECHECK_MS = 500
"""How often a shown offer checks it can still be taken (the run moves on whether or not anyone answers)."""
TAKE_KEY = Qt.Key.Key_S
KEEP_KEY = Qt.Key.Key_K


def offer_text(shorter: SessionPlan, planned: SessionPlan) -> str:
    return f"Shorter run today: {duration_words(shorter.total_s)} instead of {duration_words(planned.total_s)}"


class ShorterOfferPanel(RoundedPanel):
    """The offer's words and its two answers. The buttons take no focus: keys belong to the run screen."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("shorterOffer")
        self.setAccessibleName("Shorter run offer")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.detail = QLabel("Warm-up and cool-down stay; the main part is about half. Either is a good run.")
        self.detail.setWordWrap(True)
        layout.addWidget(self.text)
        layout.addWidget(self.detail)
        row = QHBoxLayout()
        self.take_button = QPushButton("Take the shorter run (S)")
        self.keep_button = QPushButton("Keep as planned (K)")
        for button in (self.take_button, self.keep_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(36)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.hide()

    def show_offer(self, text: str, shorter: SessionPlan, planned: SessionPlan) -> None:
        self.text.setText(text)
        self.text.setAccessibleName(text)
        self.take_button.setAccessibleName(f"Take the shorter run, {duration_words(shorter.total_s)}")
        self.keep_button.setAccessibleName(f"Keep the run as planned, {duration_words(planned.total_s)}")
        for button in (self.take_button, self.keep_button):
            button.setEnabled(True)
        self.show()

    def scale_to(self, height: int) -> None:
        """Sizes for a run screen ``height`` pixels high: read from the treadmill, as the check-in it answers."""
        text_px = control_text_px(height)
        self.text.setFont(font(text_px))
        self.detail.setFont(font(text_px, bold=False))
        for button in (self.take_button, self.keep_button):
            button.setFont(font(text_px, bold=False))
            button.setMinimumHeight(max(36, control_height_px(height)))


class ShorterOffer(QObject):
    """``switched`` carries the run's ``CueTimeline`` once the run is its shorter version."""

    switched = Signal(object)

    def __init__(
        self,
        run: RunController,
        tasks: TaskRunner,
        player: Callable[[], Player | None],
        after_switch: Callable[[], None],
    ) -> None:
        super().__init__(run)
        self._run = run
        self._tasks = tasks
        self._player = player
        self._after_switch = after_switch
        self._declined = False
        self._taking = False
        self.panel = ShorterOfferPanel()
        # The screen (and the panel in it) may go before this object: its key filter then has nothing to show.
        self._panel_alive = True
        self.panel.destroyed.connect(self._panel_gone)
        screen = run.screen
        # Under the check-in it answers: the run screen's layout is its own, so the panel goes where the
        # check-in panel is.
        parent = screen.checkin.parentWidget()
        layout = parent.layout() if parent is not None else None
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(layout.indexOf(screen.checkin) + 1, self.panel)
        self.panel.take_button.clicked.connect(self.take)
        self.panel.keep_button.clicked.connect(self.keep)
        self.panel.scale_to(screen.height())
        screen.installEventFilter(self)  # its keys, and its size for the panel's text
        self._recheck = QTimer(self.panel)  # the panel's own: it ticks only while the offer is up
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self._still_open)

    @property
    def showing(self) -> bool:
        return self._panel_alive and self.panel.isVisible()

    def _panel_gone(self) -> None:
        self._panel_alive = False

    def follow(self) -> None:
        """Offer the shorter version if there is one now: on every check-in, and once the cues are attached
        (also when the voice comes after a switch made on captions: the shorter run is then prepared with it)."""
        if self._taking or not self._panel_alive or not self._run.active:
            return
        session = self._run.session
        if session.needs_voice:
            self._taking = True
            plan, feeling = session.plan, session.feeling if session.feeling is not None else LOW_FEELING
            self._tasks.run(lambda: session.prepare_shorter(plan, feeling), self._ready, self._failed)
            return
        if self._declined:
            return
        shorter = session.shorter_offer()
        if shorter is None:
            self._close()
            return
        if self.showing:
            return
        text = offer_text(shorter, session.plan)
        self.panel.show_offer(text, shorter, session.plan)
        self._recheck.start()
        QAccessible.updateAccessibility(
            QAccessibleAnnouncementEvent(self.panel, f"{text}. Press S to take it, K to keep the run as planned.")
        )

    def take(self) -> None:
        """Switch to the shorter version once its cues are ready (a worker makes them)."""
        session = self._run.session
        shorter = session.shorter_offer() if self.showing and not self._taking else None
        if shorter is None or session.feeling is None:
            self._close()
            return
        self._taking = True
        self.panel.text.setText("Making the shorter run…")
        for button in (self.panel.take_button, self.panel.keep_button):
            button.setEnabled(False)
        feeling = session.feeling
        self._tasks.run(lambda: session.prepare_shorter(shorter, feeling), self._ready, self._failed)

    def keep(self) -> None:
        """The plan stays as it is; the offer is not made again this run."""
        if not self._taking:
            self._declined = True
            self._close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self._panel_alive and isinstance(watched, QWidget):
            self.panel.scale_to(watched.height())
        if self.showing and not self._taking and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == TAKE_KEY:
                self.take()
                return True
            if event.key() == KEEP_KEY:
                self.keep()
                return True
        return False

    def _still_open(self) -> None:
        if not self._taking:
            self.follow()

    def _close(self) -> None:
        if self._panel_alive:
            self._recheck.stop()
            self.panel.hide()

    def _ready(self, done: Shorter) -> None:
        self._taking = False
        self._close()
        run = self._run
        if not run.active:
            return
        session = run.session
        switched = session.plan is not session.planned  # already: this is the voice joining it
        timeline = session.use_shorter(done)
        if timeline is None:
            if not switched:
                run.screen.show_banner("The run was too far along to shorten now. Walk or stop whenever you like.")
            return
        player = self._player()
        if done.prepared is not None and player is not None:
            player.load(session.sounds)
        plan = session.plan
        blocks = [(s.kind.value, s.duration_s) for s in plan.segments]
        run.screen.bar.set_segments(blocks)
        run.screen.summary_bar.set_segments(blocks)
        run.screen.session_label.setText(plan.name)
        if run.devices is not None:
            run.devices.run.use_plan(plan)
        run.recorder.write_with_id(session.record_plan, "The shorter plan could not be saved")
        run.recorder.write_with_id(session.record_cues, "The cues this run says could not be remembered")
        log.info("switched to the shorter version: %s, %.0f s", plan.name, plan.total_s)
        self.switched.emit(timeline)
        self._after_switch()

    def _failed(self, exc: BaseException) -> None:
        self._taking = False
        self._close()
        log.warning("the shorter version could not be prepared: %s", exc)
        session = self._run.session
        if self._run.active and session.plan is session.planned:
            self._run.screen.show_banner("The shorter run could not be prepared; the run goes on as planned.")
