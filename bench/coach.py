"""What the runner hears, in figures: for every program and built-in session, with and without the coach.

For a program, every run is scheduled in order (the memory of each run carried into the next, as
``runcompanion programs script`` does); for a built-in session, ten runs of it in a row. Default density
(light), spoken lengths estimated as the app does before synthesis (0.4 s + 14 characters a second).

- distinct: how many different library cues were heard;
- repeats: library cues already heard in an earlier run (any), and within 10 runs (the goal: 0);
- most: the most times any one cue was heard (the goal over a program: at most 2);
- words/change: words of heads-up and change announcement per segment boundary (goal in focus-intervals:
  at most a third of the 36.4 before);
- guidance: the share of spoken words that are guidance (library, personal, briefing, theme) rather than
  announcements and countdowns.

    .venv/bin/python -m bench.run coach        # the table for docs/benchmarks.md
    .venv/bin/python -m bench.coach            # the same figures as JSON
    .venv/bin/python -m bench.coach --no-coach # the scheduler alone: no script, no memory

The "before" column of docs/benchmarks.md is ``--no-coach`` run on commit 9cb46fd (before the coach):
``git worktree add /tmp/before 9cb46fd && cp bench/coach.py /tmp/before/bench/ && cd /tmp/before &&
python -m bench.coach --no-coach`` (the module imports the coach only when it uses it, so it runs there).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from bench.table import Row
from runcompanion.core.cue_library import CueLibrary, load_cue_library
from runcompanion.core.cue_scheduler import CueSettings, schedule_cues
from runcompanion.core.cue_timeline import CueKind, CueTimeline
from runcompanion.core.programs import ProgramLibrary
from runcompanion.core.session_files import parse_session_toml
from runcompanion.core.session_plan import SessionPlan
from runcompanion.paths import resource_files

LIBRARY = {CueKind.MINDFULNESS, CueKind.MOTIVATION, CueKind.SCIENCE, CueKind.REFLECTION}
GUIDANCE_EXTRA = {"personal", "briefing", "theme"}  # kinds the coach added; looked up by value for old code
ANNOUNCEMENTS = {CueKind.HEADS_UP, CueKind.CHANGE}
SESSION_RUNS = 10
FIGURES = ("distinct", "repeats", "repeats_within_10", "most", "words", "guidance")
WINDOW = 10

# Measured with ``--no-coach`` on commit 9cb46fd, the scheduler before the coach (see the module docstring).
_BEFORE_ROWS = {  # distinct, repeats, repeats within 10 runs, most hearings, words/change, guidance share
    "program c25k": (110, 100, 67, 6, 35.3, 0.243),
    "program intervals-focus": (56, 22, 22, 3, 35.5, 0.119),
    "program mindful-running": (60, 19, 18, 4, 34.7, 0.235),
    "program small-steps": (36, 4, 4, 2, 39.2, 0.14),
    "session first-walk-run": (40, 5, 5, 2, 35.9, 0.147),
    "session focus-intervals": (63, 16, 16, 3, 36.4, 0.134),
    "session long-steady-45": (68, 37, 37, 5, 35.4, 0.342),
    "session mindful-30": (55, 16, 16, 3, 35.0, 0.283),
    "session small-steps-10": (21, 1, 1, 2, 32.3, 0.184),
    "session treadmill-hills": (53, 17, 17, 3, 36.0, 0.19),
}
BEFORE: dict[str, dict[str, float]] = {name: dict(zip(FIGURES, row, strict=True)) for name, row in _BEFORE_ROWS.items()}

Schedule = Callable[[Sequence[SessionPlan], CueLibrary], list[CueTimeline]]


def estimated_length(text: str) -> float:
    return 0.4 + len(text) / 14.0


def without_coach(plans: Sequence[SessionPlan], library: CueLibrary) -> list[CueTimeline]:
    """The scheduler alone: each run drawn afresh, seed = run number."""
    return [schedule_cues(plan, library, CueSettings(), i + 1, estimated_length) for i, plan in enumerate(plans)]


def with_coach(plans: Sequence[SessionPlan], library: CueLibrary) -> list[CueTimeline]:
    """The coach: memory carried from run to run, program places from the shipped programs."""
    from runcompanion.core.coach import ProgramPlace, RunnerContext, coach_run
    from runcompanion.core.coach_memory import CueMemory
    from runcompanion.core.coach_program import heard_cue_ids

    programs = ProgramLibrary.from_files(resource_files("programs", ".toml"))
    memory = CueMemory()
    timelines = []
    for i, plan in enumerate(plans):
        located = programs.locate(plan.id)
        place = None if located is None else ProgramPlace.of(*located)
        script = coach_run(plan, RunnerContext(memory=memory, place=place), i + 1)
        timeline = schedule_cues(plan, library, CueSettings(), i + 1, estimated_length, script)
        memory = memory.after(heard_cue_ids(timeline))
        timelines.append(timeline)
    return timelines


def figures(plans: Sequence[SessionPlan], timelines: Sequence[CueTimeline]) -> dict[str, float]:
    heard: Counter[str] = Counter()
    window: list[set[str]] = []
    repeats = within = words = guidance = said = changes = 0
    for plan, timeline in zip(plans, timelines, strict=True):
        ids = [c.cue_id for c in timeline.cues if c.kind in LIBRARY or c.kind.value == "personal"]
        recent = set().union(*window[-(WINDOW - 1) :]) if window else set()
        repeats += sum(1 for cue in ids if heard[cue])
        within += sum(1 for cue in ids if cue in recent)
        heard.update(ids)
        window.append(set(ids))
        changes += len(plan.segments) - 1
        for cue in timeline.cues:
            if cue.beep:
                continue
            count = len(cue.text.split())
            said += count
            if cue.kind in ANNOUNCEMENTS:
                words += count
            if cue.kind in LIBRARY or cue.kind.value in GUIDANCE_EXTRA:
                guidance += count
    return {
        "distinct": len(heard),
        "repeats": repeats,
        "repeats_within_10": within,
        "most": max(heard.values(), default=0),
        "words": round(words / max(1, changes), 1),
        "guidance": round(guidance / max(1, said), 3),
    }


def cases() -> list[tuple[str, list[SessionPlan]]]:
    programs = ProgramLibrary.from_files(resource_files("programs", ".toml"))
    found = [(f"program {p.id}", p.sessions()) for p in programs.all()]
    for name, data in resource_files("sessions", ".toml"):
        plan = parse_session_toml(data, name, builtin=True)
        found.append((f"session {plan.id}", [plan] * SESSION_RUNS))
    return found


def measure(schedule: Schedule) -> dict[str, dict[str, float]]:
    library = load_cue_library(resource_files("cues", ".toml"))
    return {name: figures(plans, schedule(plans, library)) for name, plans in cases()}


def run() -> list[Row]:
    after = measure(with_coach)
    rows = []
    for name, now in after.items():
        was = BEFORE.get(name)
        before = "" if was is None else (
            f"before: {was['distinct']:.0f} distinct, {was['repeats_within_10']:.0f} within 10 runs, most "
            f"{was['most']:.0f}, {was['words']} words/change, guidance {was['guidance']:.0%}; "
        )  # fmt: skip
        value = (
            f"{before}after: {now['distinct']:.0f} distinct, {now['repeats_within_10']:.0f} within 10 runs, most "
            f"{now['most']:.0f}, {now['words']} words/change, guidance {now['guidance']:.0%}"
        )
        met = now["repeats_within_10"] == 0 and (not name.startswith("program") or now["most"] <= 2)
        goal = "0 repeats within 10 runs" + (", none more than twice" if name.startswith("program") else "")
        if name == "session focus-intervals":
            goal += f", words/change <= {BEFORE[name]['words'] / 3:.1f}"
            met = met and now["words"] <= BEFORE[name]["words"] / 3
        rows.append(Row(f"coach: {name}", value, goal, met))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-coach", action="store_true", help="the scheduler alone, as before the coach")
    args = parser.parse_args(argv)
    result: dict[str, Any] = measure(without_coach if args.no_coach else with_coach)
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
