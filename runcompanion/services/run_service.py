"""Runs as records: started, checkpointed, finished; and the history the Today and Journal screens show."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from runcompanion.core.engine_events import SegmentLogEntry
from runcompanion.core.session_plan import SessionPlan
from runcompanion.storage.records import RunRecord
from runcompanion.storage.run_repository import RunRepository


class RunEndStatus(StrEnum):
    """How a guided run ended: the runner reached the end, or stopped it before."""

    FINISHED = "finished"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class RunProgress:
    """Where a run is: what a checkpoint saves, so a crash loses at most a few seconds."""

    elapsed_s: float
    segment_index: int
    segments_done: int


@dataclass(frozen=True, slots=True)
class RunEnd:
    """A run's end as it is saved: its status, where it got to, and how each segment went."""

    status: RunEndStatus
    progress: RunProgress
    segment_log: tuple[SegmentLogEntry, ...]


def segment_log_json(entries: tuple[SegmentLogEntry, ...]) -> list[dict[str, object]]:
    """The segment log as the run record keeps it (JSON; the shape journal exports and activity files read)."""
    return [
        {
            "index": e.index,
            "kind": e.kind.value,
            "planned_s": e.planned_s,
            "actual_s": round(e.actual_s, 3),
            "skipped": e.skipped,
            # Where the runner paused, so an exported activity shows each pause where it was.
            **({"pauses": [{"at_s": round(a, 3), "s": round(d, 3)} for a, d in e.pauses]} if e.pauses else {}),
        }
        for e in entries
    ]


class RunService:
    """Any single thread at a time. Each call is one short transaction."""

    def __init__(self, repository: RunRepository) -> None:
        self._repository = repository

    def start(self, plan: SessionPlan, seed: int | None, scheduled_run_id: int | None = None) -> RunRecord:
        return self._repository.start(
            session_id=plan.id,
            session_name=plan.name,
            session_tags=plan.tags,
            planned_s=plan.total_s,
            seed=seed,
            scheduled_run_id=scheduled_run_id,
        )

    def checkpoint(self, run_id: int, progress: RunProgress) -> None:
        self._repository.checkpoint(run_id, progress.elapsed_s, progress.segment_index, progress.segments_done)

    def change_plan(self, run_id: int, plan: SessionPlan) -> RunRecord:
        """The run in progress now follows ``plan`` (its shorter version): its name and planned length."""
        return self._repository.change_plan(run_id, plan.name, plan.total_s)

    def finish(self, run_id: int, end: RunEnd) -> RunRecord:
        """Save the run's end. A finished run that came from the plan marks its scheduled run done in the same
        transaction; a stopped one leaves it planned, to be run another time."""
        return self._repository.finish(
            run_id,
            end.status.value,
            end.progress.elapsed_s,
            end.progress.segment_index,
            end.progress.segments_done,
            segment_log_json(end.segment_log),
            mark_scheduled_done=end.status is RunEndStatus.FINISHED,
        )

    def history(self, limit: int | None = None) -> list[RunRecord]:
        return self._repository.list(limit)

    def recover_interrupted(self) -> list[RunRecord]:
        """Runs left in progress by a crash become ``interrupted``. Call once at start-up."""
        return self._repository.mark_interrupted()
