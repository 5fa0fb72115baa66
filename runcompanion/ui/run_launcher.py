"""Starting a guided run: the run screen, its controller, its record and its cues, wired to the rest of the app.

The Start press must not stall the GUI thread: the record is written by a serial worker, the speech is prepared
on another, and the cue sounds load a few at a time once they are ready.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from runcompanion.core.app_settings import AppSettings
from runcompanion.core.clock import Clock
from runcompanion.core.errors import UserError
from runcompanion.ui.controller import show_error
from runcompanion.ui.main_window import MainWindow
from runcompanion.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from runcompanion.app import Services
    from runcompanion.audio.cue_player import CuePlayer
    from runcompanion.services.cue_service import PreparedRun
    from runcompanion.ui.journal_controller import JournalController
    from runcompanion.ui.plan_controller import PlanController
    from runcompanion.ui.run_controller import RunController

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunContext:
    """What a run needs from the rest of the app, once the services are attached."""

    services: Services
    settings: Callable[[], AppSettings]
    journal: JournalController | None
    plan: PlanController | None
    after_run: Callable[[], None]
    """Called when the runner leaves the run screen (the shell refreshes its figures)."""


class RunLauncher:
    """Opens the run screen for a session and owns the run in progress (at most one)."""

    def __init__(
        self,
        window: MainWindow,
        tasks: TaskRunner,
        clock: Clock,
        garbage: Callable[[], None],
    ) -> None:
        self._window = window
        self._tasks = tasks
        # One thread, so the run's writes stay in order; its own, so an export on the shared pool never
        # delays a checkpoint.
        self.writer = TaskRunner(window, max_threads=1)
        self._clock = clock
        self._garbage = garbage
        self.run: RunController | None = None
        self._player: CuePlayer | None = None

    @property
    def active(self) -> bool:
        return self.run is not None and self.run.active

    def start(
        self,
        context: RunContext,
        session_id: str,
        seed: int | None = None,
        fullscreen: bool = False,
        scheduled_run_id: int | None = None,
    ) -> RunController | None:
        """Open the run screen for ``session_id`` and start its countdown at once."""
        if self.run is not None and self.run.active:
            return self.run
        services = context.services
        try:
            plan = services.catalog.get(session_id)
        except UserError as exc:
            show_error(self._window, "Cannot start this session", exc)
            return None
        # Loaded on the first run, not at start-up: the window's first frame does not need them.
        from runcompanion.core.cue_timeline import CueTimeline
        from runcompanion.core.timer_engine import TimerEngine
        from runcompanion.ui.run_controller import RunController
        from runcompanion.ui.run_recorder import RunRecorder
        from runcompanion.ui.run_screen import RunScreen

        settings = context.settings()
        if seed is None:
            seed = random.randrange(1, 2**31)  # recorded with the run, so `cues --seed` can show what was said
        screen = RunScreen(plan.name, [(s.kind.value, s.duration_s) for s in plan.segments])
        # The countdown starts at once; the cues join the engine when their speech is ready (well within the
        # countdown once the speech cache is warm).
        engine = TimerEngine(plan, CueTimeline(), self._clock, countdown_s=settings.countdown_s)
        journal = context.journal
        run = RunController(
            plan=plan,
            engine=engine,
            screen=screen,
            recorder=RunRecorder(services.runs, self.writer),
            player=self.player(),
            settings=settings,
            seed=seed,
            confirm_stop=self._confirm_stop,
            toggle_fullscreen=self._window.toggle_full_screen,
            save_checkin=journal.save_checkin if journal is not None else None,
            scheduled_run_id=scheduled_run_id,
            parent=self._window,
        )
        if scheduled_run_id is not None and context.plan is not None:
            planner = context.plan
            run.run_saved.connect(
                lambda record: planner.mark_done(scheduled_run_id, record.id) if record.status == "finished" else None
            )
        run.closed.connect(lambda: self._leave(run, context.after_run))
        if journal is not None:
            run.reflect_requested.connect(journal.open_reflection)
            # The reflection opens by itself when the run ends, finished or stopped early.
            run.run_saved.connect(lambda record: journal.open_reflection(record.id))
        self.run = run
        self._window.show_screen(screen)
        if fullscreen:
            self._window.showFullScreen()
        run.start()
        self._prepare_cues(run, services, settings, seed)
        return run

    def player(self) -> CuePlayer:
        if self._player is None:
            from runcompanion.audio.cue_player import CuePlayer

            self._player = CuePlayer(self._window)
            self._player.problem.connect(self._sound_problem)
        return self._player

    def set_volume(self, percent: int) -> None:
        if self._player is not None:
            self._player.set_volume(percent)

    def _sound_problem(self, text: str) -> None:
        # A banner already there (no output at all) says it better; do not replace it.
        if self.run is not None and self.run.active and not self.run.screen.banner.text():
            self.run.screen.show_banner(text)

    def _prepare_cues(self, run: RunController, services: Services, settings: AppSettings, seed: int) -> None:
        plan = run.plan
        screen = run.screen
        screen.show_preparing(0, 1)

        def ready(prepared: PreparedRun) -> None:
            screen.show_preparing(1, 1)
            if not run.active:
                return
            from runcompanion.audio.cue_player import audio_output_available

            order = [c.text for c in prepared.timeline.cues if not c.beep]
            self.player().load(prepared.clips, prepared.beep, order)
            run.engine.attach_timeline(prepared.timeline)
            self._garbage()
            log.info(
                "cues ready: %d, %d newly synthesized, seed %d", len(prepared.timeline), prepared.synthesized, seed
            )
            if not audio_output_available():
                screen.show_banner(
                    "No sound: no audio output was found, so the cues are shown here as captions. "
                    "Connect speakers or headphones; `runcompanion doctor` checks the setup."
                )

        def failed(exc: BaseException) -> None:
            screen.show_preparing(1, 1)
            log.warning("speech unavailable for this run: %s", exc)
            reason = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
            screen.show_banner(f"No voice for this run, so the cues are shown here as captions. {reason}")
            if run.active:
                run.engine.attach_timeline(services.cues.captions_only(plan, settings, seed))

        self._tasks.run_with_progress(
            lambda report: services.cues.prepare(plan, settings, seed, report), screen.show_preparing, ready, failed
        )

    def _leave(self, run: RunController, after: Callable[[], None]) -> None:
        self._window.show_shell(remove=run.screen)
        run.deleteLater()
        self.run = None
        after()

    def _confirm_stop(self) -> bool:
        return ask_yes(self._window, "Stop this run?", "Stop the run now? Everything up to here is saved.")

    def shutdown(self) -> None:
        """The app is closing: save the run as stopped and wait until its writes are on disk."""
        if self.run is not None:
            self.run.shutdown()
        self.writer.close()


def ask_yes(parent: MainWindow, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
