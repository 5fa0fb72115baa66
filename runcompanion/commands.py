"""What each command-line command does. Parsing lives in ``cli``; the services come from ``app``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from runcompanion.app import RunRequest, build_services, run_gui
from runcompanion.cli import EXIT_OK, EXIT_USER, print_json
from runcompanion.core.errors import UserError
from runcompanion.core.session_plan import SessionPlan
from runcompanion.paths import AppPaths
from runcompanion.terminal_progress import TerminalProgress

if TYPE_CHECKING:
    from runcompanion.storage.records import RunRecord


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        services.catalog.get(args.session_id)  # an unknown id is refused before any window opens
        return run_gui(paths, RunRequest(args.session_id, args.seed, args.fullscreen), services)
    finally:
        services.close()


def doctor(args: argparse.Namespace, paths: AppPaths) -> int:
    from runcompanion.doctor import run_checks

    checks = run_checks(paths)
    if args.json:
        print_json({"ok": all(c.ok for c in checks), "checks": [c.as_dict() for c in checks]})
    else:
        width = max(len(c.name) for c in checks)
        for c in checks:
            mark = "OK     " if c.ok else "PROBLEM"
            print(f"{mark}  {c.name.ljust(width)}  {c.detail}")
            if not c.ok and c.fix:
                print(f"{'':7}  {'':{width}}  fix: {c.fix}")
    return EXIT_OK if all(c.ok for c in checks) else EXIT_USER


def _session_dict(plan: SessionPlan) -> dict[str, object]:
    return {
        "id": plan.id,
        "name": plan.name,
        "builtin": plan.builtin,
        "total_s": plan.total_s,
        "segments": len(plan.segments),
        "tags": list(plan.tags),
        "description": plan.description,
    }


def sessions(args: argparse.Namespace, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        if args.sessions_command == "import":
            plan = services.catalog.import_file(args.file)
            print(f"Imported “{plan.name}” as {plan.id}.")
            return EXIT_OK
        if args.sessions_command == "export":
            services.catalog.export_file(args.session_id, args.out)
            print(f"Wrote {args.out}.")
            return EXIT_OK
        plans = services.catalog.all()
        if args.json:
            print_json([_session_dict(p) for p in plans])
        else:
            for p in plans:
                origin = "built-in" if p.builtin else "own"
                print(f"{p.id:<22} {round(p.total_s / 60):>3} min  {origin:<8} {p.name}")
        return EXIT_OK
    finally:
        services.close()


def _run_dict(r: RunRecord) -> dict[str, object]:
    return {
        "id": r.id,
        "session_id": r.session_id,
        "session_name": r.session_name,
        "status": r.status,
        "started_at": r.started_at.isoformat(),
        "ended_at": r.ended_at.isoformat() if r.ended_at else None,
        "planned_s": r.planned_s,
        "elapsed_s": round(r.elapsed_s, 3),
        "segment_index": r.segment_index,
        "segments_done": r.segments_done,
        "seed": r.seed,
    }


def history(args: argparse.Namespace, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        runs = services.runs.history()
        if args.json:
            print_json([_run_dict(r) for r in runs])
        elif not runs:
            print("No runs yet.")
        else:
            for r in runs:
                minutes, seconds = divmod(int(r.elapsed_s), 60)
                print(
                    f"{r.started_at.astimezone():%Y-%m-%d %H:%M}  {r.status:<11} "
                    f"{minutes:>3}:{seconds:02d}  {r.session_name}"
                )
        return EXIT_OK
    finally:
        services.close()


def cues(args: argparse.Namespace, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        _warn_about_packs(services.cues.problems)
        plan = services.catalog.get(args.session_id)
        settings = services.settings.load()
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
        settings = services.settings.load()
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
