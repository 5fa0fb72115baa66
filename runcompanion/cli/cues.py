"""``runcompanion cues SESSION`` (the spoken-cue timeline) and ``render SESSION --out FILE.wav`` (the whole run).

Both prepare the run's speech as a guided run does, with a progress bar on a terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from runcompanion.cli.output import EXIT_OK, print_json
from runcompanion.cli.terminal_progress import TerminalProgress
from runcompanion.cli.voices import with_voice
from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.services.composition import build_services


def cues(args: argparse.Namespace, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        _warn_about_packs(services.cues.problems)
        plan = services.catalog.get(args.session_id)
        settings = with_voice(services.settings.load(), args.voice)
        progress = TerminalProgress("Rendering speech", enabled=None if not args.json else False)
        try:
            prepared = services.cues.prepare(plan, settings, args.seed, progress)
        finally:
            progress.close()
        timeline = prepared.timeline
        if args.json:
            print_json(
                {
                    "session_id": plan.id,
                    "seed": args.seed,
                    "total_s": plan.total_s,
                    "cues": [
                        {
                            "offset_s": round(c.offset_s, 3),
                            "duration_s": round(c.duration_s, 3),
                            "kind": c.kind.value,
                            "priority": c.priority.name.lower(),
                            "text": c.text,
                            "segment_index": c.segment_index,
                            "chime": c.chime,
                            "beep": c.beep,
                        }
                        for c in timeline.cues
                    ],
                }
            )
        else:
            for c in timeline.cues:
                minutes, seconds = divmod(c.offset_s, 60)
                print(f"{int(minutes):>3}:{seconds:05.2f}  {c.kind.value:<12} {c.text}")
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
        speech_progress = TerminalProgress("Rendering speech")
        try:
            prepared = services.cues.prepare(plan, settings, args.seed, speech_progress)
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
