"""Runs as records: started, checkpointed, finished; and the history the Today and Journal screens show."""

from __future__ import annotations

from collections.abc import Sequence

from runcompanion.core.session_plan import SessionPlan
from runcompanion.storage.records import RunRecord
from runcompanion.storage.run_repository import RunRepository


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

    def checkpoint(self, run_id: int, elapsed_s: float, segment_index: int, segments_done: int) -> None:
        self._repository.checkpoint(run_id, elapsed_s, segment_index, segments_done)

    def finish(
        self,
        run_id: int,
        *,
        finished: bool,
        elapsed_s: float,
        segment_index: int,
        segments_done: int,
        segment_log: Sequence[dict[str, object]],
    ) -> RunRecord:
        return self._repository.finish(
            run_id,
            "finished" if finished else "stopped",
            elapsed_s,
            segment_index,
            segments_done,
            list(segment_log),
        )

    def history(self, limit: int | None = None) -> list[RunRecord]:
        return self._repository.list(limit)

    def recover_interrupted(self) -> list[RunRecord]:
        """Runs left in progress by a crash become ``interrupted``. Call once at start-up."""
        return self._repository.mark_interrupted()
