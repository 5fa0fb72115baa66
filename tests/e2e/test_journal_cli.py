"""`runcompanion journal export` and `journal import` as a person runs them: subprocesses on temporary data
folders. Exit status 0 on success, 2 with one line on stderr for anything the user can fix."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from runcompanion.paths import resolve_paths
from runcompanion.storage.database import Database
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import CheckIn, ManualRun, ReflectionInput
from runcompanion.storage.reflection_repository import ReflectionRepository
from runcompanion.storage.run_repository import RunRepository

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
START = dt.datetime(2024, 5, 6, 5, 30, tzinfo=dt.UTC)


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("RUNCOMPANION_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "runcompanion", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _user_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.endswith("\n")
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def _database(data_dir: Path) -> Database:
    path = resolve_paths(data_dir).database
    path.parent.mkdir(parents=True, exist_ok=True)
    return Database.open(path)


@pytest.fixture
def journal_home(tmp_path: Path) -> Path:
    """A data folder with a guided run and a run logged by hand, both with a reflection."""
    home = tmp_path / "home"
    with _database(home) as database:
        runs = RunRepository(database)
        reflections = ReflectionRepository(database)
        run = runs.start("easy-30", "Easy 30", ("easy",), 1800.0, 1, started_at=START)
        runs.finish(run.id, "finished", 1800.0, 3, 3, [], ended_at=START + dt.timedelta(minutes=30))
        reflections.check_in(run.id, CheckIn(-1, 2))
        reflections.save(
            run.id, ReflectionInput(feeling_after=3, text="Calm, then strong", tags=("river",)), draft=False
        )
        reflections.add_manual_run(
            ManualRun(START + dt.timedelta(days=1), 2400.0, "Park loop"),
            ReflectionInput(feeling_after=4, text="Geese"),
            check_in=CheckIn(1),
        )
    return home


def _without_export_time(path: Path) -> dict[str, object]:
    document: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(document.pop("exported_at"), str)
    return document


def test_export_import_into_an_empty_folder_and_export_again_is_identical(journal_home: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    empty_home = tmp_path / "empty"

    exported = _cli(journal_home, "journal", "export", "--format", "json", "--out", str(first))
    imported = _cli(empty_home, "journal", "import", str(first))
    again = _cli(empty_home, "journal", "export", "--format", "json", "--out", str(second))

    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == f"Wrote {first}: 2 runs, 2 with a reflection (json).\n"
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == f"Imported from {first}: 2 runs (2 with a reflection).\n"
    assert again.returncode == 0, again.stderr
    assert _without_export_time(second) == _without_export_time(first)
    first_lines = first.read_text(encoding="utf-8").splitlines()
    second_lines = second.read_text(encoding="utf-8").splitlines()
    assert [line for line in first_lines if "exported_at" not in line] == [
        line for line in second_lines if "exported_at" not in line
    ]


def test_importing_the_same_file_twice_adds_nothing_the_second_time(journal_home: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    assert _cli(journal_home, "journal", "export", "--format", "json", "--out", str(backup)).returncode == 0

    result = _cli(journal_home, "journal", "import", str(backup))

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Nothing new in {backup}: its 2 runs are already here.\n"
    with _database(journal_home) as database:
        assert JournalQueries(database).page().total == 2


@pytest.mark.parametrize(("export_format", "needle"), [("csv", "Calm, then strong"), ("md", "> Geese")])
def test_csv_and_markdown_exports_are_written_privately(
    journal_home: Path, tmp_path: Path, export_format: str, needle: str
) -> None:
    out = tmp_path / f"journal.{export_format}"

    result = _cli(journal_home, "journal", "export", "--format", export_format, "--out", str(out))

    assert result.returncode == 0, result.stderr
    assert needle in out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o600


def test_a_damaged_backup_is_refused_in_one_line_and_changes_nothing(journal_home: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    assert _cli(journal_home, "journal", "export", "--format", "json", "--out", str(backup)).returncode == 0
    text = backup.read_text(encoding="utf-8")
    backup.write_text(text[: len(text) // 3], encoding="utf-8")
    empty_home = tmp_path / "empty"

    result = _cli(empty_home, "journal", "import", str(backup))

    assert (
        _user_error(result) == f"runcompanion: {backup}: the file ends too early: it was cut short or is incomplete.\n"
    )
    with _database(empty_home) as database:
        assert JournalQueries(database).page().total == 0


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b'{"format": "something-else", "version": 1}', "is not a RunCompanion journal export"),
        (b'{"format": "runcompanion-journal", "version": 7, "runs": []}', "newer RunCompanion"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8 text"),
    ],
)
def test_a_foreign_file_is_refused_naming_the_file(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "other.json"
    path.write_bytes(content)
    line = _user_error(_cli(tmp_path / "home", "journal", "import", str(path)))
    assert line.startswith(f"runcompanion: {path}: ")
    assert needle in line


def test_mistakes_on_the_command_line_are_one_line_each(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert "no such file" in _user_error(_cli(home, "journal", "import", str(tmp_path / "nope.json")))
    assert "Cannot write" in _user_error(
        _cli(home, "journal", "export", "--format", "json", "--out", str(tmp_path / "no" / "such" / "folder.json"))
    )
    assert "invalid choice: 'xml'" in _user_error(
        _cli(home, "journal", "export", "--format", "xml", "--out", str(tmp_path / "x.xml"))
    )
    assert "the following arguments are required" in _user_error(_cli(home, "journal", "import"))
