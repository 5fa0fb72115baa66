"""The coach: what this run should say for this runner, decided before the scheduler places a word.

A human coach briefs each run, names the milestones of a program and celebrates them, remembers what the
runner has already heard, adapts to how they say they feel, and always lets them rest. :func:`coach_run`
turns a session, the runner's :class:`RunnerContext` and a seed into a :class:`CoachScript`; the cue
scheduler (core/cue_scheduler.py) then places the script's words and picks library cues by its rules.
Pure and deterministic for its inputs; any thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from runcompanion.core.coach_memory import CueMemory
from runcompanion.core.coach_personal import JournalFacts, personal_cues
from runcompanion.core.coach_texts import briefing_text, finish_words, short_briefing_text
from runcompanion.core.cue_library import Cue
from runcompanion.core.program_model import Milestone, Program
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan

LOW_FEELING = -2
"""A check-in at or below this makes the coach gentler and offers a shorter run."""
HIGH_FEELING = 2
"""A check-in at or above this keeps the coach upbeat."""
BEGINNER_TAGS = frozenset({"beginner"})
SHORTER_BRIEFING = "Today is the shorter version of this run: about half of its main part."
_COUNTED = re.compile(r"\b(\d+) of (\d+)\b")


class Mood(StrEnum):
    GENTLE = "gentle"
    STEADY = "steady"
    UPBEAT = "upbeat"


@dataclass(frozen=True, slots=True)
class ProgramPlace:
    """Where a run sits in a program: week and run, its number overall, and a milestone if it is one."""

    program_name: str
    week: int
    run: int
    number: int
    total: int
    milestone: Milestone | None = None

    @classmethod
    def of(cls, program: Program, week: int, run: int) -> ProgramPlace:
        """The place of run ``run`` of week ``week``; the first and last runs are milestones even unnamed."""
        number = sum(len(w.runs) for w in program.weeks[: week - 1]) + run
        session_id = program.run(week, run).id
        milestone = program.milestones.get(session_id)
        if milestone is None and number == 1:
            milestone = Milestone(f"your very first run of {program.name}")
        elif milestone is None and number == program.total_runs:
            milestone = Milestone(
                f"the last run of {program.name}, your graduation",
                f"You have finished {program.name}: all {program.total_runs} runs. That was yours to do, and "
                "you did it.",
            )
        return cls(program.name, week, run, number, program.total_runs, milestone)


@dataclass(frozen=True, slots=True)
class RunnerContext:
    """What the coach knows about this runner before the run."""

    memory: CueMemory = field(default_factory=CueMemory)
    feeling: int | None = None
    """The pre-run check-in (-5..5), if given."""
    journal: JournalFacts | None = None
    place: ProgramPlace | None = None


@dataclass(frozen=True, slots=True)
class CoachScript:
    """The coach's decisions for one run, which the scheduler carries out."""

    briefing: str
    short_briefing: str
    finish: str
    mood: Mood = Mood.STEADY
    memory: CueMemory = field(default_factory=CueMemory)
    personal: tuple[Cue, ...] = ()
    beginner: bool = False

    @property
    def preferred_tag(self) -> str | None:
        """Library cues with this tag go first: gentle ones on a low day, upbeat ones on a good day."""
        return {Mood.GENTLE: "gentle", Mood.UPBEAT: "upbeat", Mood.STEADY: None}[self.mood]


def mood_of(feeling: int | None) -> Mood:
    if feeling is not None and feeling <= LOW_FEELING:
        return Mood.GENTLE
    if feeling is not None and feeling >= HIGH_FEELING:
        return Mood.UPBEAT
    return Mood.STEADY


def coach_run(plan: SessionPlan, context: RunnerContext, seed: int) -> CoachScript:
    """The script of one run of ``plan`` for the runner in ``context``."""
    mood = mood_of(context.feeling)
    place = context.place
    where = (place.week, place.run) if place is not None else None
    milestone = place.milestone if place is not None else None
    progress = (place.number, place.total) if place is not None else None
    return CoachScript(
        briefing=briefing_text(plan, place=where, milestone=milestone, mood=mood.value),
        short_briefing=short_briefing_text(where, mood.value),
        finish=finish_words(seed, plan.total_s, place=where, progress=progress, milestone=milestone),
        mood=mood,
        memory=context.memory,
        personal=personal_cues(context.journal),
        beginner=bool(BEGINNER_TAGS & set(plan.tags)),
    )


def neutral_script(plan: SessionPlan, seed: int) -> CoachScript:
    """The script for a runner the coach knows nothing about (no memory, no check-in, no program)."""
    return coach_run(plan, RunnerContext(), seed)


def shorter_version(plan: SessionPlan) -> SessionPlan | None:
    """A shorter run of ``plan`` offered on a low day: about half its main part, warm-up and cool-down kept.

    The main part keeps its first whole segments up to half its time (repeated efforts: the first half of
    them); a single long segment is halved. ``None`` when the plan is already too short to shorten usefully.
    """
    segments = list(plan.segments)
    head = 1 if segments and segments[0].kind is SegmentKind.WARMUP else 0
    tail = 1 if len(segments) > head and segments[-1].kind is SegmentKind.COOLDOWN else 0
    main = segments[head : len(segments) - tail]
    if not main:
        return None
    if len(main) == 1:
        only = main[0]
        if only.duration_s < 120:
            return None
        shorter: list[Segment] = [replace(only, duration_s=round(only.duration_s / 2 / 30) * 30 or 60)]
    else:
        budget = sum(s.duration_s for s in main) / 2
        shorter = []
        spent = 0.0
        for segment in main:
            if spent >= budget:
                break
            shorter.append(segment)
            spent += segment.duration_s
        if len(shorter) == len(main):
            return None
    # Themes go by segment index and repeat blocks by segment range: both follow the segments kept, or the
    # cool-down would be introduced with the theme of a segment left out.
    kept = head + (len(shorter) if len(main) > 1 else 0)
    themes = (*plan.themes, *("",) * len(segments))[: len(segments)]
    return replace(
        plan,
        id=plan.id,
        name=f"{plan.name} (shorter)",
        segments=(*segments[:head], *_recounted(shorter), *segments[len(segments) - tail :]),
        # The session's own briefing describes the whole run ("four one-minute runs"): it would be untrue now.
        briefing=SHORTER_BRIEFING,
        themes=(*themes[: head + len(shorter)], *themes[len(segments) - tail :]) if any(plan.themes) else (),
        repeats=tuple(block for block in plan.repeats if block.end <= kept),
    )


def _recounted(segments: list[Segment]) -> list[Segment]:
    """Labels that count a series ("Easy run 2 of 4") count what the shorter run keeps of it ("2 of 2")."""
    kept: dict[tuple[str, int], int] = {}
    for segment in segments:
        if (m := _COUNTED.search(segment.label)) is not None:
            key = (segment.label[: m.start()], int(m[2]))
            kept[key] = max(kept.get(key, 0), int(m[1]))
    out: list[Segment] = []
    for segment in segments:
        m = _COUNTED.search(segment.label)
        total = kept[segment.label[: m.start()], int(m[2])] if m is not None else 0
        if m is None or total >= int(m[2]):
            out.append(segment)
            continue
        label = f"{segment.label[: m.start()]}{m[1]} of {total}{segment.label[m.end() :]}"
        out.append(replace(segment, label=label))
    return out
