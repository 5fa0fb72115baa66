"""The bad-input battery: every way a file, a folder, a disk or the machine can be wrong, one named test each.

What every case checks: one clear message (on the command line: exit status 2 and one line on stderr that
starts with ``runcompanion``, no traceback), and nothing written half (the data folder holds what it held).
These helpers run the real command line in a subprocess with its own data folder.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

TABLES = ("settings", "own_sessions", "runs", "reflections", "reflection_tags", "enrolments", "scheduled_runs")


@dataclass
class Cli:
    """The command line with its data under ``home`` (``RUNCOMPANION_HOME``)."""

    home: Path
    env: dict[str, str]

    @classmethod
    def at(cls, home: Path) -> Cli:
        env = {**os.environ, "RUNCOMPANION_HOME": str(home), "PYTHONUNBUFFERED": "1", "QT_QPA_PLATFORM": "offscreen"}
        return cls(home, env)

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def database(self) -> Path:
        return self.data_dir / "runcompanion.sqlite3"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "runcompanion", *args]

    def run(
        self,
        *args: str,
        env: Mapping[str, str | None] | None = None,
        prefix: Sequence[str] = (),
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``runcompanion ARGS`` (after ``prefix``, e.g. a wrapper), with ``env`` changes (None removes)."""
        environment = dict(self.env)
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        return subprocess.run(
            [*prefix, *self.command(*args)],
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return result.stdout


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit status 2 and one line on stderr (no traceback) that contains every needle; return the line."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, f"exit status {result.returncode}; stderr: {result.stderr}"
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    ours = [line for line in lines if line.startswith("runcompanion")]  # "runcompanion:" or argparse's prefix
    assert len(ours) == 1, f"expected one line from runcompanion on stderr, got: {result.stderr!r}"
    line = ours[0]
    for needle in needles:
        assert needle in line, f"{needle!r} is not in {line!r}"
    return line


def table_contents(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (read only), to prove that a refused command wrote nothing."""
    if not database.exists():
        return {}
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        return {table: sorted(connection.execute(f"SELECT * FROM {table}"), key=repr) for table in TABLES}
    finally:
        connection.close()


def stray_files(folder: Path) -> list[str]:
    """Temporary or half-written files a failed write could leave behind."""
    return sorted(
        str(path.relative_to(folder)) for path in folder.rglob("*") if ".tmp" in path.name or ".restore" in path.name
    )


def require(binary: str, package: str) -> str:
    path = shutil.which(binary)
    if path is None:
        raise RuntimeError(f"{binary} is not installed; install the Debian package {package} (scripts/dev.sh does).")
    return path
