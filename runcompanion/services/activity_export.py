"""Runs out as activity files (FIT or TCX) for Strava, Garmin Connect, intervals.icu and the like.

Each run becomes a treadmill running activity with one lap per segment (``core/activity.py`` builds it from the
run record, the session it ran and the reflection: its note and the distance the runner entered). Files are
written by the one safe writer: whole or not at all, and never over something that is not a regular file.
Several runs go to a folder as ``run-<id>-<date>.<fit|tcx>``; when one of them cannot be written, the ones
already written stay and the message says which failed.

Any single thread at a time (the app calls it from its worker).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from runcompanion.core.activity import Activity, build_activity
from runcompanion.core.errors import UserError
from runcompanion.core.session_plan import SessionPlan
from runcompanion.services.journal_service import JournalService
from runcompanion.services.run_figures_service import RunFiguresService
from runcompanion.services.safe_files import write_private_bytes
from runcompanion.services.session_catalog import SessionCatalog

ACTIVITY_FORMATS = ("fit", "tcx")


class ActivityExport:
    def __init__(
        self, journal: JournalService, catalog: SessionCatalog, figures: RunFiguresService | None = None
    ) -> None:
        self._journal = journal
        self._catalog = catalog
        self._figures = figures

    def activity(self, run_id: int) -> Activity:
        """The run as an activity. ``UserError`` if the run is gone or has nothing to export."""
        entry = self._journal.detail(run_id)
        run = entry.run
        if run.status == "in_progress":
            raise UserError(f"Run {run_id} is still going; export it when it has ended.")
        plan: SessionPlan | None
        try:
            plan = self._catalog.get(run.session_id)
        except UserError:
            plan = None  # the session was deleted since: laps keep their kinds and times
        reflection = entry.reflection
        measured = self._figures.get(run_id) if self._figures is not None else None
        activity = build_activity(
            run_id=run.id,
            name=run.session_name,
            status=run.status,
            started_at=run.started_at,
            elapsed_s=run.elapsed_s,
            segment_index=run.segment_index,
            segment_log=run.segment_log,
            plan=plan,
            note=reflection.text if reflection else "",
            # What a treadmill measured beats what the runner typed (docs/devices.md).
            entered_distance_km=reflection.distance_km if reflection and measured is None else None,
        )
        if measured is not None:
            activity = replace(activity, avg_heart_rate=measured.avg_heart_rate, max_heart_rate=measured.max_heart_rate)
        if self._figures is not None:
            activity = replace(activity, samples=self._figures.samples(run_id))
        if measured is not None and measured.segments:
            belt = {segment.segment_index: segment.distance_m for segment in measured.segments}
            laps = tuple(replace(lap, distance_m=belt.get(lap.index, lap.distance_m)) for lap in activity.laps)
            activity = replace(activity, laps=laps)
        if not activity.laps:
            raise UserError(f"Run {run_id} has no running time to export.")
        return activity

    def export(self, run_id: int, fmt: str, out: Path) -> Path:
        data = self._encode(self.activity(run_id), fmt)
        write_private_bytes(out, data)
        return out

    def export_many(self, run_ids: Sequence[int], fmt: str, folder: Path) -> list[Path]:
        """Each run to ``folder``; every run is checked before the first file is written."""
        if not folder.is_dir():
            raise UserError(f"Cannot write to {folder}: it is not a folder.")
        activities = [self.activity(run_id) for run_id in run_ids]
        written = []
        for activity in activities:
            name = f"run-{activity.run_id}-{activity.started_at:%Y-%m-%d}.{fmt}"
            try:
                written.append(self._write(folder / name, activity, fmt))
            except UserError as exc:
                done = ", ".join(p.name for p in written) or "none"
                raise UserError(f"{exc} Written before it: {done}.") from None
        return written

    def _write(self, out: Path, activity: Activity, fmt: str) -> Path:
        write_private_bytes(out, self._encode(activity, fmt))
        return out

    @staticmethod
    def _encode(activity: Activity, fmt: str) -> bytes:
        # The writers load on first use: fit-tool takes a quarter of a second to import.
        if fmt == "fit":
            from runcompanion.core.activity_fit import dump_fit_activity

            return dump_fit_activity(activity)
        if fmt == "tcx":
            from runcompanion.core.activity_tcx import dump_tcx_activity

            return dump_tcx_activity(activity)
        raise UserError(f"Unknown activity format '{fmt}': use fit or tcx.")
