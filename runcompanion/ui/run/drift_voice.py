"""The coach says the belt's real figures when they drift from the segment's target, in a silence between cues.

The rule for when (held drift, a grace after each change, the runner's own choices respected, once a segment and a
cool-down) is core/belt_drift.py; this adapter feeds it the run's events and the belt's readings, and when a remark
is due finds a silence: no scheduled cue (countdown beeps included) is being said or due while the remark would be
said (``quiet_between``), and the segment has time left for it. The sentence is rendered on a worker like any cue
(``RunSession.speak_live``) and played only if the silence is still there once it is ready, with the caption on the
screen; otherwise it waits for the next silence in the same segment, at most ``STALE_S``, then it is dropped (so
it is when the segment changes or the run is paused first).
While the app holds the belt (treadmill control), the belt follows the targets and the coach says nothing.
Must be used from the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from runcompanion.audio.player import Player
from runcompanion.core.belt_drift import QUIET_MARGIN_S, DriftWatch, drift_remark, quiet_between
from runcompanion.core.devices import TreadmillReading
from runcompanion.core.engine_events import EngineEvent, EngineSnapshot, EngineState, EventKind
from runcompanion.services.run_session import RunSession
from runcompanion.ui.run.devices import RunDevices
from runcompanion.ui.run.screen import RunScreen

log = logging.getLogger(__name__)

EXPECTED_S = 7.0
"""Room asked for before the sentence exists: its real length is checked again once it is rendered."""
STALE_S = 15.0
"""A remark not said within this many seconds of the decision is dropped: its figures are old by then."""


@dataclass(frozen=True)
class _Ready:
    text: str
    path: Path | None  # None: no voice, the caption alone
    length_s: float
    segment: int
    decided_at: float


class DriftVoice(QObject):
    """``spoken`` carries each remark as it is shown and handed to the player."""

    spoken = Signal(str)

    def __init__(
        self,
        session: RunSession,
        devices: RunDevices,
        screen: RunScreen,
        player: Callable[[], Player | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._devices = devices
        self._screen = screen
        self._player = player
        self._watch = DriftWatch()
        self._rendering = False
        self._ready: _Ready | None = None
        self._moment = 0  # a new segment or a pause ends the moment a remark was meant for
        devices.belt.connect(self._on_belt)

    def handle(self, events: Sequence[EngineEvent]) -> None:
        limits = self._devices.limits
        for event in events:
            if event.kind in (EventKind.SEGMENT_STARTED, EventKind.PAUSED):
                self._moment += 1
                self._ready = None
            if event.kind is EventKind.SEGMENT_STARTED:
                segment = self._session.plan.segments[event.segment_index]
                speed, incline = segment.speed_kmh, segment.incline_pct
                # The runner's own caps hold here too: a remark never asks for more than they allowed.
                self._watch.segment_started(
                    event.offset_s,
                    segment.kind,
                    None if speed is None else min(speed, limits.max_speed_kmh),
                    None if incline is None else min(incline, limits.max_incline_percent),
                )
            elif event.kind is EventKind.PAUSED:
                self._watch.paused()
            elif event.kind is EventKind.RESUMED:
                self._watch.resumed(event.offset_s)

    def _on_belt(self, reading: TreadmillReading) -> None:
        snap = self._session.engine.snapshot()
        if snap.state is EngineState.RUNNING:
            self._watch.reading(snap.elapsed_s, reading.speed_kmh, reading.incline_percent)

    def step(self, snap: EngineSnapshot) -> None:
        """Called on every step of the run: say a ready remark in a silence, or decide on a new one."""
        if snap.state is not EngineState.RUNNING:
            return
        if self._ready is not None:
            self._say_if_quiet(self._ready, snap)
            return
        belt = self._devices.run.belt
        if belt is not None and belt.active:
            if belt.hands_off:
                self._watch.runner_took_over()
            return  # the app sets the belt itself
        if self._rendering:
            return
        drift = self._watch.due(snap.elapsed_s)
        if drift is None or not self._quiet(snap, EXPECTED_S):
            return
        self._watch.said(snap.elapsed_s)
        text = drift_remark(drift, self._session.settings.units)
        log.info("coach: the belt drifted: %s", text)
        self._rendering = True
        segment, decided_at, moment = snap.segment_index, snap.elapsed_s, self._moment

        def rendered(result: tuple[Path, float]) -> None:
            self._rendering = False
            if moment == self._moment:
                self._ready = _Ready(text, result[0], result[1], segment, decided_at)

        def failed(exc: BaseException) -> None:
            self._rendering = False
            log.warning("the coach's remark could not be rendered; shown only: %s", exc)
            if moment == self._moment:
                self._ready = _Ready(text, None, EXPECTED_S, segment, decided_at)

        self._devices.tasks.run(lambda: self._session.speak_live(text), rendered, failed)

    def _quiet(self, snap: EngineSnapshot, length_s: float) -> bool:
        if snap.segment_remaining_s < length_s + QUIET_MARGIN_S:
            return False
        return quiet_between(self._session.engine.cues, snap.elapsed_s, snap.elapsed_s + length_s)

    def _say_if_quiet(self, ready: _Ready, snap: EngineSnapshot) -> None:
        if snap.segment_index != ready.segment or snap.elapsed_s - ready.decided_at > STALE_S:
            self._ready = None  # the moment passed: a new segment, or figures too old to say
            return
        if not self._quiet(snap, ready.length_s):
            return
        self._ready = None
        self._screen.show_caption(ready.text)
        player = self._player()
        if player is not None and ready.path is not None:
            player.play_file(ready.path)
        self.spoken.emit(ready.text)
