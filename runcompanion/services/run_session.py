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

The pre-run check-in re-plans the rest of the run (core/coach_replan.py): ``check_in`` says whether it changes
the day's mood, ``replan`` prepares the cues for it on a worker, ``use_replan`` swaps the upcoming ones in
(the engine's and the player's together), so the old cues play until the new sounds are ready.

A low check-in also offers a shorter version of the run (core/coach.py, ``shorter_version``) while the run is
early: ``shorter_offer`` says what it is, ``prepare_shorter`` makes its gentle cues on a worker, and
``use_shorter`` switches the engine to it (segments, end, and every cue not yet said, announcements
included); ``record_plan`` then saves the run's new planned length. Declining needs no call: nothing changes.

Threads: ``engine``, ``use_cues``, ``use_captions``, ``check_in``, ``use_replan``, ``progress`` and ``end`` on
the one thread that drives the engine (the GUI thread in the app); ``prepare``, ``captions_only`` and
``replan``, ``prepare_shorter`` and ``speak_live`` on a worker (they may synthesize speech); ``shorter_offer`` and
``use_shorter`` on the engine's thread; ``record_start``, ``record_checkpoint``, ``record_cues``,
``record_plan`` and ``record_end`` on one writer thread, start first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from runcompanion.audio.player import PreparedSounds, prepare_sounds
from runcompanion.audio.wav_io import wav_duration_s
from runcompanion.core.app_settings import AppSettings
from runcompanion.core.clock import Clock
from runcompanion.core.coach import Mood, RunnerContext, mood_of, shorter_version
from runcompanion.core.coach_replan import REPLAN_AHEAD_S, replan_upcoming, switch_upcoming
from runcompanion.core.cue_timeline import CueTimeline, TimelineCue
from runcompanion.core.engine_events import EngineState
from runcompanion.core.engine_inputs import continues_from
from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.timer_engine import TimerEngine
from runcompanion.services.coach_service import CoachService
from runcompanion.services.cue_service import CueService, PreparedRun
from runcompanion.services.run_service import RunEnd, RunEndStatus, RunProgress, RunService
from runcompanion.storage.records import RunRecord

SWITCH_AHEAD_S = 1.0
"""Switching to the shorter version keeps the cues due within this much of now: the engine may be delivering one."""
SHORTER_OFFERED_IN = frozenset({EngineState.READY, EngineState.COUNTDOWN, EngineState.RUNNING, EngineState.PAUSED})


@dataclass(frozen=True)
class Replan:
    """The cues a check-in asks for, prepared on a worker: with their sounds, or captions only. ``plan`` is the
    plan they were made for: a switch to the shorter version meanwhile makes them stale."""

    feeling: int
    from_s: float
    prepared: PreparedRun | None
    captions: CueTimeline | None = None
    plan: SessionPlan | None = None


