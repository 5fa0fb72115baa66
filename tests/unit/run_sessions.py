"""A ``RunSession`` on the real services (real SQLite, real speech), built as the run launcher builds one."""

from __future__ import annotations

from runcompanion.core.clock import FakeClock
from runcompanion.services.composition import Services
from runcompanion.services.run_session import RunSession


def run_session(
    services: Services, session_id: str, seed: int, clock: FakeClock, *, scheduled_run_id: int | None = None
) -> RunSession:
    return RunSession(
        services.catalog.get(session_id),
        services.settings.load(),
        seed,
        runs=services.runs,
        cues=services.cues,
        coach=services.coach,
        clock=clock,
        scheduled_run_id=scheduled_run_id,
    )
