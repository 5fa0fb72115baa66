"""Starting a guided run: a ``RunSession`` and its run screen, controller, recorder and player, wired to the app.

The Start press must not stall the GUI thread: the record is written by a serial worker, the speech is prepared
on another, and the cue sounds load a few at a time once they are ready.
"""

from __future__ import annotations

import functools
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from runcompanion.core.app_settings import AppSettings
from runcompanion.core.clock import Clock
from runcompanion.core.errors import UserError
from runcompanion.ui.common.tasks import TaskRunner
from runcompanion.ui.run.first_paint import after_first_paint
from runcompanion.ui.run.warm_up import warm_up_steps
from runcompanion.ui.shell.controller import show_error
from runcompanion.ui.shell.main_window import MainWindow

if TYPE_CHECKING:
    from runcompanion.core.cue_timeline import CueTimeline
    from runcompanion.core.session_plan import SessionPlan
    from runcompanion.services.composition import Services
    from runcompanion.services.cue_service import PreparedRun
    from runcompanion.ui.journal.controller import JournalController
    from runcompanion.ui.plan.controller import PlanController
    from runcompanion.ui.run.checkin_replan import CheckinReplanner
    from runcompanion.ui.run.controller import RunController
    from runcompanion.ui.run.devices import RunDevices
    from runcompanion.ui.run.qt_player import QtPlayer

log = logging.getLogger(__name__)

REMEMBER_FAILED = "The cues this run says could not be remembered"
_PLAIN_RUN_MODULES = ("runcompanion.services.run_session", "runcompanion.audio")
"""What a run needs that never touches Qt: these may load on a worker."""
_QT_RUN_MODULES = (
    "runcompanion.ui.run.screen",
    "runcompanion.ui.run.view_model",
    "runcompanion.ui.run.recorder",
    "runcompanion.ui.run.controller",
    "runcompanion.ui.run.checkin_replan",
    "PySide6.QtMultimedia",
    "runcompanion.ui.run.qt_player",
)
"""What a run needs that defines or loads Qt types: these load on the GUI thread, one per turn (the largest,
QtMultimedia, took 13-16 ms). Loading them on a worker while the GUI thread closed the window crashed the
process once in a few hundred GUI tests."""


