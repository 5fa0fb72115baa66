"""Bad journal files through the command line: ``runcompanion journal import FILE`` and ``journal export``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.battery import Cli, assert_one_line_error, stray_files, table_contents

RUN: dict[str, Any] = {
    "started_at": "2024-05-06T07:30:00+00:00",
    "session_id": "easy-30",
    "source": "app",
    "session_name": "Easy 30",
    "planned_s": 1800,
    "status": "finished",
    "ended_at": "2024-05-06T08:00:00+00:00",
    "elapsed_s": 1800,
    "reflection": {
        "feeling_before": -1,
        "feeling_after": 3,
        "text": "Lighter afterwards.",
        "draft": False,
        "created_at": "2024-05-06T08:01:00+00:00",
        "updated_at": "2024-05-06T08:01:00+00:00",
    },
}


def _archive(**run_changes: Any) -> bytes:
    run = {**RUN, **run_changes}
    return json.dumps({"format": "runcompanion-journal", "version": 1, "runs": [run]}, ensure_ascii=False).encode()


def _reflection(**changes: Any) -> bytes:
    return _archive(reflection={**RUN["reflection"], **changes})


GOOD = json.dumps({"format": "runcompanion-journal", "version": 1, "runs": [RUN] * 1}, indent=1).encode()

CASES: dict[str, tuple[bytes, str]] = {
    "malformed-json": (b'{"format": "runcompanion-journal", "version": 1, "runs": [}', "not valid JSON"),
    "truncated": (GOOD[: len(GOOD) // 2], "ends too early"),
    "oversized-text-3mb": (_reflection(text="word " * 600_000), "longer than 100,000 characters"),
    "binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100, "not UTF-8"),
    "binary-zeros": (b"\x00" * 10_000, "journal.json"),
    "non-utf8-latin1": (_archive(session_name="Café").decode().encode("latin-1"), "not UTF-8"),
    "empty": (b"", "the file is empty"),
    "not-a-journal": (b'{"name": "a shopping list", "items": ["eggs"]}', "not a RunCompanion journal export"),
    "a-bare-list": (b"[1, 2, 3]", "not a RunCompanion journal export"),
    "newer-version": (b'{"format": "runcompanion-journal", "version": 99, "runs": []}', "newer RunCompanion"),
    "deeply-nested": (b"[" * 100_000 + b"]" * 100_000, "journal.json"),
    "nan": (_archive().replace(b'"planned_s": 1800', b'"planned_s": NaN'), "journal.json"),
    "negative-duration": (_archive(elapsed_s=-5), "elapsed_s"),
    "absurd-duration": (_archive(elapsed_s=1e300), "elapsed_s"),
    "year-ten-thousand": (_archive(started_at="10000-01-01T00:00:00+00:00"), "started_at"),
    "impossible-date": (_archive(started_at="2024-13-45T07:30:00+00:00"), "started_at"),
    "date-without-offset": (_archive(started_at="2024-05-06T07:30:00"), "UTC offset"),
    "feeling-out-of-scale": (_reflection(feeling_after=6), "feeling_after"),
    "huge-integer": (_archive(seed=2**70), "seed"),
    "unknown-status": (_archive(status="teleported"), "status"),
    "lone-surrogate": (_reflection(text="\\ud800").replace(b"\\\\ud800", b"\\ud800"), "not valid Unicode"),
}


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli.at(tmp_path_factory.mktemp("journal") / "home")
    cli.ok("history")
    return cli


@pytest.mark.parametrize(("content", "expected"), CASES.values(), ids=CASES.keys())
def test_a_bad_journal_file_is_refused_in_one_line(cli: Cli, tmp_path: Path, content: bytes, expected: str) -> None:
    bad = tmp_path / "journal.json"
    bad.write_bytes(content)
    before = table_contents(cli.database)

    result = cli.run("journal", "import", str(bad))

    line = assert_one_line_error(result, "journal.json", expected)
    assert len(line) < 500, line
    assert table_contents(cli.database) == before


def test_a_run_that_ends_before_it_starts_is_refused(tmp_path: Path) -> None:
    cli = Cli.at(tmp_path / "home")
    bad = tmp_path / "journal.json"
    bad.write_bytes(_archive(ended_at="1900-01-01T00:00:00+00:00"))
    assert_one_line_error(cli.run("journal", "import", str(bad)), "journal.json", "ended_at")
    assert table_contents(cli.database)["runs"] == []


def test_a_folder_instead_of_a_file(cli: Cli, tmp_path: Path) -> None:
    assert_one_line_error(cli.run("journal", "import", str(tmp_path)), str(tmp_path))


def test_a_named_pipe_is_refused(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "journal.json"
    os.mkfifo(fifo)
    assert_one_line_error(cli.run("journal", "import", str(fifo), timeout=30), "not a regular file")


def test_export_into_a_missing_folder(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "folder" / "journal.json"
    assert_one_line_error(cli.run("journal", "export", "--format", "json", "--out", str(out)), str(out))
    assert not out.parent.exists()


def test_export_onto_a_folder(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "already-a-folder"
    target.mkdir()
    result = cli.run("journal", "export", "--format", "md", "--out", str(target))
    assert_one_line_error(result, str(target))
    assert target.is_dir()
    assert stray_files(tmp_path) == []


def test_export_in_an_unknown_format(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "journal.xml"
    assert_one_line_error(cli.run("journal", "export", "--format", "xml", "--out", str(out)), "xml")
    assert not out.exists()


def test_the_good_file_is_imported_after_all_that(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "journal.json"
    good.write_bytes(GOOD)
    assert "Imported" in cli.ok("journal", "import", str(good))
    contents = table_contents(cli.database)
    assert len(contents["runs"]) == 1
    assert len(contents["reflections"]) == 1
