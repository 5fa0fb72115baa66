"""A whole program as the coach would speak it, run by run, with the memory of each run carried forward.

This is what ``runcompanion programs script PROGRAM`` prints and what bench/coach.py measures: the runner is
assumed to do every run in order, to hear every cue of each run, and to give no check-in. Pure; any thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from runcompanion.core.coach import ProgramPlace, RunnerContext, coach_run
from runcompanion.core.coach_memory import CueMemory
from runcompanion.core.cue_library import CueLibrary
from runcompanion.core.cue_scheduler import CueSettings, schedule_cues
from runcompanion.core.cue_timeline import CueKind, CueTimeline
from runcompanion.core.program_model import Program
from runcompanion.core.session_plan import SessionPlan

REMEMBERED_KINDS = frozenset(
    {CueKind.MINDFULNESS, CueKind.MOTIVATION, CueKind.SCIENCE, CueKind.REFLECTION, CueKind.PERSONAL}
)
"""The cues the coach remembers hearing: those from the library (and the journal), not announcements."""


@dataclass(frozen=True, slots=True)
class ScriptedRun:
    plan: SessionPlan
    place: ProgramPlace
    timeline: CueTimeline


def heard_cue_ids(timeline: CueTimeline, until_s: float | None = None) -> list[str]:
    """The remembered cues of ``timeline`` said by ``until_s`` (all of them when ``None``), in order."""
    return [
        cue.cue_id
        for cue in timeline.cues
        if cue.kind in REMEMBERED_KINDS and (until_s is None or cue.offset_s <= until_s)
    ]


def run_seed(seed: int, number: int) -> int:
    """The seed of run ``number`` of a scripted program: different for every run, the same every time."""
    return seed * 1000 + number


def script_program(
    program: Program,
    library: CueLibrary,
    settings: CueSettings,
    seed: int,
    duration_of: Callable[[str], float],
    *,
    memory: CueMemory | None = None,
) -> Sequence[ScriptedRun]:
    """Every run of ``program`` in order, each scheduled with the memory of the runs before it."""
    memory = memory if memory is not None else CueMemory()
    runs: list[ScriptedRun] = []
    for week in program.weeks:
        for run_number, plan in enumerate(week.runs, start=1):
            place = ProgramPlace.of(program, week.number, run_number)
            run_s = run_seed(seed, place.number)
            script = coach_run(plan, RunnerContext(memory=memory, place=place), run_s)
            timeline = schedule_cues(plan, library, settings, run_s, duration_of, script)
            runs.append(ScriptedRun(plan, place, timeline))
            memory = memory.after(heard_cue_ids(timeline))
    return runs
