"""A restore chosen in Settings happens at the next start, before the database is opened."""

from __future__ import annotations

from pathlib import Path

from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.storage.run_repository import RunRepository


def test_the_next_start_restores_the_chosen_backup(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "home", env={})
    services = build_services(paths)
    backup = services.backups.create("manual")  # no runs yet
    RunRepository(services.database).start("mindful-30", "Mindful 30", (), 1800.0, 1)
    assert len(services.runs.history()) == 1
    services.close()

    paths.pending_restore.write_text(backup.id, encoding="utf-8")
    services = build_services(paths)
    try:
        assert services.runs.history() == []  # the backup's data, from before the run
        assert not paths.pending_restore.exists()
        assert any(b.reason == "pre-restore" for b in services.backups.list())  # the replaced data was kept
    finally:
        services.close()
