"""Drives one guided run: steps the run session's timer engine from a Qt timer, feeds the run screen, plays cues.

The run itself (its engine, its cues, its record) is a Qt-free ``RunSession``; this adapter only asks the engine
every frame, so a stalled GUI loses no event: the next step returns everything that came due, in order. The
record's writes go through ``RunRecorder``, off the GUI thread. Must be used from the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from runcompanion.audio.player import Player
from runcompanion.core.engine_events import EngineEvent, EngineState, EventKind
from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.timer_engine import TimerEngine
from runcompanion.services.run_session import RunSession
from runcompanion.ui.run.recorder import RunRecorder
from runcompanion.ui.run.screen import RunScreen
from runcompanion.ui.run.view_model import summary_for, view_for

if TYPE_CHECKING:
    from runcompanion.services.run_figures_service import RunFiguresService
    from runcompanion.storage.records import RunRecord
    from runcompanion.ui.run.devices import RunDevices
    from runcompanion.ui.run.drift_voice import DriftVoice

log = logging.getLogger(__name__)

STEP_MS = 25
CHECKPOINT_EVERY_S = 5.0
CHECKIN_VISIBLE_S = 60.0  # the check-in stays into the first minute: a countdown is short, and it never blocks


class RunController(QObject):
    """``run_saved`` carries the final ``RunRecord``; ``closed`` fires when the runner leaves the summary;
    ``reflect_requested`` carries the run id."""

    run_saved = Signal(object)
    closed = Signal()
    reflect_requested = Signal(int)
    cue_started = Signal(object)  # TimelineCue, as it is handed to the player
    countdown_started = Signal()

    def __init__(
        self,
        *,
        session: RunSession,
        screen: RunScreen,
        recorder: RunRecorder,
        player: Player | None,
        confirm_stop: Callable[[], bool],
        toggle_fullscreen: Callable[[], None],
        save_checkin: Callable[[int, int | None, int | None], object] | None = None,
        devices: RunDevices | None = None,
        figures: RunFiguresService | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.screen = screen
        self._recorder = recorder
        recorder.saved.connect(self.run_saved)
        recorder.problem.connect(screen.show_banner)
        self._player: Player | None = None
        self._settings = session.settings
        self._confirm_stop = confirm_stop
        self._volume = session.settings.volume
        self._muted = session.settings.muted
        self._last_checkpoint = 0.0
        self._closed = False  # shut down before its countdown began: the engine has nothing to stop
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(STEP_MS)
        self._timer.timeout.connect(self._step)

        screen.pause_toggled.connect(self.toggle_pause)
        screen.skip_requested.connect(lambda: self._control(self.engine.skip))
        screen.back_requested.connect(lambda: self._control(self.engine.back))
        screen.stop_requested.connect(self.request_stop)
        screen.mute_toggled.connect(self.toggle_mute)
        screen.volume_step.connect(self.change_volume)
        screen.fullscreen_toggled.connect(toggle_fullscreen)
        screen.close_requested.connect(self.closed)
        screen.reflect_requested.connect(self._reflect)
        self._save_checkin = save_checkin
        screen.checkin_changed.connect(self._checkin)
        # The treadmill and the strap (docs/devices.md): figures beside the targets, belt moved with consent.
        self._devices = devices
        self._figures = figures
        self.drift: DriftVoice | None = None
        if devices is not None:
            devices.live.connect(screen.show_live)
            devices.notice.connect(screen.show_banner)
            # Loaded only for a run with devices: the Bluetooth layer stays out of start-up (docs/devices.md).
            from runcompanion.ui.run.drift_voice import DriftVoice

            self.drift = DriftVoice(session, devices, screen, lambda: self._player, parent=self)
        screen.set_muted(self._muted)
        if player is not None:
            self.set_player(player)

    def set_player(self, player: Player) -> None:
        """Where the cues go from now on. The launcher hands it over when the speech is ready: no cue is due
        before, and the sound system then loads on the speech worker instead of during the Start press."""
        self._player = player
        player.set_volume(self._volume)
        player.set_muted(self._muted)

    @property
    def recorder(self) -> RunRecorder:
        """Where this run's record is written (on the app's serial writer)."""
        return self._recorder

    @property
    def devices(self) -> RunDevices | None:
        """The run's treadmill and strap, if any (docs/devices.md)."""
        return self._devices

    @property
    def plan(self) -> SessionPlan:
        return self.session.plan

    @property
    def engine(self) -> TimerEngine:
        return self.session.engine

    @property
    def record(self) -> RunRecord | None:
        """The run as last saved: ``None`` until its start has been written."""
        return self._recorder.record

    @property
    def active(self) -> bool:
        return not self._closed and self.engine.state not in (EngineState.FINISHED, EngineState.STOPPED)

    def show_ready(self) -> None:
        """Fill the screen with what it shows before the countdown, so that it is never shown empty."""
        self._refresh()

    def start(self) -> None:
        """Begin the countdown; the run is saved as started in the background."""
        self._recorder.start()
        if self._devices is not None:
            self._devices.start()
        self._handle(self.engine.start())
        self._timer.start()
        self._refresh()
        self.countdown_started.emit()

    def _step(self) -> None:
        self._handle(self.engine.step())
        self._refresh()
        snap = self.engine.snapshot()
        if self.drift is not None:
            self.drift.step(snap)
        if snap.state is EngineState.RUNNING and snap.elapsed_s - self._last_checkpoint >= CHECKPOINT_EVERY_S:
            self._last_checkpoint = snap.elapsed_s
            self._recorder.checkpoint(self.session.progress())
            self._save_samples()

    def _save_samples(self) -> None:
        """The devices' figures over time since the last checkpoint, on the run's writer (docs/devices.md)."""
        store = self._figures
        if self._devices is None or store is None:
            return
        samples = self._devices.run.samples.take()
        if samples:
            self._recorder.write_with_id(
                lambda run_id: store.add_samples(run_id, samples), "The treadmill's figures could not be saved"
            )

    def _control(self, action: Callable[[], list[EngineEvent]]) -> None:
        if self._player is not None:
            self._player.stop()  # a cue about the segment being left must not go on talking
        self._handle(action())
        self._refresh()

    def toggle_pause(self) -> None:
        if self.engine.state is EngineState.PAUSED:
            self._control(self.engine.resume)
        else:
            self._control(self.engine.pause)

    def request_stop(self) -> None:
        if not self.active:
            return
        was_paused = self.engine.state is EngineState.PAUSED
        if not was_paused:
            self._handle(self.engine.pause())  # time stands still while the runner decides
        if self._confirm_stop():
            self._control(self.engine.stop)
        elif not was_paused:
            self._handle(self.engine.resume())
        self._refresh()

    def toggle_mute(self) -> None:
        self._muted = not self._muted
        self.screen.set_muted(self._muted)
        if self._player is not None:
            self._player.set_muted(self._muted)

    def change_volume(self, delta: int) -> None:
        self._volume = min(max(self._volume + delta, 0), 100)
        if self._player is not None:
            self._player.set_volume(self._volume)
        self.screen.show_caption(f"Volume {self._volume} %")

    def _handle(self, events: list[EngineEvent]) -> None:
        if self._devices is not None and events:
            self._devices.handle(events)
            if self.drift is not None:
                self.drift.handle(events)
        for event in events:
            if event.kind is EventKind.CUE and event.cue is not None:
                if not event.cue.beep:
                    self.screen.show_caption(event.cue.text, event.cue.caption)
                if self._player is not None:
                    self._player.play(event.cue_id)
                self.cue_started.emit(event.cue)
            elif event.kind is EventKind.CUE_DROPPED and event.cue is not None:
                log.info("dropped a cue %.1f s late: %s", event.lateness_s, event.cue.text)
            elif event.kind in (EventKind.FINISHED, EventKind.STOPPED):
                self._end(finished=event.kind is EventKind.FINISHED)

    def _end(self, finished: bool) -> None:
        self._timer.stop()
        end = self.session.end()
        devices, store = self._devices, self._figures
        if devices is not None:
            figures = devices.finish()
            self._save_samples()
            if store is not None:
                names, zone_max = devices.names, devices.zone_max
                self._recorder.write_with_id(
                    lambda run_id: store.record(run_id, figures, devices=names, zone_max_heart_rate=zone_max),
                    "The treadmill's figures could not be saved",
                )
            devices.close()
        self._recorder.finish(end)
        elapsed_s = end.progress.elapsed_s
        self.screen.bar.set_position(elapsed_s)
        self.screen.show_summary(summary_for(finished, self.plan, elapsed_s, list(end.segment_log)))

    def _refresh(self) -> None:
        if not self.screen.showing_summary:
            snap = self.engine.snapshot()
            self.screen.show_view(view_for(snap, self.plan, self._settings.units))
            countdown = snap.state in (EngineState.READY, EngineState.COUNTDOWN)
            early = snap.state in (EngineState.RUNNING, EngineState.PAUSED) and snap.elapsed_s < CHECKIN_VISIBLE_S
            self.screen.show_checkin(self._save_checkin is not None and (countdown or early))

    def _checkin(self, feeling: int | None, arousal: int | None) -> None:
        save = self._save_checkin
        if save is not None:
            self._recorder.when_started(lambda run_id: save(run_id, feeling, arousal))

    def _reflect(self) -> None:
        self._recorder.when_started(self.reflect_requested.emit)

    def shutdown(self) -> None:
        """The window is closing: stop the run and save it as stopped, without asking."""
        if self.engine.state is EngineState.READY:
            self._closed = True  # never started, so never saved: nothing to stop
        elif self.active:
            self._control(self.engine.stop)
        self._timer.stop()
        if self._devices is not None:
            self._devices.close()
