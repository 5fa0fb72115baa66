"""``runcompanion history [--json]``: runs with their status (finished, stopped, interrupted); ``history export
RUN_ID... --format fit|tcx --out FILE|FOLDER``: runs as activity files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from runcompanion.cli.output import EXIT_OK, print_json
from runcompanion.paths import AppPaths
from runcompanion.services.composition import build_services

if TYPE_CHECKING:
    from runcompanion.core.run_samples import RunSample
    from runcompanion.services.activity_export import ActivityExport
    from runcompanion.storage.records import RunRecord
    from runcompanion.storage.run_figures_repository import RunFiguresRecord


def _figures_dict(f: RunFiguresRecord | None) -> dict[str, object]:
    """Device figures (docs/cli.md): null where the run had no treadmill or no heart-rate strap."""
    if f is None:
        return {
            "distance_m": None,
            "avg_heart_rate": None,
            "max_heart_rate": None,
            "heart_rate_zones_s": None,
            "devices": None,
            "segment_figures": [],
        }
    return {
        "distance_m": f.distance_m,
        "avg_heart_rate": f.avg_heart_rate,
        "max_heart_rate": f.max_heart_rate,
        "heart_rate_zones_s": None if f.zone_s is None else list(f.zone_s),
        "devices": f.devices or None,
        "segment_figures": [
            {
                "index": s.segment_index,
                "distance_m": s.distance_m,
                "speed_kmh": s.speed_kmh,
                "incline_pct": s.incline_pct,
            }
            for s in f.segments
        ],
    }


def _samples_list(samples: tuple[RunSample, ...]) -> list[dict[str, object]]:
    """The devices' figures over time (docs/cli.md): one object per sample, empty without devices."""
    return [
        {
            "elapsed_s": s.elapsed_s,
            "speed_kmh": s.speed_kmh,
            "incline_pct": s.incline_pct,
            "distance_m": s.distance_m,
            "heart_rate": s.heart_rate,
        }
        for s in samples
    ]


def _run_dict(
    r: RunRecord, figures: RunFiguresRecord | None = None, samples: tuple[RunSample, ...] = ()
) -> dict[str, object]:
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
        **_figures_dict(figures),
        "samples": _samples_list(samples),
    }


def history(args: argparse.Namespace, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        if getattr(args, "history_command", None) == "export":
            return _export(services.activity_export, args)
        runs = services.runs.history()
        if args.json:
            figures = services.run_figures.for_runs(r.id for r in runs)
            samples = services.run_figures.samples_for_runs(r.id for r in runs)
            print_json([_run_dict(r, figures.get(r.id), samples.get(r.id, ())) for r in runs])
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


def _export(export: ActivityExport, args: argparse.Namespace) -> int:
    out: Path = args.out
    if len(args.run_ids) > 1 or out.is_dir():
        written = export.export_many(args.run_ids, args.format, out)
        for path in written:
            print(f"Wrote {path}.")
        return EXIT_OK
    print(f"Wrote {export.export(args.run_ids[0], args.format, out)}.")
    return EXIT_OK
