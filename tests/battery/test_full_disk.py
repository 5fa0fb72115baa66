"""A full disk: one clear error, the file that was there is untouched, no half-written file is left.

Two ways. In-process, ``os.fsync`` (the last step before a finished file is moved into place) raises
``ENOSPC`` for the writers the app has; and for real, in a mount namespace (``unshare -rm``) where the data or
output folder is a tiny tmpfs filled to the brim, so the kernel itself says "No space left on device".
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths
from runcompanion.services.composition import Services, build_services
from tests.battery import Cli, require, stray_files

OLD = "what an earlier export wrote\n"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    home = tmp_path / "home"
    built = build_services(AppPaths(home / "data", home / "cache", home / "config"))
    yield built
    built.close()


def _no_space(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)


WRITERS: dict[str, tuple[str, Callable[[Services, Path], object]]] = {
    "journal-json": ("journal.json", lambda s, out: s.journal_transfer.export("json", out)),
    "journal-csv": ("journal.csv", lambda s, out: s.journal_transfer.export("csv", out)),
    "journal-markdown": ("journal.md", lambda s, out: s.journal_transfer.export("md", out)),
    "session-toml": ("session.toml", lambda s, out: s.catalog.export_file("first-walk-run", out)),
    "plan-ics": ("plan.ics", lambda s, out: s.plan.export_ics(out)),
    "backup": ("", lambda s, _out: s.backups.create("manual")),
}


@pytest.mark.parametrize(("name", "write"), WRITERS.values(), ids=WRITERS.keys())
def test_a_full_disk_leaves_the_old_file_and_says_so_once(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, write: Callable[..., object]
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / (name or "unused")
    if name:
        out.write_text(OLD, encoding="utf-8")
    _no_space(monkeypatch)

    with pytest.raises(UserError) as caught:
        write(services, out)

    message = str(caught.value)
    assert "No space left on device" in message or "no space left on device" in message
    assert "\n" not in message
    if name:
        assert out.read_text(encoding="utf-8") == OLD
    assert stray_files(out_dir) == []
    assert stray_files(services.paths.data_dir) == []
    assert services.backups.list() == []


# ------------------------------------------------------------------------------------------ a real full disk

DRIVER = textwrap.dedent(
    """
    import json, os, subprocess, sys
    home, out_dir, report, free_kib, *args = sys.argv[1:]
    env = {**os.environ, "RUNCOMPANION_HOME": home}
    def cli(*a):
        r = subprocess.run([sys.executable, "-m", "runcompanion", *a], env=env, capture_output=True, text=True)
        return {"rc": r.returncode, "stdout": r.stdout, "stderr": r.stderr}
    setup = [cli("history"), cli("journal", "export", "--format", "json", "--out", out_dir + "/journal.json")]
    target = out_dir if args[0] == "journal" and args[1] == "export" else home
    stat = os.statvfs(target)
    with open(target + "/filler", "wb") as filler:
        filler.write(b"\\0" * max(0, stat.f_bavail * stat.f_frsize - int(free_kib) * 1024))
    listing = lambda folder: sorted(os.listdir(folder))
    result = cli(*args)
    data = {"setup": setup, "result": result, "out": listing(out_dir), "data": listing(home + "/data")}
    data["journal"] = open(out_dir + "/journal.json", encoding="utf-8").read()
    os.remove(target + "/filler")
    data["after"] = cli("history", "--json")
    with open(report, "w") as fh:
        json.dump(data, fh)
    """
)
MOUNT = 'mount -t tmpfs -o size=1m tmpfs "$1" && mount -t tmpfs -o size=1m tmpfs "$2" && shift 2 && exec "$@"'


def _on_a_full_disk(tmp_path: Path, free_kib: int, *args: str) -> dict[str, Any]:
    unshare = require("unshare", "util-linux")
    home, out_dir = tmp_path / "home", tmp_path / "out"
    home.mkdir()
    out_dir.mkdir()
    report = tmp_path / "report.json"
    driver = [sys.executable, "-c", DRIVER, str(home), str(out_dir), str(report), str(free_kib), *args]
    completed = subprocess.run(
        [unshare, "-rm", "sh", "-c", MOUNT, "sh", str(home), str(out_dir), *driver],
        env=Cli.at(home).env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    assert [step["rc"] for step in data["setup"]] == [0, 0], data["setup"]
    return data


def _assert_one_line(result: dict[str, Any], *needles: str) -> str:
    assert "Traceback" not in result["stderr"], result["stderr"]
    assert result["rc"] == 2, result
    lines = [line for line in result["stderr"].splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], lines[0]
    return str(lines[0])


@pytest.mark.timeout(180)
def test_an_export_onto_a_full_disk_keeps_the_earlier_export(tmp_path: Path) -> None:
    data = _on_a_full_disk(
        tmp_path, 0, "journal", "export", "--format", "json", "--out", str(tmp_path / "out/journal.json")
    )
    _assert_one_line(data["result"], "journal.json", "No space left on device")
    assert json.loads(data["journal"])["format"] == "runcompanion-journal"  # the earlier export, whole
    assert data["out"] == ["filler", "journal.json"]  # and no half-written temporary file


@pytest.mark.timeout(180)
def test_a_backup_onto_a_full_disk_is_one_clear_error(tmp_path: Path) -> None:
    data = _on_a_full_disk(tmp_path, 96, "backup", "create")
    line = _assert_one_line(data["result"], "Cannot back up")
    assert "full" in line or "No space" in line or "no space" in line, line
    assert data["data"] == ["backups", "runcompanion.log", "runcompanion.sqlite3"]
    assert data["after"]["rc"] == 0


@pytest.mark.timeout(180)
def test_an_import_onto_a_full_disk_is_one_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    archive = tmp_path / "big.json"
    runs = [
        {
            "started_at": f"2024-05-06T07:30:00.{index:06d}+00:00",
            "session_id": "easy-30",
            "source": "manual",
            "session_name": "Easy",
            "planned_s": 1800,
            "status": "finished",
            "elapsed_s": 1800,
            "reflection": {
                "text": "a long thought " * 100,
                "draft": False,
                "created_at": "2024-05-06T08:00:00+00:00",
                "updated_at": "2024-05-06T08:00:00+00:00",
            },
        }
        for index in range(1000)
    ]
    archive.write_text(json.dumps({"format": "runcompanion-journal", "version": 1, "runs": runs}), encoding="utf-8")
    data = _on_a_full_disk(tmp_path, 400, "journal", "import", str(archive))
    assert json.loads(data["after"]["stdout"]) == []  # nothing written half: the transaction rolled back
    _assert_one_line(data["result"], "full")
