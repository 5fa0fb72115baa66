"""What the coach knows about this runner: the cues they heard, where they are in a program, their journal.

``context`` gathers a :class:`RunnerContext` for the next run of a session (the check-in, when given, is
passed in); ``remember`` stores the library cues a run is going to say with the run, so that the next runs
do not repeat them (only what the runner reached counts, see storage/run_cue_repository.py). Any thread except
the GUI thread: it reads and writes SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from runcompanion.core.coach import ProgramPlace, RunnerContext
from runcompanion.core.coach_memory import MEMORY_RUNS, CueMemory
from runcompanion.core.coach_personal import JournalFacts
from runcompanion.core.coach_program import REMEMBERED_KINDS
from runcompanion.core.cue_timeline import CueTimeline
from runcompanion.core.programs import ProgramLibrary
from runcompanion.core.session_plan import SessionPlan
from runcompanion.services.journal_service import ChartPoint
from runcompanion.services.overview import streak_weeks
from runcompanion.storage.records import RunRecord
from runcompanion.storage.run_cue_repository import RunCueRepository


class CoachService:
    def __init__(
        self,
        cues: RunCueRepository,
        programs: ProgramLibrary,
        journal_points: Callable[[], Sequence[ChartPoint]],
        runs: Callable[[], Sequence[RunRecord]],
        today: Callable[[], dt.date],
    ) -> None:
        self._cues = cues
        self._programs = programs
        self._journal_points = journal_points
        self._runs = runs
        self._today = today

    def memory(self) -> CueMemory:
        return CueMemory.of(self._cues.heard(MEMORY_RUNS))

    def place(self, plan: SessionPlan) -> ProgramPlace | None:
        located = self._programs.locate(plan.id)
        if located is None:
            return None
        program, week, run = located
        return ProgramPlace.of(program, week, run)

    def context(self, plan: SessionPlan, feeling: int | None = None) -> RunnerContext:
        place = self.place(plan)
        return RunnerContext(
            memory=self.memory(),
            feeling=feeling,
            journal=self.facts(plan, place),
            place=place,
        )

    def facts(self, plan: SessionPlan, place: ProgramPlace | None) -> JournalFacts:
        """The journal's numbers about runs like ``plan``: same session, or a session with the same tags."""
        points = self._journal_points()
        similar = [
            p.feeling_after - p.feeling_before
            for p in points
            if p.feeling_before is not None
            and p.feeling_after is not None
            and (p.session_id == plan.id or (plan.tags and set(p.session_tags) == set(plan.tags)))
        ]
        runs = self._runs()
        finished = [r for r in runs if r.status == "finished"]
        program_done = 0
        if place is not None:
            program = self._programs.locate(plan.id)
            prefix = f"{program[0].id}-w" if program is not None else ""
            program_done = len({r.session_id for r in finished if prefix and r.session_id.startswith(prefix)})
        return JournalFacts(
            similar_runs=len(similar),
            similar_lift=sum(similar) / len(similar) if similar else 0.0,
            week_streak=streak_weeks([r.started_at.astimezone().date() for r in finished], self._today()),
            program_runs_done=program_done,
            program_runs_total=place.total if place is not None else 0,
        )

    def remember(self, run_id: int, timeline: CueTimeline) -> None:
        """Store the library and personal cues ``timeline`` says, with the run ``run_id``."""
        cues = [(c.cue_id, c.offset_s) for c in timeline.cues if c.kind in REMEMBERED_KINDS and c.cue_id]
        self._cues.remember(run_id, cues)
