"""One guided run, from the Start press to its saved end, without Qt.

A ``RunSession`` is built from a ``SessionPlan`` and the runner's settings. It holds the timer engine, prepares
what the run says (the timeline with the real length of every spoken cue, and the file of each cue for the
player), and owns the run's record: its start, its checkpoints and its typed end, which marks the scheduled
run done in the same transaction. The run screen is a thin adapter around it (``runcompanion.ui.run``): a Qt
timer that steps ``engine``, a player, a recorder that puts the writes on a worker.

The engine is built at once, with no cues, so the countdown and the check-in run while the voice is prepared
(on a first run espeak-ng renders every cue, which takes seconds); ``use_cues`` hands the engine the prepared
timeline, and cues whose moment passed meanwhile are left out rather than said late. See docs/ARCHITECTURE.md,
"The path of a guided run".

Threads: ``engine``, ``use_cues``, ``use_captions``, ``progress`` and ``end`` on the one thread that drives the
engine (the GUI thread in the app); ``prepare`` and ``captions_only`` on a worker (they may synthesize speech);
``record_start``, ``record_checkpoint``, ``record_cues`` and ``record_end`` on one writer thread, start first.
"""

from __future__ import annotations

from collections.abc import Callable

from runcompanion.audio.player import PreparedSounds
from runcompanion.core.app_settings import AppSettings
from runcompanion.core.clock import Clock
from runcompanion.core.coach import RunnerContext
from runcompanion.core.cue_timeline import CueTimeline
from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.timer_engine import EngineState, TimerEngine
from runcompanion.services.coach_service import CoachService
from runcompanion.services.cue_service import CueService, PreparedRun
from runcompanion.services.run_service import RunEnd, RunEndStatus, RunProgress, RunService
from runcompanion.storage.records import RunRecord


class RunSession:
    """One run. ``seed`` chooses the cues (recorded with the run, so ``cues --seed`` shows what was said)."""

    def __init__(
        self,
        plan: SessionPlan,
        settings: AppSettings,
        seed: int,
        *,
        runs: RunService,
        cues: CueService,
        clock: Clock,
        coach: CoachService | None = None,
        scheduled_run_id: int | None = None,
    ) -> None:
        self.plan = plan
        self.settings = settings
        self.seed = seed
        self.scheduled_run_id = scheduled_run_id
        self._runs = runs
        self._cues = cues
        self._coach = coach
        self._context: RunnerContext | None = None
        self.engine = TimerEngine(plan, CueTimeline(), clock, countdown_s=settings.countdown_s)
        self.sounds = PreparedSounds()
        """The file of each cue, by cue id, once ``use_cues`` has the prepared run."""

    # ------------------------------------------------------------------------------------- what the run says

    def prepare(self, progress: Callable[[int, int], None] | None = None) -> PreparedRun:
        """The timeline timed by the real spoken lengths, and every cue rendered. A worker: it may take seconds.

        With a coach, the cues are chosen for this runner (what they heard lately, their journal, their program).
        """
        if self._coach is not None:
            self._context = self._coach.context(self.plan)  # SQLite: here, on the worker
        return self._cues.prepare(self.plan, self.settings, self.seed, progress, context=self._context)

    def captions_only(self) -> CueTimeline:
        """The same cues timed by estimated lengths, for a run whose voice could not be prepared."""
        return self._cues.captions_only(self.plan, self.settings, self.seed, context=self._context)

    def use_cues(self, prepared: PreparedRun) -> PreparedSounds:
        """Give the engine the prepared timeline; returns the sounds for the player to load."""
        if self.engine.attach_timeline(prepared.timeline):
            self.sounds = prepared.sounds()
        return self.sounds

    def use_captions(self, timeline: CueTimeline) -> None:
        """The cues are shown as captions only: there is nothing to play."""
        self.engine.attach_timeline(timeline)

    # ------------------------------------------------------------------------------------- reading the engine

    def progress(self) -> RunProgress:
        snap = self.engine.snapshot()
        return RunProgress(snap.elapsed_s, snap.segment_index, snap.segments_done)

    def end(self) -> RunEnd:
        """The run's end as it will be saved. Only once the engine has finished or stopped."""
        state = self.engine.state
        if state not in (EngineState.FINISHED, EngineState.STOPPED):
            raise ValueError(f"the run has not ended: it is {state.value}")
        status = RunEndStatus.FINISHED if state is EngineState.FINISHED else RunEndStatus.STOPPED
        return RunEnd(status, self.progress(), tuple(self.engine.segment_log()))

    # ------------------------------------------------------------------------------------------ the record

    def record_start(self) -> RunRecord:
        """Save the run as started (status in progress) and return its record with its id."""
        return self._runs.start(self.plan, self.seed, self.scheduled_run_id)

    def record_checkpoint(self, run_id: int, progress: RunProgress) -> None:
        self._runs.checkpoint(run_id, progress)

    def record_cues(self, run_id: int, timeline: CueTimeline) -> None:
        """Remember what this run says, so the coach's next runs choose other cues (no coach: nothing to do)."""
        if self._coach is not None:
            self._coach.remember(run_id, timeline)

    def record_end(self, run_id: int, end: RunEnd) -> RunRecord:
        """Save the end; a finished run from the plan marks its scheduled run done in the same transaction."""
        return self._runs.finish(run_id, end)