def _warm_reflection_dialog() -> None:
    # The dialog opens as the run ends: see reflection_dialog.warm_up.
    import_module("runcompanion.ui.journal.reflection_dialog").warm_up()


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
        self._player: QtPlayer | None = None
        self._replanner: CheckinReplanner | None = None
        from runcompanion.ui.run.speech_ahead import SpeechAhead

        self.ahead = SpeechAhead(window)

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
        *,
        plan: SessionPlan | None = None,
        treadmill: str | None = None,
    ) -> RunController | None:
        """Open the run screen for ``session_id`` and start its countdown at once; ``plan`` is that session when
        the caller already has it (otherwise the catalog is asked). ``treadmill`` overrides the treadmill chosen
        in Settings for this run ("simulated" for the simulated pair).

        The screen shows and the countdown starts once control is back in the event loop: wait for the
        returned controller's ``countdown_started``."""
        if self.run is not None and self.run.active:
            return self.run
        services = context.services
        if plan is None or plan.id != session_id:
            try:
                plan = services.catalog.get(session_id)
            except UserError as exc:
                show_error(self._window, "Cannot start this session", exc)
                return None
        # Loaded on the first run, not at start-up: the window's first frame does not need them. A broken
        # install (a file missing from a bundle) must say so in the window, not only in the log.
        try:
            from runcompanion.services.run_session import RunSession
            from runcompanion.ui.run.controller import RunController
            from runcompanion.ui.run.recorder import RunRecorder
            from runcompanion.ui.run.screen import RunScreen
        except ImportError as exc:
            show_error(self._window, "Cannot start this session", UserError(_broken_install(exc)))
            return None

        settings = context.settings()
        if seed is None:
            # Recorded with the run, so `cues --seed` can show what was said; the seed its speech was rendered
            # ahead with, if it was.
            seed = self.ahead.seed_for(session_id) or random.randrange(1, 2**31)
        self.ahead.pause()  # this run's own speech goes first
        screen = RunScreen(plan.name, [(s.kind.value, s.duration_s) for s in plan.segments])
        # The countdown starts at once; the cues join the engine when their speech is ready (well within the
        # countdown once the speech cache is warm).
        session = RunSession(
            plan,
            settings,
            seed,
            runs=services.runs,
            cues=services.cues,
            coach=services.coach,
            clock=self._clock,
            scheduled_run_id=scheduled_run_id,
        )
        journal = context.journal
        devices = self._devices(plan, settings, treadmill)
        run = RunController(
            session=session,
            screen=screen,
            recorder=RunRecorder(session, self.writer),
            player=None,  # joins once this run's sounds are ready: until then it holds the last run's
            confirm_stop=self._confirm_stop,
            toggle_fullscreen=self._window.toggle_full_screen,
            save_checkin=journal.save_checkin if journal is not None else None,
            devices=devices,
            figures=services.run_figures,
            parent=self._window,
        )
        if scheduled_run_id is not None and context.plan is not None:
            # The run's end marked its scheduled run done (same transaction): the plan shows it.
            run.run_saved.connect(context.plan.reload)
        run.closed.connect(lambda: self._leave(run, context.after_run))
        if journal is not None:
            run.reflect_requested.connect(journal.open_reflection)
            # The reflection opens by itself when the run ends, finished or stopped early.
            run.run_saved.connect(lambda record: journal.open_reflection(record.id))
        from runcompanion.ui.run.checkin_replan import CheckinReplanner

        self._replanner = CheckinReplanner(run, self._tasks, lambda: self._player)
        self.run = run
        run.show_ready()
        # Three turns of the event loop, each short enough not to be a visible stall: building the screen,
        # showing it (layout and first paint), then, once it has painted, starting the countdown and the work
        # on the workers (which would otherwise compete with that paint for the GIL).
        QTimer.singleShot(0, lambda: self._show(run, fullscreen))
        return run

    def _devices(self, plan: SessionPlan, settings: AppSettings, treadmill: str | None) -> RunDevices | None:
        """The run's treadmill and strap, if any is chosen. The belt is moved only when the runner turned control
        on in Settings, which is where the first use explains what will happen and asks."""
        choice = settings.treadmill if treadmill is None else treadmill
        if not choice and not settings.heart_rate_monitor:
            return None
        from runcompanion.services.devices.device_session import DeviceSession
        from runcompanion.ui.run.devices import RunDevices

        control = bool(choice) and settings.belt_control and settings.belt_control_agreed
        session = DeviceSession(choice, settings.heart_rate_monitor)
        return RunDevices(session, plan, settings, self._tasks, control=control, parent=self._window)

    def _show(self, run: RunController, full: bool) -> None:
        if self.run is not run or not run.active:  # the app closed in between
            return
        after_first_paint(run.screen, lambda: self._begin(run))
        self._window.show_screen(run.screen)
        if full:
            self._window.showFullScreen()

    def _begin(self, run: RunController) -> None:
        if self.run is not run or not run.active:
            return
        run.start()
        self._prepare_cues(run)

    def preload(self) -> None:
        """Import what a run needs ahead, so that the first Start press does not (50-60 ms): the plain modules
        on a worker, then the Qt ones on the GUI thread, one per turn of the event loop, and last a run screen
        shown where nothing appears, and the widgets of the reflection dialog that opens as the run ends."""
        steps: list[Callable[[], object]] = [functools.partial(import_module, name) for name in _QT_RUN_MODULES]
        steps += [*warm_up_steps(), _warm_reflection_dialog]
        self._tasks.run(
            lambda: [import_module(name) for name in _PLAIN_RUN_MODULES],
            lambda _modules: self._preload_next(steps),
            _preload_failed,
        )

    def _preload_next(self, steps: list[Callable[[], object]]) -> None:
        if not steps:
            return
        try:
            steps[0]()
        except Exception as exc:  # harmless, as for the worker part
            _preload_failed(exc)
            return
        QTimer.singleShot(0, self._window, lambda: self._preload_next(steps[1:]))

    def player(self) -> QtPlayer:
        if self._player is None:
            from runcompanion.ui.run.qt_player import QtPlayer

            self._player = QtPlayer(self._window)
            self._player.problem.connect(self._sound_problem)
        return self._player

    def set_volume(self, percent: int) -> None:
        if self._player is not None:
            self._player.set_volume(percent)

    def _sound_problem(self, text: str) -> None:
        # A banner already there (no output at all) says it better; do not replace it.
        if self.run is not None and self.run.active and not self.run.screen.banner.text():
            self.run.screen.show_banner(text)

    def _prepare_cues(self, run: RunController) -> None:
        session = run.session
        screen = run.screen
        screen.show_preparing(0, 1)
        spoken = False
        countdown_over = False
        captions: list[CueTimeline] = []

        def captions_first() -> None:
            # A slow voice (Piper with a cold cache) can outlast the countdown: the run then shows its cues as
            # captions, and the voice joins as soon as its speech is ready (use_cues swaps the timelines).
            if countdown_over and not spoken and captions and run.active:
                session.use_captions(captions[0])
                # Remembered now: a run stopped before the voice joined said these cues and no others.
                run.recorder.write_with_id(session.record_cues, REMEMBER_FAILED)
                log.info("captions first: the voice joins when its speech is ready")

        def captions_scheduled(timeline: CueTimeline) -> None:
            captions.append(timeline)
            captions_first()

        def with_captions(then: Callable[[CueTimeline], None]) -> None:
            # The prepare worker plans the captions before it starts on the voice, so they are almost always
            # here; only if not (a slow journal read for the coach, or that read failed) are they planned on a
            # worker: never on the GUI thread, which would read SQLite for the coach.
            if session.estimate is not None:
                then(session.estimate)
            else:
                self._tasks.run(
                    session.captions_only, then, lambda exc: log.warning("no captions for this run: %s", exc)
                )

        def countdown_ended() -> None:
            nonlocal countdown_over
            countdown_over = True
            if not (spoken or captions) and run.active:
                with_captions(captions_scheduled)

        def ready(prepared: PreparedRun) -> None:
            nonlocal spoken
            spoken = True
            screen.show_preparing(1, 1)
            if not run.active:
                return
            from runcompanion.ui.run.qt_player import audio_output_available

            player = self.player()
            run.set_player(player)
            player.load(session.use_cues(prepared))
            if self._replanner is not None:
                self._replanner.follow(session.feeling)  # a check-in given while the cues were prepared
            run.recorder.write_with_id(session.record_cues, REMEMBER_FAILED)  # stores what the engine has
            self._garbage()
            log.info(
                "cues ready: %d, %d newly synthesized, seed %d",
                len(prepared.timeline),
                prepared.synthesized,
                session.seed,
            )
            if not audio_output_available():
                screen.show_banner(
                    "No sound: no audio output was found, so the cues are shown here as captions. "
                    "Connect speakers or headphones; `runcompanion doctor` checks the setup."
                )

        def failed(exc: BaseException) -> None:
            nonlocal spoken
            spoken = True
            screen.show_preparing(1, 1)
            log.warning("speech unavailable for this run: %s", exc)
            reason = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
            screen.show_banner(f"No voice for this run, so the cues are shown here as captions. {reason}")
            if run.active:
                from runcompanion.audio.player import CaptionsOnlyPlayer

                run.set_player(CaptionsOnlyPlayer())  # nothing to hear: the screen shows every cue
                with_captions(captions_only_run)

        def captions_only_run(timeline: CueTimeline) -> None:
            if not run.active:
                return
            session.use_captions(timeline)
            if self._replanner is not None:
                self._replanner.follow(session.feeling)
            run.recorder.write_with_id(session.record_cues, REMEMBER_FAILED)

        # One worker plans the cues once for the captions, then times them by the voice: planning them on a
        # second worker at the Start press competed with the run screen's first paint (docs/benchmarks.md).
        self._tasks.run_with_progress(session.prepare, screen.show_preparing, ready, failed)
        QTimer.singleShot(round(session.settings.countdown_s * 1000), run, countdown_ended)

    def _leave(self, run: RunController, after: Callable[[], None]) -> None:
        self._window.show_shell(remove=run.screen)
        run.deleteLater()
        self.run = None
        self._replanner = None
        after()

    def _confirm_stop(self) -> bool:
        return ask_yes(self._window, "Stop this run?", "Stop the run now? Everything up to here is saved.")

    def shutdown(self) -> None:
        """The app is closing: save the run as stopped and wait until its writes are on disk."""
        if self.run is not None:
            self.run.shutdown()
        self.writer.close()


def _broken_install(exc: ImportError) -> str:
    return (
        f"Part of RunCompanion could not be loaded ({exc}), so the run screen cannot open. Your runs and "
        "journal are safe. Reinstalling RunCompanion should fix this; `runcompanion doctor` checks the install."
    )


def _preload_failed(exc: BaseException) -> None:
    # Harmless: the Start press imports what is missing itself.
    log.warning("could not load the run screen ahead: %s", exc)


def ask_yes(parent: MainWindow, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
