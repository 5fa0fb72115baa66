"""Speech that cannot start: espeak-ng's library missing, or pyttsx3 itself. ``cues`` says so in one sentence
naming espeak-ng and exits 2; ``doctor`` reports the problem.

The app runs with a ``sitecustomize`` on ``PYTHONPATH`` that breaks speech on request of an environment
variable: ``lib`` makes loading any libespeak fail exactly as a missing shared library does (pyttsx3 is
there, the Debian package is not), ``pyttsx3`` makes importing pyttsx3 fail (the Python package is missing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.battery import Cli, assert_one_line_error

SITECUSTOMIZE = """
import os
import sys

_BREAK = os.environ.get("RUNCOMPANION_TEST_BREAK_SPEECH", "")

if _BREAK == "lib":
    import ctypes

    _load = ctypes.CDLL.__init__

    def _no_espeak(self, name, *args, **kwargs):
        if name and "espeak" in str(name):
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        _load(self, name, *args, **kwargs)

    ctypes.CDLL.__init__ = _no_espeak

if _BREAK == "pyttsx3":
    class _NoPyttsx3:
        def find_spec(self, name, path=None, target=None):
            if name == "pyttsx3" or name.startswith("pyttsx3."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, _NoPyttsx3())
"""


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    cli = Cli.at(tmp_path / "home")
    cli.env["PYTHONPATH"] = str(site)
    return cli


@pytest.mark.parametrize("broken", ["lib", "pyttsx3"], ids=["libespeak-ng-missing", "pyttsx3-missing"])
def test_cues_without_speech_is_one_sentence_naming_espeak_ng(cli: Cli, broken: str) -> None:
    result = cli.run("cues", "small-steps-10", env={"RUNCOMPANION_TEST_BREAK_SPEECH": broken})

    line = assert_one_line_error(result, "speech engine could not start", "espeak-ng")
    assert "apt-get install espeak-ng" in line
    assert result.stdout == ""


def test_cues_work_again_once_speech_is_back(cli: Cli) -> None:
    result = cli.run("cues", "small-steps-10", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["cues"]


@pytest.mark.parametrize("broken", ["lib", "pyttsx3"], ids=["libespeak-ng-missing", "pyttsx3-missing"])
def test_doctor_reports_the_speech_engine(cli: Cli, broken: str) -> None:
    result = cli.run("doctor", "--json", env={"RUNCOMPANION_TEST_BREAK_SPEECH": broken})

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False
    speech = next(check for check in report["checks"] if check["name"] == "Speech engine")
    assert speech["ok"] is False
    assert "espeak-ng" in speech["fix"]
    others = [check["name"] for check in report["checks"] if not check["ok"] and check["name"] != "Speech engine"]
    assert "Database" not in others
