"""Cues made from the runner's own journal: kindly, only with enough of it, and never as pressure.

``personal`` cues say what the runner's history shows (how their feeling changed after runs like this one,
their streak of weeks, how far they have come in a program). Each needs a minimum of data; below it the
coach says nothing of the kind rather than guess. None of them mentions a missed run or compares the
runner with anyone, and a feeling that did not rise is simply not brought up mid-run. Pure; any thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from runcompanion.core.cue_library import Cue
from runcompanion.core.cue_timeline import CueKind

MIN_SIMILAR_RUNS = 5
"""Runs of this kind with a feeling before and after, needed before the coach speaks of the runner's lift."""
MIN_LIFT = 0.5
"""An average lift (points on the -5..5 feeling scale) at least this large is worth mentioning."""
MIN_STREAK_WEEKS = 3
"""Weeks in a row with a run, needed before the coach mentions the streak."""
MIN_PROGRAM_RUNS_DONE = 3
"""Program runs done before the coach looks back over the program."""


@dataclass(frozen=True, slots=True)
class JournalFacts:
    """The few numbers from the journal the coach may use. ``similar_*`` are about runs of this session kind."""

    similar_runs: int = 0
    """Finished runs of this kind with a feeling before and after."""
    similar_lift: float = 0.0
    """Their average change in feeling (after minus before)."""
    week_streak: int = 0
    program_runs_done: int = 0
    program_runs_total: int = 0


def _points(value: float) -> str:
    rounded = round(value)
    if rounded == 1:
        return "about a point"
    return f"about {rounded} points" if abs(value - rounded) < 0.25 else f"about {value:.1f} points"


def personal_cues(facts: JournalFacts | None) -> tuple[Cue, ...]:
    """The personal cues the journal supports, most specific first; empty below every threshold."""
    if facts is None:
        return ()
    cues: list[Cue] = []
    if facts.similar_runs >= MIN_SIMILAR_RUNS and facts.similar_lift >= MIN_LIFT:
        cues.append(
            Cue(
                id="personal-lift",
                kind=CueKind.PERSONAL,
                text=(
                    f"Your journal says that after your last {facts.similar_runs} runs like this one, you felt "
                    f"{_points(facts.similar_lift)} better than before. Whatever today brings is fine."
                ),
                tags=frozenset({"gentle"}),
            )
        )
    if facts.week_streak >= MIN_STREAK_WEEKS:
        cues.append(
            Cue(
                id="personal-streak",
                kind=CueKind.PERSONAL,
                text=f"You have run in each of the last {facts.week_streak} weeks. That steadiness is yours.",
            )
        )
    if facts.program_runs_done >= MIN_PROGRAM_RUNS_DONE and facts.program_runs_total:
        cues.append(
            Cue(
                id="personal-program",
                kind=CueKind.PERSONAL,
                text=(
                    f"{facts.program_runs_done} of {facts.program_runs_total} runs of this program are behind "
                    "you. Think back to your first one: you have come a long way."
                ),
            )
        )
    return tuple(cues)
