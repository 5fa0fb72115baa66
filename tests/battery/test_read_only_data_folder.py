"""A data folder that cannot be written: every command exits 2 with one line, and nothing changes in it.

How, honestly, when the tests run as root: root ignores permission bits, so ``chmod 0500`` stops nothing (and
``AppPaths.ensure`` would chmod the folder back to 0700 anyway, see the report). Instead each command runs in
its own mount namespace (``unshare -rm``, which works for root and, with user namespaces, for anyone) where the
data folder is bind-mounted read-only: exactly what a read-only or failing disk looks like, for root too. The
mount lives and dies with the command, so nothing is left mounted if a test fails. A second kind of unwritable
data folder needs no privileges at all: a file where the folder should be.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.battery import Cli, assert_one_line_error, require

READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && shift && exec "$@"'

COMMANDS: dict[str, tuple[str, ...]] = {
    "open-the-app": (),
    "history": ("history",),
    "history-json": ("history", "--json"),
    "sessions": ("sessions",),
    "sessions-import": ("sessions", "import", "{session}"),
    "sessions-export": ("sessions", "export", "first-walk-run", "--out", "{out}/s.toml"),
    "cues": ("cues", "first-walk-run"),
    "render": ("render", "first-walk-run", "--out", "{out}/run.wav"),
    "run": ("run", "first-walk-run"),
    "programs": ("programs",),
    "plan-list": ("plan", "list"),
    "plan-enrol": ("plan", "enrol", "c25k", "--start", "2030-01-07", "--days", "mon,wed,sat", "--time", "07:00"),
    "journal-export": ("journal", "export", "--format", "json", "--out", "{out}/j.json"),
    "journal-import": ("journal", "import", "{journal}"),
    "backup-list": ("backup", "list"),
    "backup-create": ("backup", "create"),
    "backup-restore": ("backup", "restore", "{backup}"),
    "doctor": ("doctor",),
}


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, dict[str, str]]:
    base = tmp_path_factory.mktemp("read-only")
    cli = Cli.at(base / "home")
    cli.ok("history")
    created = cli.ok("backup", "create")
    backup_id = created.rsplit("restore ", 1)[1].strip()
    session = base / "mine.toml"
    session.write_text('name = "Mine"\n[[segments]]\nkind = "run"\nduration = 60\n', encoding="utf-8")
    journal = base / "journal.json"
    journal.write_text('{"format": "runcompanion-journal", "version": 1, "runs": []}', encoding="utf-8")
    out = base / "out"
    out.mkdir()
    values = {"session": str(session), "journal": str(journal), "backup": backup_id, "out": str(out)}
    return cli, values


@pytest.mark.timeout(60)
@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_every_command_says_in_one_line_that_the_folder_is_read_only(
    setup: tuple[Cli, dict[str, str]], args: tuple[str, ...]
) -> None:
    cli, values = setup
    unshare = require("unshare", "util-linux")
    before = _fingerprint(cli.data_dir)

    result = cli.run(
        *(arg.format(**values) for arg in args),
        prefix=(unshare, "-rm", "sh", "-c", READ_ONLY, "sh", str(cli.data_dir)),
        env={"DISPLAY": None, "WAYLAND_DISPLAY": None},
        timeout=45,
    )

    line = assert_one_line_error(result, str(cli.data_dir))
    assert "Read-only file system" in line or "read-only" in line.lower(), line
    assert result.stdout == ""
    assert _fingerprint(cli.data_dir) == before
    assert list(Path(values["out"]).iterdir()) == []


@pytest.mark.parametrize("args", [("history",), ("sessions",), ("backup", "list"), ("doctor",)], ids=" ".join)
def test_a_file_where_the_data_folder_should_be(tmp_path: Path, args: tuple[str, ...]) -> None:
    cli = Cli.at(tmp_path / "home")
    cli.home.mkdir()
    cli.data_dir.write_text("not a folder", encoding="utf-8")

    result = cli.run(*args)

    assert_one_line_error(result, str(cli.data_dir), "--data-dir")
    assert cli.data_dir.read_text(encoding="utf-8") == "not a folder"
