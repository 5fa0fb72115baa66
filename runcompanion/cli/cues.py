"""``runcompanion cues SESSION`` (the spoken-cue timeline) and ``render SESSION --out FILE.wav`` (the whole run).

Both prepare the run's speech as a guided run does, with a progress bar on a terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from runcompanion.cli.coach import cue_dict, print_timeline
from runcompanion.cli.output import EXIT_OK, print_json
from runcompanion.cli.terminal_progress import TerminalProgress
from runcompanion.cli.voices import with_voice
from runcompanion.core.coach import Mood, mood_of, shorter_version
from runcompanion.core.cue_templates import duration_words
from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.services.composition import build_services


def cues(args: argparse.Namespace, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        _warn_about_packs(services.cues.problems)
        plan = services.catalog.get(args.session_id)
        settings = with_voice(services.settings.load(), args.voice)
        # What the next run of this session would say for this runner: with the coach's memory of what they
        # heard, where they are in a program, their journal and (if given) the check-in.
        context = services.coach.context(plan, args.feeling)
        progress = TerminalProgress("Rendering speech", enabled=None if not args.json else False)
        try:
            prepared = services.cues.prepare(plan, settings, args.seed, progress, context=context)
        finally:
            progress.close()
        timeline = prepared.timeline
        shorter = shorter_version(plan) if mood_of(args.feeling) is Mood.GENTLE else None
        if args.json:
            print_json(
                {
                    "session_id": plan.id,
                    "seed": args.seed,
                    "feeling": args.feeling,
                    "total_s": plan.total_s,
                    "shorter_offer_s": None if shorter is None else shorter.total_s,
                    "cues": [cue_dict(c) for c in timeline.cues],
                }
            )
        else:
            if shorter is not None:
                shorter_words, usual_words = duration_words(shorter.total_s), duration_words(plan.total_s)
                print(f"On a heavy day a shorter version is offered: {shorter_words} instead of {usual_words}")
                print("(the first half of the main part). Either is a good run.")
            print_timeline(timeline)
        return EXIT_OK
    finally:
        services.close()


def render(args: argparse.Namespace, paths: AppPaths) -> int:
    from runcompanion.audio.track_renderer import render_track
    from runcompanion.services.safe_files import check_target, write_file

    out: Path = args.out
    if out.suffix.lower() != ".wav":
        raise UserError(f"{out}: the guided run is written as WAV; name the file with .wav at the end.")
    check_target(out)  # a device, a folder or a missing folder is refused before minutes of rendering
    services = build_services(paths)
    try:
        _warn_about_packs(services.cues.problems)
        plan = services.catalog.get(args.session_id)
        settings = with_voice(services.settings.load(), args.voice)
        context = services.coach.context(plan)
        speech_progress = TerminalProgress("Rendering speech")
        try:
            prepared = services.cues.prepare(plan, settings, args.seed, speech_progress, context=context)
        finally:
            speech_progress.close()
        mix_progress = TerminalProgress("Mixing the track ")
        try:
            report = render_track(
                prepared.timeline,
                prepared.speech,
                out,
                chime=prepared.chime,
                beep=prepared.beep,
                total_s=plan.total_s,
                progress=mix_progress,
                save=write_file,
            )
        finally:
            mix_progress.close()
        minutes = round(report.duration_s / 60)
        print(f"Wrote {out}: {plan.name}, {minutes} min, {len(prepared.timeline)} cues.")
        return EXIT_OK
    finally:
        services.close()


def _warn_about_packs(problems: list[str]) -> None:
    for problem in problems:
        print(f"runcompanion: {problem}", file=sys.stderr)
