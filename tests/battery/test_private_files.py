"""Privacy on POSIX: folders 0700, the database, log, backups and every export 0600, even with umask 000."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from tests.battery import Cli

PERMISSIVE = ("sh", "-c", 'umask 000 && exec "$@"', "sh")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.timeout(240)
def test_everything_the_app_writes_is_private(tmp_path: Path) -> None:
    cli = Cli.at(tmp_path / "home")
    out = tmp_path / "exports"
    out.mkdir()
    commands = [
        ("history",),
        ("sessions", "export", "first-walk-run", "--out", str(out / "session.toml")),
        ("journal", "export", "--format", "json", "--out", str(out / "journal.json")),
        ("journal", "export", "--format", "csv", "--out", str(out / "journal.csv")),
        ("journal", "export", "--format", "md", "--out", str(out / "journal.md")),
        ("plan", "enrol", "c25k", "--start", dt.date.today().isoformat(), "--days", "mon,wed,sat", "--time", "07:00"),
        ("plan", "export", "--ics", str(out / "plan.ics")),
        ("render", "small-steps-10", "--out", str(out / "run.wav")),
        ("backup", "create"),
    ]
    for args in commands:
        result = cli.run(*args, prefix=PERMISSIVE, timeout=200)
        assert result.returncode == 0, (args, result.stderr)

    folders = [cli.home / "data", cli.home / "cache", cli.home / "config", cli.data_dir / "backups"]
    assert {str(folder): _mode(folder) for folder in folders} == {str(folder): 0o700 for folder in folders}
    files = [cli.database, cli.data_dir / "runcompanion.log", *sorted((cli.data_dir / "backups").iterdir())]
    files += sorted(out.iterdir())
    assert len(files) == 2 + 1 + 6
    assert {str(file): _mode(file) for file in files} == {str(file): 0o600 for file in files}
