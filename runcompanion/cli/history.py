"""``runcompanion history [--json]``: runs with their status (finished, stopped, interrupted)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from runcompanion.cli.output import EXIT_OK, print_json
from runcompanion.paths import AppPaths
from runcompanion.services.composition import build_services

if TYPE_CHECKING:
    from runcompanion.storage.records import RunRecord


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
