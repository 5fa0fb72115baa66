"""`runcompanion desktop install | uninstall`: a valid menu entry with an absolute Exec, and nothing else touched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from runcompanion.services import desktop_entry

REPO = Path(__file__).resolve().parents[2]
SHIPPED_ICON = (REPO / "resources" / "icons" / "runcompanion.svg").read_bytes()


def _validate(entry: Path) -> str:
    validator = shutil.which("desktop-file-validate")
    assert validator, "desktop-file-validate is missing: install desktop-file-utils (scripts/dev.sh test does)"
    result = subprocess.run([validator, str(entry)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.fixture
def desktop_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share"), "RUNCOMPANION_HOME": str(tmp_path / "rc")}


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("runcompanion")
    return subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=60, check=False)


def _files(env: dict[str, str]) -> desktop_entry.DesktopFiles:
    return desktop_entry.desktop_files(env)


def _keys(entry: Path) -> dict[str, str]:
    lines = entry.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def test_install_writes_a_valid_entry_whose_exec_opens_this_installation(desktop_env: dict[str, str]) -> None:
    result = _cli(desktop_env, "desktop", "install")
    assert result.returncode == 0, result.stderr
    files = _files(desktop_env)
    assert _validate(files.entry) == ""  # not even a hint
    keys = _keys(files.entry)
    program = Path(keys["Exec"])
    assert program.is_absolute()
    assert os.access(program, os.X_OK)
    assert program.name == "runcompanion-app"  # the windowed entry point (no console on Windows)
    assert keys["TryExec"] == keys["Exec"]
    assert keys["Icon"] == "runcompanion"
    assert files.icon.read_bytes() == SHIPPED_ICON
    assert (files.entry.stat().st_mode & 0o777) == 0o644
    assert str(files.entry) in result.stdout


def test_the_entry_starts_the_app_it_names(desktop_env: dict[str, str], tmp_path: Path) -> None:
    # Not a window here: the Exec program with --version proves it is this installation's entry point.
    assert _cli(desktop_env, "desktop", "install").returncode == 0
    program = _keys(_files(desktop_env).entry)["Exec"]
    version = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60, check=True)
    assert version.stdout.startswith("RunCompanion ")


def test_a_data_dir_given_to_install_is_kept_in_the_entry(desktop_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "my runs"
    assert _cli(desktop_env, "--data-dir", str(data), "desktop", "install").returncode == 0
    entry = _files(desktop_env).entry
    _validate(entry)
    assert _keys(entry)["Exec"].endswith(f'--data-dir "{data}"')


def test_a_path_with_spaces_and_reserved_characters_is_quoted_as_the_specification_asks(tmp_path: Path) -> None:
    files = desktop_entry.DesktopFiles(entry=tmp_path / "apps" / "runcompanion.desktop", icon=tmp_path / "icon.svg")
    program = '/opt/Run Companion $HOME `x` "q" 100%/back\\slash/RunCompanion'
    desktop_entry.install([program, "--data-dir", "/plain/path"], files)
    _validate(files.entry)
    keys = _keys(files.entry)
    assert keys["TryExec"] == program.replace("\\", "\\\\")
    exec_value = keys["Exec"]
    assert exec_value == (
        r'"/opt/Run Companion \\$HOME \\`x\\` \\"q\\" 100%%/back\\\\slash/RunCompanion" --data-dir /plain/path'
    )


def test_install_twice_replaces_its_own_entry(desktop_env: dict[str, str], tmp_path: Path) -> None:
    assert _cli(desktop_env, "desktop", "install").returncode == 0
    assert _cli(desktop_env, "--data-dir", str(tmp_path / "other"), "desktop", "install").returncode == 0
    assert "--data-dir" in _keys(_files(desktop_env).entry)["Exec"]


def test_an_entry_runcompanion_did_not_write_is_never_replaced(desktop_env: dict[str, str]) -> None:
    files = _files(desktop_env)
    files.entry.parent.mkdir(parents=True)
    own = "[Desktop Entry]\nType=Application\nName=My own launcher\nExec=/usr/local/bin/mine\n"
    files.entry.write_text(own, encoding="utf-8")
    result = _cli(desktop_env, "desktop", "install")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "did not write it" in result.stderr
    assert files.entry.read_text(encoding="utf-8") == own
    assert not files.icon.exists()

    removed = _cli(desktop_env, "desktop", "uninstall")
    assert removed.returncode == 2
    assert files.entry.read_text(encoding="utf-8") == own


def test_an_icon_runcompanion_did_not_write_is_never_replaced(desktop_env: dict[str, str]) -> None:
    files = _files(desktop_env)
    files.icon.parent.mkdir(parents=True)
    files.icon.write_bytes(b"<svg>someone else's</svg>")
    result = _cli(desktop_env, "desktop", "install")
    assert result.returncode == 2
    assert files.icon.read_bytes() == b"<svg>someone else's</svg>"
    assert not files.entry.exists()


def test_uninstall_removes_what_install_wrote_and_nothing_else(desktop_env: dict[str, str]) -> None:
    files = _files(desktop_env)
    neighbour = files.entry.parent / "other-app.desktop"
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n", encoding="utf-8")
    assert _cli(desktop_env, "desktop", "install").returncode == 0

    result = _cli(desktop_env, "desktop", "uninstall")
    assert result.returncode == 0, result.stderr
    assert not files.entry.exists()
    assert not files.icon.exists()
    assert neighbour.exists()

    again = _cli(desktop_env, "desktop", "uninstall")
    assert again.returncode == 0
    assert "Nothing to remove" in again.stdout


def test_uninstall_keeps_an_icon_changed_since_install(desktop_env: dict[str, str]) -> None:
    files = _files(desktop_env)
    assert _cli(desktop_env, "desktop", "install").returncode == 0
    files.icon.write_bytes(b"<svg>the user's own</svg>")
    assert _cli(desktop_env, "desktop", "uninstall").returncode == 0
    assert not files.entry.exists()
    assert files.icon.read_bytes() == b"<svg>the user's own</svg>"
