"""The journal's Markdown export shows a run's time as the journal's list does (whole seconds done)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.storage.run_repository import RunRepository
from runcompanion.ui.common.widgets import format_clock


def test_a_run_of_7_39_6_is_7_39_in_the_list_and_in_the_export(tmp_path: Path) -> None:
    services = build_services(resolve_paths(tmp_path / "home", env={}))
    try:
        runs = RunRepository(services.database)
        started = dt.datetime(2026, 11, 27, 18, tzinfo=dt.UTC)
        record = runs.start("small-steps-10", "Small steps 10", (), 600.0, 1, None, "app", started)
        runs.finish(record.id, "stopped", 459.6, 3, 3, [], started + dt.timedelta(seconds=460))
        out = tmp_path / "journal.md"
        services.journal_transfer.export("md", out)
        text = out.read_text(encoding="utf-8")
    finally:
        services.close()
    assert format_clock(459.6) == "7:39"
    assert "Time: 7:39" in text
    assert "7:40" not in text
