"""``runcompanion backup list | create | restore ID``: backups of the database from the command line.

Parsing lives in ``cli.parser``. ``list`` works even when the database is damaged or missing (that is when it is
needed); ``create`` opens the database first, so a damaged file is moved aside and reported instead of being
copied; ``restore`` never opens the current database before replacing it, and opens the restored one after
(which checks it and migrates a backup from an older version, backing it up first).
"""

from __future__ import annotations

import argparse

from runcompanion.cli.output import EXIT_OK, print_json
from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.services.backup_service import BackupService
from runcompanion.services.database_recovery import open_database
from runcompanion.storage.folder_lock import DataFolderLock


def backup(args: argparse.Namespace, paths: AppPaths) -> int:
    """Dispatch ``backup [list [--json] | create | restore ID]``; ``backup`` alone lists."""
    backups = BackupService(paths)
    command = getattr(args, "backup_command", None) or "list"
    if command == "create":
        return _create(paths, backups)
    if command == "restore":
        return _restore(paths, backups, args.backup_id)
    return _list(backups, as_json=bool(getattr(args, "json", False)))


def _list(backups: BackupService, *, as_json: bool) -> int:
    found = backups.list()
    if as_json:
        print_json([info.as_dict() for info in found])
        return EXIT_OK
    if not found:
        print(f"No backups yet in {backups.folder}. `runcompanion backup create` makes one.")
        return EXIT_OK
    width = max(len(info.id) for info in found)
    print(f"{'ID':<{width}}  {'MADE (local time)':<17}  {'SIZE':>9}  {'RUNS':>5}  REASON")
    for info in found:
        runs = "?" if info.run_count is None else str(info.run_count)
        print(
            f"{info.id:<{width}}  {info.created_at.astimezone():%Y-%m-%d %H:%M}  {info.size_words:>9}  "
            f"{runs:>5}  {info.reason_words}"
        )
    return EXIT_OK


def _create(paths: AppPaths, backups: BackupService) -> int:
    open_database(paths, backups).close()  # checked (and migrated) before it is copied
    info = backups.create("manual")
    print(f"Backed up {paths.database} to {info.path} ({_runs(info.run_count)}, {info.size_words}).")
    print(f"Restore it with: runcompanion backup restore {info.id}")
    return EXIT_OK


def _restore(paths: AppPaths, backups: BackupService, backup_id: str) -> int:
    # Replacing the file under a live app would lose what it writes next: the folder is taken for the restore.
    owner = DataFolderLock.try_acquire(paths.data_dir)
    if owner is None:
        raise UserError(
            f"A RunCompanion window is using the data folder {paths.data_dir}, so its database cannot be replaced "
            "now. Restore from that window's Settings, or close it and run this again."
        )
    try:
        report = backups.restore(backup_id)
        open_database(paths, backups, owner).close()  # the restored file opens (and is migrated if it is older)
    finally:
        owner.release()
    print(f"Restored backup {report.restored.id} ({_runs(report.run_count)}) to {report.database}.")
    if report.safety_backup is not None:
        print(
            f"What was there before is kept as backup {report.safety_backup.id} "
            f"(runcompanion backup restore {report.safety_backup.id} brings it back)."
        )
    if report.moved_aside is not None:
        print(f"The damaged database that was there was moved aside to {report.moved_aside.moved_to}.")
    return EXIT_OK


def _runs(count: int | None) -> str:
    if count is None:
        return "runs unknown"
    return "1 run" if count == 1 else f"{count} runs"
