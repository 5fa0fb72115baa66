"""Speech rendered ahead, at idle, for the run the Today page suggests, so that pressing Start never waits.

Only slow voices need it: Piper says about a sentence a second on two cores, so an hour's speech takes minutes
cold, while espeak-ng and the system voices render an hour within the countdown. The seed that picks the cues
is chosen here and handed to the next run of that session, so the run says exactly what was rendered.

The work has its own one-thread task runner, so minutes of it never take a thread the app needs, and it
renders one text at a time: each holds the cue service only briefly, and a run that starts meanwhile
(``pause``) stops it between two texts, so that run's own preparation goes first. Its progress is shown in the
window's status bar.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from runcompanion.core.app_settings import AppSettings
from runcompanion.ui.common.tasks import TaskRunner

if TYPE_CHECKING:
    from runcompanion.core.session_plan import SessionPlan
    from runcompanion.services.composition import Services
    from runcompanion.services.cue_service import PreparedRun

log = logging.getLogger(__name__)


class SpeechAhead(QObject):
    """``progressed(session name, done, total)`` while rendering; ``finished(session id)`` when done."""

    progressed = Signal(str, int, int)
    finished = Signal(str)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.progressed.connect(
            lambda name, done, total: window.statusBar().showMessage(
                f"Preparing the voice for {name}: {done} of {total}" if done < total else ""
            )
        )
        self._tasks = TaskRunner(self, max_threads=1)
        self._seeds: dict[str, int] = {}
        self._rendered: set[tuple[str, str, int]] = set()
        self._busy = False
        self._paused = threading.Event()

    @property
    def busy(self) -> bool:
        return self._busy

    def pause(self) -> None:
        """A run is starting: stop between two texts (what is rendered stays in the cache). GUI thread."""
        self._paused.set()

    def seed_for(self, session_id: str) -> int | None:
        """The seed the speech of ``session_id`` was rendered with, for its next run only."""
        return self._seeds.pop(session_id, None)

    def consider(self, services: Services, plan: SessionPlan | None, settings: AppSettings) -> None:
        """Render ``plan``'s speech on a worker if its voice is slow and it is not rendered yet. GUI thread."""
        if plan is None or self._busy:
            return
        key = (plan.id, settings.voice_id, settings.rate)
        if key in self._rendered:
            return
        seed = self._seeds.setdefault(plan.id, random.randrange(1, 2**31))
        cues, coach, paused = services.cues, services.coach, self._paused
        paused.clear()
        self._busy = True

        def work(report: Callable[[int, int], None]) -> PreparedRun | str:
            if not cues.is_slow_voice(settings):
                return "fast"  # a fast voice renders during the countdown
            context = coach.context(plan)
            texts = cues.captions_only(plan, settings, seed, context=context).spoken_texts()
            report(0, len(texts))
            for done, text in enumerate(texts, 1):
                if paused.is_set():
                    return "paused"
                cues.speak_to_file(text, settings)
                report(done, len(texts))
            return cues.prepare(plan, settings, seed, context=context)  # all but a few texts are cached now

        def done(outcome: PreparedRun | str) -> None:
            self._busy = False
            if outcome == "paused":
                return
            self._rendered.add(key)
            if not isinstance(outcome, str):
                log.info("speech ready ahead: %s, %d newly synthesized, seed %d", plan.id, outcome.synthesized, seed)
                self.finished.emit(plan.id)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._seeds.pop(plan.id, None)
            log.warning("speech could not be rendered ahead for %s: %s", plan.id, exc)

        self._tasks.run_with_progress(work, lambda d, t: self.progressed.emit(plan.name, d, t), done, failed)
