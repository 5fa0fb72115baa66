"""The check-in changes what the coach says for the rest of the run (services/run_session.py, ``check_in``).

A low feeling (-2 or below) makes the coach gentler, a high one (2 or above) upbeat, as
``runcompanion cues SESSION --feeling N`` shows. The new cues are prepared on a worker (new texts are
synthesized there, never on the GUI thread); until they are ready the old ones keep playing, and then the
engine's and the player's upcoming cues are swapped in the same turn of the event loop, so a cue is never
missed nor said twice. What the run now says is stored for the coach's memory. A low check-in also brings
the offer of a shorter run (ui/run/shorter_offer.py), which this follows with every check-in. Must be used
from the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from runcompanion.audio.player import Player
from runcompanion.services.run_session import Replan
from runcompanion.ui.run.shorter_offer import ShorterOffer

if TYPE_CHECKING:
    from runcompanion.ui.common.tasks import TaskRunner
    from runcompanion.ui.run.controller import RunController

log = logging.getLogger(__name__)


class CheckinReplanner(QObject):
    """``replanned`` carries the run's ``CueTimeline`` once the re-planned cues are in the engine."""

    replanned = Signal(object)

    def __init__(self, run: RunController, tasks: TaskRunner, player: Callable[[], Player | None]) -> None:
        super().__init__(run)
        self._run = run
        self._tasks = tasks
        self._player = player
        # After a switch to the shorter run, its cues follow the check-in as it is then.
        self.offer = ShorterOffer(run, tasks, player, lambda: self.follow(run.session.feeling))
        run.screen.checkin_changed.connect(lambda feeling, _arousal: self.follow(feeling))

    def follow(self, feeling: int | None) -> None:
        """Re-plan for ``feeling`` if it changes the day's mood; also called once the cues are attached, for a
        check-in given while they were being prepared."""
        session = self._run.session
        wanted = session.check_in(feeling)
        self.offer.follow()
        if wanted is None or not self._run.active:
            return
        self._tasks.run(lambda: session.replan(wanted), self._ready, self._failed)

    def _ready(self, done: Replan) -> None:
        run = self._run
        if not run.active:
            return
        session = run.session
        timeline = session.use_replan(done)
        if timeline is None:
            return  # a newer check-in is on its way, or the run ended meanwhile
        player = self._player()
        if done.prepared is not None and player is not None:
            player.load(session.sounds)
        run.recorder.write_with_id(session.record_cues, "The cues this run says could not be remembered")
        log.info("cues re-planned for a check-in of %d: %d cues", done.feeling, len(timeline))
        self.replanned.emit(timeline)

    def _failed(self, exc: BaseException) -> None:
        # The cues planned before the check-in go on: the run loses nothing but the change of tone.
        log.warning("the cues could not be re-planned for the check-in: %s", exc)
