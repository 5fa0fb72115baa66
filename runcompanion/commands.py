"""What each command-line command does. Parsing lives in ``cli``; the services come from ``app``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from runcompanion.app import RunRequest, build_services, run_gui
from runcompanion.cli import EXIT_OK, EXIT_USER, print_json
from runcompanion.core.session_plan import SessionPlan
from runcompanion.paths import AppPaths

if TYPE_CHECKING:
    from runcompanion.storage.records import RunRecord


def open_app(args: argparse.Namespace, paths: AppPaths) -> int:
    return run_gui(paths)


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
