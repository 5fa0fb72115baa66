"""The coach's memory in ``run_cues`` (migration 0004): the library cues each run said, and when.

What a run "heard" is what it said up to where the runner got: a cue planned after the point where a run was
stopped (or where it was interrupted) does not count, so the coach may still say it another day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy import delete, select

from runcompanion.storage.database import Database
from runcompanion.storage.models import RunCueRow, RunRow

MAX_CUE_ID_CHARS = 64


class RunCueRepository:
    def __init__(self, database: Database) -> None:
        self._database = database

    def remember(self, run_id: int, cues: Sequence[tuple[str, float]]) -> None:
        """Store the ``(cue id, offset)`` pairs a run is going to say, replacing any stored for it.

        Raises ValueError for an absent run or a bad value, before anything is written.
        """
        for cue_id, offset_s in cues:
            if not 1 <= len(cue_id) <= MAX_CUE_ID_CHARS:
                raise ValueError(f"a cue id must have 1 to {MAX_CUE_ID_CHARS} characters, got {cue_id!r}")
            if not math.isfinite(offset_s) or offset_s < 0:
                raise ValueError(f"a cue offset must be seconds >= 0, got {offset_s!r}")
        with self._database.transaction() as session:
            if session.get(RunRow, run_id) is None:
                raise ValueError(f"there is no run {run_id}")
            session.execute(delete(RunCueRow).where(RunCueRow.run_id == run_id))
            for position, (cue_id, offset_s) in enumerate(cues):
                session.add(RunCueRow(run_id=run_id, position=position, cue_id=cue_id, offset_s=float(offset_s)))

    def heard(self, limit: int) -> list[list[str]]:
        """The cue ids heard in each of the last ``limit`` runs that heard anything, oldest run first."""
        with self._database.transaction(write=False) as session:
            rows = session.execute(
                select(RunRow.id, RunCueRow.cue_id)
                .join(RunCueRow, RunCueRow.run_id == RunRow.id)
                .where(RunCueRow.offset_s <= RunRow.elapsed_s)
                .order_by(RunRow.started_at.desc(), RunRow.id.desc(), RunCueRow.position)
            ).all()
        runs: dict[int, list[str]] = {}
        for run_id, cue_id in rows:
            if run_id not in runs and len(runs) == limit:
                break
            runs.setdefault(run_id, []).append(cue_id)
        return list(reversed(list(runs.values())))