@dataclass(frozen=True)
class Shorter:
    """The shorter version of a run and its gentle cues, prepared on a worker (sounds, or captions only)."""

    plan: SessionPlan
    feeling: int
    prepared: PreparedRun | None
    captions: CueTimeline | None = None


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
        """The plan being run: the planned one, or its shorter version once ``use_shorter`` switched to it."""
        self.planned = plan
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
        self._prepared: PreparedRun | None = None
        self._estimate: CueTimeline | None = None
        self._given: CueTimeline | None = None  # the engine's cues, for record_cues (see there)
        self._voice_ready = False  # the voice became ready after a switch to the shorter version on captions
        self._mood = Mood.STEADY  # what the attached cues were chosen for: no check-in yet
        self.feeling: int | None = None
        """The latest check-in; the cues follow it once ``use_replan`` has swapped them in."""

    # ------------------------------------------------------------------------------------- what the run says

    def prepare(self, progress: Callable[[int, int], None] | None = None) -> PreparedRun:
        """The timeline timed by the real spoken lengths, and every cue rendered. A worker: it may take seconds.

        With a coach, the cues are chosen for this runner (what they heard lately, their journal, their program).
        """
        if self._coach is not None:
            self._context = self._coach.context(self.plan)  # SQLite: here, on the worker
        return self._cues.prepare(
            self.plan, self.settings, self.seed, progress, context=self._context, estimated=self._keep_estimate
        )

    def _keep_estimate(self, timeline: CueTimeline) -> None:
        # Set once, on the prepare worker, before the slow part (the voice); one reference assignment, so a
        # reader on another thread sees either nothing yet or the whole timeline.
        self._estimate = timeline

    @property
    def estimate(self) -> CueTimeline | None:
        """``captions_only``'s timeline once ``prepare`` has planned it, else ``None``. Any thread."""
        return self._estimate

    def captions_only(self) -> CueTimeline:
        """The same cues timed by estimated lengths, for a run whose voice could not be prepared (yet). A worker
        (instant once ``prepare`` has got that far): with a coach, it reads the runner's context as ``prepare``
        does, so both choose the same cues."""
        if self._estimate is not None:
            return self._estimate
        if self._coach is not None and self._context is None:
            self._context = self._coach.context(self.plan)
        return self._cues.captions_only(self.plan, self.settings, self.seed, context=self._context)

    def speak_live(self, text: str) -> tuple[Path, float]:
        """One sentence said now rather than from the timeline (the coach on the belt's real figures): its WAV
        file and its length in seconds. A worker: it may synthesize speech."""
        path = self._cues.speak_to_file(text, self.settings)
        return path, wav_duration_s(path)

    def use_cues(self, prepared: PreparedRun) -> PreparedSounds:
        """Give the engine the prepared timeline (in place of the captions it may have started with); returns
        the sounds for the player to load."""
        if self.plan is not self.planned:
            # Made for the planned run, which switched to its shorter version on captions meanwhile: the voice
            # works, so the shorter run can now be prepared with it (``needs_voice``).
            self._voice_ready = True
            return self.sounds
        if self.engine.attach_timeline(prepared.timeline) or self.engine.replace_timeline(prepared.timeline):
            self._prepared = prepared
            self.sounds = prepared.sounds()
            self._given = self._given_with(prepared.timeline, whole=True)
        return self.sounds

    def use_captions(self, timeline: CueTimeline) -> None:
        """The cues are shown as captions only: there is nothing to play."""
        if self.plan is self.planned and self.engine.attach_timeline(timeline):
            self._given = self._given_with(timeline, whole=True)

    # ------------------------------------------------------------------------------------------ the check-in

    def check_in(self, feeling: int | None) -> Replan | None:
        """Note the check-in. When it changes the day's mood and the cues are attached, returns what to
        prepare (pass it to ``replan`` on a worker); otherwise ``None``: nothing to re-plan, or not yet (call
        again once the cues are attached)."""
        self.feeling = feeling
        if feeling is None or mood_of(feeling) is self._mood or not self.engine.cues:
            return None
        return Replan(feeling, self._soon(), None, plan=self.plan)

    def replan(self, wanted: Replan) -> Replan:
        """The cues of the whole run for ``wanted.feeling``, as ``cues --feeling`` shows them. A worker."""
        context = replace(self._context or RunnerContext(), feeling=wanted.feeling)
        plan = wanted.plan or self.plan
        if self._prepared is None:
            captions = self._cues.captions_only(plan, self.settings, self.seed, context=context)
            return replace(wanted, captions=captions, plan=plan)
        prepared = self._cues.prepare(plan, self.settings, self.seed, context=context)
        return replace(wanted, prepared=prepared, plan=plan)

    def use_replan(self, done: Replan) -> CueTimeline | None:
        """Swap the coach's upcoming cues for the re-planned ones; returns the run's timeline now, or ``None``
        when the check-in changed since (a newer re-plan follows) or the run has ended. Then give the player
        ``sounds``: the ids of the cues already said do not change."""
        if mood_of(done.feeling) is not mood_of(self.feeling) or mood_of(done.feeling) is self._mood:
            return None
        if done.plan is not None and done.plan is not self.plan:
            return None  # made for the plan before a switch to the shorter version
        new = done.prepared.timeline if done.prepared is not None else done.captions
        if new is None:
            return None
        # The worker took its time: what is due in the next seconds from now stays as it is.
        from_s = max(done.from_s, self._soon())
        current = CueTimeline(self.engine.cues)
        merged = replan_upcoming(current, new, from_s)
        if not self.engine.replace_upcoming(merged):
            return None
        old = self._prepared
        if old is not None and done.prepared is not None:
            clips = {**old.clips, **done.prepared.clips}
            self.sounds = prepare_sounds(merged, clips, old.beep)
        self._mood = mood_of(done.feeling)
        self._given = self._given_with(merged, whole=False)
        return merged

    def _soon(self, ahead_s: float = REPLAN_AHEAD_S) -> float:
        """Session time ``ahead_s`` from now; in the countdown, the session's 0 is still ahead."""
        snap = self.engine.snapshot()
        return snap.elapsed_s - snap.countdown_remaining_s + ahead_s

    # ------------------------------------------------------------------------------- the shorter version

    def shorter_offer(self) -> SessionPlan | None:
        """The shorter version to offer now, or ``None``: the check-in is not low (-2 or below), the run was
        already switched or cannot be shortened, its cues are not attached yet (ask again once they are), or
        it is too far along: past its first segment, or where the shorter version no longer carries it on."""
        if mood_of(self.feeling) is not Mood.GENTLE or self.plan is not self.planned or not self.engine.cues:
            return None
        snap = self.engine.snapshot()
        if snap.state not in SHORTER_OFFERED_IN or snap.segment_index > 0:
            return None
        shorter = shorter_version(self.plan)
        index = snap.segment_index if snap.countdown_remaining_s <= 0 and snap.state is not EngineState.READY else -1
        if shorter is None or not continues_from(self.plan, shorter, index, snap.elapsed_s + SWITCH_AHEAD_S):
            return None
        return shorter

    def prepare_shorter(self, plan: SessionPlan, feeling: int) -> Shorter:
        """The cues of the whole shorter run, gentle for ``feeling``, as ``cues --feeling`` chooses them. A
        worker: new texts are synthesized (or captions only, for a run whose voice is not there)."""
        context = replace(self._context or RunnerContext(), feeling=feeling)
        if self._prepared is None and not self._voice_ready:
            captions = self._cues.captions_only(plan, self.settings, self.seed, context=context)
            return Shorter(plan, feeling, None, captions)
        return Shorter(plan, feeling, self._cues.prepare(plan, self.settings, self.seed, context=context))

    @property
    def needs_voice(self) -> bool:
        """The run switched to its shorter version on captions, and the voice is ready now: prepare the shorter
        run again (``prepare_shorter``, with ``plan``) and ``use_shorter`` lets the voice join."""
        return self._voice_ready and self._prepared is None and self.plan is not self.planned

    def use_shorter(self, done: Shorter) -> CueTimeline | None:
        """Switch the run to the shorter version: the engine's segments and end, and every cue not yet said.
        Returns the run's timeline now, or ``None`` (nothing changed) when it is too late for it, the run was
        switched already, or it ended. Then give the player ``sounds`` and save the plan (``record_plan``).
        After a switch on captions, a ``done`` with the voice lets it join, as ``use_cues`` does."""
        if self.needs_voice and done.plan is self.plan and done.prepared is not None:
            if not self.engine.replace_timeline(done.prepared.timeline):
                return None
            self._prepared = done.prepared
            self.sounds = done.prepared.sounds()
            self._mood = mood_of(done.feeling)
            self._given = self._given_with(done.prepared.timeline, whole=True)
            return done.prepared.timeline
        new = done.prepared.timeline if done.prepared is not None else done.captions
        if new is None or self.plan is not self.planned:
            return None
        merged = switch_upcoming(CueTimeline(self.engine.cues), new, self._soon(SWITCH_AHEAD_S))
        if not self.engine.switch_plan(done.plan, merged):
            return None
        old = self._prepared
        if old is not None and done.prepared is not None:
            clips = {**old.clips, **done.prepared.clips}
            self.sounds = prepare_sounds(merged, clips, old.beep)
            self._prepared = replace(done.prepared, timeline=merged, clips=clips)  # a later re-plan's base
        self.plan = done.plan
        self._mood = mood_of(done.feeling)
        self._given = self._given_with(merged, whole=False)
        return merged

    def _given_with(self, timeline: CueTimeline, *, whole: bool) -> CueTimeline:
        """What the run gives once the engine has just been handed ``timeline``, for ``record_cues``: the cues
        it already delivered, then those of ``timeline`` still to come. The engine says a new timeline from
        where it is (core/timer_engine.py, ``position_s``): a ``whole`` one (``attach_timeline``,
        ``replace_timeline``) from its cue due right there on, the ones before skipped; otherwise only the
        upcoming cues changed (``replace_upcoming``), and those up to now are the ones it had.
        """
        position = self.engine.position_s
        started = bool(self.engine.segment_log())  # the cues due at 0 go out as the countdown ends, not before

        def delivered(cue: TimelineCue) -> bool:
            return cue.offset_s < position or (started and cue.offset_s == position)

        before = [c for c in self._given.cues if delivered(c)] if self._given is not None else []
        to_come = [c for c in timeline.cues if (c.offset_s >= position if whole else not delivered(c))]
        return CueTimeline((*before, *to_come))

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

    def record_cues(self, run_id: int) -> None:
        """Remember what this run says, so the coach's next runs choose other cues (no coach: nothing to do).

        What it says is what the engine was given (by ``use_cues``, ``use_captions``, ``use_replan`` or
        ``use_shorter``), never a timeline a caller holds: the planned run's speech that arrived after a switch
        to the shorter run on captions was stored as heard, though the engine never had it. Of a timeline
        handed over mid-run, only the cues from where the run was then count (``_given_with``): the engine
        skips those whose moment had passed, and they were stored as heard all the same. The engine's thread
        sets it with one reference assignment, so this (on the writer) reads a whole timeline. Call it after
        each of those calls that changed the cues; a later call stores the newer cues. Only the cues up to
        where the run got count as heard (storage/run_cue_repository.py).
        """
        given = self._given
        if self._coach is not None and given is not None:
            self._coach.remember(run_id, given)

    def record_plan(self, run_id: int) -> RunRecord:
        """Save the plan being run (its name and planned length), after a switch to the shorter version."""
        return self._runs.change_plan(run_id, self.plan)

    def record_end(self, run_id: int, end: RunEnd) -> RunRecord:
        """Save the end; a finished run from the plan marks its scheduled run done in the same transaction."""
        return self._runs.finish(run_id, end)
