"""Bad session files through the command line: ``runcompanion sessions import FILE``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.battery import Cli, assert_one_line_error, table_contents

GOOD = """\
name = "Battery session"
tags = ["test"]

[[segments]]
kind = "warmup"
duration = "5:00"
label = "Brisk walk"

[[segments]]
kind = "run"
duration = "20:00"
effort = 5
speed_kmh = 8.5

[[segments]]
kind = "cooldown"
duration = "5:00"
"""


def _segment(duration: str) -> str:
    return f'name = "Odd"\n[[segments]]\nkind = "run"\nduration = {duration}\n'


CASES: dict[str, tuple[bytes, str]] = {
    # name: (file content, what the one line must say)
    "malformed-toml": (b'name = "x"\n[[segments]\nkind = "run"\n', "line 2"),
    "truncated": (GOOD.encode()[: len(GOOD) // 2 + 7], "bad.toml"),
    "oversized-3mb": (b"# " + b"x" * (3 * 1024 * 1024) + b"\n", "larger than"),
    "binary-png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40, "not UTF-8"),
    "binary-zeros": (b"\x00" * 4096, "bad.toml"),
    "non-utf8-latin1": ('name = "Café run"\n'.encode("latin-1") + GOOD.encode()[20:], "not UTF-8"),
    "empty": (b"", 'missing required field "name"'),
    "only-whitespace": (b"  \n\t\n", 'missing required field "name"'),
    "not-a-session": (b'title = "a recipe"\ningredients = ["eggs"]\n', "unknown field"),
    "zero-duration": (_segment('"0:00"').encode(), "between 1 second and 4 hours"),
    "negative-duration": (_segment("-60").encode(), "between 1 second and 4 hours"),
    "absurd-duration": (_segment('"9999:00"').encode(), "between 1 second and 4 hours"),
    "huge-number": (_segment("1" + "0" * 5000).encode(), "bad.toml"),
    "nan-duration": (_segment("nan").encode(), "bad.toml"),
    "infinite-duration": (_segment("inf").encode(), "bad.toml"),
    "six-hours-and-more": (
        ('name = "Long"\n' + '[[segments]]\nkind = "run"\nduration = "3:59:59"\n' * 2).encode(),
        "at most 6 hours",
    ),
    "too-many-segments": (
        ('name = "Many"\n' + '[[segments]]\nkind = "walk"\nduration = 1\n' * 201).encode(),
        "between 1 and 200 segments",
    ),
    "deeply-nested": (b"name = " + b"[" * 20000 + b"]" * 20000 + b"\n", "bad.toml"),
    "control-characters-in-name": (
        b'name = "Run\\u0007\\u001b[31m"\n[[segments]]\nkind="run"\nduration=60\n',
        "one line",
    ),
    "lone-surrogate-escape": (b'name = "\\ud800"\n[[segments]]\nkind="run"\nduration=60\n', "bad.toml"),
    "unknown-kind": (b'name = "x"\n[[segments]]\nkind = "sprint"\nduration = 60\n', "kind must be one of"),
    "builtin-id": (('id = "first-walk-run"\n' + GOOD).encode(), "belongs to a built-in session"),
}


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = Cli.at(tmp_path_factory.mktemp("sessions") / "home")
    cli.ok("sessions")  # the data folder and database exist before the bad files come
    return cli


@pytest.mark.parametrize(("content", "expected"), CASES.values(), ids=CASES.keys())
def test_a_bad_session_file_is_refused_in_one_line(cli: Cli, tmp_path: Path, content: bytes, expected: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    before = table_contents(cli.database)

    result = cli.run("sessions", "import", str(bad))

    line = assert_one_line_error(result, expected)
    assert len(line) < 400, line
    assert result.stdout == ""
    assert table_contents(cli.database) == before


def test_a_folder_instead_of_a_file(cli: Cli, tmp_path: Path) -> None:
    assert_one_line_error(cli.run("sessions", "import", str(tmp_path)), "is a folder")


def test_a_missing_file(cli: Cli, tmp_path: Path) -> None:
    assert_one_line_error(cli.run("sessions", "import", str(tmp_path / "nope.toml")), "no such file")


def test_a_file_that_cannot_be_read(cli: Cli, tmp_path: Path) -> None:
    # /proc/self/mem exists and is a file, but reading it from the start fails (EIO): a disk error in miniature.
    assert_one_line_error(cli.run("sessions", "import", "/proc/self/mem"), "cannot be read")


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "session.toml"
    os.mkfifo(fifo)
    before = table_contents(cli.database)
    assert_one_line_error(cli.run("sessions", "import", str(fifo), timeout=10), "session.toml")
    assert table_contents(cli.database) == before


def test_the_good_file_is_accepted_after_all_that(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    assert "Imported" in cli.ok("sessions", "import", str(good))
    assert len(table_contents(cli.database)["own_sessions"]) == 1
