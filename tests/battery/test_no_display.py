"""No display: opening the window is refused in one line (exit 2) instead of Qt's abort."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.battery import Cli, assert_one_line_error

NO_SCREEN: dict[str, str | None] = {"DISPLAY": None, "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None}

CASES: dict[str, tuple[tuple[str, ...], dict[str, str | None], str]] = {
    "app-without-display": ((), NO_SCREEN, "No display found"),
    "run-without-display": (("run", "small-steps-10"), NO_SCREEN, "No display found"),
    "app-with-a-display-that-is-not-running": ((), {**NO_SCREEN, "DISPLAY": ":987"}, "is not running"),
}


@pytest.mark.parametrize(("args", "env", "expected"), CASES.values(), ids=CASES.keys())
def test_no_display_is_one_line(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str | None], expected: str
) -> None:
    cli = Cli.at(tmp_path / "home")
    result = cli.run(*args, env=env, timeout=60)
    assert_one_line_error(result, expected)
    assert "main window shown" not in (cli.data_dir / "runcompanion.log").read_text(encoding="utf-8")


def test_doctor_reports_the_missing_display(tmp_path: Path) -> None:
    cli = Cli.at(tmp_path / "home")
    result = cli.run("doctor", env=NO_SCREEN)
    assert result.returncode == 2, result.stderr
    problems = [line for line in result.stdout.splitlines() if line.startswith("PROBLEM")]
    assert any("Display" in line and "No display found" in line for line in problems), result.stdout
