"""``runcompanion programs script PROGRAM``: a whole program as the coach would speak it, and the timeline
printing that ``cues`` shares.

The script assumes every run is done in order and heard to the end, starting from a runner the coach has
not met (no memory, no journal, no check-in); spoken lengths are estimated as for captions (no speech is
synthesized), so offsets may differ from a real run by a second or two while the words are the same.
"""

from __future__ import annotations

import argparse
from collections import Counter

from runcompanion.cli.output import EXIT_OK, print_json
from runcompanion.core.coach_memory import REPEAT_WINDOW_RUNS
from runcompanion.core.coach_program import heard_cue_ids, script_program
from runcompanion.core.cue_scheduler import CueSettings
from runcompanion.core.cue_timeline import CueTimeline, TimelineCue
from runcompanion.paths import AppPaths
from runcompanion.services.composition import build_services


def estimated_length(text: str) -> float:
    # The app's own estimate before synthesis (services/cue_service.py): about 14 characters a second.
    return 0.4 + len(text) / 14.0


def cue_dict(c: TimelineCue) -> dict[str, object]:
    data: dict[str, object] = {
        "offset_s": round(c.offset_s, 3),
        "duration_s": round(c.duration_s, 3),
        "kind": c.kind.value,
        "priority": c.priority.name.lower(),
        "text": c.text,
        "segment_index": c.segment_index,
        "chime": c.chime,
        "beep": c.beep,
    }
    if c.cue_id:
        data["cue_id"] = c.cue_id
    if c.caption:
        data["caption"] = c.caption
    return data


def print_timeline(timeline: CueTimeline) -> None:
    for c in timeline.cues:
        minutes, seconds = divmod(c.offset_s, 60)
        print(f"{int(minutes):>3}:{seconds:05.2f}  {c.kind.value:<12} {c.text}")
        if c.caption:
            print(f"{'':22}({c.caption})")


def programs_script(args: argparse.Namespace, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        program = services.programs.get(args.program_id)
        stored = services.settings.load()
        settings = CueSettings(density=stored.density, units=stored.units, chime=stored.chime)
        runs = script_program(program, services.cues.library, settings, args.seed, estimated_length)
    finally:
        services.close()
    heard = [heard_cue_ids(run.timeline) for run in runs]
    counts = Counter(cue for run in heard for cue in run)
    repeats = sum(
        1
        for index, run in enumerate(heard)
        for cue in run
        if cue in {c for earlier in heard[max(0, index - REPEAT_WINDOW_RUNS + 1) : index] for c in earlier}
    )
    summary = {
        "runs": len(runs),
        "library_cues": sum(map(len, heard)),
        "distinct_cues": len(counts),
        "repeats_within_10_runs": repeats,
        "most_hearings": max(counts.values(), default=0),
    }
    if getattr(args, "json", False):
        print_json(
            {
                "program_id": program.id,
                "seed": args.seed,
                "summary": summary,
                "runs": [
                    {
                        "session_id": run.plan.id,
                        "week": run.place.week,
                        "run": run.place.run,
                        "number": run.place.number,
                        "milestone": None if run.place.milestone is None else run.place.milestone.name,
                        "total_s": run.plan.total_s,
                        "cues": [cue_dict(c) for c in run.timeline.cues],
                    }
                    for run in runs
                ],
            }
        )
        return EXIT_OK
    for run in runs:
        minutes = round(run.plan.total_s / 60)
        print(f"== Week {run.place.week}, run {run.place.run} ({run.plan.id}, {minutes} min)")
        print_timeline(run.timeline)
        print()
    print(
        f"{summary['runs']} runs, {summary['library_cues']} library cues, {summary['distinct_cues']} different; "
        f"{summary['repeats_within_10_runs']} repeated within 10 runs; none heard more than "
        f"{summary['most_hearings']} times."
    )
    return EXIT_OK
